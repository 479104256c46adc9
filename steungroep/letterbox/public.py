"""The school's digital letterbox as a child sees it: /brievenbus/<token>, from the QR code on
the poster. No login, no cookie, no address stored; the school's language and words. A
letter is put in with a form of a few short questions; the writer gets a code to come back
with and read whether it was read and what was answered.

Nothing here shows a role, another child's data, or the words 'pesten', 'dader' or
'slachtoffer' (the answers are checked for them when staff write them)."""

from __future__ import annotations

import secrets

from flask import Blueprint, Response, abort, current_app, render_template, request, session

from steungroep.core import limits
from steungroep.core.extensions import csrf
from steungroep.core.i18n import pupil_language
from steungroep.core.security import is_token
from steungroep.core.timeutil import local_day
from steungroep.domain import letterbox as rules
from steungroep.domain import teacher_word
from steungroep.domain.i18n import N_
from steungroep.letterbox import use_cases
from steungroep.letterbox.inbox import school_by_token
from steungroep.web import writes

bp = Blueprint("letterbox_public", __name__, template_folder="templates")
csrf.exempt(bp)  # no session, so no token to check; nothing here acts for a signed-in person

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}
FIELDS = ("what", "where", "about", "writer", "wants_talk", "name", "class_name")
SLOW_DOWN = N_("Er zijn net heel veel briefjes verstuurd. Wacht even en probeer het later "
               "nog eens. Wat je schreef, staat er nog. Je kunt het ook vertellen aan "
               "%(teacher)s.")


@bp.after_request
def _private(response: Response) -> Response:
    """Never cached or indexed, the address never leaks in a Referer, and no cookie: a
    refused form that restored the (empty) flash list must not leave one behind."""
    response.headers.update(HEADERS)
    session.modified = False
    return response


def _school(token: str):
    """The school of this letterbox address; an unknown one is a calm 404 (wrong addresses
    from one address are slowed, as wrong card links are)."""
    school = school_by_token(token) if is_token(token) else None
    if school is None:
        if not limits.hit(current_app.config["CARD_GUESS_LIMIT"], "letter-guess",
                          request.remote_addr or ""):
            abort(429)
        abort(404)
    pupil_language(school.language)
    return school


@bp.errorhandler(404)
def _unknown(_error):
    return render_template("letterbox/message.html", title=N_("Deze brievenbus kennen we niet"),
                           text=N_("Kijk of je de goede code hebt gescand.")), 404


@bp.errorhandler(429)
def _wait(_error):
    return render_template("letterbox/message.html", title=N_("Even wachten"),
                           text=N_("Probeer het over een paar minuten nog eens.")), 429


def _form(school, form: dict, error=None, status: int = 200, slow: str | None = None):
    return render_template("letterbox/write.html", school=school, form=form, error=error,
                           slow=slow, teacher=teacher_word(school.kind), writers=rules.WRITERS,
                           wants=rules.WANTS_TALK, limits=rules), status


def _typed() -> dict:
    return {name: request.form.get(name, "") for name in (*FIELDS, "nonce")}


@bp.get("/brievenbus/<token>")
def write(token: str):
    school = _school(token)
    return _form(school, {"nonce": secrets.token_urlsafe(18), "writer": "", "wants_talk": ""})


def _refused(error, token: str):
    school = _school(token)
    return _form(school, _typed(), error=error, status=422)


@bp.post("/brievenbus/<token>")
@writes.change(refused=_refused)
def send(uow: writes.UnitOfWork, token: str):
    """Put the letter in: the thank-you page with the code (the same code again when this
    very form was sent before)."""
    school = _school(token)
    if request.form.get("website"):  # the field people never see: a robot filled it in
        return render_template("letterbox/sent.html", school=school, code=None)
    nonce = request.form.get("nonce", "")
    uow.lock_key(f"letter:{school.id}:{nonce[:64]}")
    before = use_cases.sent_before(school, nonce)
    if before is not None:
        return render_template("letterbox/sent.html", school=school, code=before[1])
    values = use_cases.check_letter(use_cases.LetterInput(**_typed()))
    config, address = current_app.config, request.remote_addr or ""
    if not (limits.hit(config["LETTER_LIMIT_ADDRESS"], "letter-address", address, school.id)
            and limits.hit(config["LETTER_LIMIT_SCHOOL"], "letter-school", school.id)):
        return _form(school, _typed(), status=429, slow=SLOW_DOWN)
    _letter, code = use_cases.post_letter(school, nonce, values)
    return render_template("letterbox/sent.html", school=school, code=code)


@bp.get("/brievenbus/<token>/antwoord")
def answer_form(token: str):
    school = _school(token)
    return render_template("letterbox/read.html", school=school, typed="", letter=None,
                           unknown=False)


@bp.post("/brievenbus/<token>/antwoord")
def read_answer(token: str):
    """With the code: whether the letter was read, and what was answered. Only the state and
    the answer are shown, never the letter itself."""
    school = _school(token)
    typed = request.form.get("code", "")[:40]
    if not limits.hit(current_app.config["LETTER_CODE_LIMIT"], "letter-code",
                      request.remote_addr or ""):
        abort(429)
    letter = use_cases.letter_by_code(school, typed)
    if letter is None:
        return render_template("letterbox/read.html", school=school, typed=typed, letter=None,
                               unknown=True), 422
    return render_template("letterbox/read.html", school=school, typed="", letter=letter,
                           sent_on=local_day(letter.created_at))


def init_app(app) -> None:
    app.register_blueprint(bp)
