"""A practice case (domain/practice.py): started with a class of made-up pupils of its own,
and removed with everything of it: by its maker when done, or by the nightly housekeeping a
week after it started. Real cases, pupils and their lists never see it (the queries that
read them leave ``Case.practice`` and ``SchoolClass.practice`` out)."""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy import select

from steungroep.cases.state import note
from steungroep.core.extensions import db
from steungroep.core.timeutil import local, school_today
from steungroep.domain import DomainError
from steungroep.domain import practice as rules
from steungroep.domain.i18n import N_
from steungroep.models import (
    AuditEntry,
    Case,
    CaseForm,
    GroupMember,
    Pupil,
    RetiredCardToken,
    SchoolClass,
    SupportGroup,
    User,
)
from steungroep.records import removal
from steungroep.web.writes import UnitOfWork, end_transaction, use_case

log = logging.getLogger(__name__)


@use_case
def start(user: User, school_id: int | None, submission_key: str | None = None) -> Case:
    """A practice case at one of the user's schools (their only one when none is chosen),
    with its made-up class; a double tap (the same ``submission_key``) lands on the same
    case. The caller serialises starts at one school (the class's name is the first free
    one)."""
    if submission_key:
        existing = db.session.scalar(select(Case).where(Case.submission_key == submission_key))
        if existing is not None:
            return existing
    school = next((s for s in user.schools
                   if s.id == school_id or school_id is None and len(user.schools) == 1), None)
    if school is None:
        raise DomainError(N_("Kies de school waar je wilt oefenen."), field="school_id")
    taken = db.session.scalars(select(SchoolClass.name).where(
        SchoolClass.school_id == school.id, SchoolClass.practice.is_(True)))
    klass = SchoolClass(school=school, name=rules.class_name(taken),
                        school_year=rules.SCHOOL_YEAR, practice=True)
    pupils = [Pupil(school_id=school.id, school_class=klass, first_name=first,
                    surname_initial=initial) for first, initial in rules.PUPILS]
    db.session.add_all([klass, *pupils])
    case = Case(school_id=school.id, pupil=pupils[0], teacher=user, reported_on=school_today(),
                source=rules.SOURCE, description=rules.DESCRIPTION, triage=rules.TRIAGE,
                triage_note="", submission_key=submission_key or None, practice=True,
                forms=[CaseForm(form=form) for form in rules.FORMS])
    db.session.add(case)
    note(case, user, "melding",
         f"Oefenaanpak gestart met de verzonnen klas {klass.name}. Er gaat geen e-mail uit, "
         f"hij telt nergens mee en hij verdwijnt op {rules.removed_on(school_today()):%d-%m-%Y}.")
    return case


def removed_on(case: Case) -> date:
    """The day ``case`` (a practice case) goes."""
    return rules.removed_on(local(case.created_at).date())


def _rows(case_ids: set[int]) -> removal.Rows:
    """A practice case's rows with its made-up class and pupils."""
    classes = set(db.session.scalars(
        select(SchoolClass.id).join(Pupil, Pupil.class_id == SchoolClass.id)
        .join(Case, Case.pupil_id == Pupil.id)
        .where(Case.id.in_(case_ids), Case.practice.is_(True), SchoolClass.practice.is_(True))))
    pupils = set(db.session.scalars(select(Pupil.id).where(Pupil.class_id.in_(classes))))
    return removal.Rows(cases=case_ids, pupils=pupils, classes=classes)


def _remove(uow: UnitOfWork, case_id: int) -> None:
    """Remove one practice case (locked by the caller); its cards say they have finished."""
    tokens = db.session.scalars(
        select(GroupMember.card_token).join(SupportGroup, SupportGroup.id == GroupMember.group_id)
        .where(SupportGroup.case_id == case_id))
    db.session.add_all(RetiredCardToken(token=token) for token in tokens)
    removal.remove(_rows({case_id}))


@use_case
def remove(uow: UnitOfWork, case: Case, user: User) -> None:
    """The maker (or a coordinator) throws a practice case away when the practice is over."""
    if not case.practice:
        raise DomainError(N_("Dit is geen oefenaanpak; een echte aanpak wordt niet weggegooid."))
    school_id = case.school_id
    _remove(uow, case.id)
    uow.audit(AuditEntry.CHANGE, "practice.remove", user_id=user.id, school_id=school_id)


def due(now: datetime) -> list[int]:
    """The practice cases whose week is over at ``now`` (by the days at school)."""
    today = local(now).date()
    return [case_id for case_id, created_at in db.session.execute(
        select(Case.id, Case.created_at).where(Case.practice.is_(True)).order_by(Case.id))
        if rules.expired(local(created_at).date(), today)]


def _remove_one(case_id: int) -> bool:
    with UnitOfWork() as uow:
        uow.lock_cases([case_id])
        if db.session.get(Case, case_id) is None:  # thrown away meanwhile
            return False
        _remove(uow, case_id)
    return True


def housekeeping(now: datetime) -> int:
    """Nightly: remove the practice cases whose week is over, one per unit of work (one
    that fails is logged and the others still go); how many went."""
    found = due(now)
    end_transaction()
    removed = 0
    for case_id in found:
        try:
            removed += _remove_one(case_id)
        except Exception:  # its unit of work has rolled back
            end_transaction()
            log.exception("oefenaanpak %s niet verwijderd", case_id)
    return removed
