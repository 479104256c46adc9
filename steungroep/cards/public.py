"""The pupil's own action card, opened from a QR code. No login; only that pupil's card.

Nothing here may show a role, another member, a note, the letter, or the word "pesten".
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from sqlalchemy import bindparam, func, select

from steungroep.core import limits
from steungroep.core.extensions import db
from steungroep.core.i18n import pupil_language
from steungroep.core.security import is_token
from steungroep.domain import teacher_word
from steungroep.domain.i18n import N_, translate
from steungroep.models import (
    EVAL_GROUP,
    EVAL_GROUP_AGAIN,
    Action,
    Case,
    Cycle,
    Evaluation,
    GroupMember,
    Pupil,
    RetiredCardToken,
    School,
    SupportGroup,
)

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


# Marked for the catalog; translated in the template (cards/message.html).
MESSAGES = {
    404: (N_("Deze kaart kennen we niet"), N_("Vraag je juf, meester of mentor om de goede code.")),
    410: (N_("Deze kaart is klaar"), N_("Dank je wel voor je hulp!")),
    429: (
        N_("Even wachten"),
        N_("Probeer het over een paar minuten nog eens, of vraag je juf, meester of mentor om "
           "hulp."),
    ),
    503: (N_("Even geduld"), N_("Het lukt nu even niet. Probeer het zo nog eens.")),
}


# A replaced card (410 too): the task goes on, on the new card.
REPLACED = (N_("Er is een nieuwe kaart voor jou"),
            N_("Deze kaart werkt niet meer. Vraag je juf, meester of mentor om je nieuwe kaart."))


def _message(status: int, message: tuple[str, str] | None = None):
    """The card look with a short message and no data: unknown, finished, replaced, or slow
    down."""
    title, text = message or MESSAGES[status]
    return render_template("cards/message.html", title=title, text=text), status


def unavailable():
    """The database does not answer (core/errors.py): a calm 'try again in a moment'."""
    return _message(503)


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
    return not limits.hit(current_app.config["CARD_GUESS_LIMIT"], "card-guess",
                          request.remote_addr or "")


@bp.get("/k/<token>")
def card(token: str):
    """One pupil's card: first name, their own idea, thanks, and when they'll be asked."""
    if not is_token(token):  # letters only, at most 64: never a database lookup
        return _slow_down(None) if _guessing() else _unknown()
    found = db.session.execute(_CARD_ROW, {"token": token}).one_or_none()
    if found is None:
        replaced = db.session.scalar(
            select(RetiredCardToken.replaced).where(RetiredCardToken.token == token)
        )
        if replaced is None:
            return _slow_down(None) if _guessing() else _unknown()
        return _message(410, REPLACED) if replaced else _finished()
    (first_name, joined, left, closed_at, escalated_at, kind, language, current, action,
     ask_on, asked) = found
    pupil_language(language)  # the card speaks the school's language
    taking_part = current is not None and joined <= current and (left is None or left > current)
    if closed_at is not None or escalated_at is not None or not taking_part:
        return _finished()
    return render_template(
        "cards/card.html",
        first_name=first_name,
        action=action,
        ask_on=ask_on if asked is None else None,
        teacher=translate(teacher_word(kind)),
    )


# A card is opened by a whole class at once: one statement, built once (no ORM objects, no
# eager loads, no statement to compile per request, one round trip to the database).
_CURRENT_ROUND = (select(func.max(Cycle.number)).where(Cycle.group_id == GroupMember.group_id)
                  .correlate(GroupMember).scalar_subquery())
# the round of this member's latest idea: this round's, else the last one they had
_IDEA_ROUND = (select(Action.cycle_id).join(Cycle, Cycle.id == Action.cycle_id)
               .where(Action.member_id == GroupMember.id)
               .order_by(Cycle.number.desc()).limit(1)
               .correlate(GroupMember).scalar_subquery())
_IDEA = (select(Action.text)
         .where(Action.member_id == GroupMember.id, Action.cycle_id == _IDEA_ROUND)
         .correlate(GroupMember).scalar_subquery())


def _group_evaluation(column):
    """That round's group evaluation: when it is planned, and whether it was held; the last
    one a week after the first, once there is one ('groep2' sorts after 'groep')."""
    return (select(column)
            .where(Evaluation.cycle_id == _IDEA_ROUND,
                   Evaluation.kind.in_((EVAL_GROUP, EVAL_GROUP_AGAIN)))
            .order_by(Evaluation.kind.desc()).limit(1)
            .correlate(GroupMember).scalar_subquery())


_CARD_ROW = (
    select(Pupil.first_name, GroupMember.joined_cycle, GroupMember.left_cycle,
           Case.closed_at, Case.escalated_at, School.kind, School.language, _CURRENT_ROUND,
           _IDEA,
           _group_evaluation(Evaluation.due_on), _group_evaluation(Evaluation.held_on))
    .join(Pupil, Pupil.id == GroupMember.pupil_id)
    .join(SupportGroup, SupportGroup.id == GroupMember.group_id)
    .join(Case, Case.id == SupportGroup.case_id)
    .join(School, School.id == Case.school_id)
    .where(GroupMember.card_token == bindparam("token"))
)
