"""A staff member's calendar feed (iCalendar, RFC 5545): their coming meetings,
evaluations and follow-ups of talks. Pupil first name and class only; no roles, no notes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import join, select

from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, utcnow
from steungroep.models import (
    EVAL_GROUP_AGAIN,
    EVAL_PUPIL,
    Case,
    CaseTalk,
    Cycle,
    Evaluation,
    Pupil,
    SchoolClass,
    SupportGroup,
    User,
)

MEETING_MINUTES = 45
LOOK_BACK_DAYS = 30  # evaluations overdue up to this long stay in the calendar


def _label(first_name: str, class_name: str | None) -> str:
    return f"{first_name} ({class_name})" if class_name else first_name


def _rows(user: User, start, *what):
    """``what`` with the case id, pupil first name and class, for the user's open cases;
    ``start`` is the table (or join) the cycles come from."""
    return (
        select(*what, Case.id, Pupil.first_name, SchoolClass.name)
        .select_from(start)
        .join(SupportGroup, SupportGroup.id == Cycle.group_id)
        .join(Case, Case.id == SupportGroup.case_id)
        .join(Pupil, Pupil.id == Case.pupil_id)
        .outerjoin(SchoolClass, SchoolClass.id == Pupil.class_id)
        .where(
            Case.teacher_id == user.id,
            Case.school_id.in_(user.school_ids or {-1}),
            Case.closed_at.is_(None),
            Case.practice.is_(False),
            Cycle.decision.is_(None),
        )
    )


def build_feed(user: User, today: date, base_url: str) -> bytes:
    """The feed for ``user`` (three queries, whatever the number of cases)."""
    calendar = Calendar()
    calendar.add("prodid", "-//steungroep//agenda//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Steungroep – {user.name}")
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    calendar.add("x-published-ttl", "PT1H")
    stamp = utcnow()
    host = base_url.split("://", 1)[-1].split("/", 1)[0] or "steungroep"

    evaluations = db.session.execute(
        _rows(
            user,
            join(Evaluation, Cycle, Cycle.id == Evaluation.cycle_id),
            Evaluation.id,
            Evaluation.kind,
            Evaluation.due_on,
        )
        .where(
            Evaluation.held_on.is_(None),
            Evaluation.due_on >= today - timedelta(days=LOOK_BACK_DAYS),
        )
        .order_by(Evaluation.due_on, Evaluation.id)
    ).all()
    for evaluation_id, kind, due_on, case_id, first_name, class_name in evaluations:
        who = _label(first_name, class_name)
        summary = {EVAL_PUPIL: f"Vervolggesprek met {who}",
                   EVAL_GROUP_AGAIN: f"Laatste gesprek steungroep van {who}"}.get(
            kind, f"Gesprek steungroep van {who}")
        event = _event(f"evaluatie-{evaluation_id}@{host}", summary, stamp, base_url, case_id)
        event.add("dtstart", due_on)
        event.add("dtend", due_on + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)

    meetings = db.session.execute(
        _rows(
            user, Cycle, Cycle.id, Cycle.number, Cycle.meeting_planned_on,
            Cycle.meeting_planned_time,
        )
        .where(
            Cycle.meeting_planned_on.is_not(None),
            Cycle.meeting_completed_at.is_(None),
            Cycle.meeting_planned_on >= today,
        )
        .order_by(Cycle.meeting_planned_on, Cycle.id)
    ).all()
    for cycle_id, number, day, at, case_id, first_name, class_name in meetings:
        summary = f"Bijeenkomst steungroep van {_label(first_name, class_name)} (ronde {number})"
        event = _event(f"bijeenkomst-{cycle_id}@{host}", summary, stamp, base_url, case_id)
        if at is None:
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
        else:
            start = datetime.combine(day, at, tzinfo=SCHOOL_TZ).astimezone(stamp.tzinfo)
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=MEETING_MINUTES))
        calendar.add_component(event)
    follow_ups = db.session.execute(
        select(CaseTalk.id, CaseTalk.kind, CaseTalk.follow_up_on, Case.id, Pupil.first_name,
               SchoolClass.name)
        .join(Case, Case.id == CaseTalk.case_id)
        .join(Pupil, Pupil.id == Case.pupil_id)
        .outerjoin(SchoolClass, SchoolClass.id == Pupil.class_id)
        .where(Case.teacher_id == user.id, Case.school_id.in_(user.school_ids or {-1}),
               Case.closed_at.is_(None), Case.practice.is_(False),
               CaseTalk.followed_by_id.is_(None),
               CaseTalk.follow_up_on >= today - timedelta(days=LOOK_BACK_DAYS))
        .order_by(CaseTalk.follow_up_on, CaseTalk.id)
    ).all()
    for talk_id, kind, day, case_id, first_name, class_name in follow_ups:
        who = _label(first_name, class_name)
        summary = (f"Controle na twee weken: {who}" if kind == "herstelgesprek"
                   else f"Vervolg van een gesprek over {who}")
        event = _event(f"gesprek-{talk_id}@{host}", summary, stamp, base_url, case_id)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def _event(uid: str, summary: str, stamp: datetime, base_url: str, case_id: int) -> Event:
    link = f"{base_url}/zaken/{case_id}"
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("url", link)
    event.add("description", f"Open de aanpak: {link}")
    return event
