"""The error pages: a friendly Dutch page for every error status, never a trace."""

from flask import Flask, redirect, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from steungroep.core import requestlog


def init_app(app: Flask) -> None:
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

    @app.errorhandler(500)
    def _server_error(_error):
        # Standalone (no menu, no database): whatever broke must not break this page too.
        return render_template("errors/500.html"), 500

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        # Behind a proxy that does not pass the public Host, every form ends here: say why.
        app.logger.warning("formulier geweigerd (CSRF): %s (%s %s, id=%s)",
                           error.description, request.method, requestlog.safe_path(),
                           requestlog.request_id())
        message = _("De beveiligingscode van dit formulier ontbreekt of is verlopen.")
        return render_template("errors/400.html", message=message), 400
