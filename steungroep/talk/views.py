"""Step 3: the talk with the pupil."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from steungroep import domain
from steungroep.core.timeutil import school_today
from steungroep.domain import guide
from steungroep.domain.i18n import translate
from steungroep.models import Case
from steungroep.talk import use_cases
from steungroep.web import writes
from steungroep.web.pages import (
    form_error,
    get_case,
    parse_date,
    stale_form,
)

bp = Blueprint("talk", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The feature's pages."""
    app.register_blueprint(bp)


@bp.before_request
@login_required
def _require_login():
    """Every page here is for logged-in staff."""


@bp.get("/zaken/<int:case_id>/gesprek")
def talk_form(case_id: int):
    """The talk with the pupil: the guide's questions, consent, letter, task, follow-up."""
    case = get_case(case_id)
    asking_again = case.talk is not None and not case.talk.consent
    if (case.talk is not None and not asking_again) or case.is_closed:
        return redirect(url_for("cases.case_page", case_id=case.id))
    form = {"held_on": school_today().isoformat(),
            "pupil_task": translate(guide.TALK_PUPIL_TASK_EXAMPLE)}
    if asking_again:  # what was written the first time is the start of the second
        talk = case.talk
        form.update(letter=talk.letter, confidential=talk.confidential, notes=talk.notes)
    return render_template("talk/talk.html", case=case, form=form, guide=guide,
                           asking_again=asking_again)


def _talk_refused(error: domain.DomainError, case_id: int):
    case = get_case(case_id)
    return form_error("talk/talk.html", error, case=case, guide=guide,
                      asking_again=case.talk is not None and not case.talk.consent)


@bp.post("/zaken/<int:case_id>/gesprek")
@writes.case_change(refused=_talk_refused)
def talk_create(case: Case):
    """Store the talk; consent leads on to the group, no consent closes the case."""
    if (done := stale_form(case)) is not None:
        return done
    consent = {"ja": True, "nee": False}.get(request.form.get("consent", ""))
    data = use_cases.TalkInput(
        held_on=parse_date("held_on"),
        consent=consent,
        letter=request.form.get("letter", ""),
        confidential=request.form.get("confidential", ""),
        pupil_task=request.form.get("pupil_task", ""),
        follow_up_on=parse_date("follow_up_on"),
        notes=request.form.get("notes", ""),
        no_consent=request.form.get("no_consent", ""),
        no_consent_reason=request.form.get("no_consent_reason", ""),
    )
    use_cases.record_talk(case, current_user, data)
    if not consent:
        if case.is_closed:
            flash(_("Vastgelegd: geen steungroep. De melding is afgesloten."), "info")
        elif case.escalated_at is not None:
            flash(_("Vastgelegd: geen steungroep. De melding gaat verder met het stappenplan "
                    "van de school."), "info")
            return redirect(url_for("cases.case_page", case_id=case.id) + "#stappenplan")
        else:
            flash(_("Vastgelegd: nu nog geen steungroep. Op %(date)s vraag je het opnieuw; de "
                    "melding blijft open.", date=data.follow_up_on.strftime("%d-%m-%Y")), "info")
        return redirect(url_for("cases.case_page", case_id=case.id))
    return redirect(url_for("group.group_page", case_id=case.id))
