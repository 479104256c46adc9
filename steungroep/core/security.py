"""Response headers that hold on every page (CSP, referrer policy, framing, sniffing), and
what every request may carry."""

from __future__ import annotations

import hashlib
import hmac
import re

from flask import Flask, Request, Response, current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter

# Control characters a pasted text can hold (NUL among them, which PostgreSQL refuses);
# tabs and line breaks stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CleanValues(ImmutableMultiDict):
    """Form fields and query values with control characters dropped (the rest is kept)."""

    def __init__(self, mapping=None) -> None:
        if mapping is None:
            super().__init__()
            return
        if isinstance(mapping, MultiDict):
            items = mapping.items(multi=True)
        elif isinstance(mapping, dict):
            items = mapping.items()
        else:
            items = mapping
        super().__init__([(key, _CONTROL.sub("", value) if isinstance(value, str) else value)
                          for key, value in items])


# The one form that carries a file: a school's pupil export, up to 2 MB (admin/importer.py);
# every other request keeps MAX_CONTENT_LENGTH.
UPLOADS = {"pupil_imports.preview": 2 * 1024 * 1024 + 64 * 1024}


def allow_uploads() -> None:
    limit = UPLOADS.get(request.endpoint or "")
    if limit:
        request.max_content_length = limit


class CleanRequest(Request):
    parameter_storage_class = CleanValues


MAX_ID = 2**31 - 1  # INTEGER in PostgreSQL and every id column here


def keyed_digest(purpose: str, value: str, length: int) -> str:
    """A short HMAC of ``value`` under the app's secret key, for one ``purpose``: a name
    that stands for the value without revealing it (a login's drafts, a known device)."""
    secret = current_app.secret_key
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:length]


_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def is_token(value: str) -> bool:
    """Whether ``value`` could be one of the app's random links (card, calendar feed): URL-safe
    letters only, so a NUL or another odd character never reaches the database."""
    return bool(_TOKEN.fullmatch(value))


class BoundedInt(IntegerConverter):
    """``<int:…>`` in a route, up to the largest id a database column holds: a longer
    number is a page that does not exist (404), not a database error."""

    regex = r"[0-9]+"  # ASCII digits only: '１' (full-width) or '٣' is no id

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


class SessionCookie(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS (behind a trusted
    proxy too), not only when PUBLIC_URL says https: it agrees with HSTS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        secure = has_request_context() and request.is_secure
        return bool(app.config["SESSION_COOKIE_SECURE"] or secure)


def public_address(path: str = "") -> str:
    """``path`` on the address people's devices use to reach the app: PUBLIC_URL when it is
    set, else the address of this request (QR codes, feeds, the sign-in return address)."""
    return (current_app.config.get("PUBLIC_URL") or request.url_root.rstrip("/")) + path


def secure_cookies() -> bool:
    """Whether a cookie set now gets Secure: the same rule as the session cookie's."""
    return current_app.session_interface.get_cookie_secure(current_app)


def init_app(app: Flask) -> None:
    """Before the blueprints: their routes are built with these converters."""
    app.request_class = CleanRequest
    app.session_interface = SessionCookie()
    app.url_map.converters["int"] = BoundedInt
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # Behind a reverse proxy that terminates HTTPS: believe its X-Forwarded-* headers
        # (only as many hops as configured), so HTTPS is recognised for HSTS and cookies.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        # same-origin, not no-referrer: Flask-WTF checks the Referer on HTTPS POSTs.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
