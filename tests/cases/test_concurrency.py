"""Requests that truly overlap, against a live server on SQLite and PostgreSQL: a double tap
or a form sent twice gives one record and never a 500, and two people changing one case at
the same moment leave its stored status as its rows say."""

from __future__ import annotations

import secrets
import threading

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.orm import Session

from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.evaluations import use_cases as evaluations
from steungroep.models import (
    EVAL_PUPIL,
    Action,
    Case,
    Evaluation,
    MemberResult,
    TimelineEntry,
)
from steungroep.web.pages import step_key

from .. import factories as f
from ..live import Client, at_once, serving

ROUNDS = 3  # each round is a new case: several chances for the requests to interleave


def _count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _no_server_errors(answers) -> None:
    assert [a[0] for a in answers if a[0] >= 500] == [], answers


def test_melding_sent_twice_at_once_makes_one_case(app, world):
    """Two submits of one melding form (same key) at the same moment: one case, and both
    answers lead to it."""
    with serving(app) as base:
        tab = Client(base).log_in(world.teacher)
        for _ in range(ROUNDS):
            key = secrets.token_hex(16)
            form = {"pupil_id": world.subject.id, "reported_on": school_today().isoformat(),
                    "source": "ouder", "forms": "verbaal", "description": "In de pauze.",
                    "triage": "herhaald", "triage_note": "", "submission_key": key}
            answers = at_once((tab, "/meldingen/nieuw", form),
                              (tab, "/meldingen/nieuw", form))
            _no_server_errors(answers)
            assert [a[0] for a in answers] == [302, 302], answers
            assert answers[0][1] == answers[1][1]  # the same case
            assert _count(Case, Case.submission_key == key) == 1


def test_afronden_tapped_twice_at_once_plans_the_evaluations_once(app, world):
    with serving(app) as base:
        tablet = Client(base).log_in(world.teacher)
        for _ in range(ROUNDS):
            case = f.with_actions(world, f.case_at(world, "bijeenkomst"))
            db.session.commit()
            form = {"expected": step_key(case), "minutes": "35"}
            url = f"/zaken/{case.id}/bijeenkomst/afronden"
            answers = at_once((tablet, url, form),
                              (tablet, url, form))
            _no_server_errors(answers)
            assert all(a[1].endswith(f"/zaken/{case.id}/bijeenkomst/klaar") for a in answers)
            cycle_id = case.group.cycles[0].id
            assert _count(Evaluation, Evaluation.cycle_id == cycle_id) == 2
            assert _count(TimelineEntry, TimelineEntry.case_id == case.id,
                          TimelineEntry.kind == "bijeenkomst") == 1


def test_first_save_of_an_action_twice_at_once_stores_one(app, world):
    with serving(app) as base:
        tablet = Client(base).log_in(world.teacher)
        for _ in range(ROUNDS):
            case = f.case_at(world, "bijeenkomst")
            member = case.group.members[0]
            url = f"/zaken/{case.id}/bijeenkomst/acties/{member.id}"
            answers = at_once((tablet, url, {"text": "Ik ga gedag zeggen."}),
                              (tablet, url, {"text": "Ik ga gedag zeggen!"}))
            _no_server_errors(answers)
            assert _count(Action, Action.member_id == member.id) == 1


def test_group_evaluation_sent_twice_at_once_is_stored_once(app, world):
    with serving(app) as base:
        tablet = Client(base).log_in(world.teacher)
        for _ in range(ROUNDS):
            case = f.case_at(world, "evaluatie_leerling")
            with f.changing(case):
                evaluations.record_pupil_evaluation(case, world.teacher, evaluations
                                                    .PupilEvaluationInput(
                    held_on=school_today(), wellbeing=3, changed="Beter.", still_needed="",
                    improved="ja", notes="", same_day=True))
            form = {"expected": step_key(case), "held_on": school_today().isoformat(),
                    "notes": "", "same_day": "1"}
            members = list(case.group.members)
            for position, member in enumerate(members, start=1):
                form[f"done-{member.id}"] = "ja"
                form[f"position-{member.id}"] = str(position)
            url = f"/zaken/{case.id}/evaluatie-groep"
            answers = at_once((tablet, url, form),
                              (tablet, url, form))
            _no_server_errors(answers)
            assert _count(MemberResult, MemberResult.member_id.in_([m.id for m in members])) \
                == len(members)


def test_decision_sent_twice_at_once_closes_once(app, world):
    with serving(app) as base:
        tablet = Client(base).log_in(world.teacher)
        for _ in range(ROUNDS):
            case = f.case_at(world, "besluit")
            form = {"expected": step_key(case), "decision": "nieuwe_ronde", "reason": ""}
            url = f"/zaken/{case.id}/besluit"
            answers = at_once((tablet, url, form),
                              (tablet, url, form))
            _no_server_errors(answers)
            db.session.expire_all()
            assert len(db.session.get(Case, case.id).group.cycles) == 2  # one new round


def test_afronden_and_a_coordinators_note_at_once_keep_the_status_true(app, world):
    """The teacher's Afronden and a coordinator's note on the same case at the same moment:
    both succeed, and the case's stored step and date are the evaluation the meeting
    planned (before the write path, the note's stale status could overwrite it)."""
    with serving(app) as base:
        tablet = Client(base).log_in(world.teacher)
        desk = Client(base).log_in(world.coordinator)
        for round_ in range(ROUNDS):
            case = f.with_actions(world, f.case_at(world, "bijeenkomst"))
            db.session.commit()
            finish = {"expected": step_key(case), "minutes": "30"}
            answers = at_once(
                (tablet, f"/zaken/{case.id}/bijeenkomst/afronden", finish),
                (desk, f"/zaken/{case.id}/notitie", {"text": f"Even gebeld ({round_})."}),
            )
            _no_server_errors(answers)
            assert [a[0] for a in answers] == [302, 302], answers
            db.session.expire_all()
            stored = db.session.get(Case, case.id)
            pupil_eval = stored.group.cycles[0].evaluation(EVAL_PUPIL)
            assert (stored.step, stored.step_due_on) == ("evaluatie_leerling", pupil_eval.due_on)


def test_a_note_waits_for_afronden_under_the_lock(app, world):
    """The same race made certain, on PostgreSQL: Afronden pauses right after its first
    flush (its evaluations written, not committed) until the coordinator's note is waiting
    on a database lock; only then does it commit. The note must have waited before reading
    anything, or the status it writes is the one from before the meeting."""
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("SQLite lets one writer in at a time from BEGIN IMMEDIATE; nothing to pause")
    case = f.with_actions(world, f.case_at(world, "bijeenkomst"))
    db.session.commit()
    flushed, watcher = threading.Event(), create_engine(app.config["SQLALCHEMY_DATABASE_URI"])

    def pause_after_afronden(session, _context):
        if flushed.is_set() or not any(isinstance(o, Evaluation) for o in session.new):
            return
        flushed.set()
        with watcher.connect() as conn:
            for _ in range(400):  # until the note's backend waits on a lock (at most ~20 s)
                if conn.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()")).scalar():
                    return
                conn.execute(text("SELECT pg_sleep(0.05)"))
        raise AssertionError("the note never waited on a lock")

    event.listen(Session, "after_flush", pause_after_afronden)
    try:
        with serving(app) as base:
            tablet = Client(base).log_in(world.teacher)
            desk = Client(base).log_in(world.coordinator)
            answers: list = []
            url, form = f"/zaken/{case.id}/bijeenkomst/afronden", {"expected": step_key(case)}
            finish = threading.Thread(target=lambda: answers.append(tablet.post(url, form)))
            finish.start()
            assert flushed.wait(30)
            answers.append(desk.post(f"/zaken/{case.id}/notitie", {"text": "Even gebeld."}))
            finish.join(60)
    finally:
        event.remove(Session, "after_flush", pause_after_afronden)
        watcher.dispose()
    assert sorted(a[0] for a in answers) == [302, 302], answers
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    pupil_eval = stored.group.cycles[0].evaluation(EVAL_PUPIL)
    assert (stored.step, stored.step_due_on) == ("evaluatie_leerling", pupil_eval.due_on)
