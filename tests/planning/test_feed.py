"""The calendar feed (parsed back with icalendar): a teacher's meetings and evaluations,
following a moved evaluation, a revoked address, and unknown addresses rate limited."""

from __future__ import annotations

import re
from datetime import datetime, time

from icalendar import Calendar
from sqlalchemy import func, select

from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, school_today
from steungroep.models import EVAL_GROUP, Notice
from steungroep.planning import use_cases as planning

from .. import factories as f
from ..sql import statements
from .days import evaluation, reminded_today, school_day_after

ROLE_WORDS = re.compile(r"pest|aanvoerder|meeloper|omstander|helper|slachtoffer", re.I)


def cold(client, url: str) -> int:
    return statements(client, url, cold=True)[0]


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


def test_home_with_notices_and_the_feed_run_a_fixed_number_of_queries(client, world, login):
    url = subscribe(client, login, world.teacher)
    feed_path = "/" + url.split("://", 1)[1].split("/", 1)[1]

    def add_cases(pupils):
        for pupil in pupils:
            case = f.case_at(world, "evaluatie_leerling", pupil=pupil)
            reminded_today(case)

    add_cases(world.pupils[8:9])
    few = (cold(client, "/"), cold(client, feed_path))
    add_cases(world.pupils[9:13])
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 5
    assert (cold(client, "/"), cold(client, feed_path)) == few
