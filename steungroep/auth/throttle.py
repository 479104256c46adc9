"""Slowing down password guessing without locking a school out.

A whole school reaches the app from one public address, so a limit per address alone would
let one pupil lock out every teacher, and a hard limit per account would let anyone lock out
a named teacher. Instead:

- Every try is counted before the password is checked (an atomic increment in the limiter's
  store), so parallel requests cannot slip past a limit.
- A browser that logged in to an account before carries a signed *device* cookie for it;
  tries from that device count only against that device's own budget, never against the
  account's or the address's. A teacher on their own tablet is not slowed by anyone else.
- Other tries count against the account's budget and the address's budget. When a budget is
  used up the tries do not stop: they are slowed to one per ``SLOW_*`` interval, so an
  attacker gets a handful of guesses per minute and a teacher who types the right password
  gets in after a short wait.
- A correct password clears the account's budget.
"""

from __future__ import annotations

import secrets

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from steungroep.core import limits
from steungroep.core.security import keyed_digest, secure_cookies

DEVICE_COOKIE = "steungroep_device"
DEVICE_DAYS = 180
DEVICE_ACCOUNTS = 8
SLOW_ACCOUNT = "1 per 30 seconds"
SLOW_ADDRESS = "1 per 5 seconds"
SLOW_DEVICE = "1 per 30 seconds"


def _take(budget: str, slow: str, *key: str) -> bool:
    """One try from ``budget``, or, when it is used up, from the slow lane."""
    return limits.hit(budget, "login", *key) or limits.hit(slow, "login-slow", *key)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="steungroep-device")


def _tag(email: str) -> str:
    """An account as the device cookie names it: not the address itself."""
    return keyed_digest("device", email, 16)


def device() -> dict:
    """This browser's device cookie: {"id": ..., "accounts": [account tags]} or empty."""
    raw = request.cookies.get(DEVICE_COOKIE, "")
    if not raw:
        return {}
    try:
        value = _serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return {}
    return value if isinstance(value, dict) else {}


def known_device(email: str) -> str | None:
    """The device id when this browser logged in to ``email`` before."""
    value = device()
    if email and _tag(email) in value.get("accounts", []):
        return str(value.get("id", ""))
    return None


def try_allowed(email: str) -> bool:
    """Count one login try for ``email`` from this request; False means: wait."""
    config = current_app.config
    device_id = known_device(email)
    if device_id:
        return _take(config["LOGIN_LIMIT_DEVICE"], SLOW_DEVICE, "device", device_id, email)
    account = _take(config["LOGIN_LIMIT_ACCOUNT"], SLOW_ACCOUNT, "account", email)
    address = _take(config["LOGIN_LIMIT_ADDRESS"], SLOW_ADDRESS, "address",
                    request.remote_addr or "")
    return account and address


def succeeded(email: str, response: Response) -> Response:
    """The right password: the account's budget starts again and this browser becomes a
    known device for it."""
    limits.clear(current_app.config["LOGIN_LIMIT_ACCOUNT"], "login", "account", email)
    limits.clear(SLOW_ACCOUNT, "login-slow", "account", email)
    value = device()
    tag = _tag(email)
    accounts = [a for a in value.get("accounts", []) if a != tag] + [tag]
    cookie = _serializer().dumps(
        {"id": value.get("id") or secrets.token_urlsafe(16),
         "accounts": accounts[-DEVICE_ACCOUNTS:]}
    )
    response.set_cookie(
        DEVICE_COOKIE, cookie, max_age=DEVICE_DAYS * 86400, httponly=True, samesite="Lax",
        secure=secure_cookies(),
    )
    return response
