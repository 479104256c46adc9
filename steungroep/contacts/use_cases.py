"""Talks and contacts on a case (seed 000; seed 001 stap 6; seed 002 stap 1–2; seed 004 §2.2
stap 5), the one-off path's restoring talk and check after two weeks (seed 001 §6.1 stap
2(2)), and the pupils involved (seed 000 "Richtlijnen gesprek pester"; seed 004 Bijlage 1).

Talks and involved pupils are records, not steps of the method: they may be added after
closing too, not once the case is anonymised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from steungroep import domain
from steungroep.cases.pupils import may_join
from steungroep.cases.state import ensure_open, ensure_record, note, restore_talk
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today, utcnow
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.models import Case, CasePupil, CaseTalk, Consequence, Pupil, User
from steungroep.planning.use_cases import calendar_for
from steungroep.web.writes import use_case


@dataclass
class TalkInput:
    party: str
    pupil_id: int | None
    party_name: str
    held_on: date | None
    summary: str
    agreements: str
    follow_up_on: date | None = None
    follows_id: int | None = None  # the earlier talk whose follow-up this is
    submission_key: str | None = None  # one per rendered form (a double tap stores once)


def case_pupils(case: Case) -> list[Pupil]:
    """The pupils a talk on this case can be with (or with whose parents): the pupil it is
    about, the pupils involved and the group's members, each once."""
    found: dict[int, Pupil] = {}
    if case.pupil:
        found[case.pupil.id] = case.pupil
    for involved in case.involved:
        found.setdefault(involved.pupil_id, involved.pupil)
    if case.group:
        for member in case.group.members:
            if member.pupil:
                found.setdefault(member.pupil.id, member.pupil)
    return list(found.values())


def _talk(case: Case, user: User, data: TalkInput, kind: str,
          follow_up_on: date | None) -> CaseTalk:
    party = data.party
    if kind == "herstelgesprek":  # with the other pupil, who may not be recorded yet
        pupil = db.session.get(Pupil, data.pupil_id) if data.pupil_id else None
        if pupil is not None and (not may_join(pupil, case) or pupil.id == case.pupil_id):
            pupil = None
    else:
        pupil = {p.id: p for p in case_pupils(case)}.get(data.pupil_id)
    if party not in domain.plan.PUPIL_PARTIES:
        pupil = None
    values = domain.plan.check_talk(party, pupil is not None, data.party_name, data.held_on,
                                    data.summary, data.agreements, follow_up_on,
                                    school_today(), case.school.function_names)
    talk = CaseTalk(case=case, kind=kind, pupil=pupil, user=user, **values)
    db.session.add(talk)
    return talk


def _with(talk: CaseTalk) -> str:
    return domain.plan.talk_with(talk.party, talk.pupil.first_name if talk.pupil else None,
                                 talk.party_name)


@use_case
def record_talk(case: Case, user: User, data: TalkInput) -> CaseTalk:
    """A talk or contact, with an optional follow-up date (reminded like an evaluation)."""
    ensure_record(case)
    if data.submission_key:
        stored = next((t for t in case.talks if t.submission_key == data.submission_key), None)
        if stored is not None:
            return stored
    earlier = None
    if data.follows_id is not None:
        earlier = next((t for t in case.talks if t.id == data.follows_id), None)
        if earlier is None or not earlier.follow_up_open:
            raise DomainError(N_("Dat vervolg is al vastgelegd."))
    talk = _talk(case, user, data, "gesprek", data.follow_up_on)
    talk.submission_key = data.submission_key or None
    db.session.flush()
    if earlier is not None:
        earlier.followed_by_id = talk.id
    then = f" Vervolg op {talk.follow_up_on:%d-%m-%Y}." if talk.follow_up_on else ""
    note(case, user, "contact", f"Gesprek met {_with(talk)} ({talk.held_on:%d-%m-%Y})."
         + then)
    return talk


@use_case
def record_restore_talk(case: Case, user: User, data: TalkInput) -> CaseTalk:
    """The one-off path: the restoring talk between the pupils; the check follows after ten
    school days, planned and reminded like an evaluation."""
    ensure_open(case)
    if case.triage != "eenmalig":
        raise DomainError(N_("Een herstelgesprek hoort bij een eenmalig incident."))
    if restore_talk(case) is not None:
        raise DomainError(N_("Het herstelgesprek is al vastgelegd."))
    data.party = "leerling"
    talk = _talk(case, user, data, "herstelgesprek", None)
    talk.follow_up_on = domain.add_school_days(
        talk.held_on, domain.plan.ONE_OFF_CHECK_SCHOOL_DAYS, calendar_for(case.school))
    if talk.pupil is not None and talk.pupil.id != case.pupil_id and not any(
            i.pupil_id == talk.pupil.id for i in case.involved):
        case.involved.append(CasePupil(pupil=talk.pupil, involvement="pestte",
                                       added_on=school_today()))
    note(case, user, "herstelgesprek", f"Herstelgesprek gehouden ({talk.held_on:%d-%m-%Y}). "
         f"Controle op {talk.follow_up_on:%d-%m-%Y}.")
    return talk


@use_case
def record_check(case: Case, user: User, result: str, held_on: date | None,
                 text: str) -> CaseTalk:
    """The check after two weeks: it stopped (the case closes), or it did not (the case goes
    on with the steungroepaanpak)."""
    ensure_open(case)
    restore = restore_talk(case)
    if case.triage != "eenmalig" or restore is None:
        raise DomainError(N_("Eerst het herstelgesprek, dan de controle."))
    result, held_on, text = domain.plan.check_one_off_result(
        result, held_on, text, restore.held_on, school_today(), restore.follow_up_on)
    check = CaseTalk(case=case, kind="controle", party="leerling", pupil=case.pupil,
                     held_on=held_on, summary=text, user=user)
    db.session.add(check)
    db.session.flush()
    restore.followed_by_id = check.id
    if result == "gestopt":
        case.closed_at = utcnow()
        case.outcome = "anders_afgehandeld"
        case.outcome_note = f"Eenmalig incident, gestopt na het herstelgesprek. {text}"
        note(case, user, "gesloten", "Controle na twee weken: het is gestopt. Afgesloten.")
    else:
        before = domain.TRIAGE[case.triage]
        case.triage = "herhaald"
        case.triage_note = f"Eenmalig incident; bij de controle niet gestopt. {text}"
        note(case, user, "triage", f"Triage gewijzigd van ‘{before}’ naar "
             f"‘{domain.TRIAGE['herhaald']}’: bij de controle na twee weken was het niet "
             f"gestopt. {text}")
    return check


@use_case
def add_involved(case: Case, user: User, pupil_id: int | None, involvement: str
                 ) -> CasePupil:
    """A pupil involved besides the one the case is about (how: private, staff only)."""
    ensure_record(case)
    pupil = db.session.get(Pupil, pupil_id) if pupil_id else None
    ok = may_join(pupil, case)
    same = next((i for i in case.involved if ok and i.pupil_id == pupil.id
                 and i.involvement == involvement), None)
    if same is not None:  # a double tap: already recorded just so
        return same
    domain.plan.check_involved(
        ok, ok and pupil.id == case.pupil_id,
        ok and any(i.pupil_id == pupil.id for i in case.involved), involvement)
    involved = CasePupil(pupil=pupil, involvement=involvement, added_on=school_today())
    case.involved.append(involved)
    note(case, user, "betrokken", f"Betrokken leerling vastgelegd: {pupil.first_name}.")
    return involved


@use_case
def remove_involved(case: Case, user: User, involved_id: int | None) -> None:
    ensure_record(case)
    involved = next((i for i in case.involved if i.id == involved_id), None)
    if involved is None:
        raise DomainError(N_("Die leerling staat niet (meer) bij deze aanpak."))
    name = involved.pupil.first_name
    theirs = [c for c in case.consequences if c.pupil_id == involved.pupil_id]
    for consequence in theirs:  # recorded for a pupil who was not involved after all
        case.consequences.remove(consequence)
        db.session.delete(consequence)
    case.involved.remove(involved)
    db.session.delete(involved)
    gone = " De maatregelen voor deze leerling zijn weggehaald." if theirs else ""
    note(case, user, "betrokken", f"{name} staat niet meer bij de betrokken leerlingen.{gone}")


@use_case
def record_consequence(case: Case, user: User, involved_id: int | None, kind: str,
                       days: int | None, decided_on: date | None, text: str) -> Consequence:
    """A consequence for a pupil who bullied or joined in (staff only, like a role); a
    record, so it may be added after closing too, not once the case is anonymised."""
    ensure_record(case)
    involved = next((i for i in case.involved if i.id == involved_id), None)
    kind, days, decided_on, text = domain.consequences.check_consequence(
        kind, days, decided_on, text, school_today(),
        involved.involvement if involved else None, case.escalated_at is not None)
    same = next((c for c in case.consequences if c.pupil_id == involved.pupil_id
                 and (c.kind, c.days, c.decided_on, c.note) == (kind, days, decided_on, text)),
                None)
    if same is not None:  # a double tap: already recorded just so
        return same
    consequence = Consequence(pupil=involved.pupil, kind=kind, days=days,
                              decided_on=decided_on, note=text, user=user)
    case.consequences.append(consequence)
    label = domain.consequences.consequence_label(kind, days, translated=False)
    note(case, user, "maatregel", f"Maatregel voor {involved.pupil.first_name}: {label} "
         f"({decided_on:%d-%m-%Y}).")
    return consequence


@use_case
def remove_consequence(case: Case, user: User, consequence_id: int | None) -> None:
    """A consequence recorded by mistake."""
    ensure_record(case)
    consequence = next((c for c in case.consequences if c.id == consequence_id), None)
    if consequence is None:
        raise DomainError(N_("Die maatregel staat niet (meer) bij deze aanpak."))
    label = domain.consequences.consequence_label(consequence.kind, consequence.days,
                                                  translated=False)
    name = consequence.pupil.first_name if consequence.pupil else "een leerling"
    case.consequences.remove(consequence)
    db.session.delete(consequence)
    note(case, user, "maatregel", f"Maatregel voor {name} weggehaald: {label}.")
