"""The write path: every change to the database goes through one unit of work.

    with UnitOfWork() as uow:
        uow.lock_cases([case.id])          # before anything about the case is read
        ...the use case changes the records...
        uow.audit(CHANGE, "meeting.meeting_complete", case=case)
    # committed: after every flush the unit of work checked what was touched and had the
    # stored status written from the locked rows (cases/status.py); the audit row went into
    # the same transaction; an exception rolled everything back.

Locking: on PostgreSQL ``lock_cases`` takes ``SELECT … FOR UPDATE`` on the case rows (in id
order, so two writers never deadlock); on SQLite the transaction starts with ``BEGIN
IMMEDIATE``, which makes writers take turns (WAL readers are never blocked). Either way a
second writer waits for the first and then reads what the first committed.

Views never open a unit of work by hand: they are decorated with ``case_change`` (one case,
loaded for the current user under its lock) or ``change`` (anything else). The decorator
turns a ``DomainError`` into the view's own 422 page, and a duplicate from a double submit
(``IntegrityError``) into one more run of the view on what the first submit stored. The
scheduler's jobs and the command line use ``UnitOfWork`` itself; ``end_transaction`` closes
a read transaction (nothing stays open while a job talks to the mail server).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import wraps

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import event, func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from steungroep.cases import status
from steungroep.core.errors import unavailable
from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.models import AuditEntry, Case
from steungroep.web.pages import ALREADY_DONE, get_case

log = logging.getLogger(__name__)

ACTIVE = "unit_of_work"  # key in Session.info while a unit of work is open
OUTSIDE = "flushed_outside"  # key in Session.info: a flush happened outside a unit of work
REFRESHING = "refreshing_status"  # key in Session.info while the status is written


class UnitOfWork:
    """One transaction that owns a change: locks, the change itself, the audit rows."""

    def __init__(self, session: Session | None = None) -> None:
        self.session = session or db.session
        self.locked: set[int] = set()
        self.changed = False  # set when a flush in it wrote something
        self.case: Case | None = None  # the case a case_change view works on
        self._audits: list[dict] = []

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def __enter__(self) -> UnitOfWork:
        session = self.session
        if session.info.get(ACTIVE) is not None:
            raise RuntimeError("Een wijziging binnen een wijziging: gebruik de open UnitOfWork.")
        if session.new or session.dirty or session.deleted or session.info.get(OUTSIDE):
            # Changed outside a unit of work: the rollback below would drop it silently.
            raise RuntimeError("Er zijn wijzigingen buiten het schrijfpad om: "
                               f"{list(session.new) + list(session.dirty)}")
        session.rollback()  # whatever this request read so far is read again under the lock
        if self.dialect == "sqlite":
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        session.info[ACTIVE] = self
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        session = self.session
        try:
            if exc_type is None:
                session.flush()
                if self._audits:
                    session.execute(insert(AuditEntry), self._audits)
                session.commit()
            else:
                session.rollback()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info.pop(ACTIVE, None)
        return False

    def lock_cases(self, case_ids: Iterable[int]) -> None:
        """Lock these cases' rows for the rest of the transaction (before reading them)."""
        ids = sorted({int(i) for i in case_ids} - self.locked)
        if not ids:
            return
        if self.dialect != "sqlite":
            self.session.execute(
                select(Case.id).where(Case.id.in_(ids)).order_by(Case.id).with_for_update()
            ).all()
        self.locked.update(ids)

    def lock_key(self, key: str) -> None:
        """Serialise writers that share ``key`` (e.g. a form's submission key) when there is
        no row to lock yet. SQLite's BEGIN IMMEDIATE already does."""
        if self.dialect == "postgresql":
            self.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))

    def audit(self, action: str, what: str, *, user_id: int | None = None,
              case: Case | None = None, case_id: int | None = None,
              pupil_id: int | None = None, school_id: int | None = None) -> None:
        """An audit row (ids and names of actions only), written in this transaction just
        before the commit."""
        if case is not None:
            case_id, pupil_id, school_id = case.id, case.pupil_id, case.school_id
        self._audits.append({
            "at": utcnow(), "user_id": user_id, "action": action, "what": what[:60],
            "case_id": case_id, "pupil_id": pupil_id, "school_id": school_id,
        })


def _after_flush(session: Session, _context) -> None:
    """Every flush: outside a unit of work it is marked (the next unit of work refuses to
    start on it); inside one it may only touch cases the unit of work locked (or just
    created). Either way the status of what it touched is written from the rows at once."""
    if session.info.get(REFRESHING):
        return
    case_ids = status.touched(session)
    uow = session.info.get(ACTIVE)
    if uow is None:
        session.info[OUTSIDE] = True  # see UnitOfWork.__enter__
    else:
        uow.changed = True
        created = {obj.id for obj in session.new if isinstance(obj, Case)}
        unlocked = case_ids - uow.locked - created
        if unlocked:
            raise RuntimeError(f"Wijziging aan aanpak {sorted(unlocked)} zonder slot: "
                               "roep eerst uow.lock_cases aan.")
    session.info[REFRESHING] = True
    try:
        status.after_flush(session, case_ids)
    finally:
        session.info[REFRESHING] = False


def _transaction_ended(session: Session, *_args) -> None:
    session.info.pop(OUTSIDE, None)


def init_app() -> None:
    """The unit of work's own checks, on every session's flushes."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _transaction_ended)
        event.listen(Session, "after_rollback", _transaction_ended)


def current(session: Session | None = None) -> UnitOfWork | None:
    """The unit of work open on this session, if any."""
    return (session or db.session).info.get(ACTIVE)


def end_transaction() -> None:
    """Close the current read transaction (a job does this before slow work such as SMTP);
    nothing written is lost, because nothing outside a unit of work is ever written."""
    if current() is not None:
        raise RuntimeError("end_transaction binnen een UnitOfWork")
    db.session.rollback()


def abandon_transaction() -> None:
    """After the database failed (core/errors.py): roll back what was begun; when even that
    fails (the connection is gone), close the session so the pool drops the connection."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone
        db.session.close()


# ---- for views ------------------------------------------------------------------------------


def use_case(function):
    """Marks a use case: one change a user makes, run inside the caller's unit of work. It
    leaves its changes flushed, so the page rendered next shows new rows with their ids and
    collections as stored."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        db.session.flush()
        return result

    return wrapper

Refusal = Callable[..., object]


def _flashes() -> list:
    return list(session.get("_flashes", []))


def _restore_flashes(saved: list) -> None:
    if saved:
        session["_flashes"] = saved
    else:
        session.pop("_flashes", None)


def _run(view, lock, refused: Refusal | None, kwargs: dict):
    """Run ``view`` in a unit of work; a duplicate runs it once more on the stored state."""
    for attempt in (1, 2):
        saved = _flashes()
        try:
            with UnitOfWork() as uow:
                response = view(uow, **kwargs) if lock is None else lock(uow, view, kwargs)
                if uow.changed and not uow._audits and current_user.is_authenticated:
                    uow.audit(AuditEntry.CHANGE, request.endpoint or "", user_id=current_user.id,
                              case=uow.case, school_id=kwargs.get("school_id"))
            return response
        except DomainError as error:
            _restore_flashes(saved)
            if refused is None:
                flash(error.message, "error")
                return redirect(request.referrer or url_for("cases.home"))
            return refused(error, **kwargs)
        except IntegrityError:
            # Two submits of one form at the same moment: the first stored it. Run the view
            # again: it now sees that, as it would have had the taps come one after another.
            _restore_flashes(saved)
            log.info("dubbel verstuurd: %s, poging %s", request.endpoint, attempt)
        except DBAPIError as error:
            if not unavailable(error):
                raise
            # busy, briefly unreachable, read-only or full: the form again, with what was typed
            _restore_flashes(saved)
            log.warning("wijziging niet gelukt: %s", error)
            return _busy(refused, kwargs)
    flash(gettext(ALREADY_DONE), "info")
    case_id = kwargs.get("case_id")
    return redirect(url_for("cases.case_page", case_id=case_id) if case_id
                    else url_for("cases.home"))


def _busy(refused: Refusal | None, kwargs: dict):
    """The database was busy: the view's form again, with what was typed, status 503."""
    error = DomainError(N_("Het lukte nu even niet om op te slaan. Probeer het zo opnieuw; "
                           "wat je typte, staat er nog."))
    if refused is None:
        flash(error.message, "error")
        return redirect(request.referrer or url_for("cases.home"))
    response = refused(error, **kwargs)
    return (response[0], 503) if isinstance(response, tuple) else response


def _lock_case(uow: UnitOfWork, view, kwargs: dict):
    """Lock the case of ``case_id``, load it for the current user, run ``view(case, …)``."""
    uow.lock_cases([kwargs["case_id"]])
    uow.case = get_case(kwargs["case_id"], fresh=True)
    return view(uow.case, **{k: v for k, v in kwargs.items() if k != "case_id"})


def _decorator(lock, refused: Refusal | None):
    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            return _run(view, lock, refused, kwargs)

        wrapper.write_path = True  # tests/core/test_layout.py checks every POST route has it
        return wrapper

    return decorate


def case_change(refused: Refusal | None = None):
    """For a POST view that changes one case: ``view(case, **kwargs)`` runs in a unit of
    work with the case locked and loaded for the current user (404/410 as ``get_case``).
    ``refused(error, case_id=…, **kwargs)`` renders the form again with the domain's
    message (status 422); without it the message is flashed on the previous page."""
    return _decorator(_lock_case, refused)


def change(refused: Refusal | None = None):
    """For any other view that writes: ``view(uow, **kwargs)`` runs in a unit of work (it
    locks what it changes with ``uow.lock_cases``)."""
    return _decorator(None, refused)
