"""The coordinator's overview: every active group of their schools at a glance, filtered and
sorted, refreshed quietly; from a row, hand the case to someone else or add a note."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from steungroep import domain
from steungroep.core.htmx import is_fragment_request
from steungroep.core.timeutil import school_today
from steungroep.domain import overview as rules
from steungroep.overview import queries as overview
from steungroep.overview import use_cases
from steungroep.web import writes
from steungroep.web.memo import memo
from steungroep.web.pages import coordinators_only, get_case, on_case_page, parse_int

bp = Blueprint("overview", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The feature's pages."""
    app.register_blueprint(bp)


@bp.before_request
@login_required
def _coordinators_only():
    coordinators_only()


def _filters(args) -> rules.Filters:
    state = args.get("state", "")
    sort = args.get("sort", "due")
    return rules.Filters(
        school_id=parse_int(args.get("school")),
        class_name=args.get("class", "")[:60],
        teacher_id=parse_int(args.get("teacher")),
        state=state if state in rules.STATES else "",
        overdue=args.get("overdue") == "1",
        stalled=args.get("stalled") == "1",
        query=args.get("q", "")[:60],
        sort=sort if sort in rules.SORTS else "due",
    )


@bp.get("/overzicht")
def dashboard():
    return _render(request.args)


def _render(args, status: int = 200, **extra):
    """The overview for these query arguments, in a fixed number of queries: the count and
    the rows of the page (filtered, sorted and paged in SQL), the counts of all open cases,
    the filter options, the wellbeing scores and the staff to hand a case to."""
    today = school_today()
    schools = current_user.school_ids
    fragment = is_fragment_request() and request.headers.get("HX-Target") == "overview-list"
    cache_key = _cache_key(schools, today, args) + (fragment,)
    html = None if extra else _RENDERED.recall(cache_key)
    if html is not None:  # nothing changed in these schools since it was made
        if fragment:
            return html, status
        return render_template("overview/dashboard.html", body=Markup(html)), status
    filters = _filters(args)
    page, facts = overview.listing(schools, filters, today, parse_int(args.get("pagina")) or 1)
    rows = [rules.describe(f, today) for f in facts]
    scores = overview.wellbeing([row.facts.case_id for row in rows])
    kept = [(k, v) for k, v in args.items(multi=True) if v]
    base = url_for("overview.dashboard")
    query = urlencode(kept)
    others = [(k, v) for k, v in kept if k != "pagina"]
    context = {
        "rows": rows,
        "page": page,
        "filters": filters,
        "counts": overview.counts(schools, today),
        "options": overview.options(schools),
        "sparklines": {case_id: rules.sparkline(v) for case_id, v in scores.items()},
        "staff": _error_staff(extra.get("error_case")),
        "states": rules.STATES,
        "sorts": rules.SORTS,
        "max_cycles": domain.MAX_CYCLES,
        "here": base + (f"?{query}" if query else ""),
        "pager": [(n, f"{base}?{urlencode([*others, ('pagina', n)])}")
                  for n in range(1, page.pages + 1)],
        "error": None,
        "error_case": None,
        "form": {},
        **extra,
    }
    html = render_template("overview/_list.html" if fragment else "overview/_body.html",
                           **context)
    if not extra:
        _RENDERED.remember(cache_key, html)
    if fragment:
        return html, status
    return render_template("overview/dashboard.html", body=Markup(html)), status


# What the overview rendered, per schools, their data versions, the day and the query: a
# repeat (the refresh every minute, going back to the list) with nothing changed in those
# schools is served from memory (web/memo.py). Per language: the page is rendered in it.
_RENDERED = memo(200)


def _cache_key(school_ids: set[int], today, args) -> tuple:
    query = tuple(sorted((k, v) for k, v in args.items(multi=True) if v))
    return _RENDERED.key(school_ids, today, query, str(get_locale()))


def _error_staff(case_id: int | None) -> list[tuple[int, str]]:
    """Staff to hand over to, for the one row shown again with an error."""
    if case_id is None:
        return []
    return overview.school_staff(get_case(case_id).school_id)


@bp.get("/overzicht/aanpak/<int:case_id>/acties")
def row_actions(case_id: int):
    """A row's actions (hand over, note), loaded when the row's "Acties" opens."""
    case = get_case(case_id)
    next_url = request.args.get("next", "")
    if _overview_query(next_url) is None:
        next_url = url_for("overview.dashboard")
    context = {"case_id": case.id, "teacher_id": case.teacher_id, "next_url": next_url,
               "staff": overview.school_staff(case.school_id), "error_case": None,
               "error": None, "form": {}}
    if is_fragment_request():
        return render_template("overview/_actions.html", **context)
    return render_template("overview/actions_page.html", case=case, **context)


def _overview_query(url: str) -> MultiDict | None:
    """The query arguments of ``url`` when it is an address of the overview on this site
    (filters and page), else None: a form never sends anyone elsewhere."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or parts.path != url_for("overview.dashboard"):
        return None
    return MultiDict(parse_qsl(parts.query))


def _next_args() -> MultiDict | None:
    """The overview's query arguments the form came from."""
    return _overview_query(request.form.get("next", ""))


def _back(case_id: int):
    """Back to the overview as it was (filters and page), or to the case."""
    if _next_args() is not None:
        return redirect(request.form["next"])
    return redirect(url_for("cases.case_page", case_id=case_id))


def _refused(error: domain.DomainError, case_id: int):
    """Show the overview again with the message beside the row and what was typed kept."""
    args = _next_args()
    if args is None:
        return on_case_page(error, case_id)
    return _render(args, status=422, error=error, error_case=case_id, form=request.form)


@bp.post("/zaken/<int:case_id>/verantwoordelijke")
@writes.case_change(refused=_refused)
def reassign(case):
    """Hand the case to a colleague of its school."""
    teacher = use_cases.reassign(case, current_user, parse_int(request.form.get("teacher_id")))
    who = case.pupil.first_name if case.pupil else _("deze leerling")
    flash(_("%(teacher)s is nu verantwoordelijk voor de aanpak van %(who)s.",
            teacher=teacher.name, who=who), "info")
    return _back(case.id)


@bp.post("/zaken/<int:case_id>/notitie")
@writes.case_change(refused=_refused)
def add_note(case):
    """A coordinator's note in the case's timeline."""
    use_cases.coordinator_note(case, current_user, request.form.get("text"))
    flash(_("De notitie staat in de tijdlijn."), "info")
    return _back(case.id)
