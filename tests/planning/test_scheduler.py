"""The scheduler as a real process: APScheduler with its recurring jobs in the app's database
and the reminder jobs in memory (rebuilt from the rows), a real SMTP server, and the clock
set per process with time-machine. Exactly one e-mail per reminder across restarts, and with
two processes against the same database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select, text

from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ
from steungroep.models import EVAL_GROUP, EVAL_PUPIL, MAIL_SENT, OutboxMessage
from steungroep.planning import scheduler as scheduler_module

from .. import factories
from ..conftest import make_app

ROOT = Path(__file__).resolve().parents[2]
DUE = date(2027, 3, 15)  # a Monday, a school day in every region


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SCHOOL_TZ)


class SchedulerProcess:
    """``flask scheduler`` in a subprocess whose clock starts at ``now``."""

    def __init__(self, app, now: datetime, port: int, **env: str) -> None:
        environment = {
            **os.environ,
            "FAKE_NOW": now.isoformat(),
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "test-secret-not-for-production",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(port),
            "MAIL_USE_TLS": "0",
            "MAIL_SENDER": "Steungroep <steungroep@school.example>",
            "PUBLIC_URL": "https://steungroep.school.example",
            "SCHEDULER_SCAN_SECONDS": "1",
            "SCHEDULER_RETRY_SECONDS": "0.5",
            **env,
        }
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "run_scheduler.py")],
            cwd=ROOT, env=environment, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.append(line.rstrip())

    def wait_for(self, fragment: str, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(fragment in line for line in self.lines):
                return True
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        return any(fragment in line for line in self.lines)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)
        return "\n".join(self.lines)


def planned_cases(world, count: int, pupil_due=DUE, group_due=DUE + timedelta(days=7)):
    cases = []
    for subject in world.pupils[:count]:
        case = factories.case_at(world, "evaluatie_leerling", pupil=subject)
        cycle = case.group.current_cycle
        cycle.evaluation(EVAL_PUPIL).due_on = pupil_due
        cycle.evaluation(EVAL_GROUP).due_on = group_due
        cases.append(case)
    db.session.commit()
    return cases


def job_times() -> dict[str, float]:
    db.session.rollback()
    rows = db.session.execute(text("SELECT id, next_run_time FROM apscheduler_jobs")).all()
    db.session.rollback()
    return dict(rows)


def settle(seconds: float = 3.0) -> None:
    """Give a running scheduler (scan every second) a few more rounds to misbehave in."""
    time.sleep(seconds)


def test_restart_sends_each_reminder_exactly_once(app, world, inbox):
    """Plan, start the scheduler the evening before, stop it; start it again after 08:00 on
    the due day: the missed job runs, one e-mail. A third start sends nothing more."""
    planned_cases(world, 1)

    first = SchedulerProcess(app, at(DUE - timedelta(days=1), 20), inbox.port)
    assert first.wait_for("planner actief"), first.stop()
    assert first.wait_for("herinneringen {'added': 2, 'moved': 0, 'removed': 0}", 1)
    jobs = job_times()
    assert {"scan", "overdue", "housekeeping"} == set(jobs)  # the reminders are in memory
    settle(2)
    first.stop()
    assert inbox.received() == []

    second = SchedulerProcess(app, at(DUE, 9, 30), inbox.port)
    try:
        assert len(inbox.wait_for(1)) == 1, second.stop()
        settle()
    finally:
        log = second.stop()
    assert "herinnering evaluatie" in log

    third = SchedulerProcess(app, at(DUE, 10), inbox.port)
    assert third.wait_for("planner actief"), third.stop()
    # only the group's reminder is waiting: the pupil's was claimed and sent
    assert third.wait_for("herinneringen {'added': 1, 'moved': 0, 'removed': 0}", 1)
    settle()
    third.stop()

    messages = inbox.received()
    assert [m["Subject"] for m in messages] == ["Vandaag: vervolggesprek met Bas (groep 6)"]
    sent = db.session.scalars(select(OutboxMessage)).all()
    assert [(m.status, m.attempts) for m in sent] == [(MAIL_SENT, 1)]


@pytest.mark.parametrize("election", ["0", "1"], ids=["racing", "elected"])
def test_two_processes_send_each_reminder_once(app, world, inbox, election):
    """Two scheduler processes against the same database. Racing (no election): both run
    every job, the claims on the rows still let one e-mail through per reminder. Elected: one
    runs, the other waits; when the first stops, the standby takes over."""
    if app.config["BACKEND"] != "postgresql" and election == "0":
        pytest.skip("racing schedulers are tested on PostgreSQL (the production database)")
    planned_cases(world, 3, pupil_due=DUE, group_due=DUE)  # 6 reminders due
    env = {"SCHEDULER_ELECTION": election}
    one = SchedulerProcess(app, at(DUE, 9), inbox.port, **env)
    assert one.wait_for("planner actief") or one.wait_for("planner wacht"), one.stop()
    two = SchedulerProcess(app, at(DUE, 9), inbox.port, **env)
    try:
        assert two.wait_for("planner"), two.stop()
        assert len(inbox.wait_for(6)) >= 6
        settle()
        if election == "0":
            assert one.wait_for("planner actief", 1) and two.wait_for("planner actief", 1)
        if election == "1":
            active, standby = (one, two) if one.wait_for("planner actief", 1) else (two, one)
            assert standby.wait_for("planner wacht", 1)
            assert not standby.wait_for("planner actief", 0)
            active.stop()
            assert standby.wait_for("planner actief", 10), standby.stop()  # it takes over
            settle()
    finally:
        one.stop()
        two.stop()
    messages = inbox.received()
    ids = [m["Message-ID"] for m in messages]
    assert len(ids) == 6 and len(set(ids)) == 6
    assert sorted(m["To"] for m in messages) == ["anne@a.example"] * 6


def test_sync_jobs_adds_moves_and_removes_date_jobs(app, world):
    """Reconciliation: a job per waiting evaluation at 08:00 on its due date; a moved date
    moves the job; a held evaluation loses its job."""
    case = planned_cases(world, 1)[0]
    pupil = case.group.current_cycle.evaluation(EVAL_PUPIL)
    group = case.group.current_cycle.evaluation(EVAL_GROUP)
    scheduler = scheduler_module.build(app)
    scheduler.start(paused=True)
    try:
        assert scheduler_module.sync_jobs(scheduler, at(DUE, 7)) == {
            "added": 2, "moved": 0, "removed": 0
        }
        assert scheduler_module.sync_jobs(scheduler, at(DUE, 7)) == {
            "added": 0, "moved": 0, "removed": 0
        }
        pupil.due_on = DUE + timedelta(days=1)
        group.held_on = DUE
        db.session.commit()
        assert scheduler_module.sync_jobs(scheduler, at(DUE, 7)) == {
            "added": 0, "moved": 1, "removed": 1
        }
        assert {job.id: job.next_run_time for job in scheduler.get_jobs()} == {
            f"remind-{pupil.id}": at(DUE + timedelta(days=1), 8)}
        assert job_times() == {}  # nothing of it in the database
        # a reminder an earlier version stored in the database is forgotten at a start
        scheduler.add_job(f"{scheduler_module.JOBS}:job_remind", trigger="date",
                          run_date=at(DUE, 8), args=[pupil.id], id=f"remind-{pupil.id}",
                          jobstore="default")
        assert set(job_times()) == {f"remind-{pupil.id}"}
        assert scheduler_module.forget_stored_reminders() == 1
        assert job_times() == {}
    finally:
        scheduler.shutdown(wait=False)
    assert isinstance(scheduler, BackgroundScheduler)


def test_scheduler_waits_for_a_database_that_is_not_up_yet(tmp_path, caplog):
    """The database is unreachable at start: the runner logs it and keeps trying; it does not
    die silently (and stops cleanly when asked)."""
    app = make_app(
        "postgresql+psycopg://postgres@127.0.0.1:1/steungroep_absent", str(tmp_path),
        SCHEDULER_RETRY_SECONDS=0.1,
    )
    runner = scheduler_module.Runner(app)
    with caplog.at_level("ERROR", logger="steungroep.planning.scheduler"):
        thread = runner.start_in_background()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(caplog.records) < 2:
            time.sleep(0.05)
        assert thread.is_alive()
        runner.stop()
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert len(caplog.records) >= 2
    assert all("kon niet starten" in r.getMessage() for r in caplog.records)
    assert not runner.started.is_set()


def test_a_scheduler_that_lost_its_lock_reports_unhealthy(app, world):
    """PostgreSQL restarted (here: the lock's session is killed): the runner notices, so
    `flask scheduler` can exit and let the standby or the service manager take over."""
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's")
    runner = scheduler_module.Runner(app)
    runner.run()
    try:
        assert runner.started.is_set() and runner.healthy()
        pid = runner.election._connection.execute(text("SELECT pg_backend_pid()")).scalar()
        runner.election._connection.commit()
        with db.engine.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        assert not runner.healthy()
    finally:
        runner.stop()


def test_stopping_lets_a_running_job_use_the_scheduler_and_waits_for_it(app, world):
    """A job still running when the scheduler stops may use the scheduler (the scan adds and
    removes reminder jobs). APScheduler's own waiting holds the job stores' lock, so that job
    would wait for the lock while the stop waits for the job, for ever. Stopping now waits
    for it without holding anything: the job finishes, then the stop."""
    import threading

    runner = scheduler_module.Runner(app)
    runner.run()
    started, go, done = threading.Event(), threading.Event(), threading.Event()

    def busy_job():
        with scheduler_module._context():
            started.set()
            go.wait(10)
            scheduler_module._scheduler.get_jobs()  # as sync_jobs does
            done.set()

    # an interval job, as the scan is (a date job is removed from its store right after it
    # is handed to a thread, which APScheduler refuses once stopping has begun)
    runner.scheduler.add_job(busy_job, "interval", hours=1, id="busy",
                             next_run_time=datetime.now(SCHOOL_TZ),
                             jobstore=scheduler_module.REMINDERS)
    assert started.wait(10)
    stopper = threading.Thread(target=runner.stop)
    stopper.start()
    try:
        assert runner.shut_down.wait(10)  # no new jobs, the running one still going
        assert stopper.is_alive() and not done.is_set()  # the stop waits for it
        go.set()
        stopper.join(10)
        assert done.is_set() and not stopper.is_alive()
    finally:
        go.set()
        stopper.join(10)
