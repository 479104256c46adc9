"""The school calendar on the settings page: the region and its holidays, studiedagen added
and removed, and what a new studiedag moves (an evaluation, a planned meeting)."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import func, select

from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.models import DayOff
from steungroep.planning import use_cases as planning

from .. import factories as f
from ..pages import visible_text
from ..planning.days import a_weekend_day, evaluation, school_day_after
from ..sql import statements
from .form import save_settings


def test_coordinator_sets_region_and_sees_its_holidays(client, world, login):
    login(world.coordinator)
    page = visible_text(client.get("/instellingen"))
    assert "Schoolkalender School A" in page and "Rijksoverheid" in page
    response = save_settings(client, world.school, region="noord")
    assert response.status_code == 302
    db.session.refresh(world.school)
    assert world.school.region == "noord"
    assert "Komende schoolvakanties (regio Noord)" in visible_text(client.get(response.location))
    bad = save_settings(client, world.school, region="west")
    assert bad.status_code == 422
    # Not a school of this coordinator, and not for teachers.
    assert save_settings(client, world.other_school, region="zuid").status_code == 404
    login(world.teacher)
    assert client.get("/instellingen").status_code == 404
    assert save_settings(client, world.school, region="zuid").status_code == 404
    db.session.refresh(world.other_school)
    assert world.other_school.region == "midden"


def test_settings_run_a_fixed_number_of_queries_for_more_schools(client, world, login):
    login(world.coordinator)
    world.school.days_off.append(DayOff(day=school_today() + timedelta(days=30)))
    db.session.commit()
    one = statements(client, "/instellingen", cold=True)[0]
    world.coordinator.schools.append(world.other_school)
    world.other_school.days_off.append(DayOff(day=school_today() + timedelta(days=31)))
    db.session.commit()
    login(world.coordinator)
    assert statements(client, "/instellingen", cold=True)[0] == one


def test_a_new_studiedag_moves_the_evaluation_planned_that_day(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    ev = evaluation(case)
    day = school_day_after(case, school_today(), skip=2)
    ev.due_on = day
    db.session.commit()
    login(world.admin)
    response = client.post(
        f"/instellingen/scholen/{world.school.id}/studiedagen",
        data={"day": day.isoformat(), "description": "Teamscholing"},
    )
    assert response.status_code == 302
    moved_to = evaluation(case).due_on
    assert moved_to > day and planning.calendar_for(case.school).is_school_day(moved_to)
    assert "studiedag (Teamscholing)" in case.timeline[-1].text
    assert "Teamscholing" in visible_text(client.get("/instellingen"))

    again = client.post(
        f"/instellingen/scholen/{world.school.id}/studiedagen", data={"day": day.isoformat()}
    )
    assert again.status_code == 422 and "al geen school" in visible_text(again)
    weekend = client.post(
        f"/instellingen/scholen/{world.school.id}/studiedagen",
        data={"day": a_weekend_day(school_today()).isoformat(), "description": "Zaterdag"},
    )
    assert weekend.status_code == 422 and 'value="Zaterdag"' in weekend.get_data(as_text=True)

    day_off = db.session.scalars(select(DayOff)).one()
    login(world.other_coordinator)
    assert client.post(
        f"/instellingen/scholen/{world.school.id}/studiedagen/{day_off.id}/verwijderen"
    ).status_code == 404
    login(world.coordinator)
    assert client.post(
        f"/instellingen/scholen/{world.school.id}/studiedagen/{day_off.id}/verwijderen"
    ).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(DayOff)) == 0


def test_a_new_studiedag_moves_a_planned_meeting(client, world, login):
    case = f.case_at(world, "bijeenkomst")
    day = school_day_after(case, school_today(), skip=2)
    planning.plan_meeting(case, world.teacher, day, time(9))
    db.session.commit()
    login(world.coordinator)
    response = client.post(
        f"/instellingen/scholen/{world.school.id}/studiedagen", data={"day": day.isoformat()}
    )
    assert response.status_code == 302
    assert "1 geplande afspraak verschoven" in visible_text(client.get("/instellingen"))
    cycle = case.group.current_cycle
    db.session.refresh(cycle)
    assert cycle.meeting_planned_on > day and cycle.meeting_planned_time == time(9)
