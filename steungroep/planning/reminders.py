"""Reminders about evaluations (and, in follow_ups.py, about talks' follow-ups): the work
the scheduler's jobs do.

The evaluation rows are the source of truth. Each reminder is claimed with one conditional
UPDATE on its evaluation row (``reminded_for`` / ``escalated_for`` set to the due date), and
the notice and e-mail are written in that same transaction. A job that runs twice, or two
schedulers racing, therefore produce one reminder per due date. E-mail goes through the
``outbox`` table and is delivered with retries and backoff; a message is claimed before it is
sent, so two deliverers never send the same one.

Every function takes ``now`` (an aware datetime) so tests control time."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from babel.dates import format_date
from flask import current_app, url_for
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from steungroep import domain
from steungroep.core import mail
from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, local
from steungroep.models import (
    EVAL_GROUP_AGAIN,
    EVAL_PUPIL,
    NOTICE_DUE,
    NOTICE_OVERDUE,
    ROLE_ADMIN,
    ROLE_COORDINATOR,
    Case,
    Cycle,
    Evaluation,
    Notice,
    OutboxMessage,
    Pupil,
    School,
    SupportGroup,
    User,
)
from steungroep.planning import follow_ups
from steungroep.planning.outbox import deliver_outbox
from steungroep.planning.use_cases import calendar_for
from steungroep.web.writes import UnitOfWork, end_transaction

log = logging.getLogger(__name__)


def reminder_moment(day: date) -> datetime:
    """08:00 school time on ``day``: when the reminder for an evaluation due that day goes out."""
    return datetime.combine(day, time(domain.REMINDER_HOUR), tzinfo=SCHOOL_TZ)


def latest_due_day(now: datetime) -> date:
    """The latest due date whose reminder time has come."""
    moment = local(now)
    today = moment.date()
    return today if moment.time() >= time(domain.REMINDER_HOUR) else today - timedelta(days=1)


def _open_cycles():
    """Ids of cycles whose evaluations still matter: case open, no decision yet."""
    return (
        select(Cycle.id)
        .join(SupportGroup, SupportGroup.id == Cycle.group_id)
        .join(Case, Case.id == SupportGroup.case_id)
        .where(Case.closed_at.is_(None), Case.practice.is_(False), Cycle.decision.is_(None))
    )


def _not_sent(column):
    return or_(column.is_(None), column != Evaluation.due_on)


def waiting_reminders():
    """Open evaluations whose reminder for the current due date has not gone out."""
    return (
        select(Evaluation.id, Evaluation.due_on)
        .where(
            Evaluation.held_on.is_(None),
            _not_sent(Evaluation.reminded_for),
            Evaluation.cycle_id.in_(_open_cycles()),
        )
        .order_by(Evaluation.due_on, Evaluation.id)
    )


def _case_url(case_id: int) -> str:
    base = current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000"
    with current_app.test_request_context(base_url=base):
        return url_for("cases.case_page", case_id=case_id, _external=True)


def _pupil_label(pupil: Pupil) -> str:
    """First name and class only."""
    klass = pupil.school_class.name if pupil.school_class else ""
    return f"{pupil.first_name} ({klass})" if klass else pupil.first_name


def _day(day: date) -> str:
    return format_date(day, "EEEE d MMMM", locale="nl")


def due_message(
    user: User, evaluation: Evaluation, case: Case, today: date | None = None
) -> tuple[str, str]:
    """(subject, body) of the due-date reminder to the responsible teacher. Sent late (the
    scheduler was down on the day), it says when the talk was planned instead of 'today'."""
    who = _pupil_label(case.pupil)
    late = today is not None and evaluation.due_on < today
    if evaluation.kind == EVAL_PUPIL:
        talk = f"het vervolggesprek met {who}"
        purpose = "een week na de bijeenkomst vraag je hoe het nu gaat."
        subject = f"vervolggesprek met {who}"
    elif evaluation.kind == EVAL_GROUP_AGAIN:
        talk = f"het laatste gesprek met de steungroep van {who}"
        purpose = ("een week na het eerste gesprek spreek je de leerlingen van de groep nog "
                   "één keer één voor één, en daarna besluit je.")
        subject = f"laatste gesprek met de steungroep van {who}"
    else:
        talk = f"het gesprek met de steungroep van {who}"
        purpose = "je spreekt de leerlingen van de groep één voor één."
        subject = f"gesprek met de steungroep van {who}"
    if late:
        subject = f"Nog te doen: {subject}"
        what = (
            f"{talk[0].upper()}{talk[1:]} stond gepland op {_day(evaluation.due_on)} "
            f"en is nog niet gehouden: {purpose}"
        )
    else:
        subject = f"Vandaag: {subject}"
        what = f"Vandaag, {_day(evaluation.due_on)}, staat {talk} gepland: {purpose}"
    body = (
        f"Beste {user.name},\n\n{what}\n\n"
        f"Open de aanpak: {_case_url(case.id)}\n\n"
        "Lukt het niet? Verplaats het gesprek in de app naar een andere schooldag.\n"
    )
    return subject, body


def overdue_message(user: User, evaluation: Evaluation, case: Case) -> tuple[str, str]:
    """(subject, body) of the overdue notice to a coordinator."""
    who = _pupil_label(case.pupil)
    if evaluation.kind == EVAL_PUPIL:
        what = "Het vervolggesprek met"
    elif evaluation.kind == EVAL_GROUP_AGAIN:
        what = "Het laatste gesprek met de steungroep van"
    else:
        what = "Het gesprek met de steungroep van"
    subject = f"Nog niet gehouden: gesprek over {who}"
    body = (
        f"Beste {user.name},\n\n"
        f"{what} {who}, gepland op {_day(evaluation.due_on)}, is "
        f"{domain.OVERDUE_SCHOOL_DAYS} schooldagen later nog niet gehouden. "
        f"Verantwoordelijk: {case.teacher.name}.\n\n"
        f"Open de aanpak: {_case_url(case.id)}\n"
    )
    return subject, body


def _queue(user: User, evaluation: Evaluation, kind: str, message: tuple[str, str]) -> None:
    """The notice in the app, and the e-mail when e-mail is configured."""
    db.session.add(
        Notice(
            user_id=user.id,
            case_id=evaluation.cycle.group.case_id,
            evaluation_id=evaluation.id,
            kind=kind,
            due_on=evaluation.due_on,
        )
    )
    if mail.settings_from(current_app.config) and user.email:
        subject, body = message
        key = f"{kind}-{evaluation.id}-{evaluation.due_on.isoformat()}-{user.id}"
        db.session.add(OutboxMessage(
            dedupe_key=key, case_id=evaluation.cycle.group.case_id, to_address=user.email,
            subject=subject, body=body,
        ))


def _load(evaluation_id: int) -> Evaluation:
    return db.session.scalars(
        select(Evaluation)
        .where(Evaluation.id == evaluation_id)
        .options(
            selectinload(Evaluation.cycle)
            .selectinload(Cycle.group)
            .selectinload(SupportGroup.case)
            .options(
                selectinload(Case.pupil).selectinload(Pupil.school_class),
                selectinload(Case.teacher),
                selectinload(Case.school),
            )
        )
    ).one()


def _claim(evaluation_id: int, sent_for, *conditions) -> bool:
    """One conditional UPDATE marks an open evaluation's reminder (``reminded_for``) or
    overdue notice (``escalated_for``) as sent for its current due date; True when this
    call got it, False when it was not due, not open, or another run got it first."""
    return db.session.execute(
        update(Evaluation)
        .where(
            Evaluation.id == evaluation_id,
            Evaluation.held_on.is_(None),
            _not_sent(sent_for),
            Evaluation.cycle_id.in_(_open_cycles()),
            *conditions,
        )
        .values({sent_for.key: Evaluation.due_on})
        .execution_options(synchronize_session=False)
    ).rowcount == 1


def remind(evaluation_id: int, now: datetime) -> bool:
    """Send the due-date reminder of one evaluation to its teacher, once per due date.
    True when this call sent it; False when it was not due, not open, or already sent."""
    with UnitOfWork():  # the claim is the first statement of its own transaction
        if not _claim(evaluation_id, Evaluation.reminded_for,
                      Evaluation.due_on <= latest_due_day(now)):
            return False
        evaluation = _load(evaluation_id)
        case = evaluation.cycle.group.case
        teacher = case.teacher
        if teacher.active:
            message = due_message(teacher, evaluation, case, local(now).date())
            _queue(teacher, evaluation, NOTICE_DUE, message)
    log.info("herinnering evaluatie %s (%s) verstuurd", evaluation_id, evaluation.due_on)
    return True


def coordinators_of(school_id: int) -> list[User]:
    """The school's active coordinators; its admins when it has no coordinator."""
    staff = list(
        db.session.scalars(
            select(User)
            .where(
                User.role.in_((ROLE_COORDINATOR, ROLE_ADMIN)),
                User.active.is_(True),
                User.schools.any(School.id == school_id),
            )
            .order_by(User.id)
        )
    )
    coordinators = [u for u in staff if u.role == ROLE_COORDINATOR]
    return coordinators or staff


def escalate(evaluation_id: int, due_on: date, now: datetime) -> bool:
    """Tell the school's coordinators that an evaluation is overdue, once per due date.
    ``due_on`` is the due date the caller judged overdue (a moved evaluation is left alone)."""
    with UnitOfWork():
        if not _claim(evaluation_id, Evaluation.escalated_for, Evaluation.due_on == due_on):
            return False
        evaluation = _load(evaluation_id)
        case = evaluation.cycle.group.case
        for coordinator in coordinators_of(case.school_id):
            _queue(coordinator, evaluation, NOTICE_OVERDUE,
                   overdue_message(coordinator, evaluation, case))
    log.info("evaluatie %s (%s) over tijd gemeld", evaluation_id, due_on)
    return True


def overdue_candidates(now: datetime) -> list[tuple[int, date]]:
    """(evaluation id, due date) of open evaluations past their escalation day, not yet told."""
    end_transaction()
    latest = latest_due_day(now)
    rows = db.session.execute(
        select(Evaluation.id, Evaluation.due_on, Case.school_id)
        .join(Cycle, Cycle.id == Evaluation.cycle_id)
        .join(SupportGroup, SupportGroup.id == Cycle.group_id)
        .join(Case, Case.id == SupportGroup.case_id)
        .where(
            Evaluation.held_on.is_(None),
            Evaluation.due_on < latest,
            _not_sent(Evaluation.escalated_for),
            Case.closed_at.is_(None),
            Case.practice.is_(False),
            Cycle.decision.is_(None),
        )
    ).all()
    calendars: dict[int, domain.RegionCalendar] = {}
    found = []
    for evaluation_id, due_on, school_id in rows:
        if school_id not in calendars:
            calendars[school_id] = calendar_for(db.session.get(School, school_id))
        if domain.escalation_day(due_on, calendars[school_id]) <= latest:
            found.append((evaluation_id, due_on))
    end_transaction()
    return found


def escalate_overdue(now: datetime) -> int:
    return sum(_safely(escalate, eid, due_on, now) for eid, due_on in overdue_candidates(now))


@dataclass
class ScanResult:
    reminded: int = 0
    escalated: int = 0
    mailed: int = 0
    details: list[str] = field(default_factory=list)


def scan(now: datetime) -> ScanResult:
    """Everything due at ``now``: reminders, overdue notices, e-mail delivery."""
    end_transaction()
    latest = latest_due_day(now)
    due = [eid for eid, due_on in db.session.execute(waiting_reminders()) if due_on <= latest]
    end_transaction()
    result = ScanResult()
    result.reminded = sum(_safely(remind, eid, now) for eid in due)
    result.reminded += sum(_safely(follow_ups.remind, tid, now, latest, _case_url)
                           for tid in follow_ups.waiting(latest))
    result.reminded += sum(_safely(follow_ups.remind_ask, tid, now, latest, _case_url)
                           for tid in follow_ups.waiting_asks(latest))
    result.escalated = escalate_overdue(now)
    result.mailed = deliver_outbox(now)
    return result


def _safely(work, *args) -> bool:
    """One evaluation that fails (bad data) must not stop the reminders of all others."""
    try:
        return work(*args)
    except Exception:  # its unit of work has rolled back
        end_transaction()
        log.exception("%s%s mislukt", work.__name__, args)
        return False
