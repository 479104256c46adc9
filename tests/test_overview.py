"""The coordinator's overview: the rules (plain Python) and the page (filters, htmx, acting
from a row, access, a fixed number of queries at 10 and at 500 groups)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from steungroep import domain
from steungroep.domain import overview as ov
from steungroep.extensions import db
from steungroep.models import (
    EVAL_GROUP,
    EVAL_PUPIL,
    Case,
    Cycle,
    Evaluation,
    Notice,
    Pupil,
    PupilTalk,
    SupportGroup,
    TimelineEntry,
)
from steungroep.timeutil import SCHOOL_TZ, school_today

from . import factories as f

TODAY = date(2027, 3, 10)  # a Wednesday


def snap(**changes) -> domain.CaseSnapshot:
    values = dict(
        triage="herhaald", closed=False, outcome=None, talk_held=True, consent=True,
        group_confirmed=True, member_count=7, cycle_number=1, meeting_completed=True,
        actions_count=7, pupil_evaluation_held=False, group_evaluation_held=False,
        decision_made=False, pupil_evaluation_due=TODAY + timedelta(days=3),
        group_evaluation_due=TODAY + timedelta(days=10),
    )
    values.update(changes)
    return domain.CaseSnapshot(**values)


def facts(case_id=1, *, reported=TODAY - timedelta(days=12), active=TODAY, pupil="Daan",
          teacher="Juf Els", teacher_id=1, school_id=1, class_name="groep 6", planned=None,
          **changes) -> ov.GroupFacts:
    return ov.GroupFacts(
        case_id=case_id, school_id=school_id, school=f"School {school_id}", pupil=pupil,
        class_name=class_name, teacher_id=teacher_id, teacher=teacher, reported_on=reported,
        last_activity=active, snapshot=snap(**changes), meeting_planned_on=planned,
    )


# ---- the rules ---------------------------------------------------------------------------


@pytest.mark.parametrize("changes, planned, state, due, overdue", [
    ({"talk_held": False, "consent": None, "group_confirmed": False, "cycle_number": 0,
      "meeting_completed": False}, None, "Wacht op gesprek met de leerling", None, False),
    ({"group_confirmed": False, "cycle_number": 0, "meeting_completed": False}, None,
     "Steungroep samenstellen", None, False),
    ({"meeting_completed": False}, None, "Bijeenkomst nog plannen (ronde 1)", None, False),
    ({"meeting_completed": False}, date(2027, 3, 12), "Bijeenkomst gepland vrijdag 12 maart",
     date(2027, 3, 12), False),
    ({"meeting_completed": False}, date(2027, 3, 8),
     "Bijeenkomst gepland maandag 8 maart, nog niet afgerond", date(2027, 3, 8), True),
    ({}, None, "Evaluatie met de leerling over 3 dagen", date(2027, 3, 13), False),
    ({"pupil_evaluation_due": TODAY}, None, "Evaluatie met de leerling vandaag", TODAY, False),
    ({"pupil_evaluation_held": True, "group_evaluation_due": TODAY + timedelta(days=1)}, None,
     "Evaluatie met de groep morgen", date(2027, 3, 11), False),
    ({"pupil_evaluation_held": True, "group_evaluation_due": TODAY - timedelta(days=2)}, None,
     "Evaluatie met de groep 2 dagen te laat", date(2027, 3, 8), True),
    ({"pupil_evaluation_held": True, "group_evaluation_held": True}, None, "Besluit nemen",
     None, False),
])
def test_describe_says_where_a_case_stands(changes, planned, state, due, overdue):
    row = ov.describe(facts(planned=planned, **changes), TODAY)
    assert (row.state, row.due, row.overdue) == (state, due, overdue)
    assert row.days_open == 12


def test_stalled_after_thirty_days_without_activity_and_late_rounds_stand_out():
    quiet = ov.describe(facts(active=TODAY - timedelta(days=30)), TODAY)
    busy = ov.describe(facts(active=TODAY - timedelta(days=29)), TODAY)
    assert quiet.stalled and quiet.stands_out and not busy.stalled and not busy.stands_out
    assert ov.describe(facts(cycle_number=4), TODAY).late_cycle
    assert not ov.describe(facts(cycle_number=3), TODAY).late_cycle


def test_filters_combine_and_sort_by_due_date_or_age():
    rows = [
        ov.describe(facts(1, pupil="Daan", teacher="Juf Els", teacher_id=1,
                          reported=TODAY - timedelta(days=5)), TODAY),
        ov.describe(facts(2, pupil="Noor", teacher="Meester Bram", teacher_id=2,
                          class_name="groep 7", reported=TODAY - timedelta(days=40),
                          pupil_evaluation_due=TODAY - timedelta(days=1)), TODAY),
        ov.describe(facts(3, pupil="Sem", teacher="Juf Els", teacher_id=1, school_id=2,
                          reported=TODAY - timedelta(days=20), talk_held=False, consent=None,
                          group_confirmed=False, cycle_number=0, meeting_completed=False),
                    TODAY),
    ]
    ids = lambda kept: [r.facts.case_id for r in kept]  # noqa: E731
    assert ids(ov.apply(rows, ov.Filters())) == [2, 1, 3]  # overdue first, no date last
    assert ids(ov.apply(rows, ov.Filters(sort="age"))) == [2, 3, 1]
    assert ids(ov.apply(rows, ov.Filters(overdue=True))) == [2]
    assert ids(ov.apply(rows, ov.Filters(teacher_id=1))) == [1, 3]
    assert ids(ov.apply(rows, ov.Filters(teacher_id=1, school_id=2))) == [3]
    assert ids(ov.apply(rows, ov.Filters(class_name="groep 7"))) == [2]
    assert ids(ov.apply(rows, ov.Filters(state="gesprek"))) == [3]
    assert ids(ov.apply(rows, ov.Filters(query="bram"))) == [2]
    assert ids(ov.apply(rows, ov.Filters(query="DAAN"))) == [1]
    assert not ov.Filters(sort="age").active and ov.Filters(query="x").active
    counts = ov.counts(rows)
    assert (counts.total, counts.overdue, counts.by_state["gesprek"]) == (3, 1, 1)


def test_pages_of_fifty():
    rows = [ov.describe(facts(i), TODAY) for i in range(1, 121)]
    last = ov.page(rows, 3)
    assert (len(last.rows), last.number, last.pages, last.total, last.has_next) == (
        20, 3, 3, 120, False)
    assert ov.page(rows, 99).number == 3 and ov.page(rows, 0).number == 1
    assert ov.page([], 1).pages == 1


def test_sparkline_points_follow_the_scores():
    line = ov.sparkline([1, 3, 5], width=64, height=20, pad=2)
    assert line.points == "2.0,18.0 32.0,10.0 62.0,2.0"
    assert line.last == (62.0, 2.0) and line.summary == "Welbevinden: 1, 3, 5 (van 5)"
    single = ov.sparkline([4], width=64, height=20, pad=2)
    assert single.last == (32.0, 6.0)
    assert ov.sparkline([]) is None


# ---- the page ------------------------------------------------------------------------------


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_coordinator_sees_every_open_group_of_their_school(client, world, login):
    talk = f.case_at(world, "gesprek", pupil=world.pupils[0])
    evaluating = f.case_at(world, "evaluatie_leerling", pupil=world.pupils[1],
                           teacher=world.colleague)
    closed = f.case_at(world, "gesprek", pupil=world.pupils[2], triage="eenmalig", note="ok")
    foreign = f.new_case(world, teacher=world.other_teacher, pupil=world.other_pupils[0])
    login(world.coordinator)
    page = text_of(client.get("/overzicht"))
    assert "2 open aanpakken" in page
    assert world.pupils[0].first_name in page and world.pupils[1].first_name in page
    assert "Wacht op gesprek met de leerling" in page and "Meester Karim" in page
    assert "ronde 1/5" in page
    html = client.get("/overzicht").get_data(as_text=True)
    assert f'href="/zaken/{foreign.id}"' not in html  # another school's case
    assert f'href="/zaken/{closed.id}"' not in html and closed.is_closed
    assert f'href="/zaken/{evaluating.id}"' in html and f'href="/zaken/{talk.id}"' in html


def test_filters_by_query_and_htmx_returns_just_the_list(client, world, login):
    f.case_at(world, "gesprek", pupil=world.pupils[0])
    f.case_at(world, "evaluatie_leerling", pupil=world.pupils[1], teacher=world.colleague)
    login(world.coordinator)
    response = client.get(f"/overzicht?teacher={world.colleague.id}&q=",
                          headers={"HX-Request": "true", "HX-Target": "overview-list"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="overview-list"')
    assert "<html" not in html
    page = text_of(response)
    assert world.pupils[1].first_name in page and world.pupils[0].first_name not in page
    assert "1 past bij de filters" in page
    # the quiet refresh asks for the same filtered view
    assert f'hx-get="/overzicht?teacher={world.colleague.id}"' in html
    state = text_of(client.get("/overzicht?state=gesprek&sort=age"))
    assert world.pupils[0].first_name in state and world.pupils[1].first_name not in state
    nothing = text_of(client.get("/overzicht?q=niemand"))
    assert "Geen aanpakken die hierbij passen." in nothing


def test_wellbeing_sparkline_and_overdue_badge(client, world, login):
    case = f.case_at(world, "besluit", pupil=world.pupils[0])
    pupil_eval = case.group.current_cycle.evaluation(EVAL_PUPIL)
    assert pupil_eval.wellbeing is not None
    waiting = f.case_at(world, "evaluatie_leerling", pupil=world.pupils[1])
    waiting.group.current_cycle.evaluation(EVAL_PUPIL).due_on = school_today() - timedelta(1)
    db.session.commit()
    login(world.coordinator)
    html = client.get("/overzicht").get_data(as_text=True)
    assert f"Welbevinden: {pupil_eval.wellbeing} (van 5)" in html
    assert html.count('class="sparkline"') == 1
    assert "1 te laat" in text_of(client.get("/overzicht"))
    assert f'is-overdue" id="aanpak-{waiting.id}"' in html


def test_teachers_and_admins_get_no_overview(client, world, login):
    for user in (world.teacher, world.admin):
        login(user)
        assert client.get("/overzicht").status_code == 404
        assert "/overzicht" not in client.get("/").get_data(as_text=True)


def test_reassign_from_a_row(client, world, login):
    case = f.case_at(world, "evaluatie_leerling", pupil=world.pupils[0])
    ev = case.group.current_cycle.evaluation(EVAL_PUPIL)
    db.session.add(Notice(user_id=world.teacher.id, case_id=case.id, evaluation_id=ev.id,
                          kind="due", due_on=ev.due_on))
    db.session.commit()
    login(world.coordinator)
    back = "/overzicht?sort=age"
    response = client.post(f"/zaken/{case.id}/verantwoordelijke",
                           data={"teacher_id": world.colleague.id, "next": back})
    assert response.status_code == 302 and response.location.endswith(back)
    db.session.expire_all()
    assert db.session.get(Case, case.id).teacher_id == world.colleague.id
    entry = db.session.scalars(select(TimelineEntry).where(
        TimelineEntry.case_id == case.id, TimelineEntry.kind == "verantwoordelijke")).one()
    assert entry.text == "Verantwoordelijk: Meester Karim (was Juf Anne)."
    assert entry.user_id == world.coordinator.id
    login(world.teacher)
    assert client.get(f"/zaken/{case.id}").status_code == 404  # no longer theirs
    assert world.pupils[0].first_name not in text_of(client.get("/"))  # nor their notice
    login(world.colleague)
    assert client.get(f"/zaken/{case.id}").status_code == 200

    login(world.coordinator)
    for bad in (world.other_teacher.id, world.admin.id, 999999, ""):
        refused = client.post(f"/zaken/{case.id}/verantwoordelijke",
                              data={"teacher_id": bad, "next": back})
        assert refused.status_code == 422
        assert "Kies een leerkracht of coördinator van deze school." in text_of(refused)
    # an address elsewhere is not followed
    away = client.post(f"/zaken/{case.id}/verantwoordelijke",
                       data={"teacher_id": world.teacher.id, "next": "https://evil.example/"})
    assert away.location.endswith(f"/zaken/{case.id}")


def test_coordinator_note_keeps_the_text_when_refused(client, world, login):
    case = f.case_at(world, "gesprek", pupil=world.pupils[0])
    login(world.coordinator)
    ok = client.post(f"/zaken/{case.id}/notitie",
                     data={"text": "Ouders bellen donderdag.", "next": "/overzicht"})
    assert ok.status_code == 302
    assert "Notitie van de coördinator: Ouders bellen donderdag." in text_of(
        client.get(f"/zaken/{case.id}"))
    long_text = "x" * 2001
    refused = client.post(f"/zaken/{case.id}/notitie",
                          data={"text": long_text, "next": "/overzicht?q=a"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert long_text in html and re.search(r'<details class="ov-actions" open>', html)
    closed = f.case_at(world, "gesprek", pupil=world.pupils[3], triage="eenmalig", note="ok")
    refused = client.post(f"/zaken/{closed.id}/notitie", data={"text": "x", "next": "/x"})
    assert refused.status_code == 302  # not from the overview: back to the case, with the message
    assert "gebruik een correctie" in text_of(client.get(refused.location))


# ---- a fixed number of queries ---------------------------------------------------------------


def add_groups(world, count: int) -> None:
    """``count`` open cases in every state, written directly (the workflow would take minutes
    for 500): a talk, a confirmed group, a round with both evaluations, a timeline entry."""
    today = school_today()
    pupils = list(db.session.scalars(select(Pupil).where(Pupil.school_id == world.school.id)))
    for i in range(count):
        case = Case(school_id=world.school.id, pupil_id=pupils[i % len(pupils)].id,
                    teacher_id=(world.teacher.id, world.colleague.id)[i % 2],
                    reported_on=today - timedelta(days=i % 60), source="ouder",
                    description="d", triage="herhaald")
        db.session.add(case)
        db.session.flush()
        db.session.add(TimelineEntry(case_id=case.id, kind="melding", text="t",
                                     at=datetime.now(SCHOOL_TZ) - timedelta(days=i % 45)))
        if i % 5 == 0:
            continue  # waiting for the talk
        db.session.add(PupilTalk(case_id=case.id, held_on=today, consent=True))
        group = SupportGroup(case_id=case.id, confirmed_at=datetime.now(SCHOOL_TZ))
        db.session.add(group)
        db.session.flush()
        for number in range(1, 1 + i % 3):
            cycle = Cycle(group_id=group.id, number=number, meeting_on=today,
                          meeting_completed_at=datetime.now(SCHOOL_TZ),
                          decision="nieuwe_ronde" if number < i % 3 else None)
            db.session.add(cycle)
            db.session.flush()
            db.session.add_all([
                Evaluation(cycle_id=cycle.id, kind=EVAL_PUPIL, due_on=today + timedelta(i % 9 - 4),
                           wellbeing=1 + (i + number) % 5,
                           held_on=today if number < i % 3 else None),
                Evaluation(cycle_id=cycle.id, kind=EVAL_GROUP, due_on=today + timedelta(i % 9),
                           held_on=today if number < i % 3 else None),
            ])
    db.session.commit()


def statements(client, url: str) -> tuple[int, str]:
    seen = []

    def listener(*args):
        seen.append(args[2])

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(url)
        assert response.status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen), text_of(response)


def test_the_overview_runs_the_same_queries_for_10_and_500_groups(client, world, login):
    login(world.coordinator)
    add_groups(world, 10)
    few, page = statements(client, "/overzicht")
    few_filtered, _ = statements(client, "/overzicht?overdue=1&sort=age")
    assert "10 open aanpakken" in page
    add_groups(world, 490)
    many, page = statements(client, "/overzicht")
    many_filtered, _ = statements(client, "/overzicht?overdue=1&sort=age")
    assert "500 open aanpakken" in page and "pagina=10" in client.get(
        "/overzicht").get_data(as_text=True)
    assert few == many and few_filtered == many_filtered
    assert many <= 6, f"{many} statements"
