"""Notices on the home page, and the nightly clean-up of what has been seen or sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, delete, func, literal, or_, select

from steungroep.core.extensions import db
from steungroep.models import (
    MAIL_SENT,
    Case,
    CaseTalk,
    Evaluation,
    LoginSession,
    Notice,
    OutboxMessage,
    Pupil,
    PupilTalk,
    SchoolClass,
    User,
)
from steungroep.web.writes import UnitOfWork

KEEP_DAYS = 30  # sent e-mails and seen notices are removed after this many days


def housekeeping(
    now: datetime, session_lifetime: timedelta = timedelta(hours=10)
) -> dict[str, int]:
    """Nightly: remove sent e-mails and seen notices older than KEEP_DAYS, and logins that
    ended (or expired) more than KEEP_DAYS ago."""
    cutoff = now - timedelta(days=KEEP_DAYS)
    with UnitOfWork():
        mails = db.session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.status == MAIL_SENT, OutboxMessage.sent_at < cutoff
            )
        ).rowcount
        notices = db.session.execute(
            delete(Notice).where(Notice.seen_at.is_not(None), Notice.seen_at < cutoff)
        ).rowcount
        logins = db.session.execute(
            delete(LoginSession).where(LoginSession.started_at < cutoff - session_lifetime)
        ).rowcount
    return {"outbox": mails, "notices": notices, "logins": logins}


@dataclass
class NoticeRow:
    id: int
    kind: str
    evaluation_kind: str
    due_on: date
    case_id: int
    pupil: str
    teacher: str


def open_notices(user: User) -> list[NoticeRow]:
    """The user's unseen notices whose evaluation (or talk follow-up: ``evaluation_kind`` is
    then the talk's kind) still waits on the same date, for cases the
    user may still see (reassigned, or left the school: gone). One query."""
    visible = [Case.school_id.in_(user.school_ids or {-1})]
    if not user.sees_school_cases:
        visible.append(Case.teacher_id == user.id)
    rows = db.session.execute(
        select(
            Notice.id, Notice.kind,
            func.coalesce(Evaluation.kind, CaseTalk.kind,
                          case((PupilTalk.id.is_not(None), literal("opnieuw_vragen")))),
            Notice.due_on,
            Case.id, Pupil.first_name, SchoolClass.name, User.name,
        )
        .outerjoin(Evaluation, Evaluation.id == Notice.evaluation_id)
        .outerjoin(CaseTalk, CaseTalk.id == Notice.talk_id)
        .outerjoin(PupilTalk, PupilTalk.id == Notice.pupil_talk_id)
        .join(Case, Case.id == Notice.case_id)
        .join(Pupil, Pupil.id == Case.pupil_id)
        .outerjoin(SchoolClass, SchoolClass.id == Pupil.class_id)
        .join(User, User.id == Case.teacher_id)
        .where(
            Notice.user_id == user.id,
            Notice.seen_at.is_(None),
            *visible,
            or_(and_(Evaluation.id.is_not(None), Evaluation.held_on.is_(None),
                     Evaluation.due_on == Notice.due_on),
                and_(CaseTalk.id.is_not(None), CaseTalk.followed_by_id.is_(None),
                     CaseTalk.follow_up_on == Notice.due_on),
                # asked again meanwhile: the talk holds the answer (or a new date)
                and_(PupilTalk.id.is_not(None), PupilTalk.consent.is_(False),
                     PupilTalk.follow_up_on == Notice.due_on, Case.escalated_at.is_(None))),
            # a talk's follow-up stays wanted after closing (follow_ups.py), the rest not
            or_(Case.closed_at.is_(None),
                and_(CaseTalk.id.is_not(None), CaseTalk.kind != "herstelgesprek")),
        )
        .order_by(Notice.due_on, Notice.id)
    ).all()
    return [
        NoticeRow(nid, kind, ekind, due, cid, f"{first} ({klass})" if klass else first, teacher)
        for nid, kind, ekind, due, cid, first, klass, teacher in rows
    ]
