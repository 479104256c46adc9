"""Which language a page speaks: Dutch unless someone chose otherwise.

- Staff pages: the language the signed-in person chose (Account); before logging in, what
  the browser prefers among the app's languages.
- What pupils read (the card behind the QR code, its QR and name screens, the print sheets
  and the invitations) follows the school's setting: the view says so with
  ``pupil_language(school)`` before it renders.

The domain's Dutch texts are translated through the same catalog (domain/i18n.py)."""

from __future__ import annotations

from flask import Flask, g, has_request_context, request
from flask_babel import get_locale, gettext, refresh
from flask_login import current_user

from steungroep.domain.i18n import DEFAULT_LANGUAGE, LANGUAGES, check_language, set_translator


def select_locale() -> str:
    if not has_request_context():
        return DEFAULT_LANGUAGE  # a job or the command line: Dutch, as written
    school_language = g.get("pupil_language")
    if school_language:
        return school_language
    if current_user and current_user.is_authenticated:
        return check_language(current_user.language)
    return request.accept_languages.best_match(list(LANGUAGES), DEFAULT_LANGUAGE)


def pupil_language(language: str | None) -> None:
    """This page is for pupils: it speaks the school's language (``school.language``)."""
    g.pupil_language = check_language(language)
    refresh()  # a text translated earlier in this request must not fix the language


def init_app(app: Flask, babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    set_translator(gettext)  # outside a request (a job, the command line): Dutch, as written

    @app.context_processor
    def _languages():
        return {"languages": LANGUAGES, "current_language": lambda: str(get_locale()),
                "js_texts": js_texts}


def js_texts() -> dict[str, str]:
    """What the page's scripts say, in the page's language (on <body data-texts>)."""
    return {
        "restored": gettext("Wat je eerder typte is teruggezet. Controleer het en sla het op."),
        "saved": gettext("✓ Opgeslagen"),
        "emptyKeeps": gettext("Leeg: opgeslagen blijft “%(text)s”."),
        "noAction": gettext("Nog geen actie"),
        "notSent": gettext("Nog niet verstuurd"),
        "goesByItself": gettext(" · gaat vanzelf als er weer verbinding is"),
        "keepMine": gettext("Mijn tekst bewaren"),
        "takeTheirs": gettext("Die tekst nemen"),
        "progress": gettext("%(done)s van %(all)s"),
        "unsaved": gettext("Wijzigingen nog niet opgeslagen"),
        "unsavedOther": gettext("Je wijzigingen in de instellingen zijn nog niet opgeslagen. Druk "
                                "eerst op ‘Opslaan’. Druk je nog een keer op deze knop, dan gaan "
                                "ze verloren."),
    }
