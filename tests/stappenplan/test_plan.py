"""The stappenplan (plan/): an escalation, or a pupil's no, opens the school's own steps in
the same case; steps are done, planned and added, and the coordinator closes the plan."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.models import PlanStep, School

from .. import factories as f
from ..pages import visible_text
from ..settings.form import save_settings


def test_an_escalation_opens_the_schools_stappenplan_in_the_same_case(client, world, login):
    case = f.escalated_case(world)
    case = f.fresh(case)
    assert not case.is_closed and case.escalated_at is not None and case.outcome is None
    assert [s.title for s in case.plan_steps] == list(domain.plan.DEFAULT_PLAN_STEPS)
    assert (case.step, case.step_title) == ("stappenplan", domain.plan.DEFAULT_PLAN_STEPS[0])

    login(world.teacher)
    page = visible_text(client.get(f"/zaken/{case.id}"))
    assert "Stappenplan van de school" in page
    assert f"Stappenplan: {domain.plan.DEFAULT_PLAN_STEPS[0]}" in page
    # the group has ended: its cards say so and its steps are refused
    token = case.group.members[0].card_token
    assert client.get(f"/k/{token}").status_code == 410
    refused = client.post(f"/zaken/{case.id}/groep/bevestigen")
    assert refused.status_code in (302, 422)
    assert f.fresh(case).escalated_at is not None

    login(world.coordinator)
    overview = visible_text(client.get("/overzicht"))
    assert f"Stappenplan: {domain.plan.DEFAULT_PLAN_STEPS[0]}" in overview


def test_steps_are_done_planned_added_and_the_coordinator_closes(client, world, login):
    case = f.fresh(f.escalated_case(world))
    first, second = case.plan_steps[0], case.plan_steps[1]
    login(world.teacher)
    done = client.post(f"/zaken/{case.id}/stappenplan/gezet", data={
        "step_id": first.id, "done_on": school_today().isoformat(), "done_by": "Juf Anne",
        "step_note": "Plan gedeeld met ouders en IB."})
    assert done.status_code == 302
    planned_on = school_today() + timedelta(days=7)
    client.post(f"/zaken/{case.id}/stappenplan/gepland", data={
        "step_id": second.id, "planned_on": planned_on.isoformat()})
    case = f.fresh(case)
    assert case.plan_steps[0].done_by == "Juf Anne"
    assert (case.step, case.step_title, case.step_due_on) == (
        "stappenplan", second.title, planned_on)

    added = client.post(f"/zaken/{case.id}/stappenplan/stap",
                        data={"title": "Gesprek met de leerplichtambtenaar"})
    assert added.status_code == 302
    assert f.fresh(case).plan_steps[-1].position == 8

    teacher_close = client.post(f"/zaken/{case.id}/stappenplan/afsluiten",
                                data={"close_reason": "Klaar."})
    assert teacher_close.status_code == 422
    assert "Alleen een coördinator" in visible_text(teacher_close)

    login(world.coordinator)
    too_soon = client.post(f"/zaken/{case.id}/stappenplan/afsluiten", data={})
    assert too_soon.status_code == 422
    assert "Nog niet alle stappen zijn gezet" in visible_text(too_soon)
    assert "Kies hoe het stappenplan is afgelopen." in visible_text(too_soon)
    assert not f.fresh(case).is_closed
    unknown = client.post(f"/zaken/{case.id}/stappenplan/afsluiten", data={
        "close_reason": "De leerling is verhuisd.", "plan_outcome": "geescaleerd"})
    assert unknown.status_code == 422 and "De leerling is verhuisd." in unknown.get_data(
        as_text=True)
    closed = client.post(f"/zaken/{case.id}/stappenplan/afsluiten", data={
        "close_reason": "De leerling is verhuisd.", "plan_outcome": "plan_verder"})
    assert closed.status_code == 302
    case = f.fresh(case)
    # the plan's own outcome, not 'Doorverwezen naar het stappenplan' forever
    assert case.is_closed and case.outcome == "plan_verder"
    assert case.outcome_note == "De leerling is verhuisd."
    page = visible_text(client.get(f"/zaken/{case.id}"))
    assert "Stappenplan afgerond: verder buiten de school" in page
    assert "verder buiten de school (doorverwezen, andere school)." in case.timeline[-1].text
    late = client.post(f"/zaken/{case.id}/stappenplan/gezet", data={
        "step_id": second.id, "done_on": school_today().isoformat(), "done_by": "X"})
    assert late.status_code == 422 and "afgesloten" in visible_text(late)


def test_a_step_of_another_case_or_a_bad_date_changes_nothing(client, world, login):
    case = f.fresh(f.escalated_case(world))
    other = f.fresh(f.escalated_case(world, world.pupils[9]))
    login(world.teacher)
    foreign = client.post(f"/zaken/{case.id}/stappenplan/gezet", data={
        "step_id": other.plan_steps[0].id, "done_on": school_today().isoformat(),
        "done_by": "Juf Anne"})
    assert foreign.status_code == 422
    assert "Die stap hoort niet bij dit stappenplan." in visible_text(foreign)
    future = client.post(f"/zaken/{case.id}/stappenplan/gezet", data={
        "step_id": case.plan_steps[0].id,
        "done_on": (school_today() + timedelta(days=2)).isoformat(), "done_by": ""})
    body = visible_text(future)
    assert future.status_code == 422
    assert "De datum ligt in de toekomst." in body and "Wie deed het is verplicht." in body
    assert db.session.scalar(select(func.count()).where(PlanStep.done_on.is_not(None))) == 0


def test_a_pupils_no_can_lead_to_the_stappenplan_too(client, world, login):
    case = f.new_case(world)
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/gesprek", data={
        "held_on": school_today().isoformat(), "consent": "nee", "no_consent": "stappenplan",
        "no_consent_reason": "Het gaat al lang; de leerling wil geen groep."})
    assert response.status_code == 302 and response.location.endswith("#stappenplan")
    case = f.fresh(case)
    assert not case.is_closed and case.step == "stappenplan" and len(case.plan_steps) == 7


def test_the_school_sets_its_own_steps_for_plans_that_start_from_now(client, world, login):
    running = f.fresh(f.escalated_case(world))
    login(world.coordinator)
    bad = save_settings(client, world.school, plan_steps="Gesprek met ouders\nGESPREK MET OUDERS")
    assert bad.status_code == 422
    assert "De stap op regel 2 staat er al" in visible_text(bad)
    assert "GESPREK MET OUDERS" in bad.get_data(as_text=True)  # the typed text stays
    good = save_settings(client, world.school,
                         plan_steps="Gesprek met ouders\r\nHulp buiten school\r\n")
    assert good.status_code == 302
    assert db.session.get(School, world.school.id).plan_steps == (
        "Gesprek met ouders\nHulp buiten school")
    newer = f.fresh(f.escalated_case(world, world.pupils[9]))
    assert [s.title for s in newer.plan_steps] == ["Gesprek met ouders", "Hulp buiten school"]
    assert len(f.fresh(running).plan_steps) == 7
    login(world.teacher)
    assert save_settings(client, world.school, plan_steps="x").status_code in (403, 404)


def test_a_steungroep_gone_on_to_the_plan_counts_as_escalated_when_it_ended(app, world):
    """The statistics are about the steungroep: it ended the day it went on to the plan,
    though the case stays open for the plan."""
    from steungroep.domain import statistics as stats
    from steungroep.statistics.queries import case_facts

    case = f.fresh(f.escalated_case(world))
    period = stats.school_year(school_today())
    [fact] = [c for c in case_facts({world.school.id}, period) if c.case_id == case.id]
    assert (fact.outcome, fact.closed_on) == ("geescaleerd", school_today())
    assert stats.report([fact], period, school_today()).escalated == 1
