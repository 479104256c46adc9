"""Reminders on the home page: shown until seen or held, the overdue notice for the
coordinator, and a notice that follows a case handed to a colleague."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, school_today
from steungroep.models import Notice
from steungroep.planning import reminders

from .. import factories as f
from ..pages import visible_text
from .days import evaluation, reminded_today

# ---- reminders on the home page ----------------------------------------------------------


def test_home_shows_the_reminder_until_seen(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    reminded_today(case)
    login(world.teacher)
    page = visible_text(client.get("/"))
    assert "Vandaag: vervolggesprek met Bas (groep 6)" in page
    notice = db.session.scalars(select(Notice)).one()
    # Somebody else cannot dismiss it.
    login(world.colleague)
    assert client.post(f"/herinneringen/{notice.id}/gezien").status_code == 404
    login(world.teacher)
    response = client.post(f"/herinneringen/{notice.id}/gezien")
    assert response.status_code == 302
    assert "vervolggesprek met Bas" not in visible_text(client.get("/"))


def test_home_hides_a_reminder_once_the_evaluation_is_held(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    ev = reminded_today(case)
    ev.held_on = school_today()
    db.session.commit()
    login(world.teacher)
    assert "vervolggesprek met Bas" not in visible_text(client.get("/"))


def test_coordinator_sees_the_overdue_notice(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    ev = evaluation(case)
    ev.due_on = date(2027, 3, 15)
    db.session.commit()
    reminders.escalate(ev.id, ev.due_on, datetime(2027, 3, 17, 9, tzinfo=SCHOOL_TZ))
    login(world.coordinator)
    page = visible_text(client.get("/"))
    assert "Nog niet gehouden: het vervolggesprek met Bas (groep 6)" in page
    assert "Juf Anne" in page
    login(world.other_coordinator)
    assert "Bas (groep 6)" not in visible_text(client.get("/"))





def test_notice_disappears_when_the_case_is_handed_to_a_colleague(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    reminded_today(case)
    case.teacher_id = world.colleague.id
    db.session.commit()
    login(world.teacher)
    assert "Bas (groep 6)" not in visible_text(client.get("/"))
