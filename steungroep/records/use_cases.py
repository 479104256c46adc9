"""Children's data over time: anonymising closed cases after the school's retention period,
erasing one pupil's data, and the copy for an access request (AVG art. 15).

Anonymising removes pupil links, names, free text, the letter and notes; dates, counts,
cycles, outcomes and wellbeing scores stay, so the statistics still add up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from steungroep import domain
from steungroep.cases.state import (
    case_load_options,
)
from steungroep.contacts import parent_letters
from steungroep.core.extensions import db
from steungroep.core.timeutil import aware
from steungroep.domain.i18n import N_
from steungroep.domain.privacy import erasure_refusal
from steungroep.models import (
    Case,
    CasePupil,
    CaseTalk,
    Consequence,
    Cycle,
    GroupMember,
    Letter,
    OutboxMessage,
    Pupil,
    RetiredCardToken,
    School,
    SupportGroup,
    TimelineEntry,
    User,
    new_card_token,
)
from steungroep.web.writes import UnitOfWork, end_transaction, use_case

MIN_RETENTION, MAX_RETENTION = 1, 120


ANONYMISED = "(geanonimiseerd)"


def add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year = moment.year + month // 12
    month = month % 12 + 1
    day = min(moment.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                           31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return moment.replace(year=year, month=month, day=day)


def _load_case(case_id: int) -> Case:
    return db.session.scalars(
        select(Case).where(Case.id == case_id).options(*case_load_options())
    ).one()


def _forget_member(member: GroupMember) -> None:
    """The member still counts; nothing says who it was or what they did."""
    member.pupil_id = None
    db.session.add(RetiredCardToken(token=member.card_token))
    member.card_token = new_card_token()
    for cycle in member.group.cycles:
        for action in cycle.actions:
            if action.member_id == member.id:
                action.text = ""
        for evaluation in cycle.evaluations:
            for result in evaluation.results:
                if result.member_id == member.id:
                    result.observation = ""


def _forget_talk(talk: CaseTalk) -> None:
    """A talk still counts (its date and kind); nothing says with whom or what was said."""
    talk.pupil_id = None
    talk.summary = talk.agreements = ""


def _forget_consequence(consequence: Consequence) -> None:
    """A consequence still counts (its kind and date); nothing says for whom or why."""
    consequence.pupil_id = None
    consequence.note = ""


def anonymise_case(case: Case, now: datetime) -> None:
    """Remove every piece of personal data from ``case``; keep dates, counts and outcomes."""
    case.pupil_id = None
    case.description = ""
    case.fact_where = case.fact_since = case.fact_earlier = ""
    case.fact_when = case.fact_tried = case.fact_wants = case.fact_helpers = ""
    case.fact_group = ""
    case.triage_note = ""
    case.outcome_note = ""
    case.submission_key = None
    case.purged_at = now
    if case.talk:
        case.talk.letter = case.talk.confidential = ""
        case.talk.pupil_task = case.talk.notes = ""
    if case.group:
        for member in case.group.members:
            if member.pupil_id is not None:
                _forget_member(member)
        for cycle in case.group.cycles:
            cycle.decision_note = ""
            for evaluation in cycle.evaluations:
                evaluation.changed = evaluation.still_needed = evaluation.notes = ""
    for informed in case.informed:
        informed.note = ""
    for talk in case.talks:
        _forget_talk(talk)
        talk.party_name = ""
    for involved in list(case.involved):
        case.involved.remove(involved)
        db.session.delete(involved)
    for step in case.plan_steps:
        step.done_by = step.note = ""
    for consequence in case.consequences:  # still counted, for nobody
        _forget_consequence(consequence)
    for entry in case.timeline:
        entry.text = ANONYMISED
    for letter in db.session.scalars(select(Letter).where(Letter.case_id == case.id)):
        forget_letter(letter)
    # Queued or kept e-mails about this case name the pupil: exactly these go.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.case_id == case.id))


def forget_letter(letter: Letter) -> None:
    """A letter's words go; when it came and how it ended stay."""
    letter.what = ANONYMISED
    letter.where = letter.about = letter.name = letter.class_name = ""
    letter.answer = letter.close_note = ""


def letters_due(now: datetime) -> list[int]:
    """Letters closed without a melding whose school's retention period has passed (one made
    into a melding goes with its case)."""
    rows = db.session.execute(
        select(Letter.id, Letter.closed_at, School.retention_months)
        .join(School, School.id == Letter.school_id)
        .where(Letter.closed_at.is_not(None), Letter.case_id.is_(None))
    ).all()
    return [letter_id for letter_id, closed_at, months in rows
            if add_months(aware(closed_at), months) <= now]


@dataclass
class PurgeItem:
    case_id: int
    school: str
    closed_on: date
    due_on: date


def purge_due(now: datetime) -> list[PurgeItem]:
    """Closed cases whose retention period has passed and that still hold personal data."""
    rows = db.session.execute(
        select(Case.id, Case.closed_at, School.name, School.retention_months)
        .join(School, School.id == Case.school_id)
        .where(Case.closed_at.is_not(None), Case.purged_at.is_(None))
        .order_by(Case.closed_at, Case.id)
    ).all()
    due = []
    for case_id, closed_at, school, months in rows:
        expires = add_months(aware(closed_at), months)
        if expires <= now:
            due.append(PurgeItem(case_id, school, aware(closed_at).date(), expires.date()))
    return due


def purge(now: datetime, dry_run: bool = False) -> list[PurgeItem]:
    """Anonymise what ``purge_due`` lists (nothing when ``dry_run``)."""
    items = purge_due(now)
    letters = letters_due(now)
    end_transaction()
    if dry_run:
        return items
    if letters:
        with UnitOfWork():
            db.session.execute(delete(Letter).where(Letter.id.in_(letters)))
    for item in items:  # one case per unit of work: a failure leaves the others done
        with UnitOfWork() as uow:
            uow.lock_cases([item.case_id])
            anonymise_case(_load_case(item.case_id), now)
            db.session.add(TimelineEntry(
                case_id=item.case_id, user_id=None, kind="bewaartermijn", at=now,
                text="Persoonsgegevens verwijderd na de bewaartermijn.",
            ))
    return items


@dataclass
class ErasurePlan:
    pupil: Pupil
    cases_as_subject: list[Case] = field(default_factory=list)
    memberships: list[GroupMember] = field(default_factory=list)
    involvements: list[CasePupil] = field(default_factory=list)
    talks: list[CaseTalk] = field(default_factory=list)
    consequences: list[Consequence] = field(default_factory=list)

    @property
    def open_cases(self) -> list[Case]:
        return [c for c in self.cases_as_subject if not c.is_closed]

    @property
    def open_groups(self) -> list[GroupMember]:
        """Memberships of groups whose case is still open: erasing would leave a running
        group with a member nobody can name, so it waits until that case is closed."""
        return [m for m in self.memberships if m.group.case.closed_at is None]

    def refusal(self) -> str | None:
        """Why erasing cannot happen now (domain.privacy); None when it can."""
        return erasure_refusal(self.pupil.first_name, len(self.open_groups))


def erasure_plan(pupil: Pupil) -> ErasurePlan:
    cases = list(db.session.scalars(
        select(Case).where(Case.pupil_id == pupil.id).options(*case_load_options())
    ))
    memberships = list(db.session.scalars(
        select(GroupMember).where(GroupMember.pupil_id == pupil.id)
        .options(selectinload(GroupMember.group).options(
            selectinload(SupportGroup.cycles).selectinload(Cycle.actions),
            selectinload(SupportGroup.case).options(
                selectinload(Case.pupil), selectinload(Case.teacher)),
        ))
    ))
    involvements = list(db.session.scalars(
        select(CasePupil).where(CasePupil.pupil_id == pupil.id).order_by(CasePupil.id)))
    talks = list(db.session.scalars(
        select(CaseTalk).where(CaseTalk.pupil_id == pupil.id).order_by(CaseTalk.id)))
    consequences = list(db.session.scalars(
        select(Consequence).where(Consequence.pupil_id == pupil.id).order_by(Consequence.id)))
    return ErasurePlan(pupil, cases, memberships, involvements, talks, consequences)


@use_case
def erase_pupil(pupil: Pupil, user: User, now: datetime) -> ErasurePlan:
    """Remove one pupil's personal data everywhere; counts and outcomes stay. Refused while
    the pupil is in a group that still runs (see ErasurePlan.refusal)."""
    plan = erasure_plan(pupil)
    if (reason := plan.refusal()) is not None:
        raise domain.DomainError(reason)
    for case in plan.cases_as_subject:
        if not case.is_closed:
            case.closed_at = now
            case.outcome = "anders_afgehandeld"
        anonymise_case(case, now)
        db.session.add(TimelineEntry(case=case, user=user, kind="gewist", at=now,
                                     text="Gegevens van de leerling gewist op verzoek."))
    for involved in plan.involvements:
        db.session.delete(involved)
        db.session.add(TimelineEntry(case_id=involved.case_id, user=user, kind="gewist", at=now,
                                     text="Gegevens van een betrokken leerling gewist op "
                                          "verzoek."))
    for talk in plan.talks:
        if talk.kind == parent_letters.KIND:
            parent_letters.forget_timeline_copy(talk)
        _forget_talk(talk)
    for consequence in plan.consequences:
        _forget_consequence(consequence)
    for member in plan.memberships:
        _forget_member(member)
        db.session.add(TimelineEntry(case_id=member.group.case_id, user=user, kind="gewist",
                                     at=now, text="Gegevens van een groepslid gewist op verzoek."))
    db.session.flush()
    db.session.delete(pupil)
    return plan


def erasure_case_ids(pupil: Pupil) -> set[int]:
    """The cases erasing ``pupil`` changes (to lock them first)."""
    subject = select(Case.id).where(Case.pupil_id == pupil.id)
    member = (select(SupportGroup.case_id)
              .join(GroupMember, GroupMember.group_id == SupportGroup.id)
              .where(GroupMember.pupil_id == pupil.id))
    involved = select(CasePupil.case_id).where(CasePupil.pupil_id == pupil.id)
    talked = select(CaseTalk.case_id).where(CaseTalk.pupil_id == pupil.id)
    measured = select(Consequence.case_id).where(Consequence.pupil_id == pupil.id)
    return (set(db.session.scalars(subject)) | set(db.session.scalars(member))
            | set(db.session.scalars(involved)) | set(db.session.scalars(talked))
            | set(db.session.scalars(measured)))


@use_case
def set_retention(school: School, months: int | None) -> None:
    if months is None or not MIN_RETENTION <= months <= MAX_RETENTION:
        raise domain.DomainError(
            N_("Kies een bewaartermijn van %(least)s tot %(most)s maanden."),
            "retention_months", least=MIN_RETENTION, most=MAX_RETENTION,
        )
    school.retention_months = months
