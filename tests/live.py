"""A live server for the tests' app (a thread per request) and plain HTTP clients, for tests
where requests truly overlap."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar

from werkzeug.serving import make_server

from . import factories


@contextmanager
def serving(app, port: int = 0) -> Iterator[str]:
    """Serve ``app`` on ``port`` (a free one by default); yields the base URL."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


class Restartable:
    """A live server that can be stopped (connections refused) and started again on the
    same port, as a school's server that is briefly away."""

    def __init__(self, app) -> None:
        self.app = app
        self._serving = None
        self.base = self.start(0)

    def start(self, port: int | None = None) -> str:
        port = int(self.base.rsplit(":", 1)[1]) if port is None else port
        self._serving = serving(self.app, port)
        return self._serving.__enter__()

    def stop(self) -> None:
        self._serving.__exit__(None, None, None)
        self._serving = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None


class Client:
    """One browser: its own cookies, redirects not followed (a 302 is an answer)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
        )

    def post(self, path: str, data: dict | list) -> tuple[int, str, str]:
        """(status, Location, body) of a form POST."""
        body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        return self._send(request)

    def get(self, path: str) -> tuple[int, str, str]:
        return self._send(urllib.request.Request(self.base + path))

    def _send(self, request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers.get("Location", ""), \
                    response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode()

    def log_in(self, user) -> Client:
        status, _, body = self.post("/inloggen", {"email": user.email,
                                                   "password": factories.PASSWORD})
        assert status == 302, body
        return self


def at_once(*posts: tuple[Client, str, dict]) -> list[tuple[int, str, str]]:
    """Send the POSTs (client, path, form) from threads released together by a barrier;
    their answers in order."""
    barrier = threading.Barrier(len(posts))
    answers: list = [None] * len(posts)

    def run(index: int, post) -> None:
        client, path, data = post
        barrier.wait()
        try:
            answers[index] = client.post(path, data)
        except Exception as error:  # a dropped connection counts as a failure
            answers[index] = (599, "", repr(error))

    threads = [threading.Thread(target=run, args=(i, p)) for i, p in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers
