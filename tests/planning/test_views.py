"""Dates in the app: reminders on the home page, moving an evaluation, planning the meeting,
the school calendar in the settings, and the calendar feed (parsed back with icalendar)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from icalendar import Calendar
from sqlalchemy import func, select

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, school_today
from steungroep.models import EVAL_GROUP, EVAL_PUPIL, DayOff, Notice, TimelineEntry
from steungroep.planning import reminders
from steungroep.planning import use_cases as planning

from .. import factories as f
from ..settings_form import save_settings

ROLE_WORDS = re.compile(r"pest|aanvoerder|meeloper|omstander|helper|slachtoffer", re.I)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def school_day_after(case, start: date, skip: int = 0) -> date:
    calendar = planning.calendar_for(case.school)
    day = start
    while True:
        day += timedelta(days=1)
        if calendar.is_school_day(day):
            if skip == 0:
                return day
            skip -= 1


def a_weekend_day(after: date) -> date:
    day = after + timedelta(days=1)
    while day.weekday() < 5:
        day += timedelta(days=1)
    return day


def evaluation(case, kind=EVAL_PUPIL):
    db.session.refresh(case.group.current_cycle)
    return case.group.current_cycle.evaluation(kind)


# ---- reminders on the home page ----------------------------------------------------------


def test_home_shows_the_reminder_until_seen(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    ev = evaluation(case)
    ev.due_on = school_today()
    db.session.commit()
    reminders.remind(ev.id, datetime.combine(school_today(), time(9), tzinfo=SCHOOL_TZ))
    login(world.teacher)
    page = text(client.get("/"))
    assert "Vandaag: vervolggesprek met Bas (groep 6)" in page
    notice = db.session.scalars(select(Notice)).one()
    # Somebody else cannot dismiss it.
    login(world.colleague)
    assert client.post(f"/herinneringen/{notice.id}/gezien").status_code == 404
    login(world.teacher)
    response = client.post(f"/herinneringen/{notice.id}/gezien")
    assert response.status_code == 302
    assert "vervolggesprek met Bas" not in text(client.get("/"))


def test_home_hides_a_reminder_once_the_evaluation_is_held(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    ev = evaluation(case)
    ev.due_on = school_today()
    db.session.commit()
    reminders.remind(ev.id, datetime.combine(school_today(), time(9), tzinfo=SCHOOL_TZ))
    ev.held_on = school_today()
    db.session.commit()
    login(world.teacher)
    assert "vervolggesprek met Bas" not in text(client.get("/"))


def test_coordinator_sees_the_overdue_notice(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    ev = evaluation(case)
    ev.due_on = date(2027, 3, 15)
    db.session.commit()
    reminders.escalate(ev.id, ev.due_on, datetime(2027, 3, 17, 9, tzinfo=SCHOOL_TZ))
    login(world.coordinator)
    page = text(client.get("/"))
    assert "Nog niet gehouden: het vervolggesprek met Bas (groep 6)" in page
    assert "Juf Anne" in page
    login(world.other_coordinator)
    assert "Bas (groep 6)" not in text(client.get("/"))


# ---- moving an evaluation ----------------------------------------------------------------


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
    page = text(response)
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
    assert no_reason.status_code == 422 and "De reden is verplicht" in text(no_reason)
    past = client.post(url, data={"due_on": "2020-01-06", "reason": "x"})
    assert past.status_code == 422 and "al voorbij" in text(past)
    nonsense = client.post(url, data={"due_on": "31-02-2027", "reason": "x"})
    assert nonsense.status_code == 422 and "Vul de nieuwe datum in" in text(nonsense)
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
    assert "al gehouden" in text(client.get(response.location))


# ---- planning the meeting ----------------------------------------------------------------


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
    assert "om 10:30" in text(client.get(f"/zaken/{case.id}"))
    bad = client.post(
        f"/zaken/{case.id}/bijeenkomst/plannen", data={"day": day.isoformat(), "time": "half elf"}
    )
    assert bad.status_code == 422 and "uu:mm" in text(bad)
    weekend = client.post(
        f"/zaken/{case.id}/bijeenkomst/plannen",
        data={"day": a_weekend_day(school_today()).isoformat(), "time": ""},
    )
    assert weekend.status_code == 422 and "geen schooldag" in text(weekend)
    db.session.refresh(cycle)
    assert cycle.meeting_planned_time == time(10, 30)


# ---- the school calendar in the settings -------------------------------------------------


def test_coordinator_sets_region_and_sees_its_holidays(client, world, login):
    login(world.coordinator)
    page = text(client.get("/instellingen"))
    assert "Schoolkalender School A" in page and "Rijksoverheid" in page
    response = save_settings(client, world.school, region="noord")
    assert response.status_code == 302
    db.session.refresh(world.school)
    assert world.school.region == "noord"
    assert "Komende schoolvakanties (regio Noord)" in text(client.get(response.location))
    bad = save_settings(client, world.school, region="west")
    assert bad.status_code == 422
    # Not a school of this coordinator, and not for teachers.
    assert save_settings(client, world.other_school, region="zuid").status_code == 404
    login(world.teacher)
    assert client.get("/instellingen").status_code == 404
    assert save_settings(client, world.school, region="zuid").status_code == 404
    db.session.refresh(world.other_school)
    assert world.other_school.region == "midden"


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
    assert "Teamscholing" in text(client.get("/instellingen"))

    again = client.post(
        f"/instellingen/scholen/{world.school.id}/studiedagen", data={"day": day.isoformat()}
    )
    assert again.status_code == 422 and "al geen school" in text(again)
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


# ---- the calendar feed -------------------------------------------------------------------


def subscribe(client, login, user) -> str:
    login(user)
    client.post("/agenda/nieuw")
    page = client.get("/agenda").get_data(as_text=True)
    return re.search(r'value="(https?://[^"]+\.ics)"', page).group(1)


def test_feed_lists_my_meetings_and_evaluations(client, world, login):
    planned = f.case_at(world, "bijeenkomst")
    day = school_day_after(planned, school_today(), skip=1)
    planning.plan_meeting(planned, world.teacher, day, time(10, 30))
    running = f.case_at(world, "evaluatie_leerling", pupil=world.pupils[9])
    others = f.case_at(world, "evaluatie_leerling", teacher=world.colleague, pupil=world.pupils[10])
    db.session.commit()
    url = subscribe(client, login, world.teacher)
    client.post("/uitloggen")
    response = client.get("/" + url.split("://", 1)[1].split("/", 1)[1])
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    calendar = Calendar.from_ical(response.get_data())
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    pupil_ev, group_ev = evaluation(running), evaluation(running, EVAL_GROUP)
    assert set(events) == {
        f"Bijeenkomst steungroep van {planned.pupil.first_name} (groep 6) (ronde 1)",
        f"Vervolggesprek met {running.pupil.first_name} (groep 6)",
        f"Gesprek steungroep van {running.pupil.first_name} (groep 6)",
    }
    meeting = events[f"Bijeenkomst steungroep van {planned.pupil.first_name} (groep 6) (ronde 1)"]
    start = meeting.decoded("dtstart")
    assert start.astimezone(SCHOOL_TZ).replace(tzinfo=None) == datetime.combine(day, time(10, 30))
    pupil_event = events[f"Vervolggesprek met {running.pupil.first_name} (groep 6)"]
    assert pupil_event.decoded("dtstart") == pupil_ev.due_on  # all day
    assert str(pupil_event["uid"]).startswith(f"evaluatie-{pupil_ev.id}@")
    assert str(pupil_event["url"]).endswith(f"/zaken/{running.id}")
    assert group_ev.due_on > pupil_ev.due_on
    body = response.get_data(as_text=True)
    assert not ROLE_WORDS.search(body)
    assert others.pupil.first_name not in body


def test_feed_follows_a_moved_evaluation_and_a_revoked_address(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    url = subscribe(client, login, world.teacher)
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    ev = evaluation(case)
    new_day = school_day_after(case, ev.due_on)
    planning.move_evaluation(case, world.teacher, ev, new_day, "Schoolreis")
    db.session.commit()
    calendar = Calendar.from_ical(client.get(path).get_data())
    dates = sorted(e.decoded("dtstart") for e in calendar.walk("VEVENT"))
    assert new_day in dates
    client.post("/agenda/intrekken")
    assert client.get(path).status_code == 404
    fresh = subscribe(client, login, world.teacher)
    assert fresh != url


def test_unknown_feed_addresses_are_rate_limited(client, world):
    statuses = [client.get(f"/agenda/{'x' * 32}{n}.ics").status_code for n in range(12)]
    assert statuses[:10] == [404] * 10 and statuses[-1] == 429


def test_completing_a_meeting_plans_on_the_schools_own_school_days(world):
    """Afronden plans the evaluations with the school's calendar: a studiedag one week from
    today pushes the pupil talk to the next school day."""
    case = f.case_at(world, "bijeenkomst")
    week = school_today() + timedelta(days=7)
    if planning.calendar_for(case.school).is_school_day(week):
        world.school.days_off.append(DayOff(day=week, description="Studiedag"))
        db.session.commit()
    calendar = planning.calendar_for(case.school)
    assert not calendar.is_school_day(week)
    f.with_meeting(world, case)
    pupil_due = evaluation(case).due_on
    assert pupil_due == domain.next_school_day(week, calendar) and pupil_due > week
    assert calendar.is_school_day(evaluation(case, EVAL_GROUP).due_on)


def statements(client, url: str) -> int:
    from sqlalchemy import event

    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    db.session.expire_all()  # requests share the test's session: start from cold
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def test_home_with_notices_and_the_feed_run_a_fixed_number_of_queries(client, world, login):
    url = subscribe(client, login, world.teacher)
    feed_path = "/" + url.split("://", 1)[1].split("/", 1)[1]

    def add_cases(pupils):
        for pupil in pupils:
            case = f.case_at(world, "evaluatie_leerling", pupil=pupil)
            ev = evaluation(case)
            ev.due_on = school_today()
            db.session.commit()
            reminders.remind(ev.id, datetime.combine(school_today(), time(9), tzinfo=SCHOOL_TZ))

    add_cases(world.pupils[8:9])
    few = (statements(client, "/"), statements(client, feed_path))
    add_cases(world.pupils[9:13])
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 5
    assert (statements(client, "/"), statements(client, feed_path)) == few


def test_settings_run_a_fixed_number_of_queries_for_more_schools(client, world, login):
    login(world.coordinator)
    world.school.days_off.append(DayOff(day=school_today() + timedelta(days=30)))
    db.session.commit()
    one = statements(client, "/instellingen")
    world.coordinator.schools.append(world.other_school)
    world.other_school.days_off.append(DayOff(day=school_today() + timedelta(days=31)))
    db.session.commit()
    login(world.coordinator)
    assert statements(client, "/instellingen") == one


def test_notice_disappears_when_the_case_is_handed_to_a_colleague(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    ev = evaluation(case)
    ev.due_on = school_today()
    db.session.commit()
    reminders.remind(ev.id, datetime.combine(school_today(), time(9), tzinfo=SCHOOL_TZ))
    case.teacher_id = world.colleague.id
    db.session.commit()
    login(world.teacher)
    assert "Bas (groep 6)" not in text(client.get("/"))


def test_meeting_planning_limits_and_states(client, world, login):
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    url = f"/zaken/{case.id}/bijeenkomst/plannen"
    far = client.post(url, data={"day": "9999-12-31", "time": ""})
    assert far.status_code == 422 and "binnen drie maanden" in text(far)
    assert 'value="9999-12-31"' in far.get_data(as_text=True)
    unconfirmed = f.case_at(world, "groep", pupil=world.pupils[9])
    response = client.post(
        f"/zaken/{unconfirmed.id}/bijeenkomst/plannen",
        data={"day": school_day_after(case, school_today()).isoformat()},
    )
    assert response.status_code == 302
    assert "Bevestig eerst de groep" in text(client.get(response.location))


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
    assert "1 geplande afspraak verschoven" in text(client.get("/instellingen"))
    cycle = case.group.current_cycle
    db.session.refresh(cycle)
    assert cycle.meeting_planned_on > day and cycle.meeting_planned_time == time(9)
