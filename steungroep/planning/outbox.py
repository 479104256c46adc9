"""The e-mail outbox: messages are claimed before they are sent, so two deliverers never send
the same one, and retried with backoff (1, 2, 4 … 60 minutes)."""

from __future__ import annotations

import logging
import time as time_module
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from steungroep.core import mail
from steungroep.core.extensions import db
from steungroep.models import (
    MAIL_PENDING,
    MAIL_SENT,
    OutboxMessage,
)
from steungroep.web.writes import UnitOfWork, end_transaction

log = logging.getLogger(__name__)


CLAIM_MINUTES = 10  # how long a deliverer owns a message it is sending


MAX_BACKOFF = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after each failed attempt, at most an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver_outbox(now: datetime, limit: int = 200) -> int:
    """Send pending e-mails whose time has come; return how many were sent. ``now`` moves on
    with the real time spent sending, so a slow run never claims with an expired lease."""
    settings = mail.settings_from(current_app.config)
    if settings is None:
        return 0
    started = time_module.monotonic()

    def current() -> datetime:
        return now + timedelta(seconds=time_module.monotonic() - started)

    end_transaction()
    ready = db.session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == MAIL_PENDING,
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    end_transaction()
    host = settings.sender.rsplit("@", 1)[-1].strip("> ") or "localhost"
    sent = 0
    for message_id in ready:
        moment = current()
        with UnitOfWork():
            claimed = db.session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == message_id,
                    OutboxMessage.status == MAIL_PENDING,
                    or_(OutboxMessage.claimed_until.is_(None),
                        OutboxMessage.claimed_until < moment),
                )
                .values(
                    claimed_until=moment + timedelta(minutes=CLAIM_MINUTES),
                    attempts=OutboxMessage.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            ).rowcount
        if claimed != 1:
            continue
        message = db.session.get(OutboxMessage, message_id, populate_existing=True)
        attempts = message.attempts
        fields = (message.to_address, message.subject, message.body, message.dedupe_key)
        end_transaction()  # no transaction open while talking to the mail server
        try:
            to, subject, body, key = fields
            email = mail.build_message(settings, to, subject, body, f"<{key}@{host}>")
            mail.send(settings, email)
        except Exception as error:  # any SMTP, network or message failure: try again later
            reason = f"{type(error).__name__}: {error}"[:500]
            _mark(message_id, next_attempt_at=current() + backoff(attempts), last_error=reason)
            log.warning("e-mail %s niet verstuurd (poging %s): %s", message_id, attempts, reason)
            continue
        _mark(message_id, status=MAIL_SENT, sent_at=current(), last_error="")
        sent += 1
    return sent


def _mark(message_id: int, **values) -> None:
    """Record the outcome of one delivery attempt and release the claim (its own short
    transaction, so nothing read earlier can make it fail)."""
    with UnitOfWork():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(claimed_until=None, **values)
            .execution_options(synchronize_session=False)
        )
