"""A practice case walks the same steps as a real one, but nothing real ever sees it: no
reminder, notice or e-mail; no home page, overview, agenda, calendar feed, archive or
statistics of real cases; no list of real pupils or classes, no pupil import. A week after
it started, the nightly housekeeping removes it with its made-up class."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from steungroep.admin import pupil_import
from steungroep.admin.importer import PupilRow
from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, local, school_today, utcnow
from steungroep.domain import statistics as stats
from steungroep.evaluations import use_cases as evaluations
from steungroep.models import (
    EVAL_PUPIL,
    Case,
    CaseTalk,
    Notice,
    OutboxMessage,
    Pupil,
    SchoolClass,
)
from steungroep.planning import reminders, scheduler
from steungroep.practice import use_cases as practice
from steungroep.statistics import queries as statistics

from .. import factories as f
from ..pages import count, visible_text
from .played import practice_case

DUE = date(2027, 3, 15)  # a Monday, no holiday in any region


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SCHOOL_TZ)


def test_no_reminder_notice_or_mail_for_a_practice_case(app, world, inbox, mail_to):
    mail_to(inbox.port)
    played = practice_case(world, "evaluatie_leerling")
    played.group.current_cycle.evaluation(EVAL_PUPIL).due_on = DUE
    db.session.add(CaseTalk(case=played, kind="gesprek", party="ouders", pupil=played.pupil,
                            held_on=school_today(), summary="Oefenen.", user=world.teacher,
                            follow_up_on=DUE))
    db.session.commit()
    for day in (DUE, DUE + timedelta(days=3), DUE + timedelta(days=10)):
        result = reminders.scan(_at(day, 9))
        assert (result.reminded, result.escalated, result.mailed) == (0, 0, 0)
    assert count(Notice) == 0 and count(OutboxMessage) == 0
    real = f.case_at(world, "evaluatie_leerling")  # the same scan reminds a real case
    real.group.current_cycle.evaluation(EVAL_PUPIL).due_on = DUE
    db.session.commit()
    assert reminders.scan(_at(DUE, 9)).reminded >= 1
    assert set(db.session.scalars(select(Notice.case_id))) == {real.id}


def test_in_no_list_of_real_cases(client, world, login):
    real = f.case_at(world, "evaluatie_leerling")
    played = practice_case(world, "evaluatie_leerling")
    closed = practice_case(world, "besluit")
    done = f.case_at(world, "besluit", pupil=world.pupils[5])
    for case in (closed, done):
        with f.changing(case):
            evaluations.decide(case, world.teacher, "afsluiten", "")
    assert f.fresh(closed).is_closed
    real_name = real.pupil.first_name
    login(world.teacher)
    world.teacher.calendar_token = "feed-token-for-the-practice-test-0123456789"
    db.session.commit()
    home = visible_text(client.get("/"))
    assert real_name in home and "Sanne V." not in home
    assert "Oefenen met de aanpak, met een verzonnen klas" in home
    feed = client.get(f"/agenda/{world.teacher.calendar_token}.ics").get_data(as_text=True)
    assert real_name in feed and "Sanne" not in feed and "Oefenklas" not in feed
    login(world.coordinator)
    overview = visible_text(client.get("/overzicht"))
    assert real_name in overview and "Sanne V." not in overview
    assert "Oefenklas" not in overview
    archive = visible_text(client.get("/archief"))
    assert world.pupils[5].first_name in archive
    assert "Sanne V." not in archive and "Oefenklas" not in archive
    assert client.get(f"/zaken/{played.id}").status_code == 200  # the coordinator may look
    pupils = visible_text(client.get("/leerlingen?q=Sanne"))
    assert "Oefenklas" not in pupils
    assert "Oefenklas" not in visible_text(client.get("/leerlingen"))


def test_counted_in_no_statistics(app, world):
    today = school_today()
    period = stats.school_year(today)
    real = f.case_at(world, "besluit")
    before = statistics.report({world.school.id}, period, today)
    for step in ("gesprek", "groep", "besluit"):
        practice_case(world, step)
    assert statistics.report({world.school.id}, period, today) == before
    assert [fact.case_id for fact in statistics.case_facts({world.school.id}, period)] == [
        real.id]


def test_a_pupil_import_leaves_the_made_up_class_alone(app, world):
    practice_case(world, "groep")
    rows = [PupilRow(line=n, first_name=p.first_name, surname_initial=p.surname_initial,
                     class_name="groep 6", external_id=None)
            for n, p in enumerate(world.pupils, start=2)]
    plan = pupil_import.plan(world.school, rows, "2026-2027")
    assert plan.leavers == [] and plan.added == []


def test_the_housekeeping_removes_it_after_a_week(app, world):
    played = practice_case(world, "evaluatie_leerling")
    real = f.case_at(world, "evaluatie_leerling")
    started = local(played.created_at).date()
    assert practice.removed_on(played) == started + timedelta(days=7)
    db.session.commit()
    last_evening = datetime.combine(started + timedelta(days=6), time(23, 59), SCHOOL_TZ)
    assert practice.housekeeping(last_evening) == 0
    assert count(Case) == 2
    assert practice.housekeeping(last_evening + timedelta(minutes=1)) == 1
    db.session.expire_all()
    assert db.session.scalars(select(Case.id)).all() == [real.id]
    assert count(SchoolClass, SchoolClass.practice.is_(True)) == 0
    assert count(Pupil) == 14 + 8
    assert practice.housekeeping(utcnow() + timedelta(days=30)) == 0


def test_steungroep_purge_removes_a_practice_case_whose_week_is_over(runner, world):
    played = practice_case(world, "bijeenkomst")
    fresh = practice_case(world, "gesprek")
    played.created_at = utcnow() - timedelta(days=8)
    db.session.commit()
    trial = runner.invoke(args=["purge", "--dry-run"])
    assert "1 oefenaanpak(ken) zou(den) worden verwijderd (proefdraai)." in trial.output
    assert count(Case) == 2
    done = runner.invoke(args=["purge"])
    assert done.exit_code == 0 and "1 oefenaanpak(ken) verwijderd." in done.output
    db.session.expire_all()
    assert db.session.scalars(select(Case.id)).all() == [fresh.id]


def test_the_nightly_housekeeping_job_does_it(app, world, monkeypatch):
    played = practice_case(world, "groep")
    played.created_at = utcnow() - timedelta(days=8)
    db.session.commit()
    monkeypatch.setattr(scheduler, "_app", app)
    scheduler.job_housekeeping()
    assert count(Case) == 0 and count(Pupil) == 14 + 8
