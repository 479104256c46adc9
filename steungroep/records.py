"""Children's data over time: anonymising closed cases after the school's retention period,
erasing one pupil's data, and the copy for an access request (AVG art. 15).

Anonymising removes pupil links, names, free text, the letter and notes; dates, counts,
cycles, outcomes and wellbeing scores stay, so the statistics still add up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import selectinload

from . import domain, workflow
from .extensions import db
from .models import (
    EVAL_PUPIL,
    Case,
    Cycle,
    GroupMember,
    OutboxMessage,
    Pupil,
    RetiredCardToken,
    School,
    SupportGroup,
    TimelineEntry,
    User,
)
from .timeutil import aware, utcnow

ANONYMISED = "(geanonimiseerd)"
MIN_RETENTION, MAX_RETENTION = 1, 120


def add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year = moment.year + month // 12
    month = month % 12 + 1
    day = min(moment.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                           31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return moment.replace(year=year, month=month, day=day)


def _load_case(case_id: int) -> Case:
    return db.session.scalars(
        select(Case).where(Case.id == case_id).options(*workflow.case_load_options())
    ).one()


def _forget_member(member: GroupMember) -> None:
    """The member still counts; nothing says who it was or what they did."""
    member.pupil_id = None
    db.session.add(RetiredCardToken(token=member.card_token))
    member.card_token = domain_token()
    for cycle in member.group.cycles:
        for action in cycle.actions:
            if action.member_id == member.id:
                action.text = ""
        for evaluation in cycle.evaluations:
            for result in evaluation.results:
                if result.member_id == member.id:
                    result.observation = ""


def domain_token() -> str:
    from .models import new_card_token

    return new_card_token()


def anonymise_case(case: Case, now: datetime) -> None:
    """Remove every piece of personal data from ``case``; keep dates, counts and outcomes."""
    case.pupil_id = None
    case.description = ""
    case.triage_note = ""
    case.outcome_note = ""
    case.submission_key = None
    case.purged_at = now
    if case.talk:
        case.talk.letter = case.talk.confidential = ""
        case.talk.pupil_task = case.talk.notes = ""
    evaluation_ids = []
    if case.group:
        for member in case.group.members:
            if member.pupil_id is not None:
                _forget_member(member)
        for cycle in case.group.cycles:
            cycle.decision_note = ""
            for evaluation in cycle.evaluations:
                evaluation.changed = evaluation.still_needed = evaluation.notes = ""
                evaluation_ids.append(evaluation.id)
    for informed in case.informed:
        informed.note = ""
    for entry in case.timeline:
        entry.text = ANONYMISED
    for evaluation_id in evaluation_ids:  # queued or kept e-mails name the pupil
        db.session.execute(
            delete(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"%-{evaluation_id}-%"))
        )


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
    if dry_run:
        db.session.rollback()
        return items
    for item in items:
        anonymise_case(_load_case(item.case_id), now)
        note = TimelineEntry(case_id=item.case_id, user_id=None, kind="bewaartermijn",
                             text="Persoonsgegevens verwijderd na de bewaartermijn.", at=now)
        db.session.add(note)
        db.session.commit()
    return items


@dataclass
class ErasurePlan:
    pupil: Pupil
    cases_as_subject: list[Case] = field(default_factory=list)
    memberships: list[GroupMember] = field(default_factory=list)

    @property
    def open_cases(self) -> list[Case]:
        return [c for c in self.cases_as_subject if not c.is_closed]


def erasure_plan(pupil: Pupil) -> ErasurePlan:
    cases = list(db.session.scalars(
        select(Case).where(Case.pupil_id == pupil.id).options(*workflow.case_load_options())
    ))
    memberships = list(db.session.scalars(
        select(GroupMember).where(GroupMember.pupil_id == pupil.id)
        .options(selectinload(GroupMember.group).selectinload(SupportGroup.cycles)
                 .selectinload(Cycle.actions))
    ))
    return ErasurePlan(pupil, cases, memberships)


def erase_pupil(pupil: Pupil, user: User, now: datetime) -> ErasurePlan:
    """Remove one pupil's personal data everywhere; counts and outcomes stay."""
    plan = erasure_plan(pupil)
    for case in plan.cases_as_subject:
        if not case.is_closed:
            case.closed_at = now
            case.outcome = "anders_afgehandeld"
        anonymise_case(case, now)
        db.session.add(TimelineEntry(case=case, user=user, kind="gewist", at=now,
                                     text="Gegevens van de leerling gewist op verzoek."))
    for member in plan.memberships:
        _forget_member(member)
        db.session.add(TimelineEntry(case_id=member.group.case_id, user=user, kind="gewist",
                                     at=now, text="Gegevens van een groepslid gewist op verzoek."))
    db.session.flush()
    db.session.delete(pupil)
    return plan


# ---- the copy for an access request --------------------------------------------------------


def _labels():
    counter = iter(range(10_000))

    def label() -> str:
        n = next(counter)
        letters = ""
        while True:
            letters = chr(ord("A") + n % 26) + letters
            n = n // 26 - 1
            if n < 0:
                return f"leerling {letters}"

    return label


class Masker:
    """Gives every other pupil a stable 'leerling A', 'leerling B', … and masks their
    first names in free text."""

    def __init__(self, pupil: Pupil, school_pupils: list[Pupil]) -> None:
        self.pupil = pupil
        self.others = [p for p in school_pupils if p.id != pupil.id]
        self._label = _labels()
        self.labels: dict[int, str] = {}

    def label(self, other: Pupil | None) -> str:
        if other is None:
            return "leerling (gewist)"
        if other.id == self.pupil.id:
            return self.pupil.first_name
        if other.id not in self.labels:
            self.labels[other.id] = self._label()
        return self.labels[other.id]

    def text(self, value: str) -> str:
        own = self.pupil.first_name.lower()
        for other in sorted(self.others, key=lambda p: -len(p.first_name)):
            if other.first_name.lower() == own:
                continue  # a namesake cannot be told apart in free text
            name = re.escape(other.first_name)
            if other.surname_initial:
                name += rf"(\s+{re.escape(other.surname_initial)}\.?)?"
            pattern = re.compile(rf"\b{name}\b", re.IGNORECASE)
            if pattern.search(value):
                value = pattern.sub(self.label(other), value)
        return value


def access_copy(pupil: Pupil, *, include_confidential: bool = False) -> dict:
    """Everything the app holds about ``pupil``: their own role, actions and evaluations and
    the notes about them; every other pupil masked, their roles and actions left out."""
    school_pupils = list(
        db.session.scalars(select(Pupil).where(Pupil.school_id == pupil.school_id))
    )
    masker = Masker(pupil, school_pupils)
    member_case_ids = select(SupportGroup.case_id).join(
        GroupMember, GroupMember.group_id == SupportGroup.id
    ).where(GroupMember.pupil_id == pupil.id)
    cases = list(db.session.scalars(
        select(Case)
        .where(or_(Case.pupil_id == pupil.id, Case.id.in_(member_case_ids)))
        .options(*workflow.case_load_options(), selectinload(Case.informed))
        .order_by(Case.reported_on, Case.id)
    ))
    copy = {
        "leerling": {
            "voornaam": pupil.first_name,
            "achternaam_initiaal": pupil.surname_initial,
            "klas": pupil.school_class.name if pupil.school_class else None,
            "leerlingnummer": pupil.external_id,
        },
        "gemaakt_op": utcnow().isoformat(timespec="seconds"),
        "toelichting": (
            "Alle gegevens over deze leerling in de steungroep-app. Andere leerlingen staan "
            "er als 'leerling A', 'leerling B' … in; hun rollen en acties zijn weggelaten."
        ),
        "aanpakken": [],
    }
    for case in cases:
        subject = case.pupil_id == pupil.id
        entry: dict = {
            "melding_op": case.reported_on.isoformat(),
            "afgesloten_op": aware(case.closed_at).date().isoformat() if case.closed_at else None,
            "uitkomst": domain.OUTCOMES.get(case.outcome, case.outcome) if case.outcome else None,
            "rol_van_deze_leerling": (
                "leerling om wie het gaat" if subject else "lid van de steungroep"
            ),
            "leerling_om_wie_het_gaat": masker.label(case.pupil),
        }
        if subject:
            entry["melding"] = masker.text(case.description)
            entry["vormen"] = [domain.FORMS.get(code, code) for code in case.form_codes]
            if case.talk:
                talk = {
                    "datum": case.talk.held_on.isoformat(),
                    "toestemming": case.talk.consent,
                    "brief_aan_de_groep": masker.text(case.talk.letter),
                    "taak": masker.text(case.talk.pupil_task),
                    "aantekeningen": masker.text(case.talk.notes),
                }
                if include_confidential:
                    talk["vertrouwelijk"] = masker.text(case.talk.confidential)
                entry["gesprek"] = talk
            entry["geinformeerd"] = [
                {"wie": domain.INFORMED_PARTIES.get(i.party, i.party),
                 "datum": i.informed_on.isoformat(), "opmerking": masker.text(i.note)}
                for i in case.informed
            ]
        group = case.group
        if group:
            own = next((m for m in group.members if m.pupil_id == pupil.id), None)
            entry["steungroep"] = [masker.label(m.pupil) for m in group.members if m is not own]
            if own is not None:
                entry["eigen_rol_in_de_groep"] = domain.ROLES.get(own.role, own.role)
            rounds = []
            for cycle in group.cycles:
                round_: dict = {"ronde": cycle.number,
                                "bijeenkomst_op": cycle.meeting_on.isoformat()
                                if cycle.meeting_on else None}
                if own is not None:
                    round_["eigen_actie"] = next(
                        (masker.text(a.text) for a in cycle.actions if a.member_id == own.id), None
                    )
                for evaluation in cycle.evaluations:
                    if evaluation.kind == EVAL_PUPIL and subject:
                        round_["evaluatie_met_de_leerling"] = {
                            "gepland_op": evaluation.due_on.isoformat(),
                            "gehouden_op": evaluation.held_on.isoformat()
                            if evaluation.held_on else None,
                            "welbevinden": evaluation.wellbeing,
                            "wat_veranderde": masker.text(evaluation.changed),
                            "nog_nodig": masker.text(evaluation.still_needed),
                            "beter": domain.IMPROVED.get(evaluation.improved, evaluation.improved)
                            if evaluation.improved else None,
                            "aantekeningen": masker.text(evaluation.notes),
                        }
                    if evaluation.kind != EVAL_PUPIL and own is not None:
                        result = next((r for r in evaluation.results if r.member_id == own.id),
                                      None)
                        if result:
                            round_["evaluatie_in_de_groep"] = {
                                "gehouden_op": evaluation.held_on.isoformat()
                                if evaluation.held_on else None,
                                "actie_gedaan": domain.DONE.get(result.done, result.done),
                                "opmerking": masker.text(result.observation),
                            }
                if subject and cycle.decision:
                    round_["besluit"] = workflow.DECISIONS.get(cycle.decision, cycle.decision)
                rounds.append(round_)
            entry["rondes"] = rounds
        copy["aanpakken"].append(entry)
    return copy


def set_retention(school: School, months: int | None) -> None:
    if months is None or not MIN_RETENTION <= months <= MAX_RETENTION:
        raise domain.DomainError(
            f"Kies een bewaartermijn van {MIN_RETENTION} tot {MAX_RETENTION} maanden.",
            "retention_months",
        )
    school.retention_months = months

