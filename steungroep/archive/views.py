"""Archief: every closed or escalated case a teacher was responsible for (a coordinator:
every one of their schools), to find a case again after it left the lists."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Flask, render_template, request, url_for
from flask_login import current_user, login_required

from steungroep import domain
from steungroep.archive import queries
from steungroep.core.timeutil import school_today
from steungroep.domain.statistics import recent_school_years
from steungroep.web.pages import parse_int

bp = Blueprint("archive", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The feature's pages."""
    app.register_blueprint(bp)


YEARS_SHOWN = 6


@bp.before_request
@login_required
def _signed_in():
    return None


@bp.get("/archief")
def archive():
    """Search by first name, filter by school year of closing, outcome and class."""
    years = recent_school_years(school_today(), YEARS_SHOWN)
    by_label = {str(p.start.year): p for p in years}
    args = request.args
    outcome = args.get("uitkomst", "")
    filters = queries.Filters(
        query=args.get("q", "").strip()[:60],
        year=by_label.get(args.get("jaar", "")),
        outcome=outcome if outcome in domain.CASE_OUTCOMES else "",
        class_name=args.get("klas", "")[:60],
    )
    page, rows = queries.listing(current_user, filters, parse_int(args.get("pagina")) or 1)
    kept = [(k, v) for k, v in args.items(multi=True) if v and k != "pagina"]
    return render_template(
        "archive/archive.html", rows=rows, page=page, filters=filters, years=years,
        classes=queries.class_names(current_user), outcomes=domain.CASE_OUTCOMES,
        chosen_year=args.get("jaar", "") if filters.year else "",
        searched=filters != queries.Filters(),
        page_url=lambda n: url_for("archive.archive") + "?" + urlencode([*kept, ("pagina", n)]),
    )
