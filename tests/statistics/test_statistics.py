"""Outcome statistics: the figures from plain records (real dates), masking small counts for
outside the school, the page and its CSV files, and a fixed number of queries."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, school_today
from steungroep.domain import statistics as st
from steungroep.evaluations import use_cases as evaluations
from steungroep.models import TimelineEntry

from .. import factories as f
from .. import sql
from ..pages import visible_text

YEAR = st.Period(date(2026, 8, 1), date(2027, 7, 31))
TODAY = date(2027, 3, 10)


def ev(cycle, kind, due, held=None, wellbeing=None, improved=None):
    return st.EvaluationFact(cycle, kind, due, held, wellbeing, improved)


def case(case_id, reported, *, source="ouder", forms=("verbaal",), triage="herhaald",
         started=None, closed=None, outcome=None, cycles=0, evaluations=()):
    return st.CaseFact(case_id, reported, source, tuple(forms), triage, started, closed,
                       outcome, cycles, tuple(evaluations))


CASES = [
    # resolved after round 2: on time, wellbeing 2 -> 4, improved
    case(1, date(2026, 9, 14), source="leerling", forms=("verbaal", "isolatie"),
         started=date(2026, 9, 16), closed=date(2026, 10, 14), outcome="opgelost", cycles=2,
         evaluations=[ev(1, "leerling", date(2026, 9, 25), date(2026, 9, 25), 2, "ja"),
                      ev(1, "groep", date(2026, 10, 2), date(2026, 10, 2)),
                      ev(2, "leerling", date(2026, 10, 9), date(2026, 10, 9), 4, "ja")]),
    # resolved after round 3, evaluations late
    case(2, date(2026, 11, 2), started=date(2026, 11, 4), closed=date(2027, 1, 29),
         outcome="opgelost", cycles=3,
         evaluations=[ev(1, "leerling", date(2026, 11, 13), date(2026, 11, 16), 3, "deels"),
                      ev(1, "groep", date(2026, 11, 20), None),
                      ev(3, "leerling", date(2027, 1, 22), date(2027, 1, 22), 3, "ja")]),
    # escalated; reported before the school year, closed inside it
    case(3, date(2026, 6, 29), source="personeel", forms=("digitaal",), started=date(2026, 7, 1),
         closed=date(2026, 9, 30), outcome="geescaleerd", cycles=5,
         evaluations=[ev(1, "leerling", date(2026, 7, 10), date(2026, 7, 10), 2, "nee"),
                      ev(5, "leerling", date(2026, 9, 25), date(2026, 9, 25), 1, "nee")]),
    # one-off incident, no group
    case(4, date(2027, 2, 1), source="brievenbus", triage="eenmalig",
         closed=date(2027, 2, 1), outcome="anders_afgehandeld"),
    # open, evaluation planned after today: not counted yet
    case(5, date(2027, 3, 1), started=date(2027, 3, 2), cycles=1,
         evaluations=[ev(1, "leerling", date(2027, 3, 12))]),
    # last school year entirely
    case(6, date(2025, 10, 1), started=date(2025, 10, 2), closed=date(2025, 11, 1),
         outcome="opgelost", cycles=1),
]


def test_school_years_run_from_august_to_july():
    assert st.school_year(date(2027, 7, 31)) == YEAR
    assert st.school_year(date(2026, 8, 1)) == YEAR
    assert st.school_year(date(2026, 7, 31)).label == "schooljaar 2025-2026"
    assert [p.label for p in st.recent_school_years(TODAY, 2)] == [
        "schooljaar 2026-2027", "schooljaar 2025-2026"]


def test_the_report_of_a_school_year():
    r = st.report(CASES, YEAR, TODAY)
    assert r.meldingen == 4  # cases 1, 2, 4, 5 (3 was reported in June, 6 last year)
    assert {c.code: c.value for c in r.by_source} == {
        "leerling": 1, "ouder": 2, "personeel": 0, "klasgenoot": 0, "brievenbus": 1}
    assert {c.code: c.value for c in r.by_form}["verbaal"] == 4
    assert {c.code: c.value for c in r.by_form}["isolatie"] == 1
    assert {c.code: c.value for c in r.by_triage} == {
        "geen_pesten": 0, "eenmalig": 1, "herhaald": 3, "stappenplan": 0}
    assert r.groups_started == 3  # 1, 2, 5 (3 started in July)
    assert r.groups_closed == 3  # 1, 2, 3
    assert [c.value for c in r.resolved_after] == [0, 1, 1, 0, 0]
    assert r.escalated == 1
    # days from melding to closure: 30, 88, 93 -> median 88
    assert r.median_days_to_close == 88
    # due in the year and before today: 3 of case 1, 3 of case 2, 1 of case 3
    assert (r.evaluations_on_time.part, r.evaluations_on_time.whole) == (5, 7)
    assert (r.evaluations_late, r.evaluations_missing) == (1, 1)
    assert st.percent(r.evaluations_on_time) == "71 %"
    # wellbeing: case 1 2 -> 4 (better), case 2 3 -> 3 (same), case 3 2 -> 1 (worse)
    assert (r.wellbeing_pairs, r.wellbeing_better, r.wellbeing_same, r.wellbeing_worse) == (
        3, 1, 1, 1)
    assert round(r.wellbeing_first, 2) == 2.33 and round(r.wellbeing_last, 2) == 2.67
    # first-round pupil evaluations held in the year: case 1 'ja', case 2 'deels'
    assert (r.improved_after_first.part, r.improved_after_first.whole) == (1, 2)
    assert r.partly_after_first.part == 1


def test_small_counts_are_masked_outside_the_school():
    assert [st.shown(n, True) for n in (0, 1, 4, 5, 12)] == ["0", "< 5", "< 5", "5", "12"]
    assert [st.shown(n, False) for n in (1, 4)] == ["1", "4"]
    assert st.percent(st.Share(3, 4), external=True) == "–"
    assert st.percent(st.Share(3, 4)) == "75 %"
    assert st.percent(st.Share(0, 0)) == "–"
    counts = [st.Count("a", "A", 20), st.Count("b", "B", 2), st.Count("c", "C", 0)]
    inside = st.bars(counts)
    outside = st.bars(counts, external=True)
    assert [b.width for b in inside] == [1.0, 0.1, 0.0]
    assert [b.text for b in outside] == ["20", "< 5", "0"]
    assert outside[1].width == 0.25  # drawn as 5: the bar does not give the number away


def test_figures_and_bars_hide_what_rests_on_few_cases_outside_the_school():
    assert st.figure(4.26, 12, decimals=1) == "4,3"
    assert st.figure(88, 3) == "88" and st.figure(88, 3, external=True) == "–"
    assert st.figure(None, 10) == "–" and st.figure(12.5, 10) == "12,5"
    assert st.share_bar("x", st.Share(3, 4)).width == 0.75
    hidden = st.share_bar("x", st.Share(3, 4), external=True)
    assert (hidden.width, hidden.text) == (0.0, "–")
    assert st.scale_bar("x", 4.0, 6).width == 0.8 and st.scale_bar("x", 4.0, 6).text == "4,0"
    assert st.scale_bar("x", 4.0, 2, external=True).width == 0.0
    assert st.reference_bar("KiVa").text == "78 %"


# ---- the page and the exports --------------------------------------------------------------


def rows_of(response) -> list[list[str]]:
    body = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def closed_group(world, pupil):
    case = f.case_at(world, "besluit", pupil=pupil)
    evaluations.decide(case, world.teacher, "afsluiten", "")
    db.session.commit()
    return case


def test_coordinator_sees_the_figures_and_downloads_them(client, world, login):
    closed_group(world, world.pupils[0])
    f.case_at(world, "evaluatie_leerling", pupil=world.pupils[1])
    f.case_at(world, "gesprek", pupil=world.pupils[2], triage="eenmalig", note="ok")
    login(world.coordinator)
    page = visible_text(client.get("/statistieken"))
    assert "evaluaties op tijd gehouden" in page and "referentie 78 % van 339" in page
    assert "3 meldingen" in page and "2 steungroepen gestart" in page
    inside = rows_of(client.get("/statistieken/bron.csv"))
    assert inside[0] == ["Meldingen per bron"] and ["Ouder/verzorger", "3"] in inside
    outside = client.get("/statistieken/bron.csv?extern=1")
    assert outside.headers["Content-Disposition"].startswith("attachment;")
    assert ["Ouder/verzorger", "< 5"] in rows_of(outside)
    assert "3" not in [row[1] for row in rows_of(outside)[5:] if len(row) > 1]
    external_page = visible_text(client.get("/statistieken?extern=1"))
    assert "< 5 meldingen" in external_page.replace("&lt;", "<")
    assert "Stil:" not in external_page  # names stay inside the school
    assert client.get("/statistieken/bestaat-niet.csv").status_code == 404
    assert client.get("/statistieken?jaar=1999").status_code == 404


def test_teachers_and_admins_get_no_statistics(client, world, login):
    for user in (world.teacher, world.admin):
        login(user)
        assert client.get("/statistieken").status_code == 404
        assert client.get("/statistieken/bron.csv").status_code == 404


def test_stalled_cases_are_listed(client, world, login):
    quiet = f.case_at(world, "gesprek", pupil=world.pupils[0])
    busy = f.case_at(world, "gesprek", pupil=world.pupils[1])
    long_ago = datetime.now(SCHOOL_TZ) - timedelta(days=31)
    db.session.execute(db.update(TimelineEntry).where(TimelineEntry.case_id == quiet.id)
                       .values(at=long_ago))
    quiet.created_at = long_ago
    db.session.commit()
    login(world.coordinator)
    html = client.get("/statistieken").get_data(as_text=True)
    stil = html[html.index('id="stil"'):]
    assert f'href="/zaken/{quiet.id}"' in stil and f'href="/zaken/{busy.id}"' not in stil
    assert "Wacht op gesprek met de leerling" in visible_text(client.get("/statistieken"))


def test_statistics_run_a_fixed_number_of_queries(client, world, login):
    def count(url):
        return sql.statements(client, url)[0]

    login(world.coordinator)
    closed_group(world, world.pupils[0])
    few = count("/statistieken"), count("/statistieken/kerncijfers.csv")
    for pupil in world.pupils[1:5]:
        closed_group(world, pupil)
        f.case_at(world, "evaluatie_leerling", pupil=pupil)
    many = count("/statistieken"), count("/statistieken/kerncijfers.csv")
    assert few == many


def test_a_period_of_ones_own_choosing(client, world, login):
    closed_group(world, world.pupils[0])
    login(world.coordinator)
    today = school_today()  # the day at school (Amsterdam), as the melding is dated
    inside = visible_text(
        client.get(f"/statistieken?van={today.isoformat()}&tot={today.isoformat()}"))
    assert f"{today:%d-%m-%Y} t/m {today:%d-%m-%Y}" in inside and "1 melding" in inside
    before = (today - timedelta(days=10)).isoformat()
    outside = visible_text(client.get(f"/statistieken?van={before}&tot={before}"))
    assert "0 meldingen" in outside
    backwards = client.get(f"/statistieken?van={today.isoformat()}&tot={before}")
    assert backwards.status_code == 200
    assert "De einddatum ligt vóór de begindatum" in visible_text(backwards)
    nonsense = client.get("/statistieken?van=morgen")
    assert "Die datum begrijp ik niet" in visible_text(nonsense)
    rows = rows_of(client.get(f"/statistieken/bron.csv?van={before}&tot={today.isoformat()}"))
    assert rows[2][1].endswith(f"t/m {today:%d-%m-%Y}")


def test_resolved_counts_the_pupils_own_answer():
    """Closed as 'het gaat beter' while the pupil's last answer was 'nee': not resolved."""
    said_no = case(7, date(2026, 9, 1), started=date(2026, 9, 2), closed=date(2026, 10, 1),
                   outcome="opgelost", cycles=1,
                   evaluations=[ev(1, "leerling", date(2026, 9, 9), date(2026, 9, 9), 1, "nee")])
    said_yes = case(8, date(2026, 9, 1), started=date(2026, 9, 2), closed=date(2026, 10, 1),
                    outcome="opgelost", cycles=1,
                    evaluations=[ev(1, "leerling", date(2026, 9, 9), date(2026, 9, 9), 4, "ja")])
    r = st.report([said_no, said_yes], YEAR, TODAY)
    assert [c.value for c in r.resolved_after] == [1, 0, 0, 0, 0]
    assert r.closed_against_pupil == 1


# ---- the database counts what the rules count ---------------------------------------------

EXTRA = [
    # went on to the stappenplan on 3 March: its steungroep ended then, the case is open
    case(9, date(2027, 1, 11), started=date(2027, 1, 12), closed=date(2027, 3, 3),
         outcome="geescaleerd", cycles=2,
         evaluations=[ev(1, "leerling", date(2027, 1, 22), date(2027, 1, 21), 3, "nee"),
                      ev(2, "leerling", date(2027, 2, 19), date(2027, 2, 26), 2, "nee")]),
    # confirmed half an hour into the school year at school (still July in UTC)
    case(10, date(2026, 7, 30), source="klasgenoot", forms=("fysiek", "digitaal"),
         started=date(2026, 8, 1), cycles=1,
         evaluations=[ev(1, "leerling", date(2026, 8, 31), date(2026, 8, 31), 4, "ja")]),
    # closed before the school year began: not in play at all
    case(11, date(2026, 5, 4), started=date(2026, 5, 5), closed=date(2026, 7, 31),
         outcome="opgelost", cycles=1,
         evaluations=[ev(1, "leerling", date(2026, 8, 3))]),
]


def _moment_at(day, hour, minute=0):
    """A time of day at school, stored in UTC as the app stores moments."""
    return datetime(day.year, day.month, day.day, hour, minute,
                    tzinfo=SCHOOL_TZ).astimezone(UTC)


def store(world, fact):
    """Write a plain record into the database as the app keeps it."""
    from steungroep.models import Case, CaseForm, Cycle, Evaluation, SupportGroup

    escalated = fact.outcome == "geescaleerd" and fact.case_id == 9
    row = Case(school_id=world.school.id, teacher_id=world.teacher.id,
               reported_on=fact.reported_on, source=fact.source, description="x",
               triage=fact.triage, outcome=None if escalated else fact.outcome)
    # closed late in the evening at school: the day at school counts, not the day in UTC
    closed = fact.closed_on and _moment_at(fact.closed_on, 23, 30)
    if escalated:
        row.escalated_at = closed
    else:
        row.closed_at = closed
    row.forms = [CaseForm(form=form) for form in fact.forms]
    db.session.add(row)
    db.session.flush()
    if fact.group_started_on:
        group = SupportGroup(case_id=row.id,
                             confirmed_at=_moment_at(fact.group_started_on, 0, 30))
        db.session.add(group)
        db.session.flush()
        cycles = {n: Cycle(group_id=group.id, number=n) for n in range(1, fact.cycles + 1)}
        db.session.add_all(cycles.values())
        db.session.flush()
        db.session.add_all(
            Evaluation(cycle_id=cycles[e.cycle].id, kind=e.kind, due_on=e.due_on,
                       held_on=e.held_on, wellbeing=e.wellbeing, improved=e.improved)
            for e in fact.evaluations)
    db.session.commit()


def test_the_database_counts_what_the_rules_count(world):
    from steungroep.statistics import queries

    facts = CASES + EXTRA
    for fact in facts:
        store(world, fact)
    school = {world.school.id}

    def open_during(fact, period):  # 9's case stays open for its stappenplan
        return fact.reported_on <= period.end and (
            fact.case_id == 9 or fact.closed_on is None or fact.closed_on >= period.start)

    for period in (YEAR, st.school_year(date(2026, 3, 1)),
                   st.Period(date(2026, 9, 25), date(2026, 9, 30))):
        in_play = [fact for fact in facts if open_during(fact, period)]
        assert queries.tallies(school, period, TODAY) == st.tally(in_play, period, TODAY)
        assert queries.report(school, period, TODAY) == st.report(in_play, period, TODAY)
        # and the database's reading of the records is the records
        read = queries.case_facts(school, period)
        assert queries.report(school, period, TODAY) == st.report(read, period, TODAY)
    year = queries.report(school, YEAR, TODAY)
    assert year.groups_started == 5  # 1, 2, 5, 9, and 10 at 00:30 on 1 August
    # 11 closed the evening before the year began: its evaluation in August is not missing
    assert (year.evaluations_on_time.whole, year.evaluations_missing) == (10, 1)
    assert year.groups_closed == 4 and year.escalated == 2  # 1, 2, 3, 9
    assert {c.code: c.value for c in year.by_source}["klasgenoot"] == 0  # 10: reported in July
    assert queries.report(school, YEAR, TODAY) != queries.report(school, YEAR, date(2027, 9, 1))
