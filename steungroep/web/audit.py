"""The audit trail: who read or changed which case or pupil, when. Append-only.

Every row is written by a unit of work (``UnitOfWork.audit`` in web/writes.py), in the same
transaction as what it records, and reaches it in one of three ways:
- a change: the view names it (``uow.audit``), or the write path records the view's
  endpoint when the change wrote something and named nothing;
- a read of a case page: after the response is known to be a success, for every route
  whose access rule is CASE (core/access.py), below;
- anything else (a login refused, an export): ``record`` here, in a unit of work of its own.
Entries hold ids and action names only, never a pupil's name or a text, so anonymising a
case leaves nothing to strip.
"""
from __future__ import annotations

from flask import Flask, g, make_response, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError

from steungroep.core import access
from steungroep.core.errors import database_away, unavailable
from steungroep.models import AuditEntry
from steungroep.web import writes

READ = AuditEntry.READ
CHANGE = AuditEntry.CHANGE
EXPORT = AuditEntry.EXPORT
LOGIN = AuditEntry.LOGIN
# Typing in the pupil search sends a request per keystroke and reads no case data.
NOT_RECORDED = {"group.pupil_search"}
# Case pages made to leave the app: the printed report and the notes for the pupil records.
EXPORTS = {"dossier.report", "dossier.notes", "dossier.notes_csv"}


def record(
    action: str,
    what: str,
    *,
    user_id: int | None = None,
    case_id: int | None = None,
    pupil_id: int | None = None,
    school_id: int | None = None,
) -> None:
    """Append one entry, in its own transaction (reads and logins; a change records its
    entry in its own unit of work, see web/writes.py)."""
    with writes.UnitOfWork() as uow:
        uow.audit(action, what, user_id=user_id, case_id=case_id, pupil_id=pupil_id,
                  school_id=school_id)


def _refuse(*_args) -> None:
    raise RuntimeError("Het logboek kan niet worden gewijzigd of gewist.")


event.listen(AuditEntry, "before_update", _refuse)
event.listen(AuditEntry, "before_delete", _refuse)


def init_app(app: Flask) -> None:
    @app.after_request
    def _record_case_access(response):
        """Reads of a case page. Changes are recorded by the write path, in the change's
        own transaction."""
        endpoint = request.endpoint
        if (
            request.method != "GET"
            or response.status_code >= 400
            or endpoint in NOT_RECORDED
            or not current_user.is_authenticated
        ):
            return response
        rule = access.RULES.get(endpoint or "")
        case = g.get("audit_case")
        if rule == access.CASE and case is not None:
            action = EXPORT if endpoint in EXPORTS else READ
            try:
                record(action, endpoint, user_id=current_user.id, case_id=case.id,
                       pupil_id=case.pupil_id, school_id=case.school_id)
            except DBAPIError as error:
                if not unavailable(error):
                    raise
                # A read that cannot be written down is not shown: the calm 503 instead.
                return make_response(database_away(error))
        return response
