"""The pupil's own action card, opened from a QR code. No login; only that pupil's card.

Nothing here may show a role, another member, a note, the letter, or the word "pesten".
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db, limiter
from ..models import EVAL_GROUP, Case, Cycle, GroupMember, RetiredCardToken, SupportGroup

bp = Blueprint("cards", __name__)

CARD_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}
TOKEN_MAX = 64


@bp.after_request
def _card_headers(response: Response) -> Response:
    """Never cached, never indexed, and the token never leaks in a Referer."""
    response.headers.update(CARD_HEADERS)
    return response


def _finished():
    return render_template("cards/finished.html"), 410


def _unknown():
    return render_template("cards/unknown.html"), 404


@bp.errorhandler(429)
def _slow_down(_error):
    """Too many wrong card links from one address: a calm 'wait a moment'."""
    return render_template("cards/slow_down.html"), 429


@bp.get("/k/<token>")
@limiter.limit(
    lambda: current_app.config["CARD_GUESS_LIMIT"],
    deduct_when=lambda response: response.status_code == 404,
)
def card(token: str):
    """One pupil's card: first name, their own idea, thanks, and when they'll be asked."""
    if len(token) > TOKEN_MAX:
        return _unknown()
    member = db.session.scalar(
        select(GroupMember)
        .where(GroupMember.card_token == token)
        .options(
            selectinload(GroupMember.pupil),
            selectinload(GroupMember.group).selectinload(SupportGroup.case),
            selectinload(GroupMember.group)
            .selectinload(SupportGroup.cycles)
            .selectinload(Cycle.actions),
            selectinload(GroupMember.group)
            .selectinload(SupportGroup.cycles)
            .selectinload(Cycle.evaluations),
        )
    )
    if member is None:
        retired = db.session.scalar(
            select(RetiredCardToken.id).where(RetiredCardToken.token == token)
        )
        return _finished() if retired else _unknown()
    group = member.group
    case: Case = group.case
    current = group.current_cycle
    if case.is_closed or current is None or not member.in_cycle(current.number):
        return _finished()
    action, cycle = None, None
    for candidate in reversed(group.cycles):  # this round's idea, else the last one they had
        action = next((a for a in candidate.actions if a.member_id == member.id), None)
        if action is not None:
            cycle = candidate
            break
    ask = cycle.evaluation(EVAL_GROUP) if cycle else None
    return render_template(
        "cards/card.html",
        first_name=member.pupil.first_name,
        action=action.text if action else None,
        ask_on=ask.due_on if ask and ask.held_on is None else None,
    )
