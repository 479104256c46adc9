"""Counting tries — logins, wrong card and calendar links — in the limiter's store, and
carrying on when that store is away.

With several workers the counts live in Redis. When Redis does not answer, nobody is locked
out and nothing fails: the counts go to this process's memory (the log says so once), and
Redis is asked again every RETRY_SECONDS (LIMITS_RETRY_SECONDS); the log says when it is
back. The limits on
decorated routes do the same through Flask-Limiter's own fallback
(RATELIMIT_IN_MEMORY_FALLBACK_ENABLED, RATELIMIT_SWALLOW_ERRORS in core/config.py)."""

from __future__ import annotations

import logging
import threading
import time

from flask import current_app
from limits import parse
from limits.storage import MemoryStorage, Storage
from limits.strategies import FixedWindowRateLimiter

from steungroep.core.extensions import limiter

log = logging.getLogger(__name__)
RETRY_SECONDS = 15.0  # config LIMITS_RETRY_SECONDS


class _Store:
    """The store in use in this process: the limiter's, or memory while it is away."""

    def __init__(self) -> None:
        self.memory = MemoryStorage()
        self.down_since: float | None = None
        self.lock = threading.Lock()

    def current(self) -> Storage:
        with self.lock:
            retry = current_app.config.get("LIMITS_RETRY_SECONDS", RETRY_SECONDS)
            if self.down_since is not None and time.monotonic() - self.down_since < retry:
                return self.memory
        return limiter.storage

    def failed(self, error: Exception) -> None:
        with self.lock:
            if self.down_since is None:
                log.warning("de teller van inlogpogingen (%s) antwoordt niet (%s): er wordt in "
                            "het geheugen van dit proces geteld tot hij terug is",
                            type(limiter.storage).__name__, type(error).__name__)
            self.down_since = time.monotonic()

    def answered(self) -> None:
        with self.lock:
            if self.down_since is not None:
                log.warning("de teller van inlogpogingen antwoordt weer")
                self.down_since = None


STORE = _Store()


def _with_store(work):
    """``work(strategy)`` on the store in use; on memory when the store fails meanwhile."""
    storage = STORE.current()
    if storage is STORE.memory:
        return work(FixedWindowRateLimiter(storage))
    try:
        result = work(FixedWindowRateLimiter(storage))
    except Exception as error:  # noqa: BLE001 - any failure of the store means: not reachable
        STORE.failed(error)
        return work(FixedWindowRateLimiter(STORE.memory))
    STORE.answered()
    return result


def hit(budget: str, *key: str) -> bool:
    """Count one try against ``budget`` ("10 per minute"); False when it is used up. Always
    True while the limits are switched off (RATELIMIT_ENABLED=0)."""
    if not limiter.enabled:
        return True
    item = parse(budget)
    return _with_store(lambda strategy: strategy.hit(item, *key))


def clear(budget: str, *key: str) -> None:
    """Start a budget again (the right password clears the account's)."""
    if not limiter.enabled:
        return
    item = parse(budget)
    _with_store(lambda strategy: strategy.clear(item, *key))


def store_answers() -> bool:
    """Whether the limiter's store answers now (for /readyz)."""
    try:
        answered = bool(limiter.storage.check())
    except Exception:  # noqa: BLE001 - any failure of the store means: not reachable
        answered = False
    if answered:
        STORE.answered()
    return answered
