"""Every GET page at the scale of a school board, on SQLite and on PostgreSQL.

Seeds a board (50 schools, 2,000 active groups with history, 2,000 closed cases, 20,000
pupils, ten staff per school), runs the app under gunicorn as the README's production set-up
does (2 sync workers, SERVER_TIMING=1 so every response reports its server time and SQL
statements) and measures every page a teacher, a coordinator (of all 50 schools), an admin
and a pupil opens, beside a bare Flask route in the same run: p50/p95 server time, SQL
statements, response bytes and gzip bytes, requests per second and the share of the bare
route's. Prints one table; the README shows it. Targets (issue "Every page fast at the scale
of a school board"): p95 < 100 ms, the card ≥ 50 % of the bare route, < 60 KB gzipped.

    .venv/bin/python benchmarks/pages.py [--backend sqlite|postgresql|both]
        [--seconds 4] [--requests 60]
"""

from __future__ import annotations

import argparse
import gzip
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.coordinator import (  # noqa: E402
    DEFAULT_PG,
    EMAIL,
    PASSWORD,
    Client,
    create_pg_database,
    free_port,
    latency,
    log_in,
    seed,
    throughput,
)

TEACHER = "teacher@bench.example"
ADMIN = "admin@bench.example"


def people(url: str, case_id: int) -> dict:
    """A teacher who can log in (the one of the measured case), an admin of that school, a
    calendar feed and a card of a member of a group whose meeting was held."""
    from sqlalchemy import create_engine, text
    from werkzeug.security import generate_password_hash

    from steungroep.models import new_card_token

    engine = create_engine(url)
    hashed = generate_password_hash(PASSWORD)
    feed = new_card_token()
    with engine.begin() as conn:
        teacher, school = conn.execute(
            text("SELECT teacher_id, school_id FROM cases WHERE id = :id"), {"id": case_id}
        ).one()
        conn.execute(text("UPDATE users SET email = :e, password_hash = :h, "
                          "calendar_token = :f WHERE id = :id"),
                     {"e": TEACHER, "h": hashed, "f": feed, "id": teacher})
        admin = conn.execute(text(
            "INSERT INTO users (name, email, password_hash, role, active, "
            "must_change_password) VALUES ('Beheer Bench', :e, :h, 'admin', :t, :f) "
            "RETURNING id"), {"e": ADMIN, "h": hashed, "t": True, "f": False}).scalar_one()
        conn.execute(text("INSERT INTO user_schools (user_id, school_id) VALUES (:u, :s)"),
                     {"u": admin, "s": school})
        steps = {}
        for step in ("gesprek", "groep", "besluit", "bijeenkomst", "evaluatie_leerling",
                     "evaluatie_groep"):
            steps[step] = conn.execute(text(
                "SELECT id FROM cases WHERE school_id = :s AND closed_at IS NULL AND step = :st"
                " ORDER BY id LIMIT 1"), {"s": school, "st": step}).scalar() or case_id
            conn.execute(text("UPDATE cases SET teacher_id = :t WHERE id = :id"),
                         {"t": teacher, "id": steps[step]})
        token = conn.execute(text(
            "SELECT m.card_token FROM group_members m JOIN support_groups g ON g.id = m.group_id"
            " JOIN cases c ON c.id = g.case_id JOIN cycles y ON y.group_id = g.id"
            " WHERE c.closed_at IS NULL AND y.meeting_completed_at IS NOT NULL"
            " ORDER BY m.id LIMIT 1")).scalar_one()
        member = conn.execute(text(
            "SELECT m.id FROM group_members m JOIN support_groups g ON g.id = m.group_id"
            " WHERE g.case_id = :c ORDER BY m.id LIMIT 1"), {"c": steps["bijeenkomst"]}
        ).scalar_one()
        pupil = conn.execute(text("SELECT pupil_id FROM cases WHERE id = :id"),
                             {"id": case_id}).scalar_one()
    engine.dispose()
    return {"feed": feed, "card": token, "member": member, "pupil": pupil, **steps}


def pages(case_id: int, extra: dict) -> list[tuple[str, str, str]]:
    """(who, page, path); "{n}" gives every request a new address (nothing from memory)."""
    z = f"/zaken/{case_id}"
    m = f"/zaken/{extra['bijeenkomst']}"  # a group with cards
    return [
        ("-", "bare Flask route (reference)", "/bench/bare"),
        ("leerling", "card (/k/…)", f"/k/{extra['card']}"),
        ("-", "login page", "/inloggen"),
        ("leerkracht", "home", "/"),
        ("leerkracht", "melding form", "/meldingen/nieuw"),
        ("leerkracht", "case page", z),
        ("leerkracht", "talk with the pupil", f"/zaken/{extra['gesprek']}/gesprek"),
        ("leerkracht", "group", f"/zaken/{extra['groep']}/groep"),
        ("leerkracht", "group search", f"/zaken/{extra['groep']}/groep/zoeken?q=a"),
        ("leerkracht", "meeting", f"/zaken/{extra['bijeenkomst']}/bijeenkomst"),
        ("leerkracht", "evaluation with the pupil",
         f"/zaken/{extra['evaluatie_leerling']}/evaluatie-leerling"),
        ("leerkracht", "evaluation with the group",
         f"/zaken/{extra['evaluatie_groep']}/evaluatie-groep"),
        ("leerkracht", "decision after a round", f"/zaken/{extra['besluit']}/besluit"),
        ("leerkracht", "cards (QR codes)", f"{m}/kaarten"),
        ("leerkracht", "one card's QR screen", f"{m}/kaarten/{extra['member']}"),
        ("leerkracht", "cards to print", f"{m}/kaarten/afdrukken"),
        ("leerkracht", "invitations", f"{m}/uitnodigingen"),
        ("leerkracht", "dossier report", f"{z}/verslag"),
        ("leerkracht", "dossier notes", f"{z}/notities"),
        ("leerkracht", "agenda", "/agenda"),
        ("leerkracht", "calendar feed", f"/agenda/{extra['feed']}.ics"),
        ("leerkracht", "archive", "/archief"),
        ("leerkracht", "password page", "/account/wachtwoord"),
        ("coördinator", "home", "/"),
        ("coördinator", "melding form (50 schools)", "/meldingen/nieuw"),
        ("coördinator", "pupil search (50 schools)",
         "/leerlingen/kiezen?veld=pupil_id&zoek_pupil_id=a"),
        ("coördinator", "overview (fresh)", "/overzicht?n={n}"),
        ("coördinator", "overview (unchanged)", "/overzicht"),
        ("coördinator", "overview: a group's actions",
         f"/overzicht/aanpak/{extra['bijeenkomst']}/acties"),
        ("coördinator", "statistics (fresh)", "/statistieken?n={n}"),
        ("coördinator", "statistics (unchanged)", "/statistieken"),
        ("coördinator", "archive", "/archief"),
        ("coördinator", "pupils", "/leerlingen"),
        ("coördinator", "logboek of the case", f"{z}/logboek"),
        ("coördinator", "logboek of a pupil", f"/leerlingen/{extra['pupil']}/logboek"),
        ("coördinator", "access copy of a pupil", f"/leerlingen/{extra['pupil']}/inzage"),
        ("coördinator", "settings", "/instellingen"),
        ("beheerder", "people", "/beheer/personen"),
        ("beheerder", "erasing a pupil", f"/leerlingen/{extra['pupil']}/wissen"),
    ]


def measure(backend: str, url: str, args) -> list[tuple]:
    print(f"\n{backend}: seeding …", flush=True)
    info = seed(url, args.schools, args.groups, args.closed, classes=16, pupils_per_class=25,
                teachers=10)
    extra = people(url, info["case_id"])
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "SERVER_TIMING": "1",
           "SCHEDULER_ELECTION": "0", "LOGIN_LIMIT_ADDRESS": "1000 per minute",
           "LOGIN_LIMIT_ACCOUNT": "1000 per minute", "CARD_GUESS_LIMIT": "100000 per minute"}
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
        cookies = {"-": "", "leerling": "", "leerkracht": log_in(port, TEACHER),
                   "coördinator": log_in(port, EMAIL), "beheerder": log_in(port, ADMIN)}
        results = []
        reference = None
        for who, label, path in pages(info["case_id"], extra):
            cookie = cookies[who]
            response, body = Client(port, cookie).request("GET", path.replace("{n}", "size"))
            assert response.status == 200, f"{who} {path}: {response.status}"
            size, packed = len(body), len(gzip.compress(body))
            lat = latency(port, cookie, path, args.requests)
            rps = throughput(port, cookie, path, args.seconds, args.clients)
            reference = reference or rps
            results.append((backend, who, label, lat["p50"], lat["p95"], lat["sql"], size,
                            packed, rps, rps / reference))
            print(f"  {who:11} {label:28} p50 {lat['p50']:6.1f}  p95 {lat['p95']:6.1f} ms  "
                  f"sql {lat['sql']:>5}  {size / 1024:6.1f} KiB ({packed / 1024:5.1f} gz)  "
                  f"{rps:6.0f} req/s {rps / reference:5.0%}", flush=True)
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
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; gunicorn {args.workers} sync workers; {args.clients} "
          f"clients for {args.seconds:g} s per page; {args.requests} sequential requests for "
          "the server times")
    results = []
    if args.backend in ("sqlite", "both"):
        folder = tempfile.mkdtemp(prefix="steungroep-bench-")
        results += measure("SQLite", f"sqlite:///{folder}/bench.sqlite", args)
    if args.backend in ("postgresql", "both"):
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
        create_pg_database(url)
        results += measure("PostgreSQL", url, args)
    print("\n| database | who | page | p50 ms | p95 ms | SQL | KiB | KiB gzip | req/s "
          "| of bare |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for backend, who, label, p50, p95, sql, size, packed, rps, share in results:
        print(f"| {backend} | {who} | {label} | {p50:.1f} | {p95:.1f} | {sql} | "
              f"{size / 1024:.1f} | {packed / 1024:.1f} | {rps:.0f} | {share:.0%} |")


if __name__ == "__main__":
    main()
