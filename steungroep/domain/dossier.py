"""Notes for the school's pupil record system (ParnasSys, Esis, SOM, Magister), one per
pupil involved in a case, split the way the school protocol does (seed 002): the pupil
concerned and the pupils on the bullying side ('de pesters': aanvoerder, meeloper) under
Incidenten > pesten; the other members of the support group in the diary (dagboek).

Each note speaks of its own pupil only: other pupils are 'een klasgenoot' or 'de groep' (also
inside a member's own action text), so that a note filed in one child's record can be shown to
that child's parents as it is. Whether a member's role is named is the school's choice.
The notes stay Dutch (they go into Dutch record systems); only what the screen says about
each note (``Note.about``) is in the reader's language. Plain Python."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from steungroep.domain.calendar import dutch_day
from steungroep.domain.i18n import N_, translate
from steungroep.domain.vocabulary import RINGLEADER_SIDE

INCIDENT = "Incidenten > pesten"
DIARY = "Dagboek"


@dataclass(frozen=True)
class RoundFacts:
    number: int
    meeting_on: date | None
    pupil_evaluation_on: date | None = None
    wellbeing: int | None = None
    improved: str | None = None  # label, e.g. 'Een beetje'
    group_evaluation_on: date | None = None
    decision: str | None = None  # label


@dataclass(frozen=True)
class MemberFacts:
    name: str
    first_name: str
    external_id: str | None
    role: str  # code
    role_label: str
    rounds: tuple[int, ...]  # the rounds this member took part in
    actions: tuple[tuple[int, str], ...]  # (round, own action)
    done: tuple[tuple[int, str], ...] = ()  # (round, 'Gedaan' / 'Deels' / 'Niet gedaan')


@dataclass(frozen=True)
class CaseFacts:
    pupil: str
    external_id: str | None
    class_name: str
    reported_on: date
    source: str  # label
    talk_on: date | None
    consent: bool | None
    group_on: date | None
    rounds: tuple[RoundFacts, ...]
    closed_on: date | None
    outcome: str | None  # label
    informed: tuple[tuple[str, date], ...] = ()  # (party label, date)
    first_names: tuple[str, ...] = ()  # every pupil of the case: the one it is about, members
    with_roles: bool = False  # the school's choice: a member's role in their note
    restore_on: date | None = None  # the one-off path: the restoring talk
    check_on: date | None = None  # … and the check after two weeks, when held
    plan_on: date | None = None  # the stappenplan started
    plan_steps: tuple[int, int] = (0, 0)  # (done, all)
    triage: str = "herhaald"  # 'geen_pesten': not filed as bullying
    agreements: str = ""  # agreed at the restoring talk (seed 001 stap 2(2))
    # agreed at other talks with this pupil or their parents (seed 000 "de coach noteert de
    # gemaakte afspraken"; seed 004 §2.2 stap 5): (with whom, day, agreements)
    talk_agreements: tuple[tuple[str, date, str], ...] = ()
    outcome_note: str = ""  # why it was closed
    # every first name of the school's pupils: a note names no other child, also none
    # outside the case ('samen met Noor')
    school_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class InvolvedFacts:
    """A pupil involved besides the one the case is about (not in the group)."""

    name: str
    first_name: str
    external_id: str | None
    involvement: str  # code
    involvement_label: str
    # This pupil's own consequences, in Dutch ('schorsing (2 schooldagen) op 3-12-2026').
    consequences: tuple[str, ...] = ()
    talk_agreements: tuple[tuple[str, date, str], ...] = ()  # as CaseFacts


@dataclass(frozen=True)
class Note:
    pupil: str
    external_id: str | None
    category: str
    on: date
    text: str
    about: str  # 'leerling om wie het gaat', 'aanvoerder', … (in the reader's language)


def _rounds_text(rounds: tuple[RoundFacts, ...]) -> str:
    held = [r for r in rounds if r.meeting_on]
    if not held:
        return "De bijeenkomst met de groep is nog niet gehouden."
    if len(held) == 1:
        return f"Bijeenkomst met de groep op {dutch_day(held[0].meeting_on)}."
    days = ", ".join(dutch_day(r.meeting_on) for r in held)
    return f"{len(held)} rondes; bijeenkomsten op {days}."


CLASSMATE = "een klasgenoot"


def mask_names(text: str, names: tuple[str, ...], own: str) -> str:
    """``text`` with every name in ``names`` (a first name, with a surname initial after it
    when there is one) replaced by 'een klasgenoot'; the pupil's own name stays."""
    for name in sorted({n for n in names if n and n.casefold() != own.casefold()},
                       key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?:\s+[A-ZÀ-Þ]\.)?(?!\w)",
                             re.IGNORECASE)
        text = pattern.sub(CLASSMATE, text)
    return text


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in (".", "!", "?") else text + "."


def _ending(case: CaseFacts) -> str:
    if case.closed_on is None:
        return "De aanpak loopt nog."
    if not case.outcome:
        return f"Afgesloten op {dutch_day(case.closed_on)}."
    outcome = case.outcome.removeprefix("Afgesloten: ")
    return f"Afgesloten op {dutch_day(case.closed_on)}: {outcome[:1].lower()}{outcome[1:]}."


def _others_masked(case: CaseFacts, text: str, own: str) -> str:
    return mask_names(text, case.first_names + case.school_names, own)


def subject_note(case: CaseFacts, today: date) -> Note:
    """The pupil the case is about: under Incidenten > pesten, or, when the melding was
    judged no bullying, in the diary without that word."""
    no_bullying = case.triage == "geen_pesten"
    what = "Melding" if no_bullying else "Melding van pesten"
    parts = [f"{what} op {dutch_day(case.reported_on)} (gemeld door: {case.source.lower()})."]
    if no_bullying:
        parts.append("Beoordeling: geen pesten; anders afgehandeld.")
    own = case.pupil.split(" ")[0]
    if case.talk_on:
        talk = f"Gesprek met {case.pupil} op {dutch_day(case.talk_on)}"
        if case.consent is not None:
            wish = "wilde een steungroep" if case.consent else "wilde (nu) geen steungroep"
            talk += f"; {case.pupil} {wish}"
        parts.append(talk + ".")
    if case.group_on:
        parts.append(f"Steungroepaanpak (No Blame) gestart op {dutch_day(case.group_on)}.")
        parts.append(_rounds_text(case.rounds))
        for r in case.rounds:
            if r.pupil_evaluation_on:
                score = f", welbevinden {r.wellbeing} van 5" if r.wellbeing else ""
                better = f", gaat het beter: {r.improved.lower()}" if r.improved else ""
                parts.append(f"Evaluatie met {case.pupil} (ronde {r.number}) op "
                             f"{dutch_day(r.pupil_evaluation_on)}{score}{better}.")
    parts += _around(case)
    if case.agreements.strip():
        parts.append(f"Afspraken: {_sentence(_others_masked(case, case.agreements, own))}")
    parts += _agreed(case, case.talk_agreements, own)
    if case.informed:
        informed = ", ".join(f"{party.lower()} ({dutch_day(day)})" for party, day in case.informed)
        parts.append(f"Geïnformeerd: {informed}.")
    parts.append(_ending(case))
    if case.closed_on and case.outcome_note.strip():
        reason = _sentence(_others_masked(case, case.outcome_note, own))
        parts.append(f"Reden: {reason}")
    return Note(case.pupil, case.external_id, DIARY if no_bullying else INCIDENT,
                case.closed_on or today, " ".join(parts),
                translate(N_("leerling om wie het gaat")))


def _around(case: CaseFacts) -> list[str]:
    """The one-off path and the stappenplan, in the words of a pupil record."""
    parts = []
    if case.restore_on:
        parts.append(f"Eenmalig incident: herstelgesprek op {dutch_day(case.restore_on)}"
                     + (f", controle op {dutch_day(case.check_on)}." if case.check_on else "."))
    if case.plan_on:
        done, total = case.plan_steps
        parts.append(f"Verder met het stappenplan van de school vanaf {dutch_day(case.plan_on)}; "
                     f"{done} van {total} stappen gezet.")
    return parts


def involved_note(case: CaseFacts, pupil: InvolvedFacts, today: date) -> Note:
    """Seed 001 §6.1 stap 2(2): a note in the record of both pupils."""
    bullying_side = pupil.involvement in ("pestte", "deed_mee") and (
        case.triage != "geen_pesten")
    what = "een melding" if case.triage == "geen_pesten" else "een melding van pesten"
    parts = [f"{pupil.name} was betrokken bij {what} van "
             f"{dutch_day(case.reported_on)} over een klasgenoot uit {case.class_name}."]
    if case.with_roles and case.triage != "geen_pesten":
        parts.append(f"Betrokkenheid: {pupil.involvement_label.lower()}.")
    parts += _around(case)
    parts += _agreed(case, pupil.talk_agreements, pupil.first_name)
    parts += _measures(pupil.consequences)
    parts.append(_ending(case))
    return Note(pupil.name, pupil.external_id, INCIDENT if bullying_side else DIARY,
                case.closed_on or today, " ".join(parts),
                translate(pupil.involvement_label).lower())


def _agreed(case: CaseFacts, agreed: tuple[tuple[str, date, str], ...], own: str
            ) -> list[str]:
    """What was agreed at the talks with this pupil or their parents, other children
    masked."""
    return [f"Afspraken ({who}, {dutch_day(day)}): {_sentence(_others_masked(case, text, own))}"
            for who, day, text in agreed if text.strip()]


def _measures(consequences: tuple[str, ...]) -> list[str]:
    """A pupil's own consequences on the stappenplan (seed 000: noted in the record)."""
    return ["Maatregelen: " + "; ".join(consequences) + "."] if consequences else []


def member_note(case: CaseFacts, member: MemberFacts, today: date,
                consequences: tuple[str, ...] = ()) -> Note:
    bullying_side = member.role in RINGLEADER_SIDE or bool(consequences)
    rounds = ", ".join(str(n) for n in member.rounds)
    parts = [
        f"{member.name} nam deel aan een steungroep (No Blame) voor een klasgenoot uit "
        f"{case.class_name}" + (f", gestart op {dutch_day(case.group_on)}" if case.group_on else "")
        + f"; {'ronde' if len(member.rounds) == 1 else 'rondes'} {rounds}.",
    ]
    if bullying_side and case.with_roles:
        parts.append(f"Rol in de groep: {member.role_label.lower()}.")
    for number, action in member.actions:
        if action.strip():
            own = _others_masked(case, action, member.first_name)
            parts.append(f"Eigen actie (ronde {number}): ‘{_sentence(own)}’")
    for number, done in member.done:
        parts.append(f"Bij de evaluatie met de groep (ronde {number}): {done.lower()}.")
    parts += _around(case) if consequences else []
    parts += _measures(consequences)
    parts.append(_ending(case))
    category = INCIDENT if bullying_side else DIARY
    return Note(member.name, member.external_id, category, case.closed_on or today,
                " ".join(parts), translate(member.role_label).lower())


def notes(case: CaseFacts, members: list[MemberFacts], today: date,
          involved: list[InvolvedFacts] = ()) -> list[Note]:
    """The pupil concerned first, then the bullying side, then the other members, then the
    pupils involved who were not in the group."""
    ordered = sorted(members, key=lambda m: (m.role not in RINGLEADER_SIDE, m.name))
    in_group = {m.name for m in members}
    measures = {p.name: p.consequences for p in involved}
    return ([subject_note(case, today)]
            + [member_note(case, m, today, measures.get(m.name, ())) for m in ordered]
            + [involved_note(case, p, today) for p in involved if p.name not in in_group])
