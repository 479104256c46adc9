"""How long does the scheduler take at start-up to reconcile its reminder jobs with N planned
evaluations? Seeds a fresh database (SQLite file by default, or --database-url), then times
``sync_jobs`` on a new scheduler three times: all jobs missing (every start: the reminder
jobs live in memory), a scan with nothing to do, and a scan after 10 % of the dates moved.

    .venv/bin/python benchmarks/reconcile.py [--evaluations 10000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from steungroep import create_app  # noqa: E402
from steungroep.core.extensions import db  # noqa: E402
from steungroep.core.timeutil import SCHOOL_TZ, utcnow  # noqa: E402
from steungroep.models import (  # noqa: E402
    Board,
    Case,
    Cycle,
    Evaluation,
    Pupil,
    School,
    SchoolClass,
    SupportGroup,
    User,
)
from steungroep.planning import scheduler as scheduler_module  # noqa: E402


def seed(evaluations: int) -> None:
    """One school, one teacher, N/2 cases each with a held meeting and two evaluations due
    over the coming four weeks."""
    cases = evaluations // 2
    board = db.session.execute(insert(Board).values(name="Benchmark").returning(Board.id))
    school = db.session.execute(insert(School).values(
        name="Benchmark", board_id=board.scalar_one()).returning(School.id))
    school_id = school.scalar_one()
    class_id = db.session.execute(
        insert(SchoolClass)
        .values(school_id=school_id, name="groep 6", school_year="2026-2027")
        .returning(SchoolClass.id)
    ).scalar_one()
    teacher_id = db.session.execute(
        insert(User)
        .values(name="Juf", email="juf@bench.example", password_hash="x", role="teacher",
                active=True)
        .returning(User.id)
    ).scalar_one()
    db.session.execute(
        insert(Pupil),
        [{"id": i + 1, "school_id": school_id, "class_id": class_id, "first_name": f"L{i}"}
         for i in range(cases)],
    )
    today = date(2027, 3, 1)
    db.session.execute(
        insert(Case),
        [{"id": i + 1, "school_id": school_id, "pupil_id": i + 1, "teacher_id": teacher_id,
          "reported_on": today, "source": "ouder", "description": "-", "triage": "herhaald",
          "triage_note": "", "outcome_note": "", "created_at": utcnow()} for i in range(cases)],
    )
    db.session.execute(
        insert(SupportGroup), [{"id": i + 1, "case_id": i + 1} for i in range(cases)]
    )
    db.session.execute(
        insert(Cycle),
        [{"id": i + 1, "group_id": i + 1, "number": 1, "meeting_on": today,
          "decision_note": ""} for i in range(cases)],
    )
    rows = []
    for i in range(cases):
        due = today + timedelta(days=7 + i % 20)
        for kind, offset in (("leerling", 0), ("groep", 7)):
            rows.append({"cycle_id": i + 1, "kind": kind, "due_on": due + timedelta(days=offset),
                         "changed": "", "still_needed": "", "notes": ""})
    db.session.execute(insert(Evaluation), rows)
    db.session.commit()


def timed(label: str, scheduler, now: datetime) -> None:
    started = time.perf_counter()
    counts = scheduler_module.sync_jobs(scheduler, now)
    seconds = time.perf_counter() - started
    print(f"{label:<28} {seconds:8.2f} s   {counts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="steungroep-bench-")
    url = args.database_url or f"sqlite:///{folder}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark"})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        seed(args.evaluations)
        print(f"{db.engine.dialect.name}, {args.evaluations} planned evaluations")
        now = datetime(2027, 3, 1, 7, tzinfo=SCHOOL_TZ)
        scheduler = scheduler_module.build(app)
        scheduler.start(paused=True)
        try:
            timed("start (all missing)", scheduler, now)
            timed("scan (nothing to do)", scheduler, now)
            moved = [
                {"id": eid, "due_on": due_on + timedelta(days=1)}
                for eid, due_on in db.session.execute(
                    select(Evaluation.id, Evaluation.due_on).where(Evaluation.id % 10 == 0)
                ).tuples()
            ]
            db.session.execute(update(Evaluation), moved)
            db.session.commit()
            timed("scan (10 % of dates moved)", scheduler, now)
        finally:
            scheduler.shutdown(wait=False)


if __name__ == "__main__":
    main()
