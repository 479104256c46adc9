"""One access-log line per request, with a request id that the error page shows (so a
teacher can quote it) and that the response carries (`X-Request-ID`).

What a log may hold is little: the method, the path with any token in it replaced by '…'
(cards, the calendar feed and password links are opened by their address alone), the
status, the time taken, the id, and the staff member's number. Never the query string (it
holds what someone searched for, pupils' names among it), never a form."""

from __future__ import annotations

import logging
import re
import secrets
import sys
import time

from flask import Flask, g, request
from flask_login import current_user

log = logging.getLogger("steungroep.access")
INCOMING = re.compile(r"^[A-Za-z0-9._-]{8,64}$")  # an id set by the proxy in front, if sane
SECRET_ARGUMENTS = ("token",)  # route arguments that are secrets themselves


def request_id() -> str:
    return g.get("request_id", "")


def safe_path() -> str:
    """The path with the secrets of the route's arguments masked."""
    path = request.path
    for name in SECRET_ARGUMENTS:
        value = (request.view_args or {}).get(name)
        if value:
            path = path.replace(str(value), "…")
    if request.url_rule is None:  # no route: the address itself may be a mistyped token
        path = re.sub(r"[A-Za-z0-9_-]{20,}", "…", path)
    return path


def init_app(app: Flask) -> None:
    if app.config.get("ACCESS_LOG", True) and not log.handlers and not app.testing:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    @app.before_request
    def _start():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if INCOMING.match(incoming) else secrets.token_hex(8)
        g.request_started = time.perf_counter()

    @app.after_request
    def _line(response):
        response.headers["X-Request-ID"] = request_id()
        started = g.get("request_started")
        took = (time.perf_counter() - started) * 1000 if started else 0.0
        user = current_user.get_id() if g.get("_login_user") is not None else None
        log.info("%s %s %s %.1fms id=%s user=%s", request.method, safe_path(),
                 response.status_code, took, request_id(), user or "-")
        return response

    app.jinja_env.globals["request_id"] = request_id
