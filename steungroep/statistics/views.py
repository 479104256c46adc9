"""Outcome statistics for coordinators: per school (or all of theirs) and period, charts as
server-rendered SVG, every table as CSV; small counts masked in the version for outside the
school; the cases that went quiet ('stil')."""

from __future__ import annotations

import io
from datetime import date

from defusedcsv import csv
from flask import Blueprint, Flask, Response, abort, g, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from steungroep.core.timeutil import school_today
from steungroep.domain import overview as overview_rules
from steungroep.domain import statistics as stats
from steungroep.domain.i18n import N_
from steungroep.overview import queries as overview
from steungroep.statistics import queries as figures
from steungroep.web import audit
from steungroep.web.memo import memo
from steungroep.web.pages import coordinators_only, parse_int

bp = Blueprint("statistics", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The feature's pages."""
    app.register_blueprint(bp)


@bp.before_request
@login_required
def _coordinators_only():
    coordinators_only()


def _choice(args):
    """(schools chosen, all schools of the user, period, external) from the query."""
    schools = sorted(current_user.schools, key=lambda s: s.name)
    chosen_id = parse_int(args.get("school"))
    chosen = [s for s in schools if s.id == chosen_id] or schools
    today = school_today()
    years = stats.recent_school_years(today)
    period = stats.school_year(today)
    year = parse_int(args.get("jaar"))
    if year is not None:
        period = next((p for p in years if p.start.year == year), None) or abort(404)
    start, end = _day(args.get("van")), _day(args.get("tot"))
    if start or end:
        chosen_period = stats.Period(start or period.start, end or period.end)
        if chosen_period.end < chosen_period.start:
            g.period_error = _("De einddatum ligt vóór de begindatum; hieronder staat het "
                               "%(period)s.", period=period.label)
        else:
            period = chosen_period
    external = args.get("extern") == "1"
    return chosen, schools, years, period, external


def _day(value: str | None) -> date | None:
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        g.period_error = _("Die datum begrijp ik niet; kies hem met de datumkiezer.")
        return None
    if day is not None and (refusal := stats.period_day_refusal(day, school_today())):
        g.period_error = refusal
        return None
    return day


# The figures of a school year read every case of the chosen schools: kept while nothing
# changed in those schools (web/memo.py), per period, day and language (of its labels).
_REPORTS = memo(50)


def _report(args):
    chosen, schools, years, period, external = _choice(args)
    ids = {s.id for s in chosen}
    today = school_today()
    key = _REPORTS.key(ids, period, today, str(get_locale()))
    report = _REPORTS.recall(key)
    if report is None:
        report = figures.report(ids, period, today)
        _REPORTS.remember(key, report)
    return chosen, schools, years, period, external, report


@bp.get("/statistieken")
def page():
    chosen, schools, years, period, external, report = _report(request.args)
    today = school_today()
    ids = {s.id for s in chosen}
    stalled = [] if external else [
        overview_rules.describe(f, today) for f in overview.stalled_cases(ids, today)
    ]
    stalled_total = 0 if external else overview.counts(ids, today).stalled
    query = {k: v for k, v in request.args.items()
             if k in ("school", "jaar", "van", "tot") and v}
    return render_template(
        "statistics/page.html",
        report=report,
        schools=schools,
        chosen=chosen,
        years=years,
        period=period,
        external=external,
        stalled=stalled,
        stalled_total=stalled_total,
        period_error=g.get("period_error"),
        stalled_url=url_for("overview.dashboard", stalled="1", sort="age",
                            **({"school": chosen[0].id} if len(chosen) == 1 else {})),
        today=today,
        query=query,
        stats=stats,
        bars=lambda counts: stats.bars(counts, external),
        shown=lambda n: stats.shown(n, external),
        percent=lambda share: stats.percent(share, external),
        figure=lambda value, base, decimals=None: stats.figure(value, base, external, decimals),
        improvement_bars=[
            stats.share_bar(_("Hier: beter"), report.improved_after_first, external),
            stats.share_bar(_("Hier: een beetje"), report.partly_after_first, external),
            stats.reference_bar(_("Referentie (KiVa)")),
        ],
        wellbeing_bars=[
            stats.scale_bar(_("Eerste evaluatie"), report.wellbeing_first,
                            report.wellbeing_pairs, external),
            stats.scale_bar(_("Laatste evaluatie"), report.wellbeing_last,
                            report.wellbeing_pairs, external),
        ],
        wellbeing_shown=report.wellbeing_pairs > 0
        and not stats.hidden(report.wellbeing_pairs, external),
        csv_url=lambda table: url_for("statistics.export", table=table, **query,
                                      **({"extern": "1"} if external else {})),
    )


TABLES = {
    "kerncijfers": N_("Kerncijfers"),
    "bron": N_("Meldingen per bron"),
    "vorm": N_("Meldingen per vorm van pesten"),
    "triage": N_("Beoordeling van de meldingen"),
    "afsluiting": N_("Hoe de steungroepen eindigden"),
    "stappenplan": N_("Hoe de stappenplannen eindigden"),
    "maatregelen": N_("Maatregelen"),
    "opgelost": N_("Opgelost na ronde"),
    "evaluaties": N_("Evaluaties op tijd"),
    "welbevinden": N_("Welbevinden eerste en laatste evaluatie"),
}


def _rows(table: str, report: stats.Report, external: bool) -> list[list[str]]:
    n = lambda value: stats.shown(value, external)  # noqa: E731
    pct = lambda share: stats.percent(share, external)  # noqa: E731
    if table in ("bron", "vorm", "triage", "afsluiting", "opgelost", "stappenplan",
                 "maatregelen"):
        counts = {"bron": report.by_source, "vorm": report.by_form, "triage": report.by_triage,
                  "afsluiting": report.by_outcome, "opgelost": report.resolved_after,
                  "stappenplan": report.by_plan_outcome,
                  "maatregelen": report.by_consequence}[table]
        return [[_("categorie"), _("aantal")]] + [[_(c.label), n(c.value)] for c in counts]
    if table == "evaluaties":
        share = report.evaluations_on_time
        return [["", _("aantal")],
                [_("op tijd gehouden"), n(share.part)],
                [_("later gehouden"), n(report.evaluations_late)],
                [_("niet gehouden"), n(report.evaluations_missing)],
                [_("totaal"), n(share.whole)],
                [_("aandeel op tijd"), pct(share)]]
    if table == "welbevinden":
        pairs = report.wellbeing_pairs
        return [["", _("waarde")],
                [_("afgesloten groepen met twee of meer scores"), n(pairs)],
                [_("gemiddeld bij de eerste evaluatie (1–5)"),
                 stats.figure(report.wellbeing_first, pairs, external, decimals=1)],
                [_("gemiddeld bij de laatste evaluatie (1–5)"),
                 stats.figure(report.wellbeing_last, pairs, external, decimals=1)],
                [_("beter"), n(report.wellbeing_better)],
                [_("gelijk"), n(report.wellbeing_same)],
                [_("slechter"), n(report.wellbeing_worse)]]
    return [["", _("waarde")],
            [_("meldingen"), n(report.meldingen)],
            [_("steungroepen gestart"), n(report.groups_started)],
            [_("steungroepen afgesloten"), n(report.groups_closed)],
            [_("doorverwezen naar het stappenplan"), n(report.escalated)],
            [_("mediaan dagen van melding tot afsluiten"),
             stats.figure(report.median_days_to_close, report.closed_for_median, external)],
            [_("evaluaties op tijd"), pct(report.evaluations_on_time)],
            [_("beter na ronde 1 (volgens de leerling)"), pct(report.improved_after_first)],
            [_("referentie: gestopt volgens de leerling"),
             _("%(share)s %% van %(cases)s (%(source)s)",
               share=round(stats.REFERENCE_SHARE * 100), cases=stats.REFERENCE_CASES,
               source=stats.REFERENCE_SOURCE)]]


@bp.get("/statistieken/<table>.csv")
def export(table: str):
    if table not in TABLES:
        abort(404)
    chosen, _schools, _years, period, external, report = _report(request.args)
    out = io.StringIO()
    out.write("\ufeff")  # so that Excel reads the accents
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_(TABLES[table])])
    writer.writerow([_("scholen"), ", ".join(s.name for s in chosen)])
    writer.writerow([_("periode"), period.label])
    writer.writerow([_("versie"), _("voor buiten de school (kleine aantallen als < 5)")
                     if external else _("alleen voor intern gebruik")])
    writer.writerow([])
    writer.writerows(_rows(table, report, external))
    audit.record(audit.EXPORT, f"statistieken {table}", user_id=current_user.id,
                 school_id=chosen[0].id if len(chosen) == 1 else None)
    school = chosen[0].name if len(chosen) == 1 else "alle-scholen"
    name = f"steungroep-{table}-{_slug(school)}-{period.start.year}.csv"
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


def _slug(text: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in keep.split("-") if part)[:40] or "school"

