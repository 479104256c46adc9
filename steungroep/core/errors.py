"""The error pages: a friendly Dutch page for every error status, never a trace."""

import logging
from collections.abc import Callable

from flask import Flask, current_app, g, redirect, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from steungroep.core import requestlog
from steungroep.core.extensions import login

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
EXTENSION = "steungroep.errors"
NOT_RESENT = ("password", "new_password", "confirm_password", "current_password")


# PostgreSQL's states for "cannot serve now" that are not OperationalErrors: a read-only
# transaction (a replica, default_transaction_read_only), a full disk, no memory, too many
# connections, a server shutting down.
UNAVAILABLE_STATES = {"25006", "53100", "53200", "53300", "57P01", "57P02", "57P03"}


def unavailable(error: BaseException) -> bool:
    """Whether a database error means "the database cannot serve now" (a 503, with what was
    typed kept), not a fault of the app (a 500)."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return (isinstance(error, DBAPIError)
            and getattr(error.orig, "sqlstate", None) in UNAVAILABLE_STATES)


def _typed() -> dict | None:
    """A form that could not be saved: its fields to send again (passwords left out) and
    the longer texts to show, so nothing typed is lost."""
    if request.method != "POST" or not request.form:
        return None
    fields = [(name, value) for name, value in request.form.items(multi=True)
              if name not in NOT_RESENT]
    # what was written (a sentence, a longer text), not the choices and dates of the form
    shown = [value for name, value in fields
             if name != "csrf_token" and (" " in value.strip() or len(value.strip()) > 30)]
    return {"action": request.full_path.rstrip("?"), "fields": fields, "shown": shown}


def _no_user_lookup() -> None:
    """The error pages need nobody from the database: the templates' ``current_user`` is
    the one already loaded, else anonymous (loading it would fail the same way again)."""
    if "_login_user" not in g:
        g._login_user = login.anonymous_user()


def database_away(error: Exception):
    """The database does not answer (stopped, restarting, read-only, disk full): a page that
    needs nothing from it, status 503 with Retry-After, never a 500. A form's text comes back
    with a button that sends it again; a feature may have a calm page of its own (the card)."""
    hooks = current_app.extensions[EXTENSION]
    log.warning("database antwoordt niet (%s %s, id=%s): %s", request.method,
                requestlog.safe_path(), requestlog.request_id(), type(error).__name__)
    hooks["abandon"]()
    _no_user_lookup()
    page = hooks["calm_pages"].get(request.blueprint)
    response = page() if page else (render_template("errors/503.html", resend=_typed()), 503)
    body, status = response
    return body, status, {"Retry-After": str(RETRY_AFTER_SECONDS),
                          "Cache-Control": "no-store"}


def calm_page(app: Flask, blueprint: str, page: Callable[[], tuple]) -> None:
    """The 503 page of a blueprint's own (``page()`` gives body and status), for a screen
    that must stay calm when the database is away: the pupil's card."""
    app.extensions[EXTENSION]["calm_pages"][blueprint] = page


def init_app(app: Flask, *, abandon: Callable[[], None]) -> None:
    """The error pages. ``abandon`` ends what the request began in the database once it
    fails (the write path's, which alone may roll back)."""
    app.extensions[EXTENSION] = {"abandon": abandon, "calm_pages": {}}

    @app.errorhandler(404)
    def _not_found(_error):
        return render_template("errors/404.html"), 404

    def _page(status: int, title: str, message: str):
        return render_template("errors/error.html", title=title, message=message), status

    @app.errorhandler(400)
    def _bad_request(_error):
        return _page(400, _("Dat begreep de app niet"),
                     _("Er ging iets mis met wat er werd verstuurd. Ga terug en probeer het "
                       "opnieuw; wat al was opgeslagen, is bewaard."))

    @app.errorhandler(403)
    def _forbidden(_error):
        return _page(403, _("Geen toegang"), _("Dit mag je met jouw account niet openen."))

    def _page_above(path: str) -> str | None:
        """The nearest address above ``path`` that opens as a page (GET)."""
        adapter = app.url_map.bind("")
        parts = path.rstrip("/").split("/")
        while len(parts) > 1:
            parts.pop()
            candidate = "/".join(parts) or "/"
            try:
                adapter.match(candidate, method="GET")
            except HTTPException:
                continue
            return candidate
        return None

    @app.errorhandler(405)
    def _wrong_method(_error):
        # The address a refused form leaves in the address bar is the form's POST address;
        # opening it again goes to the page the form is on (the case page, mostly).
        if request.method == "GET" and (above := _page_above(request.path)):
            return redirect(above, 303)
        return _page(405, _("Dat kan zo niet"),
                     _("Deze pagina opent alleen via de knoppen in de app."))

    @app.errorhandler(410)
    def _gone(error):
        message = getattr(error, "description", "") or ""
        if not message or message.startswith("The requested URL"):
            message = _("Wat hier stond, is er niet meer.")
        return _page(410, _("Niet meer beschikbaar"), message)

    @app.errorhandler(413)
    def _too_large(_error):
        return _page(413, _("Dat was te veel in één keer"),
                     _("Wat er werd verstuurd, is groter dan de app aanneemt. Ga terug en maak "
                       "de tekst korter; wat al was opgeslagen, is bewaard."))

    @app.errorhandler(429)
    def _too_many(_error):
        return _page(
            429, _("Even wachten"),
            _("Er kwamen te veel pogingen achter elkaar. Wacht een paar minuten en probeer het "
              "dan opnieuw."),
        )

    def _database_error(error: DBAPIError):
        if not unavailable(error):
            raise error  # a fault of the app: the 500 page
        return database_away(error)

    app.register_error_handler(DBAPIError, _database_error)

    @app.errorhandler(500)
    def _server_error(_error):
        # Standalone (no menu, no database): whatever broke must not break this page too.
        _no_user_lookup()
        return render_template("errors/500.html"), 500

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        # Behind a proxy that does not pass the public Host, every form ends here: say why.
        app.logger.warning("formulier geweigerd (CSRF): %s (%s %s, id=%s)",
                           error.description, request.method, requestlog.safe_path(),
                           requestlog.request_id())
        message = _("De beveiligingscode van dit formulier ontbreekt of is verlopen.")
        return render_template("errors/400.html", message=message), 400
