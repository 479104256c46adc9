"""Opt-in measurement (SERVER_TIMING=1): each response says how long the app took and how
many SQL statements it ran, in a Server-Timing header. Off by default; the benchmarks use
it. Browsers' developer tools show it too."""

from __future__ import annotations

import time

from flask import Flask, g
from sqlalchemy import event


def init_app(app: Flask, engine_getter) -> None:
    if not app.config.get("SERVER_TIMING"):
        return

    @app.before_request
    def _start() -> None:
        g.timing_start = time.perf_counter()
        g.timing_statements = 0

    listening: list = []

    def _count(*_args) -> None:
        if g and hasattr(g, "timing_statements"):
            g.timing_statements += 1

    @app.before_request
    def _listen() -> None:
        if not listening:
            event.listen(engine_getter(), "before_cursor_execute", _count)
            listening.append(True)

    @app.after_request
    def _header(response):
        if hasattr(g, "timing_start"):
            took = (time.perf_counter() - g.timing_start) * 1000
            response.headers["Server-Timing"] = (
                f'app;dur={took:.2f}, sql;desc="statements {g.timing_statements}"'
            )
            response.headers["X-SQL-Statements"] = str(g.timing_statements)
        return response
