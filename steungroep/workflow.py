"""The teacher's workflow: applies the domain rules to the records and writes the timeline.

Every function here checks with steungroep.domain first and changes nothing when a rule
says no (it raises DomainError). The caller commits; on DomainError the caller rolls back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from . import domain
from .domain import DomainError
from .extensions import db
from .models import (
    EVAL_GROUP,
    EVAL_PUPIL,
    ROLE_ADMIN,
    Action,
    Case,
    CaseForm,
    Cycle,
    DayOff,
    Evaluation,
    GroupMember,
    Informed,
    MemberResult,
    Pupil,
    PupilTalk,
    RetiredCardToken,
    School,
    SupportGroup,
    TimelineEntry,
    User,
    new_card_token,
)
from .timeutil import school_today, utcnow


def calendar_for(school: School) -> domain.RegionCalendar:
    """The school's calendar: weekends, public holidays, its region's school holidays and its
    own days off (studiedagen)."""
    days_off = db.session.execute(
        select(DayOff.day, DayOff.description).where(DayOff.school_id == school.id)
    ).all()
    return domain.RegionCalendar(school.region, {day: text for day, text in days_off})


def case_load_options():
    """Loader options that fetch a case with everything its pages need, in fixed queries."""
    cycles = selectinload(Case.group).selectinload(SupportGroup.cycles)
    members = selectinload(Case.group).selectinload(SupportGroup.members)
    return (
        selectinload(Case.pupil).selectinload(Pupil.school_class),
        selectinload(Case.teacher),
        selectinload(Case.talk),
        selectinload(Case.forms),
        members.selectinload(GroupMember.pupil).selectinload(Pupil.school_class),
        cycles.selectinload(Cycle.actions),
        cycles.selectinload(Cycle.evaluations).selectinload(Evaluation.results),
    )


def note(case: Case, user: User | None, kind: str, text: str) -> None:
    """Append one entry to the case's timeline."""
    db.session.add(TimelineEntry(case=case, user=user, kind=kind, text=text, at=utcnow()))


# ---- where a case stands -------------------------------------------------------------


def snapshot(case: Case) -> domain.CaseSnapshot:
    """The plain values the domain needs to say what comes next."""
    group = case.group
    cycle = group.current_cycle if group else None
    pupil_eval = cycle.evaluation(EVAL_PUPIL) if cycle else None
    group_eval = cycle.evaluation(EVAL_GROUP) if cycle else None
    return domain.CaseSnapshot(
        triage=case.triage,
        closed=case.is_closed,
        outcome=case.outcome,
        talk_held=case.talk is not None,
        consent=case.talk.consent if case.talk else None,
        group_confirmed=bool(group and group.confirmed_at),
        member_count=len(current_members(group)) if group else 0,
        cycle_number=cycle.number if cycle else 0,
        meeting_completed=bool(cycle and cycle.meeting_completed_at),
        actions_count=len(cycle.actions) if cycle else 0,
        pupil_evaluation_held=bool(pupil_eval and pupil_eval.held_on),
        group_evaluation_held=bool(group_eval and group_eval.held_on),
        decision_made=bool(cycle and cycle.decision),
        pupil_evaluation_due=pupil_eval.due_on if pupil_eval else None,
        group_evaluation_due=group_eval.due_on if group_eval else None,
    )


def next_step(case: Case) -> domain.Step:
    return domain.next_step(snapshot(case))


def last_held_cycle(group: SupportGroup | None) -> Cycle | None:
    """The latest round whose meeting was held: the round the cards are about."""
    if group is None:
        return None
    return next((c for c in reversed(group.cycles) if c.meeting_completed_at), None)


def card_action(member: GroupMember) -> tuple[Action | None, Cycle | None]:
    """What a member's card shows: this round's idea, else the last one they had."""
    for cycle in reversed(member.group.cycles):
        action = next((a for a in cycle.actions if a.member_id == member.id), None)
        if action is not None:
            return action, cycle
    return None, None


def current_members(group: SupportGroup | None) -> list[GroupMember]:
    """The members taking part in the group's current round."""
    if group is None:
        return []
    number = group.current_cycle.number if group.cycles else 1
    return [m for m in group.members if m.in_cycle(number)]


def candidates(members: Iterable[GroupMember]) -> list[domain.Candidate]:
    return [
        domain.Candidate(
            pupil_id=m.pupil_id, school_id=m.pupil.school_id, role=m.role, name=m.pupil.first_name
        )
        for m in members
    ]


def had_group_before(case: Case) -> bool:
    """Has the pupil concerned had a steungroep in an earlier case?"""
    earlier = db.session.scalar(
        select(SupportGroup.id)
        .join(Case)
        .where(
            Case.pupil_id == case.pupil_id,
            Case.id != case.id,
            SupportGroup.confirmed_at.is_not(None),
        )
        .limit(1)
    )
    return earlier is not None


def ensure_open(case: Case) -> None:
    domain.check_open(case.is_closed)


# ---- step 1 and 2: melding and triage -------------------------------------------------


@dataclass
class MeldingInput:
    pupil_id: int | None
    reported_on: date | None
    source: str
    forms: list[str]
    description: str
    triage: str
    triage_note: str
    submission_key: str | None = None


def create_case(user: User, data: MeldingInput) -> Case:
    """Record a melding and its triage; the two paths without a group close it at once."""
    if data.submission_key:
        existing = db.session.scalar(
            select(Case).where(Case.submission_key == data.submission_key)
        )
        if existing is not None:
            return existing
    pupil = db.session.get(Pupil, data.pupil_id) if data.pupil_id else None
    if pupil is None or pupil.school_id not in user.school_ids:
        raise DomainError("Kies de leerling om wie het gaat.", field="pupil_id")
    if data.reported_on is None:
        raise DomainError("Vul de datum van de melding in.", field="reported_on")
    if data.reported_on > school_today():
        raise DomainError("De datum van de melding ligt in de toekomst.", field="reported_on")
    source = domain.check_choice(data.source, domain.SOURCES, "Bron", field="source")
    forms = sorted(set(data.forms))
    if not forms:
        raise DomainError("Kies minstens één vorm.", field="forms")
    for form in forms:
        domain.check_choice(form, domain.FORMS, "Vorm", field="forms")
    description = domain.clean_text(
        data.description, "Korte beschrijving", max_length=domain.LONG_TEXT, field="description"
    )
    triage = domain.check_choice(data.triage, domain.TRIAGE, "Triage", field="triage")
    triage_note = domain.clean_text(
        data.triage_note,
        "Wat er in plaats van een steungroep gebeurt",
        max_length=domain.LONG_TEXT,
        required=triage != "herhaald",
        field="triage_note",
    )
    case = Case(
        school_id=pupil.school_id,
        pupil=pupil,
        teacher=user,
        reported_on=data.reported_on,
        source=source,
        description=description,
        triage=triage,
        triage_note=triage_note,
        submission_key=data.submission_key or None,
        forms=[CaseForm(form=f) for f in forms],
    )
    db.session.add(case)
    note(case, user, "melding", f"Melding geregistreerd ({domain.SOURCES[source].lower()}).")
    note(case, user, "triage", f"Triage: {domain.TRIAGE[triage]}.")
    if triage != "herhaald":
        case.closed_at = utcnow()
        case.outcome = "anders_afgehandeld"
        case.outcome_note = triage_note
        note(case, user, "gesloten", f"Afgesloten zonder steungroep: {triage_note}")
    return case


# ---- step 3: the talk with the pupil --------------------------------------------------


@dataclass
class TalkInput:
    held_on: date | None
    consent: bool | None
    letter: str
    confidential: str
    pupil_task: str
    follow_up_on: date | None
    notes: str


def record_talk(case: Case, user: User, data: TalkInput) -> PupilTalk:
    """Record the talk with the pupil; without consent the case closes (no group)."""
    ensure_open(case)
    if case.talk is not None:
        raise DomainError("Het gesprek met de leerling is al vastgelegd.")
    if data.held_on is None:
        raise DomainError("Vul de datum van het gesprek in.", field="held_on")
    if data.held_on > school_today():
        raise DomainError("De datum van het gesprek ligt in de toekomst.", field="held_on")
    if data.held_on < case.reported_on:
        raise DomainError("Het gesprek kan niet vóór de melding zijn.", field="held_on")
    if data.consent is None:
        raise DomainError("Geef aan of de leerling hulp wil.", field="consent")
    talk = PupilTalk(
        case=case,
        held_on=data.held_on,
        consent=data.consent,
        letter=domain.clean_text(
            data.letter, "Brief", max_length=domain.LONG_TEXT, required=False, field="letter"
        ),
        confidential=domain.clean_text(
            data.confidential,
            "Wat vertrouwelijk blijft",
            max_length=domain.LONG_TEXT,
            required=False,
            field="confidential",
        ),
        pupil_task=domain.clean_text(
            data.pupil_task,
            "Opdrachtje",
            max_length=domain.SHORT_TEXT,
            required=data.consent,
            field="pupil_task",
        ),
        follow_up_on=data.follow_up_on,
        notes=domain.clean_text(
            data.notes, "Aantekeningen", max_length=domain.LONG_TEXT, required=False, field="notes"
        ),
    )
    if data.follow_up_on and data.follow_up_on < data.held_on:
        raise DomainError("De vervolgafspraak ligt vóór het gesprek.", field="follow_up_on")
    db.session.add(talk)
    if data.consent:
        note(case, user, "gesprek", "Gesprek met de leerling gehouden; de leerling wil hulp.")
        case.group = SupportGroup()
    else:
        case.closed_at = utcnow()
        case.outcome = "geen_toestemming"
        note(case, user, "gesprek", "Gesprek met de leerling gehouden; de leerling wil (nu) "
             "geen steungroep. Afgesloten.")
    return talk


# ---- step 4: forming the group --------------------------------------------------------


def group_editable(case: Case) -> None:
    """The group can change before the first meeting, and again at the start of a new round."""
    ensure_open(case)
    group = case.group
    if group is None:
        raise DomainError("Eerst het gesprek met de leerling, dan de groep.")
    cycle = group.current_cycle
    if cycle is not None and cycle.meeting_completed_at is not None:
        raise DomainError("De bijeenkomst van deze ronde is al afgerond; de groep ligt vast.")


def add_member(case: Case, user: User, pupil_id: int | None, role: str) -> GroupMember:
    group_editable(case)
    group = case.group
    pupil = db.session.get(Pupil, pupil_id) if pupil_id else None
    if pupil is None:
        raise DomainError("Kies een leerling uit de lijst.", field="pupil")
    new = domain.Candidate(
        pupil_id=pupil.id, school_id=pupil.school_id, role=role, name=pupil.first_name
    )
    domain.check_can_add_member(
        subject_id=case.pupil_id,
        school_id=case.school_id,
        members=candidates(current_members(group)),
        new=new,
    )
    number = group.current_cycle.number if group.cycles else 1
    member = next((m for m in group.members if m.pupil_id == pupil.id), None)
    if member is None:
        member = GroupMember(group=group, pupil=pupil, role=role, joined_cycle=number)
        db.session.add(member)
    else:
        # Membership is kept per round through joined/left; a pupil who left cannot come
        # back without rewriting the history of the rounds in between.
        raise DomainError(
            f"{pupil.first_name} deed eerder mee en is uit de groep gegaan. "
            "Kies een andere leerling.",
            field="pupil",
        )
    if group.confirmed_at:
        note(case, user, "groep", f"{pupil.first_name} toegevoegd aan de steungroep.")
    return member


def remove_member(case: Case, user: User, member: GroupMember) -> None:
    group_editable(case)
    group = case.group
    number = group.current_cycle.number if group.cycles else 1
    members = current_members(group)
    if member not in members:
        raise DomainError(f"{member.pupil.first_name} zit niet (meer) in de groep.")
    if group.confirmed_at and len(members) - 1 < domain.MIN_MEMBERS:
        raise DomainError(
            f"Een steungroep heeft minstens {domain.MIN_MEMBERS} leerlingen. "
            "Voeg eerst iemand toe en haal daarna iemand weg.",
            field="pupil",
        )
    if member.joined_cycle >= number:
        for action in list(db.session.scalars(select(Action).where(Action.member_id == member.id))):
            db.session.delete(action)
        group.members.remove(member)
        db.session.delete(member)
    else:
        member.left_cycle = number
    if group.confirmed_at:
        note(case, user, "groep", f"{member.pupil.first_name} doet niet meer mee aan de groep.")


def confirm_group(case: Case, user: User) -> list[str]:
    """Fix the group for the first round; returns the domain's warnings."""
    group_editable(case)
    group = case.group
    if group.confirmed_at:
        return []
    members = current_members(group)
    warnings = domain.check_group_complete(candidates(members))
    group.confirmed_at = utcnow()
    group.cycles.append(Cycle(number=1))
    note(case, user, "groep", f"Steungroep samengesteld met {len(members)} leerlingen.")
    return warnings


def replace_card(case: Case, user: User, member: GroupMember) -> GroupMember:
    """A lost card: a new link for this member; the old one stops working at once."""
    ensure_open(case)
    if case.group is None or member not in current_members(case.group):
        raise DomainError("Deze leerling zit niet (meer) in de groep.")
    db.session.add(RetiredCardToken(token=member.card_token, retired_at=utcnow()))
    member.card_token = new_card_token()
    note(case, user, "kaart", f"Nieuwe kaart gemaakt voor {member.pupil.first_name}.")
    return member


# ---- step 5: the meeting --------------------------------------------------------------


def _current_cycle(case: Case) -> Cycle:
    ensure_open(case)
    group = case.group
    if group is None or group.current_cycle is None:
        raise DomainError("Stel eerst de steungroep samen.")
    return group.current_cycle


def save_action(
    case: Case, user: User, member: GroupMember, text: str, action_id: int | None
) -> Action:
    """Save the one action of a member in the current round, as soon as it is typed."""
    cycle = _current_cycle(case)
    existing = next((a for a in cycle.actions if a.member_id == member.id), None)
    if cycle.meeting_completed_at and existing and existing.text == (text or "").strip():
        return existing  # an autosave arriving after Afronden already stored this text
    domain.check_meeting_open(cycle.meeting_completed_at is not None)
    if not member.in_cycle(cycle.number):
        raise DomainError(f"{member.pupil.first_name} doet in deze ronde niet mee.")
    text = domain.clean_text(text, "De actie", max_length=domain.SHORT_TEXT, field="text")
    domain.check_card_text(text, member.pupil.first_name)
    if existing is None:
        action = Action(cycle=cycle, member=member, text=text, updated_at=utcnow())
        db.session.add(action)
        return action
    if action_id != existing.id:
        domain.check_new_action(member.id, [existing.member_id], member.pupil.first_name)
    existing.text = text
    existing.updated_at = utcnow()
    return existing


def previous_action_text(case: Case, member: GroupMember) -> str:
    """The member's action in the round before the current one ('' when none)."""
    cycle = case.group.current_cycle
    previous = next((c for c in case.group.cycles if c.number == cycle.number - 1), None)
    actions = previous.actions if previous else []
    action = next((a for a in actions if a.member_id == member.id), None)
    return action.text if action else ""


def complete_meeting(
    case: Case, user: User, minutes: int | None = None, typed: dict[int, str] | None = None
) -> Cycle:
    """Close the meeting and plan the 1-week and 2-week evaluations on school days.

    `typed` maps member ids to what their card holds on the screen: a last edit still racing
    its autosave (or typed without JavaScript) is stored first."""
    cycle = _current_cycle(case)
    domain.check_meeting_open(cycle.meeting_completed_at is not None)
    members = current_members(case.group)
    saved = {a.member_id: a for a in cycle.actions}
    for member in members:
        text = (typed or {}).get(member.id, "").strip()
        existing = saved.get(member.id)
        if text and (existing is None or existing.text != text):
            save_action(case, user, member, text, existing.id if existing else None)
    try:
        domain.check_group_complete(candidates(members))
    except DomainError:
        # Said on the meeting screen, in front of pupils: no role words here.
        raise DomainError(
            "De groep is nog niet compleet. Pas de groep aan op het groepsscherm "
            "(zonder de leerlingen erbij) en rond daarna af."
        ) from None
    domain.check_actions_complete(
        {m.id: m.pupil.first_name for m in members},
        {a.member.id: a.text for a in cycle.actions if a.member.in_cycle(cycle.number)},
    )
    today = school_today()
    pupil_due, group_due = domain.evaluation_dates(today, calendar_for(case.school))
    cycle.meeting_on = today
    cycle.meeting_completed_at = utcnow()
    cycle.meeting_minutes = minutes
    cycle.evaluations.append(Evaluation(kind=EVAL_PUPIL, due_on=pupil_due))
    cycle.evaluations.append(Evaluation(kind=EVAL_GROUP, due_on=group_due))
    note(
        case,
        user,
        "bijeenkomst",
        f"Bijeenkomst ronde {cycle.number} gehouden met {len(members)} leerlingen; "
        f"evaluaties gepland op {pupil_due:%d-%m-%Y} (leerling) en {group_due:%d-%m-%Y} (groep).",
    )
    return cycle


MEETING_AHEAD_DAYS = 92
DAY_OFF_AHEAD_DAYS = 730


def plan_meeting(case: Case, user: User, day: date | None, at: time | None) -> Cycle:
    """Put the coming group meeting in the diary (the time is optional)."""
    ensure_open(case)
    if case.group is None or case.group.confirmed_at is None:
        raise DomainError("Bevestig eerst de groep; daarna plan je de bijeenkomst.")
    cycle = _current_cycle(case)
    domain.check_meeting_open(cycle.meeting_completed_at is not None)
    if day is None:
        raise DomainError("Vul de datum van de bijeenkomst in.", "day")
    if day < school_today():
        raise DomainError("Die datum is al voorbij. Kies vandaag of een latere dag.", "day")
    if day > school_today() + timedelta(days=MEETING_AHEAD_DAYS):
        raise DomainError(
            "Plan de bijeenkomst binnen drie maanden: de groep helpt nu, niet later.", "day"
        )
    reason = calendar_for(case.school).closed_reason(day)
    if reason:
        raise DomainError(
            f"{domain.dutch_date(day).capitalize()} is geen schooldag ({reason}). "
            "Kies een andere dag."
        )
    cycle.meeting_planned_on = day
    cycle.meeting_planned_time = at
    when = f"{day:%d-%m-%Y}" + (f" om {at:%H:%M}" if at else "")
    note(case, user, "bijeenkomst", f"Bijeenkomst ronde {cycle.number} gepland op {when}.")
    return cycle


# ---- steps 6 and 7: evaluations ----------------------------------------------------------

EVALUATION_LABELS = {EVAL_PUPIL: "Evaluatie met de leerling", EVAL_GROUP: "Evaluatie met de groep"}


def move_evaluation(
    case: Case, user: User, evaluation: Evaluation, new_day: date | None, reason: str
) -> Evaluation:
    """Plan an evaluation on another school day, with a short reason in the timeline. The
    reminder follows the new date (it is keyed on the due date)."""
    ensure_open(case)
    if evaluation.held_on is not None:
        raise DomainError("Deze evaluatie is al gehouden; verplaatsen kan niet meer.")
    if evaluation.cycle.decision is not None:
        raise DomainError("Over deze ronde is al besloten; verplaatsen kan niet meer.")
    if new_day is None:
        raise DomainError("Vul de nieuwe datum in.")
    reason = domain.clean_text(reason, "De reden", max_length=domain.SHORT_TEXT, field="reason")
    if new_day == evaluation.due_on:
        raise DomainError("Dat is dezelfde datum. Kies een andere dag of laat het zo.")
    domain.check_new_due_date(
        new_day, school_today(), evaluation.cycle.meeting_on, calendar_for(case.school)
    )
    old = evaluation.due_on
    evaluation.due_on = new_day
    note(
        case,
        user,
        "verplaatst",
        f"{EVALUATION_LABELS[evaluation.kind]} (ronde {evaluation.cycle.number}) verplaatst "
        f"van {old:%d-%m-%Y} naar {new_day:%d-%m-%Y}: {reason}",
    )
    return evaluation



@dataclass
class PupilEvaluationInput:
    held_on: date | None
    wellbeing: int | None
    changed: str
    still_needed: str
    improved: str
    notes: str


def _check_held_on(held_on: date | None, cycle: Cycle) -> date:
    if held_on is None:
        raise DomainError("Vul de datum van het gesprek in.", field="held_on")
    if held_on > school_today():
        raise DomainError("De datum ligt in de toekomst.", field="held_on")
    if held_on < cycle.meeting_on:
        raise DomainError("Een evaluatie kan niet vóór de bijeenkomst zijn.", field="held_on")
    return held_on


def record_pupil_evaluation(case: Case, user: User, data: PupilEvaluationInput) -> Evaluation:
    cycle = _current_cycle(case)
    domain.check_evaluation_allowed(cycle.meeting_completed_at is not None)
    evaluation = cycle.evaluation(EVAL_PUPIL)
    if evaluation.held_on is not None:
        raise DomainError("Deze evaluatie is al vastgelegd.")
    held_on = _check_held_on(data.held_on, cycle)
    if data.wellbeing not in range(1, 6):
        raise DomainError("Kies hoe de leerling zich voelt (1 tot 5).", field="wellbeing")
    evaluation.changed = domain.clean_text(
        data.changed, "Wat er veranderd is", max_length=domain.LONG_TEXT, field="changed"
    )
    evaluation.still_needed = domain.clean_text(
        data.still_needed,
        "Wat nog nodig is",
        max_length=domain.LONG_TEXT,
        required=False,
        field="still_needed",
    )
    evaluation.improved = domain.check_choice(
        data.improved, domain.IMPROVED, "Gaat het beter", field="improved"
    )
    evaluation.notes = domain.clean_text(
        data.notes, "Aantekeningen", max_length=domain.LONG_TEXT, required=False, field="notes"
    )
    evaluation.wellbeing = data.wellbeing
    evaluation.held_on = held_on
    note(
        case,
        user,
        "evaluatie",
        f"Evaluatie met de leerling (ronde {cycle.number}): welbevinden {data.wellbeing}/5, "
        f"gaat het beter: {domain.IMPROVED[evaluation.improved].lower()}.",
    )
    return evaluation


@dataclass
class MemberResultInput:
    member_id: int
    position: int
    done: str
    observation: str


def record_group_evaluation(
    case: Case,
    user: User,
    held_on: date | None,
    results: list[MemberResultInput],
    notes: str,
) -> Evaluation:
    cycle = _current_cycle(case)
    pupil_eval = cycle.evaluation(EVAL_PUPIL)
    domain.check_group_evaluation_allowed(
        cycle.meeting_completed_at is not None, bool(pupil_eval and pupil_eval.held_on)
    )
    evaluation = cycle.evaluation(EVAL_GROUP)
    if evaluation.held_on is not None:
        raise DomainError("Deze evaluatie is al vastgelegd.")
    held_on = _check_held_on(held_on, cycle)
    members = {m.id: m for m in current_members(case.group)}
    given = {r.member_id: r for r in results}
    missing = [m.pupil.first_name for mid, m in members.items() if not given.get(mid)]
    if missing or set(given) - set(members):
        raise DomainError(
            f"Vul voor iedereen in of de actie gedaan is; nog open: {domain.join_names(missing)}.",
            field="results",
        )
    evaluation.results = [
        MemberResult(
            member=members[r.member_id],
            position=r.position,
            done=domain.check_choice(r.done, domain.DONE, "Actie gedaan", field="results"),
            observation=domain.clean_text(
                r.observation,
                "Opmerking",
                max_length=domain.SHORT_TEXT,
                required=False,
                field="results",
            ),
        )
        for r in sorted(results, key=lambda r: (r.position, r.member_id))
    ]
    evaluation.notes = domain.clean_text(
        notes, "Aantekeningen", max_length=domain.LONG_TEXT, required=False, field="notes"
    )
    evaluation.held_on = held_on
    done = sum(1 for r in results if r.done == "ja")
    note(
        case,
        user,
        "evaluatie",
        f"Evaluatie met de groep (ronde {cycle.number}): {done} van {len(results)} "
        "acties gedaan.",
    )
    return evaluation


# ---- step 8: decide ---------------------------------------------------------------------

DECISIONS = {
    "afsluiten": "Afsluiten: het gaat beter",
    "nieuwe_ronde": "Nieuwe ronde: nog een bijeenkomst met de groep",
    "escaleren": "Doorverwijzen naar het stappenplan van de school",
}


def decide(case: Case, user: User, decision: str, reason: str) -> Cycle | None:
    """Close, start the next round (at most 5), or escalate (which closes the group)."""
    cycle = _current_cycle(case)
    decision = domain.check_choice(decision, DECISIONS, "Besluit", field="decision")
    pupil_eval = cycle.evaluation(EVAL_PUPIL)
    if pupil_eval is None or pupil_eval.held_on is None:
        raise DomainError("Eerst de evaluatie met de leerling, dan het besluit.")
    group_eval = cycle.evaluation(EVAL_GROUP)
    if group_eval is None or group_eval.held_on is None:
        raise DomainError("Eerst de evaluatie met de groep, dan het besluit.")
    if cycle.decision:
        raise DomainError("Voor deze ronde is al een besluit genomen.")
    reason = domain.clean_text(
        reason,
        "De reden",
        max_length=domain.LONG_TEXT,
        required=decision == "escaleren",
        field="reason",
    )
    if decision == "nieuwe_ronde":
        number = domain.check_next_cycle(cycle.number)
        cycle.decision, cycle.decision_note = decision, reason
        new_cycle = Cycle(number=number)
        case.group.cycles.append(new_cycle)
        note(case, user, "besluit", f"Besluit: nieuwe ronde ({number} van {domain.MAX_CYCLES}).")
        return new_cycle
    cycle.decision, cycle.decision_note = decision, reason
    case.closed_at = utcnow()
    if decision == "afsluiten":
        case.outcome, case.outcome_note = "opgelost", reason
        note(case, user, "gesloten", f"Afgesloten na ronde {cycle.number}: het gaat beter.")
    else:
        case.outcome, case.outcome_note = "geescaleerd", reason
        note(case, user, "gesloten", f"Doorverwezen naar het stappenplan: {reason}")
    return None


# ---- who was informed --------------------------------------------------------------------


def record_informed(case: Case, user: User, party: str, informed_on: date | None, text: str):
    ensure_open(case)
    party = domain.check_choice(party, domain.INFORMED_PARTIES, "Wie", field="party")
    if informed_on is None:
        raise DomainError("Vul de datum in.", field="informed_on")
    if informed_on > school_today():
        raise DomainError("De datum ligt in de toekomst.", field="informed_on")
    text = domain.clean_text(
        text, "Opmerking", max_length=domain.SHORT_TEXT, required=False, field="note"
    )
    entry = Informed(case=case, party=party, informed_on=informed_on, note=text, user=user)
    db.session.add(entry)
    note(case, user, "geinformeerd", f"{domain.INFORMED_PARTIES[party]} geïnformeerd.")
    return entry


# ---- the school's calendar: region and studiedagen -----------------------------------------


def _waiting_evaluations(school: School) -> list[Evaluation]:
    """Evaluations of the school's open cases that are planned but not held yet."""
    return list(
        db.session.scalars(
            select(Evaluation)
            .join(Cycle, Cycle.id == Evaluation.cycle_id)
            .join(SupportGroup, SupportGroup.id == Cycle.group_id)
            .join(Case, Case.id == SupportGroup.case_id)
            .where(
                Case.school_id == school.id,
                Case.closed_at.is_(None),
                Cycle.decision.is_(None),
                Evaluation.held_on.is_(None),
                Evaluation.due_on >= school_today(),
            )
            .options(selectinload(Evaluation.cycle).selectinload(Cycle.group))
        )
    )


def replan_closed_days(school: School, user: User) -> list[Evaluation | Cycle]:
    """After the school's calendar changed: every waiting evaluation, and every planned
    meeting, that now falls on a day without school moves to the next school day (noted in
    its case's timeline)."""
    calendar = calendar_for(school)
    moved: list[Evaluation | Cycle] = []
    for evaluation in _waiting_evaluations(school):
        reason = calendar.closed_reason(evaluation.due_on)
        if not reason:
            continue
        old = evaluation.due_on
        evaluation.due_on = domain.next_school_day(old, calendar)
        case = db.session.get(Case, evaluation.cycle.group.case_id)
        note(
            case,
            user,
            "verplaatst",
            f"{EVALUATION_LABELS[evaluation.kind]} (ronde {evaluation.cycle.number}) verplaatst "
            f"van {old:%d-%m-%Y} naar {evaluation.due_on:%d-%m-%Y}: geen schooldag ({reason}).",
        )
        moved.append(evaluation)
    for cycle in _planned_meetings(school):
        reason = calendar.closed_reason(cycle.meeting_planned_on)
        if not reason:
            continue
        old = cycle.meeting_planned_on
        cycle.meeting_planned_on = domain.next_school_day(old, calendar)
        case = db.session.get(Case, cycle.group.case_id)
        note(
            case,
            user,
            "verplaatst",
            f"Bijeenkomst ronde {cycle.number} verplaatst van {old:%d-%m-%Y} naar "
            f"{cycle.meeting_planned_on:%d-%m-%Y}: geen schooldag ({reason}).",
        )
        moved.append(cycle)
    return moved


def _planned_meetings(school: School) -> list[Cycle]:
    return list(
        db.session.scalars(
            select(Cycle)
            .join(SupportGroup, SupportGroup.id == Cycle.group_id)
            .join(Case, Case.id == SupportGroup.case_id)
            .where(
                Case.school_id == school.id,
                Case.closed_at.is_(None),
                Cycle.meeting_completed_at.is_(None),
                Cycle.meeting_planned_on >= school_today(),
            )
            .options(selectinload(Cycle.group))
        )
    )


def set_region(school: School, user: User, region: str) -> list[Evaluation | Cycle]:
    region = domain.check_choice(region, domain.REGIONS, "De regio", "region")
    school.region = region
    db.session.flush()
    return replan_closed_days(school, user)


def add_day_off(
    school: School, user: User, day: date | None, description: str
) -> list[Evaluation | Cycle]:
    """Add a studiedag; planned evaluations on that day move to the next school day."""
    if day is None:
        raise DomainError("Vul de datum van de studiedag in.", "day")
    if day < school_today():
        raise DomainError("Die datum is al voorbij.", "day")
    if day > school_today() + timedelta(days=DAY_OFF_AHEAD_DAYS):
        raise DomainError("Voer studiedagen in tot twee jaar vooruit.", "day")
    description = domain.clean_text(
        description, "De omschrijving", max_length=100, required=False, field="description"
    )
    reason = calendar_for(school).closed_reason(day)
    if reason:
        raise DomainError(
            f"Op {domain.dutch_date(day)} is er al geen school ({reason}).", "day"
        )
    db.session.add(DayOff(school_id=school.id, day=day, description=description))
    db.session.flush()
    return replan_closed_days(school, user)


def remove_day_off(school: School, day_off: DayOff) -> None:
    """Remove a studiedag. Evaluations that were moved away from it stay where they are."""
    if day_off.school_id != school.id:
        raise DomainError("Deze studiedag hoort niet bij deze school.")
    db.session.delete(day_off)


# ---- coordinating ----------------------------------------------------------------------


def reassign(case: Case, user: User, teacher_id: int | None) -> User:
    """A coordinator hands an open case to another staff member of its school; the
    reminders go to the new person from now on."""
    if case.is_closed:
        raise DomainError("Een afgesloten aanpak krijgt geen andere verantwoordelijke.")
    teacher = db.session.get(User, teacher_id) if teacher_id else None
    if (teacher is None or not teacher.active or teacher.role == ROLE_ADMIN
            or case.school_id not in teacher.school_ids):
        raise DomainError("Kies een leerkracht of coördinator van deze school.", "teacher_id")
    if teacher.id == case.teacher_id:
        raise DomainError(f"{teacher.name} is al verantwoordelijk.", "teacher_id")
    previous = case.teacher.name
    case.teacher = teacher
    note(case, user, "verantwoordelijke",
         f"Verantwoordelijk: {teacher.name} (was {previous}).")
    return teacher


def coordinator_note(case: Case, user: User, text: str | None) -> None:
    """A coordinator's note in the timeline of an open case."""
    if case.is_closed:
        raise DomainError("Een afgesloten aanpak verandert niet; gebruik een correctie.")
    text = domain.clean_text(text, "De notitie", max_length=domain.LONG_TEXT, field="text")
    note(case, user, "notitie", f"Notitie van de coördinator: {text}")
