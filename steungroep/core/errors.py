"""The error pages: a friendly Dutch page for every error status, never a trace."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError


def init_app(app: Flask) -> None:
    @app.errorhandler(404)
    def _not_found(_error):
        return render_template("errors/404.html"), 404

    def _page(status: int, title: str, message: str):
        return render_template("errors/error.html", title=title, message=message), status

    @app.errorhandler(400)
    def _bad_request(_error):
        return _page(400, "Dat begreep de app niet",
                     "Er ging iets mis met wat er werd verstuurd. Ga terug en probeer het "
                     "opnieuw; wat al was opgeslagen, is bewaard.")

    @app.errorhandler(403)
    def _forbidden(_error):
        return _page(403, "Geen toegang", "Dit mag je met jouw account niet openen.")

    @app.errorhandler(405)
    def _wrong_method(_error):
        return _page(405, "Dat kan zo niet", "Deze pagina opent alleen via de knoppen in de app.")

    @app.errorhandler(410)
    def _gone(error):
        message = getattr(error, "description", "") or ""
        if not message or message.startswith("The requested URL"):
            message = "Wat hier stond, is er niet meer."
        return _page(410, "Niet meer beschikbaar", message)

    @app.errorhandler(413)
    def _too_large(_error):
        return _page(413, "Dat was te veel in één keer",
                     "Wat er werd verstuurd, is groter dan de app aanneemt. Ga terug en maak de "
                     "tekst korter; wat al was opgeslagen, is bewaard.")

    @app.errorhandler(429)
    def _too_many(_error):
        return _page(
            429, "Even wachten",
            "Er kwamen te veel pogingen achter elkaar. Wacht een paar minuten en probeer het "
            "dan opnieuw.",
        )

    @app.errorhandler(500)
    def _server_error(_error):
        # Standalone (no menu, no database): whatever broke must not break this page too.
        return render_template("errors/500.html"), 500

    @app.errorhandler(CSRFError)
    def _csrf_error(_error):
        message = "De beveiligingscode van dit formulier ontbreekt of is verlopen."
        return render_template("errors/400.html", message=message), 400
