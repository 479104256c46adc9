"""The pupil's own action card, opened from a QR code. No login; only that pupil's card.

Nothing here may show a role, another member, a note, the letter, or the word "pesten".
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from limits import parse
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from steungroep.cases.state import card_action
from steungroep.core.extensions import db, limiter
from steungroep.core.security import is_token
from steungroep.domain import teacher_word
from steungroep.models import EVAL_GROUP, Case, Cycle, GroupMember, RetiredCardToken, SupportGroup

bp = Blueprint("cards", __name__, template_folder="templates")

CARD_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


@bp.after_request
def _card_headers(response: Response) -> Response:
    """Never cached, never indexed, and the token never leaks in a Referer."""
    response.headers.update(CARD_HEADERS)
    return response


def N_(text: str) -> str:
    """Marks a message for extraction (pybabel); it is translated in the template."""
    return text


MESSAGES = {
    404: (N_("Deze kaart kennen we niet"), N_("Vraag je juf, meester of mentor om de goede code.")),
    410: (N_("Deze kaart is klaar"), N_("Dank je wel voor je hulp!")),
    429: (
        N_("Even wachten"),
        N_("Probeer het over een paar minuten nog eens, of vraag je juf, meester of mentor om "
           "hulp."),
    ),
}


# A replaced card (410 too): the task goes on, on the new card.
REPLACED = (N_("Er is een nieuwe kaart voor jou"),
            N_("Deze kaart werkt niet meer. Vraag je juf, meester of mentor om je nieuwe kaart."))


def _message(status: int, message: tuple[str, str] | None = None):
    """The card look with a short message and no data: unknown, finished, replaced, or slow
    down."""
    title, text = message or MESSAGES[status]
    return render_template("cards/message.html", title=title, text=text), status


def _finished():
    return _message(410)


def _unknown():
    return _message(404)


@bp.errorhandler(429)
def _slow_down(_error):
    """Too many wrong card links from one address: a calm 'wait a moment'."""
    return _message(429)


def _guessing() -> bool:
    """A wrong card link: counted per address. Only wrong links are ever counted or slowed,
    so a whole school behind one address never keeps a pupil from their own card."""
    if not limiter.enabled:
        return False
    strategy = FixedWindowRateLimiter(limiter.storage)
    item = parse(current_app.config["CARD_GUESS_LIMIT"])
    return not strategy.hit(item, "card-guess", request.remote_addr or "")


@bp.get("/k/<token>")
def card(token: str):
    """One pupil's card: first name, their own idea, thanks, and when they'll be asked."""
    if not is_token(token):  # letters only, at most 64: never a database lookup
        return _slow_down(None) if _guessing() else _unknown()
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
        replaced = db.session.scalar(
            select(RetiredCardToken.replaced).where(RetiredCardToken.token == token)
        )
        if replaced is None:
            return _slow_down(None) if _guessing() else _unknown()
        return _message(410, REPLACED) if replaced else _finished()
    group = member.group
    case: Case = group.case
    current = group.current_cycle
    if (case.is_closed or case.escalated_at is not None or current is None
            or not member.in_cycle(current.number)):
        return _finished()
    action, cycle = card_action(member)
    ask = cycle.evaluation(EVAL_GROUP) if cycle else None
    return render_template(
        "cards/card.html",
        first_name=member.pupil.first_name,
        action=action.text if action else None,
        ask_on=ask.due_on if ask and ask.held_on is None else None,
        teacher=teacher_word(case.school.kind),
    )
