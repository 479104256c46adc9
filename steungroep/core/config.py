"""Configuration read from the environment, with safe defaults."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TIMEZONE = "Europe/Amsterdam"


def _secret_key(instance_path: str) -> str:
    """Return SECRET_KEY from the environment, or one generated once into the instance folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    # Several processes may start at once on a new server (gunicorn workers): each writes a
    # key to a file of its own and links it into place, which only the first can do; then
    # all read the one that is there, complete.
    path.parent.mkdir(parents=True, exist_ok=True)
    own = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(own, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    try:
        os.link(own, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(own)
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Let 'postgres://' and 'postgresql://' URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load(instance_path: str) -> dict:
    """Build the configuration mapping for an app whose instance folder is instance_path."""
    default_db = "sqlite:///" + str(Path(instance_path) / "steungroep.sqlite")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL", default_db)
        ),
        "TIMEZONE": TIMEZONE,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": TIMEZONE,
        # A meeting with preparation can last over an hour: tie CSRF tokens to the session
        # instead of letting them expire mid-meeting.
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure cookies when served over HTTPS (set explicitly, or implied by PUBLIC_URL).
        "SESSION_COOKIE_SECURE": _flag(
            "SESSION_COOKIE_SECURE",
            "1" if os.environ.get("PUBLIC_URL", "").startswith("https://") else "0",
        ),
        "REMEMBER_COOKIE_SECURE": _flag(
            "SESSION_COOKIE_SECURE",
            "1" if os.environ.get("PUBLIC_URL", "").startswith("https://") else "0",
        ),
        # Reverse proxies in front of the app whose X-Forwarded-* headers may be believed.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # /metrics for Prometheus: with "Authorization: Bearer <token>" (else loopback only)
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN", ""),
        # A school-account provider on this machine itself (http://127.0.0.1:…), only for
        # trying out: otherwise the issuer check would reach the server's own ports
        "SSO_ALLOW_LOOPBACK": _flag("SSO_ALLOW_LOOPBACK", "0"),
        # Server-Timing header with the app's time and SQL statements per response.
        "SERVER_TIMING": _flag("SERVER_TIMING", "0"),
        # gc.freeze() once the app is built (see create_app); GC_FREEZE=0 switches it off
        "GC_FREEZE": _flag("GC_FREEZE", "1"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        # The address pupils' devices use to reach the app (for QR codes); when empty the
        # address of the request is used.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "").rstrip("/"),
        # Guessing card links: wrong tokens allowed per client address. The memory store
        # counts per process; with several workers use redis://127.0.0.1:6379.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Redis away: count in the process's memory instead of failing (core/limits.py)
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        # … and ask it again after this many seconds
        "LIMITS_RETRY_SECONDS": float(os.environ.get("LIMITS_RETRY_SECONDS", "15")),
        "RATELIMIT_HEADERS_ENABLED": False,
        "CARD_GUESS_LIMIT": os.environ.get("CARD_GUESS_LIMIT", "10 per minute"),
        "INVITE_LIMIT": os.environ.get("INVITE_LIMIT", "20 per minute"),
        # The digital letterbox: new letters per client address and per school (a class on
        # one school address may write; a flood stops), and codes tried per address.
        "LETTER_LIMIT_ADDRESS": os.environ.get("LETTER_LIMIT_ADDRESS", "10 per hour"),
        "LETTER_LIMIT_SCHOOL": os.environ.get("LETTER_LIMIT_SCHOOL", "60 per hour"),
        "LETTER_CODE_LIMIT": os.environ.get("LETTER_CODE_LIMIT", "20 per 10 minutes"),
        "FORGOTTEN_LIMIT": os.environ.get("FORGOTTEN_LIMIT", "5 per 15 minutes"),
        "UNLOCK_LIMIT": os.environ.get("UNLOCK_LIMIT", "10 per minute"),
        # Signing in with a school account: requests to start or finish it per client address
        # (the school's provider checks the person; this only keeps a loop from hammering it),
        # and the seconds of clock difference allowed when checking an ID token's times.
        "SSO_LIMIT": os.environ.get("SSO_LIMIT", "60 per minute"),
        "OIDC_LEEWAY_SECONDS": int(os.environ.get("OIDC_LEEWAY_SECONDS", "60")),
        # Login tries before they are slowed (see auth/throttle.py and the README): per
        # account and per client address from browsers new to the account, and per known
        # device for its own accounts.
        "LOGIN_LIMIT_ACCOUNT": os.environ.get("LOGIN_LIMIT_ACCOUNT", "10 per 15 minutes"),
        "LOGIN_LIMIT_ADDRESS": os.environ.get("LOGIN_LIMIT_ADDRESS", "30 per 15 minutes"),
        "LOGIN_LIMIT_DEVICE": os.environ.get("LOGIN_LIMIT_DEVICE", "10 per 15 minutes"),
        # Idle minutes after which a shared tablet asks for the password again.
        "IDLE_LOCK_MINUTES": float(os.environ.get("IDLE_LOCK_MINUTES", "15")),
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("SESSION_HOURS", "10")) * 3600,
        # No form of the app comes near this (the longest text is 2,000 characters);
        # anything bigger gets the Dutch 413 page before it is read.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # E-mail reminders: only when MAIL_SERVER is set. MAIL_USE_TLS=1 for STARTTLS (587),
        # MAIL_USE_SSL=1 for TLS from the start (465).
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", "1"),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL", "0"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Steungroep <steungroep@localhost>"),
        # The scheduler: how often it scans for due work (seconds), and whether it elects one
        # running scheduler per database (PostgreSQL advisory lock / a lock file for SQLite).
        "SCHEDULER_SCAN_SECONDS": float(os.environ.get("SCHEDULER_SCAN_SECONDS", "60")),
        "SCHEDULER_ELECTION": _flag("SCHEDULER_ELECTION", "1"),
        "SCHEDULER_RETRY_SECONDS": float(os.environ.get("SCHEDULER_RETRY_SECONDS", "30")),
        # how often the scheduler checks that it still holds its lock on the database
        "SCHEDULER_HEALTH_SECONDS": float(os.environ.get("SCHEDULER_HEALTH_SECONDS", "15")),
    }


def _flag(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")
