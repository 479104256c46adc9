"""The coordinator's pages under load, on SQLite and on PostgreSQL.

Seeds 50 schools with 2,000 active groups and their history (plus closed cases of this and
last school year), starts the app under gunicorn (SERVER_TIMING=1, so every response says
its server time and SQL statements), logs in as a coordinator of all 50 schools and
measures, beside a bare Flask route in the same app and run as the reference:

- p50/p95 server time and SQL statements over sequential requests;
- throughput (requests per second) with several clients at once.

    .venv/bin/python benchmarks/coordinator.py [--backend sqlite|postgresql|both]
        [--groups 2000] [--schools 50] [--seconds 8] [--workers 2] [--clients 4]

PostgreSQL: BENCH_DATABASE_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/
steungroep_bench (created and dropped; the server's 'postgres' database is used to do so).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-coordinator-wachtwoord"
EMAIL = "coordinator@bench.example"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/steungroep_bench"


# ---- the app gunicorn runs: the real one plus a bare route -------------------------------


def bench_app():
    from flask import request

    from steungroep import create_app
    from steungroep.web import memo

    app = create_app()

    @app.before_request
    def fresh():
        """``?n=…`` (a new address each time) also empties what the process remembered, so
        the page is built from the database as after any change in those schools."""
        if "n" in request.args:
            memo.clear_all()

    @app.get("/bench/bare")
    def bare():
        return "ok"

    return app


# ---- seeding ------------------------------------------------------------------------------


def seed(url: str, schools: int, groups: int, closed: int, classes: int = 4,
         pupils_per_class: int = 28, teachers: int = 4,
         coordinator_schools: int | None = None) -> dict:
    """Bulk-insert the world through SQLAlchemy Core; returns what the measuring needs.
    The coordinator holds the first ``coordinator_schools`` schools (default: all)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench")
    from flask_migrate import upgrade
    from sqlalchemy import insert, text
    from werkzeug.security import generate_password_hash

    from steungroep import create_app
    from steungroep.cases.status import refresh_all
    from steungroep.core.extensions import db
    from steungroep.models import (
        Action,
        Board,
        Case,
        CaseForm,
        Cycle,
        Evaluation,
        GroupMember,
        MemberResult,
        Pupil,
        PupilTalk,
        School,
        SchoolClass,
        SupportGroup,
        TimelineEntry,
        User,
        new_card_token,
        user_schools,
    )

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    rnd = random.Random(2026)
    today = date.today()
    now = datetime.now().astimezone()
    rows: dict[str, list[dict]] = {name: [] for name in (
        "boards", "schools", "classes", "pupils", "users", "user_schools", "cases", "forms",
        "timeline", "talks", "groups", "members", "cycles", "actions", "evaluations", "results")}
    ids = {name: 0 for name in rows}

    def add(table: str, **values) -> int:
        ids[table] += 1
        if "id" not in values and table not in ("user_schools", "forms"):
            values["id"] = ids[table]
        rows[table].append(values)
        return ids[table]

    pupils_by_school: dict[int, list[int]] = {}
    teachers_by_school: dict[int, list[int]] = {}
    hashed = generate_password_hash(PASSWORD)
    coordinator = add("users", name="Coördinator Bench", email=EMAIL, password_hash=hashed,
                      role="coordinator", active=True, must_change_password=False)
    board = add("boards", name="Stichting Bench")
    for s in range(1, schools + 1):
        school = add("schools", name=f"Basisschool {s:02d}", region="midden",
                     retention_months=12, board_id=board)
        if coordinator_schools is None or s <= coordinator_schools:
            add("user_schools", user_id=coordinator, school_id=school)
        pupils_by_school[school] = []
        for c in range(classes):
            klass = add("classes", school_id=school, name=f"groep {3 + c // 2}{'ab'[c % 2]}",
                        school_year="2026-2027")
            for p in range(pupils_per_class):
                pupil = add("pupils", school_id=school, class_id=klass,
                            first_name=f"Leerling{p:02d}{chr(97 + c % 26)}", surname_initial="B",
                            external_id=f"{school}-{klass}-{p}")
                pupils_by_school[school].append(pupil)
        teachers_by_school[school] = []
        for t in range(teachers):
            teacher = add("users", name=f"Leerkracht {s:02d}-{t}", email=f"t{s}-{t}@bench.example",
                          password_hash="x", role="teacher", active=True,
                          must_change_password=False)
            add("user_schools", user_id=teacher, school_id=school)
            teachers_by_school[school].append(teacher)

    def build_case(school: int, active: bool) -> int:
        pupils = rnd.sample(pupils_by_school[school], 9)
        teacher = rnd.choice(teachers_by_school[school])
        reported = today - timedelta(days=rnd.randint(2, 60) if active else rnd.randint(70, 600))
        stage = rnd.random()
        case = add("cases", school_id=school, pupil_id=pupils[0], teacher_id=teacher,
                   reported_on=reported, source=rnd.choice(["leerling", "ouder", "personeel",
                                                            "klasgenoot", "brievenbus"]),
                   description="Wordt buitengesloten.", triage="herhaald", triage_note="",
                   outcome_note="", created_at=now - timedelta(days=(today - reported).days))
        for form in rnd.sample(["verbaal", "isolatie", "digitaal", "lichamelijk"], 2):
            add("forms", case_id=case, form=form)
        add("timeline", case_id=case, at=now - timedelta(days=(today - reported).days),
            user_id=teacher, kind="melding", text="Melding geregistreerd.")
        if active and stage < 0.1:
            return case  # waiting for the talk with the pupil
        add("talks", case_id=case, held_on=reported + timedelta(days=1), consent=True,
            letter="Ik wil weer meedoen.", confidential="", pupil_task="", notes="")
        composing = active and stage < 0.2
        group = add("groups", case_id=case,
                    confirmed_at=None if composing else now - timedelta(
                        days=(today - reported).days - 2))
        members = [add("members", group_id=group, pupil_id=p,
                       role=["aanvoerder", "meeloper", "omstander", "helper"][i % 4],
                       joined_cycle=1, card_token=new_card_token())
                   for i, p in enumerate(pupils[1:8])]
        if composing:
            return case
        rounds = rnd.choice([1, 1, 1, 2, 2, 3, 4, 5])
        meeting = reported + timedelta(days=3)
        for number in range(1, rounds + 1):
            last = number == rounds
            pending_meeting = active and last and stage < 0.35
            cycle = add("cycles", group_id=group, number=number,
                        meeting_on=None if pending_meeting else meeting,
                        meeting_planned_on=meeting if pending_meeting else None,
                        meeting_completed_at=None if pending_meeting else now - timedelta(
                            days=max((today - meeting).days, 0)),
                        meeting_minutes=None if pending_meeting else 35,
                        decision=None if last else "nieuwe_ronde", decision_note="")
            add("timeline", case_id=case, at=now - timedelta(days=max((today - meeting).days, 0)),
                user_id=teacher, kind="bijeenkomst", text=f"Bijeenkomst ronde {number}.")
            if pending_meeting:
                break
            for m in members:
                add("actions", cycle_id=cycle, member_id=m, text="Ik speel met je in de pauze.",
                    updated_at=now)
            pupil_due = meeting + timedelta(days=7)
            group_due = meeting + timedelta(days=14)
            open_round = active and last
            pupil_held = None if open_round and (stage < 0.6 or pupil_due >= today) else pupil_due
            group_held = None if open_round and (pupil_held is None or stage < 0.85
                                                 or group_due >= today) else group_due
            add("evaluations", cycle_id=cycle, kind="leerling", due_on=pupil_due,
                held_on=pupil_held, wellbeing=rnd.randint(1, 5) if pupil_held else None,
                improved=rnd.choice(["ja", "deels", "nee"]) if pupil_held else None,
                changed="", still_needed="", notes="", reminded_for=pupil_due)
            evaluation = add("evaluations", cycle_id=cycle, kind="groep", due_on=group_due,
                             held_on=group_held, changed="", still_needed="", notes="",
                             reminded_for=group_due)
            if group_held:
                for position, m in enumerate(members):
                    add("results", evaluation_id=evaluation, member_id=m, position=position,
                        done=rnd.choice(["ja", "ja", "deels", "nee"]), observation="")
            meeting = group_due + timedelta(days=3)
        if not active:
            closed_at = now - timedelta(days=max((today - meeting).days, 1))
            rows["cases"][-1].update(closed_at=closed_at,
                                     outcome=rnd.choice(["opgelost"] * 4 + ["geescaleerd"]))
            rows["cycles"][-1]["decision"] = "afsluiten"
        return case

    school_ids = list(range(1, schools + 1))
    active_cases = [build_case(school_ids[i % schools], True) for i in range(groups)]
    for i in range(closed):
        build_case(school_ids[i % schools], False)

    tables = {
        "boards": Board, "schools": School, "classes": SchoolClass, "pupils": Pupil, "users": User,
        "user_schools": user_schools, "cases": Case, "forms": CaseForm,
        "timeline": TimelineEntry, "talks": PupilTalk, "groups": SupportGroup,
        "members": GroupMember, "cycles": Cycle, "actions": Action, "evaluations": Evaluation,
        "results": MemberResult,
    }
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        started = time.perf_counter()
        with db.engine.begin() as conn:
            for name, table in tables.items():
                target = table if hasattr(table, "insert") else table.__table__
                keys = set().union(*rows[name]) if rows[name] else set()
                rows[name] = [{key: row.get(key) for key in keys} for row in rows[name]]
                for start in range(0, len(rows[name]), 5000):
                    conn.execute(insert(target), rows[name][start:start + 5000])
            refresh_all(conn)  # the status columns the app keeps after every change
            if db.engine.dialect.name == "postgresql":
                for table in db.metadata.sorted_tables:
                    if "id" in table.c and table.name in {
                            getattr(t, "__tablename__", getattr(t, "name", None))
                            for t in tables.values()}:
                        conn.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table.name}), 1))"
                        ))
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))  # as autovacuum would after a bulk load
        seconds = time.perf_counter() - started
        db.engine.dispose()
    total = sum(len(v) for v in rows.values())
    print(f"  seeded {total:,} rows in {seconds:.1f} s: {schools} schools, {groups} active "
          f"groups, {closed} closed cases", flush=True)
    return {"case_id": active_cases[len(active_cases) // 2]}


# ---- serving and measuring ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """A keep-alive HTTP client with the session cookie."""

    def __init__(self, port: int, cookie: str = ""):
        self.port = port
        self.cookie = cookie
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                return response, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def _cookies(response, jar: dict[str, str]) -> str:
    """Keep every cookie the response sets (the session and the known-device cookie)."""
    for header in response.msg.get_all("Set-Cookie") or []:
        name, _, value = header.split(";", 1)[0].partition("=")
        jar[name] = value
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def log_in(port: int, email: str = EMAIL) -> str:
    client = Client(port)
    jar: dict[str, str] = {}
    response, data = client.request("GET", "/inloggen")
    client.cookie = _cookies(response, jar)
    token = re.search(rb'name="csrf_token" value="([^"]+)"', data).group(1).decode()
    response, _ = client.request(
        "POST", "/inloggen", body=urlencode({"csrf_token": token, "email": email,
                                             "password": PASSWORD}),
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Referer": f"http://127.0.0.1:{port}/inloggen"})
    assert response.status == 302, f"login failed: {response.status}"
    return _cookies(response, jar)


def server_time(response) -> tuple[float, int]:
    timing = response.getheader("Server-Timing", "")
    took = float(re.search(r"app;dur=([\d.]+)", timing).group(1))
    return took, int(response.getheader("X-SQL-Statements", "0"))


def latency(port: int, cookie: str, path: str, count: int) -> dict:
    client = Client(port, cookie)
    for i in range(5):
        client.request("GET", path.replace("{n}", f"w{i}"))
    times, statements = [], set()
    for i in range(count):
        response, _ = client.request("GET", path.replace("{n}", f"l{i}"))
        assert response.status == 200, f"{path}: {response.status}"
        took, sql = server_time(response)
        times.append(took)
        statements.add(sql)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1],
            "sql": "/".join(str(s) for s in sorted(statements))}


def throughput(port: int, cookie: str, path: str, seconds: float, clients: int) -> float:
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def run(i: int) -> None:
        client = Client(port, cookie)
        n = 0
        while time.perf_counter() < stop:
            n += 1
            response, _ = client.request("GET", path.replace("{n}", f"t{i}-{n}"))
            if response.status == 200:
                done[i] += 1

    return sum(done) / side_by_side(run, clients)


def side_by_side(run, clients: int) -> float:
    """``run(i)`` for each of ``clients`` threads at once; the seconds they took together."""
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - began


def measure(backend: str, url: str, args) -> list[tuple]:
    print(f"\n{backend}: seeding …", flush=True)
    info = seed(url, args.schools, args.groups, args.closed)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "SERVER_TIMING": "1",
           "SCHEDULER_ELECTION": "0", "LOGIN_LIMIT_ADDRESS": "1000 per minute",
           "LOGIN_LIMIT_ACCOUNT": "1000 per minute"}
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", str(args.workers), "-b",
         f"127.0.0.1:{port}", "--log-level", "warning", "benchmarks.coordinator:bench_app()"],
        cwd=ROOT, env=env, start_new_session=True)
    try:
        for _ in range(100):
            try:
                Client(port).request("GET", "/bench/bare")
                break
            except OSError:
                time.sleep(0.2)
        cookie = log_in(port)
        # "{n}" makes every request a new address, so the overview cannot answer from
        # memory: that is the cost after any change in the coordinator's schools.
        pages = [
            ("bare Flask route (reference)", "/bench/bare"),
            ("dashboard, first page (fresh)", "/overzicht?n={n}"),
            ("dashboard, filtered (fresh)",
             "/overzicht?state=evaluatie_groep&overdue=1&sort=age&n={n}"),
            ("dashboard, unchanged (memory)", "/overzicht"),
            ("statistics", "/statistieken"),
            ("case page", f"/zaken/{info['case_id']}"),
        ]
        results = []
        reference = None
        for label, path in pages:
            lat = latency(port, cookie, path, args.requests)
            rps = throughput(port, cookie, path, args.seconds, args.clients)
            reference = reference or rps
            results.append((backend, label, lat["p50"], lat["p95"], lat["sql"], rps,
                            rps / reference))
            print(f"  {label:32} p50 {lat['p50']:7.1f} ms  p95 {lat['p95']:7.1f} ms  "
                  f"sql {lat['sql']:>5}  {rps:7.1f} req/s  {rps / reference:6.1%} of bare",
                  flush=True)
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--groups", type=int, default=2000)
    parser.add_argument("--closed", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; gunicorn {args.workers} sync workers; {args.clients} "
          f"clients for {args.seconds:g} s per page; {args.requests} sequential requests for "
          "the server times")
    results = []
    if args.backend in ("sqlite", "both"):
        folder = tempfile.mkdtemp(prefix="steungroep-bench-")
        results += measure("sqlite", f"sqlite:///{folder}/bench.sqlite", args)
    if args.backend in ("postgresql", "both"):
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
        create_pg_database(url)
        results += measure("postgresql", url, args)
    print("\n| database | page | p50 ms | p95 ms | SQL statements | req/s | of bare route |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for backend, label, p50, p95, sql, rps, share in results:
        print(f"| {backend} | {label} | {p50:.1f} | {p95:.1f} | {sql} | {rps:.0f} | "
              f"{share:.0%} |")


def create_pg_database(url: str) -> None:
    from sqlalchemy import create_engine, make_url, text

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {target.database} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {target.database}"))
    admin.dispose()


if __name__ == "__main__":
    main()
