"""Steps 6 to 8: the evaluation with the pupil, with the group, and the decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from steungroep import domain
from steungroep.cases.state import (
    current_cycle,
    current_members,
    note,
)
from steungroep.core.timeutil import school_today, utcnow
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_, translate
from steungroep.models import (
    EVAL_GROUP,
    EVAL_GROUP_AGAIN,
    EVAL_PUPIL,
    Case,
    Cycle,
    Evaluation,
    MemberResult,
    User,
)
from steungroep.planning.use_cases import calendar_for
from steungroep.stappenplan.use_cases import start_plan
from steungroep.web.writes import use_case


@dataclass
class PupilEvaluationInput:
    held_on: date | None
    wellbeing: int | None
    changed: str
    still_needed: str
    improved: str
    notes: str
    same_day: bool = False  # the teacher confirmed: held on the day of the meeting


def _check_held_on(held_on: date | None, cycle: Cycle, same_day: bool) -> date:
    if held_on is None:
        raise DomainError(N_("Vul de datum van het gesprek in."), field="held_on")
    if held_on > school_today():
        raise DomainError(N_("De datum ligt in de toekomst."), field="held_on")
    if held_on < cycle.meeting_on:
        raise DomainError(N_("Een evaluatie kan niet vóór de bijeenkomst zijn."),
                          field="held_on")
    domain.check_evaluation_day(held_on, cycle.meeting_on, same_day)
    return held_on


@use_case
def record_pupil_evaluation(case: Case, user: User, data: PupilEvaluationInput) -> Evaluation:
    cycle = current_cycle(case)
    domain.check_evaluation_allowed(cycle.meeting_completed_at is not None)
    evaluation = cycle.evaluation(EVAL_PUPIL)
    if evaluation.held_on is not None:
        raise DomainError(N_("Deze evaluatie is al vastgelegd."))
    held_on = _check_held_on(data.held_on, cycle, data.same_day)
    if data.wellbeing not in range(1, 6):
        raise DomainError(N_("Kies hoe de leerling zich voelt (1 tot 5)."), field="wellbeing")
    evaluation.changed = domain.clean_text(
        data.changed, N_("Wat er veranderd is"), max_length=domain.LONG_TEXT, field="changed"
    )
    evaluation.still_needed = domain.clean_text(
        data.still_needed,
        N_("Wat nog nodig is"),
        max_length=domain.LONG_TEXT,
        required=False,
        field="still_needed",
    )
    evaluation.improved = domain.check_choice(
        data.improved, domain.IMPROVED, N_("Gaat het beter"), field="improved"
    )
    evaluation.notes = domain.clean_text(
        data.notes, N_("Aantekeningen"), max_length=domain.LONG_TEXT, required=False, field="notes"
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


@use_case
def record_group_evaluation(
    case: Case,
    user: User,
    held_on: date | None,
    results: list[MemberResultInput],
    notes: str,
    same_day: bool = False,
) -> Evaluation:
    cycle = current_cycle(case)
    pupil_eval = cycle.evaluation(EVAL_PUPIL)
    domain.check_group_evaluation_allowed(
        cycle.meeting_completed_at is not None, bool(pupil_eval and pupil_eval.held_on)
    )
    evaluation = cycle.group_evaluation
    if evaluation is None or evaluation.held_on is not None:
        raise DomainError(N_("Deze evaluatie is al vastgelegd."))
    again = evaluation.kind == EVAL_GROUP_AGAIN
    if again:  # the last one, a week after the first: it is the first's day that counts
        first = cycle.evaluation(EVAL_GROUP)
        if held_on is None:
            raise DomainError(N_("Vul de datum van het gesprek in."), field="held_on")
        if held_on > school_today():
            raise DomainError(N_("De datum ligt in de toekomst."), field="held_on")
        domain.check_group_again_day(held_on, first.held_on, same_day)
    else:
        held_on = _check_held_on(held_on, cycle, same_day)
    members = {m.id: m for m in current_members(case.group)}
    given = {r.member_id: r for r in results}
    missing = [m.pupil.first_name for mid, m in members.items() if not given.get(mid)]
    if missing or set(given) - set(members):
        raise DomainError(
            N_("Vul voor iedereen in of de actie gedaan is; nog open: %(names)s."),
            field="results", names=domain.join_names(missing),
        )
    evaluation.results = [
        MemberResult(
            member=members[r.member_id],
            position=r.position,
            done=domain.check_choice(r.done, domain.DONE, N_("Actie gedaan"), field="results"),
            observation=domain.clean_text(
                r.observation,
                N_("Opmerking"),
                max_length=domain.SHORT_TEXT,
                required=False,
                field="results",
            ),
        )
        for r in sorted(results, key=lambda r: (r.position, r.member_id))
    ]
    evaluation.notes = domain.clean_text(
        notes, N_("Aantekeningen"), max_length=domain.LONG_TEXT, required=False, field="notes"
    )
    evaluation.held_on = held_on
    done = sum(1 for r in results if r.done == "ja")
    what = "Laatste evaluatie met de groep" if again else "Evaluatie met de groep"
    note(
        case,
        user,
        "evaluatie",
        f"{what} (ronde {cycle.number}): {done} van {len(results)} acties gedaan.",
    )
    return evaluation


DECISIONS = {
    "afsluiten": N_("Afsluiten: het gaat beter"),
    "nieuwe_ronde": N_("Nieuwe ronde: nog een bijeenkomst met de groep"),
    "escaleren": N_("Doorverwijzen naar het stappenplan van de school"),
}
# Not a round's decision but a step within it: one last group evaluation a week later,
# without a new meeting, where the school allows it (seed 002 stap 4). The round's decision
# follows that evaluation.
AGAIN = "nog_een_evaluatie"
AGAIN_LABEL = N_("Nog één evaluatie met de groep over een week, zonder nieuwe bijeenkomst")


def can_evaluate_again(case: Case, cycle: Cycle | None) -> bool:
    """Whether the decision form offers one last group evaluation a week later."""
    first = cycle.evaluation(EVAL_GROUP) if cycle is not None else None
    return cycle is not None and domain.may_evaluate_again(
        case.school.group_eval_again, bool(first and first.held_on),
        cycle.evaluation(EVAL_GROUP_AGAIN) is not None)


def _evaluate_again(case: Case, user: User, cycle: Cycle, first: Evaluation,
                    reason: str) -> Evaluation:
    domain.check_group_evaluation_again(case.school.group_eval_again,
                                        first.held_on is not None,
                                        cycle.evaluation(EVAL_GROUP_AGAIN) is not None)
    start = max(first.held_on, school_today())
    due = domain.add_school_days(start, domain.GROUP_AGAIN_DAYS, calendar_for(case.school))
    again = Evaluation(kind=EVAL_GROUP_AGAIN, due_on=due)
    cycle.evaluations.append(again)
    text = (f"Besluit: nog één evaluatie met de groep op {due:%d-%m-%Y} (ronde {cycle.number}),"
            " zonder nieuwe bijeenkomst.")
    note(case, user, "besluit", f"{text} {reason}" if reason else text)
    return again


@use_case
def decide(case: Case, user: User, decision: str, reason: str) -> Cycle | None:
    """Close, start the next round (at most 5), or go on with the school's stappenplan
    (the group ends, the case stays open for the plan)."""
    cycle = current_cycle(case)
    decision = domain.check_choice(decision, {**DECISIONS, AGAIN: AGAIN_LABEL}, N_("Besluit"),
                                   field="decision")
    pupil_eval = cycle.evaluation(EVAL_PUPIL)
    if pupil_eval is None or pupil_eval.held_on is None:
        raise DomainError(N_("Eerst de evaluatie met de leerling, dan het besluit."))
    group_eval = cycle.group_evaluation
    if group_eval is None or group_eval.held_on is None:
        raise DomainError(N_("Eerst de evaluatie met de groep, dan het besluit."))
    if cycle.decision:
        raise DomainError(N_("Voor deze ronde is al een besluit genomen."))
    reason = domain.clean_text(
        reason,
        N_("De reden"),
        max_length=domain.LONG_TEXT,
        required=decision == "escaleren",
        field="reason",
    )
    if decision == AGAIN:
        _evaluate_again(case, user, cycle, group_eval, reason)
        return None
    if decision == "nieuwe_ronde":
        number = domain.check_next_cycle(cycle.number)
        cycle.decision, cycle.decision_note = decision, reason
        new_cycle = Cycle(number=number)
        case.group.cycles.append(new_cycle)
        note(case, user, "besluit", f"Besluit: nieuwe ronde ({number} van {domain.MAX_CYCLES}).")
        return new_cycle
    if decision == "afsluiten":
        domain.check_close_as_better(case.pupil.first_name if case.pupil
                                     else translate(N_("De leerling")),
                                     pupil_eval.improved, pupil_eval.wellbeing, reason)
    if decision == "escaleren":  # the group ends; the case goes on with the plan
        start_plan(case, user, reason)
        cycle.decision, cycle.decision_note = decision, reason
        return None
    cycle.decision, cycle.decision_note = decision, reason
    case.closed_at = utcnow()
    case.outcome, case.outcome_note = "opgelost", reason
    note(case, user, "gesloten", f"Afgesloten na ronde {cycle.number}: het gaat beter.")
    return None
