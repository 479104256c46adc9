"""Blueprints: the teacher's cases, the group, the meeting mode; and the error pages."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from .. import workflow
from . import cards, cases, group, meeting, planning
from .common import register_template_helpers


def init_app(app: Flask) -> None:
    register_template_helpers(app)
    app.jinja_env.globals["decisions"] = workflow.DECISIONS
    app.register_blueprint(cases.bp)
    app.register_blueprint(group.bp)
    app.register_blueprint(meeting.bp)
    app.register_blueprint(cards.bp)
    app.register_blueprint(planning.bp)
    app.register_blueprint(planning.public)

    @app.errorhandler(404)
    def _not_found(_error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(CSRFError)
    def _csrf_error(_error):
        message = "De beveiligingscode van dit formulier ontbreekt of is verlopen."
        return render_template("errors/400.html", message=message), 400
