"""Kaarten, after the meeting: each member taps their name and scans their own QR code; the
printed cards; a new card for a lost one."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from steungroep import domain
from steungroep.cards import public, qr, use_cases
from steungroep.cases.state import last_held_cycle, member_by_id, member_names
from steungroep.core import errors
from steungroep.core.i18n import pupil_language
from steungroep.models import Case
from steungroep.web import writes
from steungroep.web.pages import get_case_with_round, refused_on_case_page

bp = Blueprint("card_screens", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The Kaarten screens and printed cards of the meeting (here), the pupil's own card
    (public.py: its address is the key) with its calm page when the database is away, and
    whether cards can be reached at all."""
    app.register_blueprint(bp)
    app.register_blueprint(public.bp)
    errors.calm_page(app, public.bp.name, public.unavailable)
    app.jinja_env.globals["cards_unreachable"] = qr.cards_unreachable


@bp.before_request
@login_required
def _require_login():
    """Staff only."""


def _card_members(case: Case):
    """Members of the round whose meeting is done and who are still in the group (one who
    left at the start of a new round gets no card), for the Kaarten step."""
    cycle = last_held_cycle(case.group)
    if case.is_closed or case.escalated_at is not None or cycle is None:
        abort(404)
    current = case.group.current_cycle.number
    return [m for m in case.group.members if m.in_cycle(cycle.number) and m.in_cycle(current)]


def _for_pupils(case: Case) -> Case:
    """These screens and sheets are read by the pupils: the school's language."""
    pupil_language(case.school.language)
    return case


@bp.get("/zaken/<int:case_id>/kaarten")
def cards_names(case_id: int):
    """Kaarten: a button per member; tap a name to show that pupil's QR code."""
    case = _for_pupils(get_case_with_round(case_id))
    members = _card_members(case)
    return render_template("cards/cards.html", case=case, members=members,
                           names=member_names(members))


@bp.get("/zaken/<int:case_id>/kaarten/<int:member_id>")
def card_qr(case_id: int, member_id: int):
    """One pupil's QR code, full screen, with the first name only (no action text)."""
    case = _for_pupils(get_case_with_round(case_id))
    members = _card_members(case)
    member = next((m for m in members if m.id == member_id), None)
    if member is None:
        abort(404)
    index = members.index(member)
    following = members[index + 1] if index + 1 < len(members) else None
    return render_template(
        "cards/card_qr.html", case=case, member=member, following=following,
        names=member_names(members),
        svg=qr.qr_svg(qr.card_url(member.card_token), _(qr.QR_LABEL)),
    )


def _print_cards(case: Case, members) -> list[dict]:
    cycle = last_held_cycle(case.group)
    actions = {a.member_id: a.text for a in cycle.actions}
    ask = cycle.group_evaluation
    label = _(qr.QR_LABEL)
    names = member_names(_card_members(case))  # told apart among the whole group
    return [
        {
            "name": names.get(m.id, m.pupil.first_name),
            "action": actions.get(m.id, ""),
            "ask_on": ask.due_on if ask and ask.held_on is None else None,
            "svg": qr.qr_svg(qr.card_url(m.card_token), label),
        }
        for m in members
    ]


@bp.get("/zaken/<int:case_id>/kaarten/afdrukken")
def cards_print(case_id: int):
    """All cards of the round on one A4 sheet: two columns, cut lines."""
    case = _for_pupils(get_case_with_round(case_id))
    members = _card_members(case)
    return render_template(
        "cards/cards_print.html", case=case, cards=_print_cards(case, members), single=False,
        teacher=_(domain.teacher_word(case.school.kind)),
    )


@bp.get("/zaken/<int:case_id>/kaarten/<int:member_id>/afdrukken")
def card_print(case_id: int, member_id: int):
    """One card to print, e.g. after replacing a lost one."""
    case = _for_pupils(get_case_with_round(case_id))
    member = next((m for m in _card_members(case) if m.id == member_id), None)
    if member is None:
        abort(404)
    return render_template(
        "cards/cards_print.html", case=case, cards=_print_cards(case, [member]), single=True,
        teacher=_(domain.teacher_word(case.school.kind)),
    )


@bp.post("/zaken/<int:case_id>/groep/leden/<int:member_id>/nieuwe-kaart")
@writes.case_change(refused=refused_on_case_page())
def card_replace(case: Case, member_id: int):
    """A lost card: make a new link; the old card stops working at once."""
    member = member_by_id(case, member_id)
    if member is None:
        abort(404)
    use_cases.replace_card(case, current_user, member)
    flash(_("%(name)s heeft een nieuwe kaart; de oude werkt niet meer.",
            name=member.pupil.first_name), "info")
    return redirect(url_for("cases.case_page", case_id=case.id))
