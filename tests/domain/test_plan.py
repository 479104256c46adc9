"""Plain-Python rules of what surrounds the steungroep: the next step on the one-off path and
in the stappenplan, the school's list of steps, talks, the check and the pupils involved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from steungroep import domain
from steungroep.domain import plan

TODAY = date(2027, 3, 15)


def snap(**kw) -> domain.CaseSnapshot:
    base = dict(triage="herhaald", closed=False, outcome=None, talk_held=True, consent=True,
                group_confirmed=True, member_count=7, cycle_number=1, meeting_completed=True,
                actions_count=7, pupil_evaluation_held=True, group_evaluation_held=True,
                decision_made=True, pupil_evaluation_due=None, group_evaluation_due=None)
    return domain.CaseSnapshot(**{**base, **kw})


def test_the_one_off_path_goes_from_restoring_talk_to_the_check():
    first = domain.next_step(snap(triage="eenmalig", talk_held=False, consent=None))
    assert (first.code, first.label) == ("herstelgesprek", "Herstelgesprek vastleggen")
    check = domain.next_step(snap(triage="eenmalig", restore_held=True, check_due=TODAY))
    assert (check.code, check.due) == ("controle", TODAY)
    assert domain.next_step(snap(triage="geen_pesten")).code == "gesloten"


def test_after_an_escalation_the_next_step_is_the_plans_first_open_step():
    step = domain.next_step(snap(escalated=True, plan_next="Bespreking in de groep",
                                 plan_next_due=TODAY))
    assert (step.code, step.label, step.due) == (
        "stappenplan", "Stappenplan: Bespreking in de groep", TODAY)
    assert domain.next_step(snap(escalated=True)).code == "plan_afronden"
    assert domain.next_step(snap(escalated=True, closed=True)).code == "gesloten"


def test_the_default_plan_is_seed_001_steps_4_to_10():
    assert len(plan.DEFAULT_PLAN_STEPS) == 7
    assert plan.plan_steps(plan.default_plan_text()) == list(plan.DEFAULT_PLAN_STEPS)
    assert plan.DEFAULT_PLAN_STEPS[0].startswith("Plan van aanpak")
    assert plan.DEFAULT_PLAN_STEPS[-1].startswith("Afrondend gesprek")


@pytest.mark.parametrize("text, message", [
    ("", "Zet minstens één stap in het stappenplan."),
    ("\n  \n", "Zet minstens één stap in het stappenplan."),
    ("Gesprek\n\ngesprek", "De stap op regel 3 staat er al: ‘gesprek’."),
    ("\n".join(f"Stap {n}" for n in range(16)), "Een stappenplan heeft hoogstens 15 stappen."),
    ("Goed\n" + "x" * 121, "Stap op regel 2"),
])
def test_a_schools_plan_is_refused_with_the_line_that_is_wrong(text, message):
    with pytest.raises(domain.DomainError) as refused:
        plan.check_plan_text(text)
    assert message in refused.value.message
    assert refused.value.field == "plan_steps"


def test_a_schools_plan_is_stored_one_clean_step_per_line():
    assert plan.check_plan_text("  Eerste\r\n\r\nTweede  \n") == "Eerste\nTweede"


def test_a_step_is_done_with_a_date_who_and_an_optional_note():
    assert plan.check_step_done(TODAY, " Sanne ", "", TODAY) == (TODAY, "Sanne", "")
    with pytest.raises(domain.DomainError) as refused:
        plan.check_step_done(None, "", "", TODAY)
    assert {e.field for e in refused.value.all} == {"done_on", "done_by"}
    with pytest.raises(domain.DomainError, match="toekomst"):
        plan.check_step_done(TODAY + timedelta(days=1), "Sanne", "", TODAY)


def test_a_plans_endings_are_its_outcomes_in_short():
    assert list(domain.PLAN_ENDINGS) == list(domain.PLAN_OUTCOMES)
    for code, ending in domain.PLAN_ENDINGS.items():
        assert domain.PLAN_OUTCOMES[code] == f"Stappenplan afgerond: {ending}"


def test_closing_a_plan_says_how_it_ended_and_with_open_steps_why():
    assert plan.check_plan_close([], "", "plan_gestopt") == ("plan_gestopt", "")
    with pytest.raises(domain.DomainError, match="schrijf op waarom"):
        plan.check_plan_close(["Bespreking in de groep"], "  ", "plan_beter")
    assert plan.check_plan_close(["Bespreking"], "Leerling verhuisd.", "plan_verder") == (
        "plan_verder", "Leerling verhuisd.")
    for outcome in ("", "geescaleerd", "opgelost", "plan_\x00"):
        with pytest.raises(domain.DomainError) as refused:
            plan.check_plan_close(["Bespreking"], "", outcome)
        assert {e.field for e in refused.value.all} == {"plan_outcome", "close_reason"}


def talk(**kw):
    base = dict(party="ouders", pupil_ok=True, name="", held_on=TODAY, summary="Goed gesprek.",
                agreements="", follow_up_on=None, today=TODAY)
    return plan.check_talk(**{**base, **kw})


def test_a_talk_names_a_pupil_for_pupils_and_parents_and_a_name_for_others():
    assert talk()["party"] == "ouders"
    with pytest.raises(domain.DomainError) as refused:
        talk(pupil_ok=False)
    assert refused.value.field == "talk_pupil"
    with pytest.raises(domain.DomainError) as refused:
        talk(party="extern", pupil_ok=False)
    assert refused.value.field == "party_name"
    assert talk(party="smw", pupil_ok=False)["party_name"] == ""
    with pytest.raises(domain.DomainError) as refused:
        talk(party="buurman")
    assert refused.value.field == "party"


def test_a_follow_up_comes_after_today_and_within_four_months():
    assert talk(follow_up_on=TODAY + timedelta(days=14))["follow_up_on"] == TODAY + timedelta(
        days=14)
    for day, message in ((TODAY, "na vandaag"), (TODAY + timedelta(days=121), "vier maanden")):
        with pytest.raises(domain.DomainError, match=message):
            talk(follow_up_on=day)


def test_every_problem_of_a_talk_is_reported_at_once():
    with pytest.raises(domain.DomainError) as refused:
        talk(party="", held_on=None, summary="")
    assert {e.field for e in refused.value.all} == {"party", "held_on", "summary"}


def test_who_a_talk_was_with_in_words():
    assert plan.talk_with("ouders", "Daan", "") == "de ouders van Daan"
    assert plan.talk_with("leerling", "Daan", "") == "Daan"
    assert plan.talk_with("smw", None, "") == "SMW"
    assert plan.talk_with("extern", None, "Jeugdteam") == "Jeugdteam (buiten school)"


def test_the_check_comes_after_the_restoring_talk_and_chooses_one_of_two():
    restored, due = TODAY - timedelta(days=14), TODAY
    assert plan.check_one_off_result("gestopt", TODAY, "Rustig.", restored, TODAY,
                                     due)[0] == "gestopt"
    # 'it stopped' closes the case: not on the day of the restoring talk, nor before the
    # two weeks are over; 'it goes on' may be said at once
    for held_on, restore_on, due_on in ((TODAY, TODAY, None), (TODAY, TODAY, TODAY),
                                        (TODAY - timedelta(days=1), restored, TODAY)):
        with pytest.raises(domain.DomainError) as early:
            plan.check_one_off_result("gestopt", held_on, "Rustig.", restore_on, TODAY, due_on)
        assert early.value.field == "held_on" and "pas na twee weken" in early.value.message
    assert plan.check_one_off_result("steungroep", TODAY, "Het gaat door.", TODAY, TODAY,
                                     TODAY + timedelta(days=14))[0] == "steungroep"
    with pytest.raises(domain.DomainError) as refused:
        plan.check_one_off_result("misschien", TODAY - timedelta(days=1), "", TODAY, TODAY)
    assert {e.field for e in refused.value.all} == {"result", "held_on", "check_note"}


def test_an_involved_pupil_is_of_the_school_not_the_subject_and_not_twice():
    assert plan.check_involved(True, False, False, "pestte") == "pestte"
    for args, field in (((False, False, False, "pestte"), "involved_pupil"),
                        ((True, True, False, "pestte"), "involved_pupil"),
                        ((True, False, True, "pestte"), "involved_pupil"),
                        ((True, False, False, "dader"), "involvement")):
        with pytest.raises(domain.DomainError) as refused:
            plan.check_involved(*args)
        assert refused.value.field == field


def test_the_label_from_the_stored_columns_is_the_label_of_the_next_step():
    """Lists read only cases.step, cycle_number, step_title and step_due_on; their words
    must be the ones next_step gives the case page."""
    snapshots = [
        snap(triage=None), snap(talk_held=False, consent=None),
        snap(consent=False, talk_again_on=TODAY), snap(group_confirmed=False),
        snap(cycle_number=3, meeting_completed=False), snap(pupil_evaluation_held=False),
        snap(group_evaluation_held=False), snap(decision_made=False),
        snap(triage="eenmalig"), snap(triage="eenmalig", restore_held=True, check_due=TODAY),
        snap(escalated=True, plan_next="Bespreking in de groep"), snap(escalated=True),
        snap(closed=True),
    ]
    for s in snapshots:
        step = domain.next_step(s)
        due = domain.step_date(step, None)
        title = s.plan_next if step.code == "stappenplan" else ""
        assert domain.step_label(step.code, s.cycle_number, title, due) == step.label, step
