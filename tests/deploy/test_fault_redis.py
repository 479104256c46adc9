"""Redis away: nobody is locked out and nothing fails. Under gunicorn with the limits in a
Redis of the test's own, Redis is stopped: right and wrong logins, wrong card and calendar
links, /readyz all answer as usual (the counts go to the worker's memory, the log says so);
Redis is started again and the counts go back to it, the log says that too.

One worker, because going to memory and back is each worker's own (core/limits.py) and which
of two workers takes a request is the kernel's choice: one could take every request while
Redis was away, the other then count in Redis again and answer /readyz, and the first never
be asked again to say "antwoordt weer"."""

from __future__ import annotations

import json
import os
import subprocess
import threading
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


class _Log:
    """The server's output as it comes, read beside the test (a pipe read only at the end
    would keep the test from seeing what the app logged meanwhile)."""

    def __init__(self, server: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, args=(server.stdout,), daemon=True)
        self.reader.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line)

    def text(self, finished: bool = False) -> str:
        if finished:
            self.reader.join(timeout=30)
        return "".join(self.lines)


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
        server = subprocess.Popen([str(SCRIPT), "web", "-b", f"127.0.0.1:{port}", "-w", "1"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True)
        log = _Log(server)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(port, server)
            assert Browser(port, "127.0.0.1", tls=False).log_in(
                "anne@vlinder.example", "demo-leerkracht").status == 302
            assert redis.Redis.from_url(store.url).keys("LIMITS*")  # counted in Redis

            store.stop()
            for _ in range(3):  # the first try finds Redis away, the rest count in memory
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

            assert "antwoordt niet" in log.text()
            store.start()
            # After LIMITS_RETRY_SECONDS (1 s here) the worker asks Redis again at its next
            # try and says so; tries go on until the app's own counts are back in Redis and
            # the log (read as it comes) says so.
            deadline = time.monotonic() + 30
            while not (redis.Redis.from_url(store.url).keys("LIMITS:LIMITER/login/*")
                       and "antwoordt weer" in log.text()):
                assert time.monotonic() < deadline, "the counts did not go back to Redis"
                assert Browser(port, "127.0.0.1", tls=False).log_in(
                    "anne@vlinder.example", "demo-leerkracht").status == 302
            assert json.loads(get(base + "/readyz")[1])["checks"]["limits"] == {
                "ok": True, "kind": "redis"}
        finally:
            server.terminate()
            server.wait(timeout=30)
            output = log.text(finished=True)
    assert " 500 " not in output, output
