"""The write path itself (steungroep/web/writes.py): a unit of work commits a change with
its audit rows and the stored status, or nothing at all; a change outside it, or to a case
it did not lock, is refused; a refused form, a double submit and a busy database each get
their own answer, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from steungroep.core.extensions import db
from steungroep.domain import DomainError
from steungroep.meeting import use_cases as meeting
from steungroep.models import Action, AuditEntry, Case, TimelineEntry
from steungroep.web import writes
from steungroep.web.writes import UnitOfWork

from .. import factories as f
from ..pages import count, text_of


def _note(case: Case, text: str = "Een notitie.") -> TimelineEntry:
    entry = TimelineEntry(case_id=case.id, kind="notitie", text=text)
    db.session.add(entry)
    return entry


def test_a_unit_of_work_commits_the_change_its_audit_row_and_the_status(world):
    case = f.case_at(world, "gesprek")
    with UnitOfWork() as uow:
        uow.lock_cases([case.id])
        _note(case)
        uow.audit(AuditEntry.CHANGE, "test.note", user_id=world.teacher.id, case=case)
        assert writes.current() is uow
    assert writes.current() is None
    db.session.rollback()  # read again what was committed
    assert count(TimelineEntry, TimelineEntry.text == "Een notitie.") == 1
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.what == "test.note"))
    assert (entry.case_id, entry.pupil_id, entry.school_id) == (
        case.id, case.pupil_id, case.school_id)
    assert uow.changed  # the flush wrote something: the status listener saw it


def test_an_exception_rolls_everything_back(world):
    case = f.case_at(world, "gesprek")
    with pytest.raises(DomainError), UnitOfWork() as uow:
        uow.lock_cases([case.id])
        _note(case, "Mag niet blijven.")
        uow.audit(AuditEntry.CHANGE, "test.refused", user_id=world.teacher.id, case=case)
        db.session.flush()
        raise DomainError("Geweigerd.")
    assert writes.current() is None
    assert count(TimelineEntry, TimelineEntry.text == "Mag niet blijven.") == 0
    assert count(AuditEntry, AuditEntry.what == "test.refused") == 0


def test_a_unit_of_work_inside_another_is_refused(world):
    with UnitOfWork(), pytest.raises(RuntimeError, match="binnen een wijziging"), \
            UnitOfWork():
        pass
    assert writes.current() is None


def test_a_change_outside_a_unit_of_work_is_never_dropped_silently(world):
    case = f.case_at(world, "gesprek")
    db.session.rollback()
    case = db.session.get(Case, case.id)
    case.description = "Buiten het schrijfpad."  # changed, not flushed
    with pytest.raises(RuntimeError, match="buiten het schrijfpad"):
        UnitOfWork().__enter__()
    db.session.flush()  # and flushed: the status listener marks the session
    db.session.expire_all()
    with pytest.raises(RuntimeError, match="buiten het schrijfpad"):
        UnitOfWork().__enter__()
    writes.end_transaction()  # the transaction ends: what was flushed is gone, the mark too
    with UnitOfWork():
        pass
    assert db.session.get(Case, case.id).description != "Buiten het schrijfpad."


def test_a_flush_that_touches_a_case_not_locked_fails(world):
    locked, other = f.case_at(world, "gesprek"), f.case_at(world, "gesprek",
                                                           pupil=world.pupils[9])
    with pytest.raises(RuntimeError, match="zonder slot"), UnitOfWork() as uow:
        uow.lock_cases([locked.id])
        _note(locked)
        _note(other, "Zonder slot.")
        db.session.flush()
    assert count(TimelineEntry, TimelineEntry.text == "Zonder slot.") == 0
    assert count(TimelineEntry, TimelineEntry.text == "Een notitie.") == 0  # nothing of it


def test_end_transaction_is_refused_inside_a_unit_of_work(world):
    with UnitOfWork(), pytest.raises(RuntimeError, match="binnen een UnitOfWork"):
        writes.end_transaction()


def _action_url(case: Case) -> str:
    return f"/zaken/{case.id}/bijeenkomst/acties/{case.group.members[0].id}"


def test_a_refused_form_comes_back_with_the_message_and_nothing_stored(client, world, login):
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    response = client.post(_action_url(case), data={"text": ""})
    assert response.status_code == 422 and 'role="alert"' in text_of(response)
    assert count(Action) == 0
    assert count(AuditEntry, AuditEntry.action == AuditEntry.CHANGE) == 0


def test_a_double_submit_runs_the_view_once_more_on_what_was_stored(
        client, world, login, monkeypatch):
    """The first run meets the other submit's row (an IntegrityError): rolled back, then
    the view runs again and sees it, as if the taps had come one after another."""
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    save, runs = meeting.save_action, []

    def first_collides(*args, **kwargs):
        runs.append(1)
        if len(runs) == 1:
            raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
        return save(*args, **kwargs)

    monkeypatch.setattr(meeting, "save_action", first_collides)
    response = client.post(_action_url(case), data={"text": "Ik ga gedag zeggen."})
    assert response.status_code == 302 and len(runs) == 2
    assert db.session.scalar(select(Action.text)) == "Ik ga gedag zeggen."
    assert count(AuditEntry, AuditEntry.action == AuditEntry.CHANGE) == 1


def test_a_busy_database_gives_the_form_again_with_what_was_typed(
        client, world, login, monkeypatch):
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)

    def busy(*_args, **_kwargs):
        raise OperationalError("UPDATE", {}, Exception("database is locked"))

    monkeypatch.setattr(meeting, "save_action", busy)
    response = client.post(_action_url(case), data={"text": "Ik ga samen fietsen."})
    page = text_of(response)
    assert response.status_code == 503
    assert "Het lukte nu even niet om op te slaan" in page and "Ik ga samen fietsen." in page
    assert count(Action) == 0
