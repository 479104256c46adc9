"""PostgreSQL away and back: under gunicorn (two workers) on a PostgreSQL server of the
test's own, the server is stopped. Staff pages answer the app's own Dutch 503 with
Retry-After (never gunicorn's bare 500), a pupil's card a calm page of its own, a form that
could not be saved comes back with what was typed and a button that sends it again, and
/readyz says not ready. The server is started again: the very first requests succeed (each
pooled connection is checked before use) and sending the form again saves it, once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import time

import psycopg

from ..services import SCRIPT, Browser, OwnPostgres, free_port, get

WORDS = ("pesten", "dader", "slachtoffer", "beheerder")


def _csrf(browser: Browser, path: str) -> str:
    _, page = browser.request("GET", path)
    return re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()


def test_staff_pages_cards_and_forms_while_postgresql_is_away(tmp_path):
    server = OwnPostgres()
    server.start()
    app = planner = None
    try:
        with psycopg.connect(server.url().replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute("CREATE DATABASE steungroep")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("FLASK_", "PROMETHEUS"))}
        env.update(DATABASE_URL=server.url("steungroep"), SECRET_KEY="x" * 40, GC_FREEZE="0",
                   SCHEDULER_SCAN_SECONDS="1", SCHEDULER_HEALTH_SECONDS="0.5",
                   SCHEDULER_RETRY_SECONDS="1")
        for command in (["db", "upgrade"], ["demo"]):
            subprocess.run([str(SCRIPT), *command], env=env, check=True, capture_output=True,
                           timeout=120)
        with psycopg.connect(server.url("steungroep").replace("+psycopg", "")) as conn:
            card = conn.execute("SELECT card_token FROM group_members LIMIT 1").fetchone()[0]
            pupil = conn.execute("SELECT id FROM pupils WHERE first_name = 'Bas'").fetchone()[0]
            before = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        port = free_port()
        app = subprocess.Popen([str(SCRIPT), "web", "-b", f"127.0.0.1:{port}", "-w", "2"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
        planner = subprocess.Popen([str(SCRIPT), "scheduler"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while not (_up(base) and get(base + "/readyz")[0] == 200
                   and json.loads(get(base + "/readyz")[1])["checks"]["scheduler"]["ok"]):
            assert time.monotonic() < deadline and app.poll() is None
            time.sleep(0.05)
        teacher = Browser(port, "127.0.0.1", tls=False)
        assert teacher.log_in("anne@vlinder.example", "demo-leerkracht").status == 302
        token = _csrf(teacher, "/meldingen/nieuw")
        assert get(f"{base}/k/{card}")[0] == 200

        server.stop()
        for _ in range(4):  # both workers, each with its pooled connections gone
            response, page = teacher.request("GET", "/")
            assert response.status == 503 and b"Even geduld" in page
            assert response.getheader("Retry-After") == "30"
            status, child = get(f"{base}/k/{card}")
            assert status == 503 and "Probeer het zo nog eens" in child
            assert not any(word in child.lower() for word in WORDS), child
        assert get(base + "/readyz")[0] == 503
        form = [("csrf_token", token), ("pupil_id", str(pupil)),
                ("reported_on", time.strftime("%Y-%m-%d")), ("source", "leerling"),
                ("forms", "verbaal"), ("forms", "digitaal"),
                ("description", "Wordt buitengesloten bij het buitenspelen, al drie weken."),
                ("triage", "herhaald"), ("triage_note", ""), ("submission_key", "fault-pg-1")]
        response, page = teacher.request("POST", "/meldingen/nieuw", form)
        text = page.decode()
        assert response.status == 503
        assert "Wordt buitengesloten bij het buitenspelen, al drie weken." in text
        resend = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', text)
        assert ("forms", "digitaal") in resend and ("csrf_token", token) in resend

        server.start()
        for _ in range(4):  # the first requests after the restart: no stale connection
            assert teacher.request("GET", "/")[0].status == 200
            assert get(f"{base}/k/{card}")[0] == 200
        for _ in range(2):  # the button, tapped twice: one melding
            response, _ = teacher.request("POST", "/meldingen/nieuw", resend)
            assert response.status in (302, 303), response.status
        with psycopg.connect(server.url("steungroep").replace("+psycopg", "")) as conn:
            after = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        assert after == before + 1
        assert planner.poll() is None  # the scheduler beside it lived through it too
    finally:
        if planner is not None:
            planner.terminate()
            planner.wait(timeout=60)
        if app is not None:
            app.terminate()
            output = app.communicate(timeout=30)[0]
        server.remove()
    assert " 500 " not in output and "Internal Server Error" not in output, output
    assert "database antwoordt niet" in output


def _up(base: str) -> bool:
    try:
        get(base + "/livez")
        return True
    except OSError:
        return False


def test_the_scheduler_survives_a_database_restart(tmp_path):
    """`steungroep scheduler` loses its lock when PostgreSQL restarts: it stops its jobs,
    waits, takes the lock again and scans on (it used to exit for good)."""
    server = OwnPostgres()
    server.start()
    scheduler = reader = None
    lines: list[str] = []
    try:
        with psycopg.connect(server.url().replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute("CREATE DATABASE steungroep")
        libpq = server.url("steungroep").replace("+psycopg", "")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("FLASK_", "PROMETHEUS"))}
        env.update(DATABASE_URL=server.url("steungroep"), SECRET_KEY="x" * 40, GC_FREEZE="0",
                   SCHEDULER_SCAN_SECONDS="1", SCHEDULER_HEALTH_SECONDS="0.5",
                   SCHEDULER_RETRY_SECONDS="1")
        subprocess.run([str(SCRIPT), "db", "upgrade"], env=env, check=True,
                       capture_output=True, timeout=120)
        scheduler = subprocess.Popen([str(SCRIPT), "scheduler"], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        active = threading.Event()

        def read_output() -> None:
            for line in scheduler.stdout:
                lines.append(line)
                if "planner actief" in line:
                    active.set()

        reader = threading.Thread(target=read_output, daemon=True)
        reader.start()

        def next_scan() -> float:
            with psycopg.connect(libpq) as conn:
                row = conn.execute("SELECT next_run_time FROM apscheduler_jobs "
                                   "WHERE id = 'scan'").fetchone()
            return float(row[0]) if row else 0.0

        # Running means started, not only its scan job stored: the job is stored halfway
        # through the start, and a database gone then is a failed start, retried (seen once
        # on a busy machine), not the lost lock this test is about.
        assert active.wait(60), "the scheduler did not start"
        server.stop()
        time.sleep(2)  # the database stays away for a while (longer than a health check)
        server.start()
        restarted = time.time()
        deadline = time.monotonic() + 60
        while next_scan() < restarted + 1:  # a scan ran after the restart
            assert time.monotonic() < deadline, "no scan after the restart"
            assert scheduler.poll() is None, "the scheduler exited"
            time.sleep(0.2)
    finally:
        if scheduler is not None:
            scheduler.terminate()
            scheduler.wait(timeout=60)
            if reader is not None:
                reader.join(timeout=60)
            output = "".join(lines)
        server.remove()
    assert scheduler.returncode == 0, output
    assert "slot op de database verloren" in output and output.count("planner actief") >= 2
