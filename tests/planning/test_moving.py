"""Moving an evaluation and planning the meeting: a reason and a school day are needed,
what was typed is kept when refused, and the school's own school days count."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.models import EVAL_GROUP, DayOff, TimelineEntry
from steungroep.planning import use_cases as planning

from .. import factories as f
from ..pages import visible_text
from .days import a_weekend_day, evaluation, school_day_after


def test_teacher_moves_an_evaluation_with_a_reason(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    old = evaluation(case).due_on
    new_day = school_day_after(case, old)
    login(world.teacher)
    response = client.post(
        f"/zaken/{case.id}/evaluaties/leerling/verplaatsen",
        data={"due_on": new_day.isoformat(), "reason": "Leerling is ziek"},
    )
    assert response.status_code == 302
    assert evaluation(case).due_on == new_day
    entry = db.session.scalars(select(TimelineEntry).order_by(TimelineEntry.id.desc())).first()
    assert entry.kind == "verplaatst"
    assert f"van {old:%d-%m-%Y} naar {new_day:%d-%m-%Y}: Leerling is ziek" in entry.text


def test_moving_to_a_weekend_names_the_next_school_day_and_keeps_the_input(
    client, world, login
):
    case = f.case_at(world, "evaluatie_leerling")
    old = evaluation(case).due_on
    saturday = a_weekend_day(school_today())
    login(world.teacher)
    response = client.post(
        f"/zaken/{case.id}/evaluaties/leerling/verplaatsen",
        data={"due_on": saturday.isoformat(), "reason": "Studiereis"},
    )
    page = visible_text(response)
    assert response.status_code == 422
    assert "geen schooldag (weekend)" in page and "De eerstvolgende schooldag is" in page
    assert 'value="Studiereis"' in response.get_data(as_text=True)
    assert evaluation(case).due_on == old


def test_moving_needs_a_reason_and_a_future_date(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    old = evaluation(case).due_on
    login(world.teacher)
    url = f"/zaken/{case.id}/evaluaties/groep/verplaatsen"
    no_reason = client.post(url, data={"due_on": school_day_after(case, old).isoformat()})
    assert no_reason.status_code == 422 and "De reden is verplicht" in visible_text(no_reason)
    past = client.post(url, data={"due_on": "2020-01-06", "reason": "x"})
    assert past.status_code == 422 and "al voorbij" in visible_text(past)
    nonsense = client.post(url, data={"due_on": "31-02-2027", "reason": "x"})
    assert nonsense.status_code == 422 and "Vul de nieuwe datum in" in visible_text(nonsense)
    assert evaluation(case, EVAL_GROUP).due_on != date(2020, 1, 6)


def test_only_visible_cases_can_be_moved(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    old = evaluation(case).due_on
    data = {"due_on": school_day_after(case, old).isoformat(), "reason": "x"}
    for user in (world.colleague, world.other_teacher, world.other_coordinator):
        login(user)
        response = client.post(f"/zaken/{case.id}/evaluaties/leerling/verplaatsen", data=data)
        assert response.status_code == 404
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/evaluaties/onzin/verplaatsen", data=data)
    assert response.status_code == 404
    assert evaluation(case).due_on == old


def test_a_held_evaluation_cannot_be_moved(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    ev = evaluation(case)
    ev.held_on = school_today()
    db.session.commit()
    login(world.teacher)
    response = client.post(
        f"/zaken/{case.id}/evaluaties/leerling/verplaatsen",
        data={"due_on": school_day_after(case, school_today()).isoformat(), "reason": "x"},
    )
    assert response.status_code == 302
    assert "al gehouden" in visible_text(client.get(response.location))


def test_plan_the_meeting_with_and_without_a_time(client, world, login):
    case = f.case_at(world, "bijeenkomst")
    day = school_day_after(case, school_today(), skip=1)
    login(world.teacher)
    response = client.post(
        f"/zaken/{case.id}/bijeenkomst/plannen", data={"day": day.isoformat(), "time": "10:30"}
    )
    assert response.status_code == 302
    cycle = case.group.current_cycle
    db.session.refresh(cycle)
    assert (cycle.meeting_planned_on, cycle.meeting_planned_time) == (day, time(10, 30))
    assert "om 10:30" in visible_text(client.get(f"/zaken/{case.id}"))
    bad = client.post(
        f"/zaken/{case.id}/bijeenkomst/plannen", data={"day": day.isoformat(), "time": "half elf"}
    )
    assert bad.status_code == 422 and "uu:mm" in visible_text(bad)
    weekend = client.post(
        f"/zaken/{case.id}/bijeenkomst/plannen",
        data={"day": a_weekend_day(school_today()).isoformat(), "time": ""},
    )
    assert weekend.status_code == 422 and "geen schooldag" in visible_text(weekend)
    db.session.refresh(cycle)
    assert cycle.meeting_planned_time == time(10, 30)


def test_meeting_planning_limits_and_states(client, world, login):
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    url = f"/zaken/{case.id}/bijeenkomst/plannen"
    far = client.post(url, data={"day": "9999-12-31", "time": ""})
    assert far.status_code == 422 and "binnen drie maanden" in visible_text(far)
    assert 'value="9999-12-31"' in far.get_data(as_text=True)
    unconfirmed = f.case_at(world, "groep", pupil=world.pupils[9])
    response = client.post(
        f"/zaken/{unconfirmed.id}/bijeenkomst/plannen",
        data={"day": school_day_after(case, school_today()).isoformat()},
    )
    assert response.status_code == 302
    assert "Bevestig eerst de groep" in visible_text(client.get(response.location))


def test_completing_a_meeting_plans_on_the_schools_own_school_days(world):
    """Afronden plans the evaluations with the school's calendar: a studiedag on the day the
    pupil talk would fall (five school days on, whatever day today is) pushes it to the next
    school day."""
    case = f.case_at(world, "bijeenkomst")
    usual = domain.add_school_days(school_today(), domain.PUPIL_EVALUATION_DAYS,
                                   planning.calendar_for(case.school))
    world.school.days_off.append(DayOff(day=usual, description="Studiedag"))
    db.session.commit()
    calendar = planning.calendar_for(case.school)
    assert not calendar.is_school_day(usual)
    f.with_meeting(world, case)
    pupil_due = evaluation(case).due_on
    assert pupil_due == domain.next_school_day(usual, calendar) and pupil_due > usual
    assert calendar.is_school_day(evaluation(case, EVAL_GROUP).due_on)
