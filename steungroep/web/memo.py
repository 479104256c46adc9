"""What a page built from a school's data, kept in memory while that data did not change.

Each school carries a data version (``schools.data_version``) that every change to its cases,
pupils, classes or staff moves on (cases/status.py). A key holds the versions of the schools
a page reads, so a repeat with nothing changed in those schools is answered from memory and
any change makes the next request build it again. Per process; the versions live in the
database, so every process sees every change."""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.models import School


class VersionedMemo:
    """A small LRU of values keyed by the schools' data versions and a page's own key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(school_ids: set[int], *rest) -> tuple:
        """One statement: the versions of these schools, then ``rest``."""
        versions = tuple(db.session.execute(
            select(School.id, School.data_version)
            .where(School.id.in_(sorted(school_ids) or [-1])).order_by(School.id)
        ))
        return (versions, *rest)

    def recall(self, key: tuple):
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def remember(self, key: tuple, value) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


MEMOS: list[VersionedMemo] = []


def memo(size: int) -> VersionedMemo:
    made = VersionedMemo(size)
    MEMOS.append(made)
    return made


def clear_all() -> None:
    """Forget everything remembered (tests start from nothing; the benchmark's fresh pages)."""
    for made in MEMOS:
        made.clear()
