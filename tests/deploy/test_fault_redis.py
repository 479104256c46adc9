"""Redis away: nobody is locked out and nothing fails. Under gunicorn with two workers and
the limits in a Redis of the test's own, Redis is stopped: right and wrong logins, wrong card
and calendar links, /readyz all answer as usual (the counts go to each worker's memory, the
log says so); Redis is started again and the counts go back to it."""

from __future__ import annotations

import json
import os
import subprocess
import time

import redis

from ..services import SCRIPT, Browser, free_port, get, own_redis


def _wait_ready(port: int, server: subprocess.Popen) -> None:
    for _ in range(600):
        try:
            if get(f"http://127.0.0.1:{port}/livez")[0] == 200:
                return
        except OSError:
            pass
        assert server.poll() is None, server.communicate()[0]
        time.sleep(0.05)
    raise AssertionError("the app did not start")


def test_logins_cards_and_feeds_work_while_redis_is_away(tmp_path):
    with own_redis() as store:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("FLASK_", "PROMETHEUS"))}
        env.update(DATABASE_URL=f"sqlite:///{tmp_path}/r.sqlite", SECRET_KEY="x" * 40,
                   GC_FREEZE="0", RATELIMIT_STORAGE_URI=store.url, LIMITS_RETRY_SECONDS="1")
        for command in (["db", "upgrade"], ["demo"]):
            subprocess.run([str(SCRIPT), *command], env=env, check=True, capture_output=True,
                           timeout=120)
        port = free_port()
        server = subprocess.Popen([str(SCRIPT), "web", "-b", f"127.0.0.1:{port}", "-w", "2"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(port, server)
            assert Browser(port, "127.0.0.1", tls=False).log_in(
                "anne@vlinder.example", "demo-leerkracht").status == 302
            assert redis.Redis.from_url(store.url).keys("LIMITS*")  # counted in Redis

            store.stop()
            for _ in range(3):  # both workers, each finding Redis away
                assert Browser(port, "127.0.0.1", tls=False).log_in(
                    "anne@vlinder.example", "demo-leerkracht").status == 302
                assert Browser(port, "127.0.0.1", tls=False).log_in(
                    "anne@vlinder.example", "fout-wachtwoord!").status == 422
                assert get(base + "/k/" + "x" * 30)[0] == 404
                assert get(base + "/agenda/" + "y" * 30 + ".ics")[0] == 404
            status, body = get(base + "/readyz")
            assert status == 200 and json.loads(body)["checks"]["limits"] == {
                "ok": False, "kind": "redis", "counting_in": "memory"}
            # the budget still holds, in memory: eleven wrong card links get a 429 at last
            statuses = {get(base + "/k/" + "z" * 30)[0] for _ in range(24)}
            assert statuses == {404, 429}

            store.start()
            # after LIMITS_RETRY_SECONDS (1 s here) the workers ask Redis again
            deadline = time.monotonic() + 30
            while not redis.Redis.from_url(store.url).keys("LIMITS*"):
                assert time.monotonic() < deadline, "the counts did not go back to Redis"
                assert Browser(port, "127.0.0.1", tls=False).log_in(
                    "anne@vlinder.example", "demo-leerkracht").status == 302
            assert json.loads(get(base + "/readyz")[1])["checks"]["limits"] == {
                "ok": True, "kind": "redis"}
        finally:
            server.terminate()
            output = server.communicate(timeout=30)[0]
    assert " 500 " not in output, output
    assert "antwoordt niet" in output and "antwoordt weer" in output
