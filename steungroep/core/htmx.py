"""One helper decides between a whole page and a fragment for htmx."""

from __future__ import annotations

from flask import render_template, request


def is_fragment_request() -> bool:
    """True for an htmx request that swaps part of a page (boosted requests get the page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def render(page: str, fragment: str | None = None, status: int = 200, **context):
    """Render `fragment` for htmx requests when given, else the whole `page`."""
    template = fragment if fragment and is_fragment_request() else page
    return render_template(template, **context), status
