"""The scheduler: APScheduler 3.x, its recurring jobs in the app's own database.

Jobs:
- ``remind-<evaluation id>``: a date job at 08:00 school time on the due date. These live in
  memory only (job store ``reminders``): the evaluation rows are their source, and every
  start and every scan rebuilds them from the rows, so storing them too would only make a
  first start write thousands of rows (10,000 planned evaluations took 8 s on SQLite);
- ``scan``: every SCHEDULER_SCAN_SECONDS, catches up on anything due (reminders, overdue
  notices, e-mail retries) and reconciles the date jobs with the evaluation rows, so jobs for
  evaluations planned by other processes appear and jobs for held, moved or closed ones go;
- ``overdue``: daily at 08:00, the overdue scan;
- ``housekeeping``: nightly at 03:30.

Exactly one scheduler per deployment: the runner first takes a lock — a PostgreSQL advisory
lock, or a lock file beside a SQLite database — and waits as a standby while another process
holds it. The work itself is idempotent (see steungroep.reminders), so even two schedulers
racing send each reminder once.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import threading
import time as time_module
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask, current_app
from sqlalchemy import Column, MetaData, Table, Unicode, text

from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, utcnow
from steungroep.planning import notices, outbox, reminders
from steungroep.practice import use_cases as practice
from steungroep.records import use_cases as records
from steungroep.web.writes import end_transaction

log = logging.getLogger(__name__)

SCHEDULER_TABLE = "apscheduler_jobs"
ADVISORY_KEY = 0x5354_4752  # "STGR": the PostgreSQL advisory lock of the scheduler
REMIND_PREFIX = "remind-"
REMINDERS = "reminders"  # the in-memory job store of the reminder date jobs
# The job store keeps each job by this dotted name: moving the module needs a migration that
# clears the stored jobs (see migration 0009).
JOBS = "steungroep.planning.scheduler"

_app: Flask | None = None
STOP_SECONDS = 60  # how long stopping waits for jobs still running


class _Running:
    """How many of our jobs are running, so that stopping can wait for them itself."""

    def __init__(self) -> None:
        self._count = 0
        self._changed = threading.Condition()

    @contextlib.contextmanager
    def one(self):
        with self._changed:
            self._count += 1
        try:
            yield
        finally:
            with self._changed:
                self._count -= 1
                self._changed.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self._count == 0, timeout)


_running = _Running()


@contextlib.contextmanager
def _context():
    if _app is None:
        raise RuntimeError("De planner is niet gestart.")
    with _running.one(), _app.app_context():
        yield


# ---- the jobs (referenced by name, so they survive in the job store) ---------------------


def job_remind(evaluation_id: int) -> None:
    with _context():
        now = utcnow()
        reminders.remind(evaluation_id, now)
        outbox.deliver_outbox(now)
        db.session.remove()


def job_scan() -> None:
    with _context():
        now = utcnow()
        result = reminders.scan(now)
        if _scheduler is not None:
            sync_jobs(_scheduler, now)
        if result.reminded or result.escalated or result.mailed:
            log.info(
                "scan: %s herinneringen, %s over tijd, %s e-mails",
                result.reminded, result.escalated, result.mailed,
            )
        db.session.remove()


def job_overdue() -> None:
    with _context():
        reminders.escalate_overdue(utcnow())
        outbox.deliver_outbox(utcnow())
        db.session.remove()


def job_housekeeping() -> None:
    """Nightly: old e-mails and notices out, closed cases past their retention period
    anonymised, and practice cases a week old removed."""
    with _context():
        now = utcnow()
        lifetime = timedelta(seconds=current_app.config["PERMANENT_SESSION_LIFETIME"])
        removed = notices.housekeeping(now, lifetime)
        purged = records.purge(now)
        practised = practice.housekeeping(now)
        log.info("onderhoud: %s, %s aanpak(ken) geanonimiseerd, %s oefenaanpak(ken) verwijderd",
                 removed, len(purged), practised)
        db.session.remove()


# ---- reconciling date jobs with the evaluation rows --------------------------------------

# the job store's table, as far as removing stored reminder jobs needs it
_jobs_table = Table(SCHEDULER_TABLE, MetaData(), Column("id", Unicode(191), primary_key=True))


def sync_jobs(scheduler: BackgroundScheduler, now: datetime) -> dict[str, int]:
    """Make the reminder date jobs match the rows: add missing ones, move changed ones,
    remove those whose evaluation was held, closed or already reminded."""
    end_transaction()
    wanted = {
        f"{REMIND_PREFIX}{eid}": reminders.reminder_moment(due_on)
        for eid, due_on in db.session.execute(reminders.waiting_reminders())
    }
    end_transaction()
    existing = {job.id: job for job in scheduler.get_jobs(jobstore=REMINDERS)
                if job.id.startswith(REMIND_PREFIX)}
    counts = {"added": 0, "moved": 0, "removed": 0}
    for job_id, moment in wanted.items():
        job = existing.get(job_id)
        if job is None:
            scheduler.add_job(
                f"{JOBS}:job_remind",
                trigger="date",
                run_date=moment,
                args=[int(job_id.removeprefix(REMIND_PREFIX))],
                id=job_id,
                jobstore=REMINDERS,
                replace_existing=True,
            )
            counts["added"] += 1
        elif job.next_run_time is not None and abs(
                job.next_run_time.timestamp() - moment.timestamp()) > 1:
            scheduler.reschedule_job(job_id, jobstore=REMINDERS, trigger="date",
                                     run_date=moment)
            counts["moved"] += 1
    for job_id in existing.keys() - wanted.keys():
        try:
            scheduler.remove_job(job_id, jobstore=REMINDERS)
            counts["removed"] += 1
        except JobLookupError:  # it just ran
            pass
    return counts


def forget_stored_reminders() -> int:
    """Remove reminder jobs an earlier version kept in the database (they are rebuilt in
    memory from the rows); returns how many there were."""
    with db.engine.begin() as conn:
        return conn.execute(
            _jobs_table.delete().where(_jobs_table.c.id.like(REMIND_PREFIX + "%"))
        ).rowcount


# ---- one scheduler per deployment ---------------------------------------------------------


class Election:
    """Holds the right to run the scheduler: a PostgreSQL session advisory lock, or an
    exclusive lock on a file beside a SQLite database."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._connection = None
        self._file = None

    def try_acquire(self) -> bool:
        with self.app.app_context():
            engine = db.engine
            if engine.dialect.name == "postgresql":
                connection = engine.connect()
                got = connection.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
                ).scalar()
                connection.commit()
                if got:
                    self._connection = connection
                    return True
                connection.close()
                return False
            path = self._lock_path(engine.url.database)
            handle = open(path, "a+")  # noqa: SIM115 - held open while the lock is ours
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                return False
            self._file = handle
            return True

    def alive(self) -> bool:
        """Whether the lock is still held (the PostgreSQL session is still there)."""
        if self._connection is None:
            return self._file is not None
        try:
            self._connection.execute(text("SELECT 1")).scalar()
            self._connection.commit()
            return True
        except Exception:
            return False

    def _lock_path(self, database: str | None) -> Path:
        if database and database != ":memory:":
            return Path(database + ".scheduler-lock")
        return Path(self.app.instance_path) / "scheduler.lock"

    def release(self) -> None:
        if self._connection is not None:
            # Closing the session frees the advisory lock; if the database went away, the lock
            # went with it.
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


_scheduler: BackgroundScheduler | None = None


def build(app: Flask) -> BackgroundScheduler:
    with app.app_context():
        engine = db.engine
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=SCHEDULER_TABLE),
                   REMINDERS: MemoryJobStore()},
        job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        timezone=SCHOOL_TZ,
    )


class Runner:
    """Starts the scheduler once this process holds the election (waiting as a standby while
    another one does), and stops it cleanly."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.election = Election(app)
        self.stopping = threading.Event()
        self.scheduler: BackgroundScheduler | None = None
        self.started = threading.Event()
        self.shut_down = threading.Event()  # the scheduler takes no more jobs

    def run(self) -> None:
        """Wait for the election, then start; returns once started (or when stopping). A
        database that is not reachable yet is retried; it never leaves a half-started
        scheduler holding the lock."""
        use_election = self.app.config.get("SCHEDULER_ELECTION", True)
        retry = float(self.app.config.get("SCHEDULER_RETRY_SECONDS", 30))
        announced = False
        while not self.stopping.is_set():
            try:
                if use_election and not self.election.try_acquire():
                    if not announced:
                        log.info("planner wacht: een ander proces voert de planner al uit")
                        announced = True
                elif self._start():
                    return
            except Exception:
                log.exception("planner kon niet starten; opnieuw over %s s", retry)
                self._abandon()
            if self.stopping.wait(retry):
                return

    def _start(self) -> bool:
        global _app, _scheduler
        _app = self.app
        scheduler = build(self.app)
        _scheduler = self.scheduler = scheduler
        started_at = time_module.perf_counter()
        scheduler.start(paused=True)  # reconcile first, then let jobs run
        with self.app.app_context():
            forget_stored_reminders()
            counts = sync_jobs(scheduler, utcnow())
            db.session.remove()
        scan_seconds = float(self.app.config.get("SCHEDULER_SCAN_SECONDS", 60))
        scheduler.add_job(f"{JOBS}:job_scan", "interval", seconds=scan_seconds,
                          id="scan", replace_existing=True, next_run_time=datetime.now(SCHOOL_TZ))
        scheduler.add_job(f"{JOBS}:job_overdue", "cron", hour=8, minute=0,
                          id="overdue", replace_existing=True)
        scheduler.add_job(f"{JOBS}:job_housekeeping", "cron", hour=3, minute=30,
                          id="housekeeping", replace_existing=True)
        seconds = time_module.perf_counter() - started_at
        scheduler.resume()
        log.info("planner actief: herinneringen %s, bijgewerkt in %.2f s", counts, seconds)
        self.reconcile_seconds = seconds
        self.started.set()
        return True

    def _abandon(self) -> None:
        """Undo a failed start: stop the scheduler and give the lock back."""
        global _scheduler
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.scheduler = _scheduler = None
        self.election.release()

    def healthy(self) -> bool:
        """False when the scheduler runs but its lock was lost (the database restarted):
        the process should then stop, so that only one scheduler runs."""
        if self.scheduler is None or not self.app.config.get("SCHEDULER_ELECTION", True):
            return True
        return self.election.alive()

    def start_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="steungroep-planner", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """Stop taking jobs, let the running ones finish, give the lock back. APScheduler's
        own ``shutdown(wait=True)`` waits while holding its job-store lock, and a running
        scan uses the job stores (``sync_jobs``): that waiting would never end. So the
        scheduler is shut down without waiting, and the waiting is done here, lock-free."""
        global _scheduler
        self.stopping.set()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            self.shut_down.set()
            if not _running.wait_idle(STOP_SECONDS):
                log.warning("planner gestopt terwijl een taak nog liep")
        _scheduler = None
        self.election.release()
