"""Reminders about the follow-up of a talk (and the one-off path's check after two weeks),
and about the day to ask a pupil again after a 'not yet':
planned and reminded like an evaluation. On the morning of the follow-up day the teacher
responsible gets a notice in the app and, when e-mail is set up, an e-mail; claimed with one
conditional UPDATE on the talk (``reminded_for``), so it goes out once per date."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from steungroep.core import mail
from steungroep.core.extensions import db
from steungroep.core.timeutil import local
from steungroep.models import (
    NOTICE_DUE,
    Case,
    CaseTalk,
    Notice,
    OutboxMessage,
    Pupil,
    PupilTalk,
)
from steungroep.web.writes import UnitOfWork, end_transaction

log = logging.getLogger(__name__)


def _open_follow_ups():
    """A follow-up not yet held nor reminded for its date. A talk's follow-up is reminded
    after the case closed too (seed 004, PM-model: the mentor keeps checking); the one-off
    check only while the case is open; nothing once the case is anonymised."""
    return (
        CaseTalk.follow_up_on.is_not(None),
        CaseTalk.followed_by_id.is_(None),
        or_(CaseTalk.reminded_for.is_(None), CaseTalk.reminded_for != CaseTalk.follow_up_on),
        CaseTalk.case_id.in_(select(Case.id).where(Case.pupil_id.is_not(None),
                                                   Case.practice.is_(False))),
        or_(CaseTalk.kind != "herstelgesprek",
            CaseTalk.case_id.in_(select(Case.id).where(Case.closed_at.is_(None)))),
    )


def _waiting(model, conditions, latest) -> list[int]:
    """The talks due by ``latest`` and not reminded yet, read in a transaction of its own."""
    end_transaction()
    ids = list(db.session.scalars(
        select(model.id).where(*conditions, model.follow_up_on <= latest)
        .order_by(model.follow_up_on, model.id)))
    end_transaction()
    return ids


def waiting(latest) -> list[int]:
    return _waiting(CaseTalk, _open_follow_ups(), latest)


def message(talk: CaseTalk, teacher_name: str, pupil: str, late: bool, url: str
            ) -> tuple[str, str]:
    """(subject, body): the case's pupil by first name and class only; not who the talk
    was with (that may be another pupil or their parents)."""
    what = ("de controle na twee weken over " if talk.kind == "herstelgesprek"
            else "het vervolg van een gesprek over ")
    day = f"{talk.follow_up_on:%d-%m-%Y}"
    subject = f"{'Nog te doen' if late else 'Vandaag'}: {what}{pupil}"
    when = (f"stond gepland op {day} en is nog niet vastgelegd" if late
            else f"staat vandaag ({day}) gepland")
    body = (f"Beste {teacher_name},\n\n{what[0].upper()}{what[1:]}{pupil} {when}.\n\n"
            f"Open de aanpak: {url}\n")
    return subject, body


def _remind(model, talk_id: int, conditions, now: datetime, latest, case_url, *,
            link: str, key: str, compose) -> bool:
    """Claim the reminder of one talk for its date with one conditional UPDATE (so it goes
    out once), then a notice for the teacher responsible and, when e-mail is set up, an
    e-mail (``compose(talk, teacher name, pupil, late, url)`` gives subject and body)."""
    with UnitOfWork():
        claimed = db.session.execute(
            update(model).where(model.id == talk_id, *conditions, model.follow_up_on <= latest)
            .values(reminded_for=model.follow_up_on)
            .execution_options(synchronize_session=False)
        ).rowcount == 1
        if not claimed:
            return False
        talk = db.session.scalars(
            select(model).where(model.id == talk_id).options(
                selectinload(model.case).options(
                    selectinload(Case.pupil).selectinload(Pupil.school_class),
                    selectinload(Case.teacher)))
        ).one()
        case, teacher = talk.case, talk.case.teacher
        if teacher.active:
            db.session.add(Notice(user_id=teacher.id, case_id=case.id, kind=NOTICE_DUE,
                                  due_on=talk.follow_up_on, **{link: talk.id}))
            if mail.settings_from(current_app.config) and teacher.email and case.pupil:
                klass = case.pupil.school_class.name if case.pupil.school_class else ""
                who = f"{case.pupil.first_name} ({klass})" if klass else case.pupil.first_name
                subject, body = compose(talk, teacher.name, who,
                                        talk.follow_up_on < local(now).date(),
                                        case_url(case.id))
                db.session.add(OutboxMessage(
                    dedupe_key=f"{key}-{talk.id}-{talk.follow_up_on.isoformat()}-{teacher.id}",
                    case_id=case.id, to_address=teacher.email, subject=subject, body=body))
    return True


def remind(talk_id: int, now: datetime, latest, case_url) -> bool:
    sent = _remind(CaseTalk, talk_id, _open_follow_ups(), now, latest, case_url,
                   link="talk_id", key="talk", compose=message)
    if sent:
        log.info("herinnering vervolg gesprek %s verstuurd", talk_id)
    return sent


# ---- asking the pupil again, after a 'not yet' (seed 001 stap 3; seed 002 stap 1) ---------


def _open_asks():
    """A 'not yet' whose day to ask again is not reminded yet, on an open case that still
    waits for the pupil's answer (not gone on to the stappenplan)."""
    return (
        PupilTalk.consent.is_(False),
        PupilTalk.follow_up_on.is_not(None),
        or_(PupilTalk.reminded_for.is_(None), PupilTalk.reminded_for != PupilTalk.follow_up_on),
        PupilTalk.case_id.in_(select(Case.id).where(
            Case.closed_at.is_(None), Case.escalated_at.is_(None), Case.pupil_id.is_not(None),
            Case.practice.is_(False))),
    )


def waiting_asks(latest) -> list[int]:
    return _waiting(PupilTalk, _open_asks(), latest)


def ask_message(talk: PupilTalk, teacher_name: str, pupil: str, late: bool, url: str
                ) -> tuple[str, str]:
    day = f"{talk.follow_up_on:%d-%m-%Y}"
    subject = f"{'Nog te doen' if late else 'Vandaag'}: opnieuw vragen, {pupil}"
    when = f"stond gepland op {day}" if late else f"staat vandaag ({day}) gepland"
    body = (f"Beste {teacher_name},\n\nOpnieuw vragen of {pupil} hulp wil {when}."
            f"\n\nOpen de aanpak: {url}\n")
    return subject, body


def remind_ask(talk_id: int, now: datetime, latest, case_url) -> bool:
    """The morning of the day to ask again: reminded like a talk's follow-up."""
    sent = _remind(PupilTalk, talk_id, _open_asks(), now, latest, case_url,
                   link="pupil_talk_id", key="ask", compose=ask_message)
    if sent:
        log.info("herinnering opnieuw vragen %s verstuurd", talk_id)
    return sent
