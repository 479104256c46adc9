"""Removing cases and every row that hangs from them, in the caller's unit of work: the demo
(steungroep.demo) goes this way with its schools and accounts, a practice case
(steungroep.practice) with its made-up class.

Core statements on the tables, not the ORM: the audit trail refuses the ORM's deletes on
purpose (nobody may erase what was done to real cases), but the rows of what was never real,
the audit rows about them included, may all go."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, func, or_, select, update

from steungroep.core.extensions import db
from steungroep.models import (
    Action,
    AuditEntry,
    Board,
    Case,
    CaseForm,
    CasePupil,
    CaseTalk,
    Consequence,
    Cycle,
    DayOff,
    Evaluation,
    GroupMember,
    Informed,
    Invitation,
    Letter,
    LoginSession,
    MemberResult,
    Notice,
    OutboxMessage,
    PlanStep,
    Pupil,
    PupilTalk,
    School,
    SchoolClass,
    SchoolSignIn,
    SupportGroup,
    TimelineEntry,
    User,
    user_schools,
)


@dataclass(frozen=True)
class Removed:
    what: str  # Dutch, for the command line
    table: str
    rows: int


@dataclass(frozen=True)
class Rows:
    """Ids of what goes: the cases with everything of theirs, and where given the pupils,
    classes, schools (with their classes, days off and sign-in), accounts (with their
    sessions, links and notices), boards and e-mail addresses (the outbox) too."""

    cases: set[int]
    pupils: set[int] = field(default_factory=set)
    classes: set[int] = field(default_factory=set)
    schools: set[int] = field(default_factory=set)
    users: set[int] = field(default_factory=set)
    boards: set[int] = field(default_factory=set)
    emails: tuple[str, ...] = ()


def _ids(query) -> set[int]:
    return set(db.session.scalars(query))


def remove(rows: Rows) -> list[Removed]:
    """Delete ``rows``, children first; how many rows of each kind went. The caller has
    locked the cases."""
    cases, users, schools = rows.cases, rows.users, rows.schools
    groups = _ids(select(SupportGroup.id).where(SupportGroup.case_id.in_(cases)))
    cycles = _ids(select(Cycle.id).where(Cycle.group_id.in_(groups)))
    evaluations = _ids(select(Evaluation.id).where(Evaluation.cycle_id.in_(cycles)))
    audit, outbox, links, linked = (AuditEntry.__table__.c, OutboxMessage.__table__.c,
                                    Invitation.__table__.c, user_schools.c)
    classes = SchoolClass.__table__.c
    steps = [
        ("meldingen op het beginscherm", Notice,
         or_(Notice.__table__.c.case_id.in_(cases), Notice.__table__.c.user_id.in_(users))),
        ("evaluaties per groepslid", MemberResult,
         MemberResult.__table__.c.evaluation_id.in_(evaluations)),
        ("acties", Action, Action.__table__.c.cycle_id.in_(cycles)),
        ("evaluaties", Evaluation, Evaluation.__table__.c.id.in_(evaluations)),
        ("rondes", Cycle, Cycle.__table__.c.id.in_(cycles)),
        ("groepsleden", GroupMember, GroupMember.__table__.c.group_id.in_(groups)),
        ("steungroepen", SupportGroup, SupportGroup.__table__.c.id.in_(groups)),
        *((what, model, model.__table__.c.case_id.in_(cases)) for what, model in (
            ("gesprekken met de leerling", PupilTalk),
            ("gesprekken en contacten", CaseTalk),
            ("maatregelen", Consequence),
            ("betrokken leerlingen", CasePupil),
            ("vormen van pesten", CaseForm),
            ("geïnformeerd", Informed),
            ("stappen van het stappenplan", PlanStep),
            ("regels op de tijdlijn", TimelineEntry))),
        ("e-mails", OutboxMessage,
         or_(outbox.case_id.in_(cases), func.lower(outbox.to_address).in_(rows.emails))),
        ("logboekregels", AuditEntry,
         or_(audit.case_id.in_(cases), audit.user_id.in_(users), audit.school_id.in_(schools),
             audit.pupil_id.in_(rows.pupils))),
        ("briefjes uit de brievenbus", Letter,
         or_(Letter.__table__.c.school_id.in_(schools), Letter.__table__.c.case_id.in_(cases))),
        ("aanpakken", Case, Case.__table__.c.id.in_(cases)),
        ("leerlingen", Pupil, Pupil.__table__.c.id.in_(rows.pupils)),
        ("klassen", SchoolClass, or_(classes.school_id.in_(schools), classes.id.in_(rows.classes))),
        *((what, model, model.__table__.c.school_id.in_(schools)) for what, model in (
            ("studiedagen", DayOff),
            ("instellingen voor inloggen met het schoolaccount", SchoolSignIn))),
        ("links om een wachtwoord te kiezen", Invitation, links.user_id.in_(users)),
        ("inlogsessies", LoginSession, LoginSession.__table__.c.user_id.in_(users)),
        ("koppelingen tussen medewerker en school", user_schools,
         or_(linked.school_id.in_(schools), linked.user_id.in_(users))),
        ("accounts", User, User.__table__.c.id.in_(users)),
        ("scholen", School, School.__table__.c.id.in_(schools)),
        ("schoolbesturen", Board, Board.__table__.c.id.in_(rows.boards)),
    ]
    if users:  # a link one of them made for someone else stays; it just no longer names them
        db.session.execute(update(Invitation.__table__).where(links.created_by_id.in_(users))
                           .values(created_by_id=None))
    removed = []
    for what, model, where in steps:
        table = model if model is user_schools else model.__table__
        removed.append(Removed(what, table.name,
                               db.session.execute(delete(table).where(where)).rowcount))
    return removed
