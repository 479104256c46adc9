"""Dates: reminders on the home page, moving an evaluation, planning the meeting, and each
staff member's calendar feed. (The school's calendar is set in settings/.)"""

from __future__ import annotations

from datetime import time

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from steungroep import domain
from steungroep.cases.page import case_context
from steungroep.core import limits
from steungroep.core.extensions import db
from steungroep.core.security import is_token, public_address
from steungroep.core.timeutil import school_today, utcnow
from steungroep.domain.i18n import N_
from steungroep.models import (
    EVAL_GROUP,
    EVAL_GROUP_AGAIN,
    EVAL_PUPIL,
    Notice,
    User,
    new_card_token,
)
from steungroep.planning import feed, use_cases
from steungroep.web import writes
from steungroep.web.pages import get_case, on_case_page, parse_date

bp = Blueprint("planning", __name__, template_folder="templates")
public = Blueprint("feed", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The feature's pages, and the calendar feed (public: its address is the key)."""
    app.register_blueprint(bp)
    app.register_blueprint(public)


FEED_HEADERS = {"Cache-Control": "private, max-age=900", "Referrer-Policy": "no-referrer",
                "X-Robots-Tag": "noindex, nofollow"}


@bp.before_request
@login_required
def _require_login():
    """Every page here is for logged-in staff."""


# ---- reminders ----------------------------------------------------------------------------



@bp.post("/herinneringen/<int:notice_id>/gezien")
@writes.change()
def notice_seen(uow: writes.UnitOfWork, notice_id: int):
    """Gezien: the notice leaves the home page."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.user_id != current_user.id:
        abort(404)
    if notice.seen_at is None:
        notice.seen_at = utcnow()
    return redirect(url_for("cases.home"))


# ---- moving an evaluation, planning the meeting ------------------------------------------


def _evaluation(case, kind: str):
    cycle = case.group.current_cycle if case.group else None
    kinds = (EVAL_PUPIL, EVAL_GROUP, EVAL_GROUP_AGAIN)
    evaluation = cycle.evaluation(kind) if cycle and kind in kinds else None
    if evaluation is None:
        abort(404)
    return cycle, evaluation


def _move_refused(error: domain.DomainError, case_id: int, kind: str):
    case = get_case(case_id)
    cycle, evaluation = _evaluation(case, kind)
    if evaluation.held_on or cycle.decision or case.is_closed:
        return on_case_page(error, case_id)  # nothing to fix in the form (an old tab)
    context = case_context(case)
    context.update(move_kind=kind, move_error=error, form=request.form)
    return render_template("cases/case.html", **context), 422


@bp.post("/zaken/<int:case_id>/evaluaties/<kind>/verplaatsen")
@writes.case_change(refused=_move_refused)
def move_evaluation(case, kind: str):
    """Plan an evaluation on another school day, with a reason."""
    cycle, evaluation = _evaluation(case, kind)
    use_cases.move_evaluation(
        case, current_user, evaluation, parse_date("due_on"), request.form.get("reason", "")
    )
    flash(_("Verplaatst naar %(day)s. De herinnering komt die ochtend.",
            day=evaluation.due_on.strftime("%d-%m-%Y")), "info")
    return redirect(url_for("cases.case_page", case_id=case.id) + f"#ronde-{cycle.number}")


def _parse_time(name: str) -> tuple[time | None, bool]:
    """(time, ok): an empty field is no time; a malformed one is not ok."""
    value = request.form.get(name, "").strip()
    if not value:
        return None, True
    try:
        return time.fromisoformat(value), True
    except ValueError:
        return None, False


def _plan_refused(error: domain.DomainError, case_id: int):
    case = get_case(case_id)
    cycle = case.group.current_cycle if case.group else None
    if case.is_closed or cycle is None or cycle.meeting_on or not case.group.confirmed_at:
        return on_case_page(error, case_id)  # the form is not on the page now (an old tab)
    context = case_context(case)
    context.update(plan_error=error, form=request.form)
    return render_template("cases/case.html", **context), 422


@bp.post("/zaken/<int:case_id>/bijeenkomst/plannen")
@writes.case_change(refused=_plan_refused)
def plan_meeting(case):
    """Put the group meeting in the diary."""
    at, ok = _parse_time("time")
    if not ok:
        raise domain.DomainError(N_("Vul de tijd in als uu:mm, bijvoorbeeld 10:30."), "time")
    use_cases.plan_meeting(case, current_user, parse_date("day"), at)
    flash(_("De bijeenkomst staat in de agenda."), "info")
    return redirect(url_for("cases.case_page", case_id=case.id))


# ---- the calendar feed ---------------------------------------------------------------------


def feed_url(user: User) -> str | None:
    if not user.calendar_token:
        return None
    return public_address(url_for("feed.calendar", token=user.calendar_token))


@bp.get("/agenda")
def agenda():
    """My calendar feed: the private address to subscribe to, and revoking it."""
    return render_template("planning/agenda.html", url=feed_url(current_user))


@bp.post("/agenda/nieuw")
@writes.change()
def agenda_new(uow: writes.UnitOfWork):
    """A new private address; the old one stops working at once."""
    current_user.calendar_token = new_card_token()
    flash(_("Je agenda-adres is klaar. Een eerder adres werkt niet meer."), "info")
    return redirect(url_for("planning.agenda"))


@bp.post("/agenda/intrekken")
@writes.change()
def agenda_revoke(uow: writes.UnitOfWork):
    """Revoke the calendar address."""
    current_user.calendar_token = None
    flash(_("Het agenda-adres is ingetrokken; agenda's met dit adres krijgen niets meer."),
          "info")
    return redirect(url_for("planning.agenda"))


@public.get("/agenda/<token>.ics")
def calendar(token: str):
    """The feed itself (RFC 5545). No login: the address is the key. As with the cards, only
    wrong addresses are counted (per client address, one atomic count each): the right one
    always works, and a guesser gets exactly CARD_GUESS_LIMIT answers before a 429."""
    user = None
    if is_token(token):
        user = db.session.scalar(
            select(User).where(User.calendar_token == token, User.active.is_(True))
        )
    if user is None:
        if not limits.hit(current_app.config["CARD_GUESS_LIMIT"], "feed-guess",
                          request.remote_addr or ""):
            return Response("Te veel onbekende agenda-adressen; probeer het over een minuut "
                            "opnieuw.\n", 429, mimetype="text/plain", headers=FEED_HEADERS)
        return Response(
            "Onbekend agenda-adres.\n", 404, mimetype="text/plain", headers=FEED_HEADERS
        )
    body = feed.build_feed(user, today=school_today(), base_url=public_address())
    return Response(body, mimetype="text/calendar", headers=FEED_HEADERS)

