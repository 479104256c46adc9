"""The coordinator's overview: the rules (plain Python) and the page (filters, htmx, acting
from a row, access, a fixed number of queries at 10 and at 500 groups)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from steungroep import domain
from steungroep.cases import status
from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, school_today
from steungroep.domain import overview as ov
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

from .. import factories as f
from .. import sql
from ..pages import visible_text

TODAY = date(2027, 3, 10)  # a Wednesday


def facts(case_id=1, *, step="evaluatie_leerling", due=TODAY + timedelta(days=3), cycle=1,
          reported=TODAY - timedelta(days=12), active=TODAY) -> ov.GroupFacts:
    return ov.GroupFacts(
        case_id=case_id, school_id=1, school="School 1", pupil="Daan", class_name="groep 6",
        teacher_id=1, teacher="Juf Els", reported_on=reported, last_activity=active,
        step=step, due=due, cycle=cycle,
    )


# ---- the rules ---------------------------------------------------------------------------


@pytest.mark.parametrize("step, due, cycle, state, overdue", [
    ("gesprek", None, 0, "Wacht op gesprek met de leerling", False),
    ("groep", None, 0, "Steungroep samenstellen", False),
    ("bijeenkomst", None, 1, "Bijeenkomst nog plannen (ronde 1)", False),
    ("bijeenkomst", None, 3, "Bijeenkomst nog plannen (ronde 3)", False),
    ("bijeenkomst", date(2027, 3, 12), 1, "Bijeenkomst gepland vrijdag 12 maart", False),
    ("bijeenkomst", date(2028, 1, 14), 1, "Bijeenkomst gepland vrijdag 14 januari 2028", False),
    ("bijeenkomst", date(2027, 3, 8), 1,
     "Bijeenkomst gepland maandag 8 maart, nog niet afgerond", True),
    ("evaluatie_leerling", date(2027, 3, 13), 1, "Evaluatie met de leerling over 3 dagen", False),
    ("evaluatie_leerling", TODAY, 1, "Evaluatie met de leerling vandaag", False),
    ("evaluatie_groep", date(2027, 3, 11), 2, "Evaluatie met de groep morgen", False),
    ("evaluatie_groep", date(2027, 3, 9), 2, "Evaluatie met de groep 1 dag te laat", True),
    ("evaluatie_groep", date(2027, 3, 8), 2, "Evaluatie met de groep 2 dagen te laat", True),
    ("besluit", None, 2, "Besluit nemen", False),
])
def test_describe_says_where_a_case_stands(step, due, cycle, state, overdue):
    row = ov.describe(facts(step=step, due=due, cycle=cycle), TODAY)
    assert (row.state, row.due, row.overdue, row.cycle) == (state, due, overdue, cycle)
    assert row.days_open == 12


def test_the_status_the_domain_stores_for_each_step():
    snap = domain.CaseSnapshot(
        triage="herhaald", closed=False, outcome=None, talk_held=True, consent=True,
        group_confirmed=True, member_count=7, cycle_number=1, meeting_completed=False,
        actions_count=0, pupil_evaluation_held=False, group_evaluation_held=False,
        decision_made=False, pupil_evaluation_due=None, group_evaluation_due=None,
    )
    meeting = domain.next_step(snap)
    assert domain.step_date(meeting, date(2027, 3, 12)) == date(2027, 3, 12)
    evaluation = domain.next_step(domain.CaseSnapshot(**{
        **snap.__dict__, "meeting_completed": True, "pupil_evaluation_due": TODAY}))
    assert domain.step_date(evaluation, date(2027, 3, 12)) == TODAY


def test_stalled_after_thirty_days_without_activity_and_late_rounds_stand_out():
    quiet = ov.describe(facts(active=TODAY - timedelta(days=30)), TODAY)
    busy = ov.describe(facts(active=TODAY - timedelta(days=29)), TODAY)
    assert quiet.stalled and quiet.stands_out and not busy.stalled and not busy.stands_out
    assert ov.describe(facts(cycle=4), TODAY).late_cycle
    assert not ov.describe(facts(cycle=3), TODAY).late_cycle


def test_pages_of_fifty():
    assert ov.page(120, 3) == ov.Page(3, 3, 120)
    assert ov.page(120, 3).offset == 100 and not ov.page(120, 3).has_next
    assert ov.page(120, 99).number == 3 and ov.page(120, 0).number == 1
    assert ov.page(0, 1) == ov.Page(1, 1, 0)
    assert not ov.Filters(sort="age").active and ov.Filters(query="x").active


def test_sparkline_points_follow_the_scores():
    line = ov.sparkline([1, 3, 5], width=64, height=20, pad=2)
    assert line.points == "2.0,18.0 32.0,10.0 62.0,2.0"
    assert line.last == (62.0, 2.0) and line.summary == "Welbevinden: 1, 3, 5 (van 5)"
    single = ov.sparkline([4], width=64, height=20, pad=2)
    assert single.last == (32.0, 6.0)
    assert ov.sparkline([]) is None


# ---- the page ------------------------------------------------------------------------------


def test_coordinator_sees_every_open_group_of_their_school(client, world, login):
    talk = f.case_at(world, "gesprek", pupil=world.pupils[0])
    evaluating = f.case_at(world, "evaluatie_leerling", pupil=world.pupils[1],
                           teacher=world.colleague)
    closed = f.case_at(world, "gesprek", pupil=world.pupils[2], triage="geen_pesten", note="ok")
    foreign = f.new_case(world, teacher=world.other_teacher, pupil=world.other_pupils[0])
    login(world.coordinator)
    page = visible_text(client.get("/overzicht"))
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
    page = visible_text(response)
    assert world.pupils[1].first_name in page and world.pupils[0].first_name not in page
    assert "1 past bij de filters" in page
    # the quiet refresh asks for the same filtered view
    assert f'hx-get="/overzicht?teacher={world.colleague.id}"' in html
    state = visible_text(client.get("/overzicht?state=gesprek&sort=age"))
    assert world.pupils[0].first_name in state and world.pupils[1].first_name not in state
    nothing = visible_text(client.get("/overzicht?q=niemand"))
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
    assert "1 te laat" in visible_text(client.get("/overzicht"))
    assert f'is-overdue" id="aanpak-{waiting.id}"' in html


def test_te_laat_means_the_same_on_every_page(client, world, login):
    """One definition of 'te laat': the date of the next step has passed, a planned meeting
    included. The home page, the case page and the overview agree."""
    case = f.case_at(world, "bijeenkomst")
    case.group.current_cycle.meeting_planned_on = school_today() - timedelta(days=1)
    db.session.commit()
    login(world.coordinator)
    assert "Te laat" in visible_text(client.get("/"))
    assert "Te laat: Bijeenkomst houden" in visible_text(client.get(f"/zaken/{case.id}"))
    assert "1 te laat" in visible_text(client.get("/overzicht"))
    assert f"aanpak-{case.id}" in client.get("/overzicht?overdue=1").get_data(as_text=True)
    case.group.current_cycle.meeting_planned_on = school_today()
    db.session.commit()
    for url in ("/", f"/zaken/{case.id}"):
        assert "te laat" not in visible_text(client.get(url)).lower(), url
    assert "is-overdue" not in client.get("/overzicht").get_data(as_text=True)


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
    assert world.pupils[0].first_name not in visible_text(client.get("/"))  # nor their notice
    login(world.colleague)
    assert client.get(f"/zaken/{case.id}").status_code == 200

    login(world.coordinator)
    for bad in (world.other_teacher.id, world.admin.id, 999999, ""):
        refused = client.post(f"/zaken/{case.id}/verantwoordelijke",
                              data={"teacher_id": bad, "next": back})
        assert refused.status_code == 422
        assert "Kies een leerkracht of coördinator van deze school." in visible_text(refused)
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
    assert "Notitie van de coördinator: Ouders bellen donderdag." in visible_text(
        client.get(f"/zaken/{case.id}"))
    long_text = "x" * 2001
    refused = client.post(f"/zaken/{case.id}/notitie",
                          data={"text": long_text, "next": "/overzicht?q=a"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert long_text in html and re.search(r'<details class="ov-actions" open>', html)
    closed = f.case_at(world, "gesprek", pupil=world.pupils[3], triage="geen_pesten", note="ok")
    refused = client.post(f"/zaken/{closed.id}/notitie", data={"text": "x", "next": "/x"})
    assert refused.status_code == 302  # not from the overview: back to the case, with the message
    assert "gebruik een correctie" in visible_text(client.get(refused.location))


# ---- a fixed number of queries ---------------------------------------------------------------


def add_groups(world, count: int) -> None:
    """``count`` open cases in every state, written directly (the use cases would take minutes
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
    count, response = sql.statements(client, url)
    return count, visible_text(response)


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
    assert many <= 10, f"{many} statements"


def test_row_actions_load_when_opened(client, world, login):
    case = f.case_at(world, "gesprek", pupil=world.pupils[0])
    login(world.coordinator)
    page = client.get("/overzicht?sort=age").get_data(as_text=True)
    assert "/verantwoordelijke" not in page  # the forms come when a row opens
    url = f"/overzicht/aanpak/{case.id}/acties?next=/overzicht?sort%3Dage"
    assert f'hx-get="/overzicht/aanpak/{case.id}/acties?next=' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and f'action="/zaken/{case.id}/verantwoordelijke"' in fragment
    assert 'value="/overzicht?sort=age"' in fragment
    names = re.findall(r"<option[^>]*>([^<]+)</option>", fragment)
    assert names == ["Juf Anne", "Meester Karim", "Sanne SMW"]  # no admin, no other school
    assert f'<option value="{world.teacher.id}" selected>' in fragment
    whole = client.get(f"/overzicht/aanpak/{case.id}/acties?next=https://evil.example/")
    assert "<html" in whole.get_data(as_text=True)
    assert 'value="/overzicht"' in whole.get_data(as_text=True)
    login(world.teacher)
    assert client.get(url).status_code == 404


def test_a_repeat_is_served_from_memory_until_something_changes(client, world, login, app):
    case = f.case_at(world, "evaluatie_leerling", pupil=world.pupils[0])
    login(world.coordinator)
    first, page = statements(client, "/overzicht?sort=age")
    again, same = statements(client, "/overzicht?sort=age")
    assert again < first and again <= 4 and same == page
    # anything that changes the school's cases, pupils or staff is seen at once
    world.pupils[0].first_name = "Floortje"
    db.session.commit()
    assert "Floortje" in statements(client, "/overzicht?sort=age")[1]
    world.colleague.name = "Meester Karim B"
    db.session.commit()
    client.post(f"/zaken/{case.id}/verantwoordelijke",
                data={"teacher_id": world.colleague.id, "next": "/overzicht?sort=age"})
    assert "Meester Karim B" in statements(client, "/overzicht?sort=age")[1]
    # another school's change, or a change the list does not show, keeps it
    assert statements(client, "/overzicht?sort=age")[0] <= 4
    world.colleague.must_change_password = True
    db.session.commit()
    assert statements(client, "/overzicht?sort=age")[0] <= 4
    world.other_pupils[0].first_name = "Elders"
    db.session.commit()
    assert statements(client, "/overzicht?sort=age")[0] <= 4  # still from memory
    # and a coordinator of another school never gets this list
    login(world.other_coordinator)
    assert "Floortje" not in statements(client, "/overzicht?sort=age")[1]


def test_stil_counts_and_badges_agree_around_midnight(client, world, login):
    """'Stil' counted in SQL (counts, filter) and shown per row (badge) use the same
    boundary: 30 school-calendar days, midnight in Amsterdam, whatever the database."""
    from steungroep.overview import queries

    quiet = f.case_at(world, "gesprek", pupil=world.pupils[0])
    busy = f.case_at(world, "gesprek", pupil=world.pupils[1])
    today = school_today()
    first_quiet_day = today - timedelta(days=ov.STALLED_DAYS - 1)
    just_busy = datetime.combine(first_quiet_day, datetime.min.time(), SCHOOL_TZ) + timedelta(
        minutes=30)  # 00:30 at school on the first day that does not count as quiet
    just_quiet = just_busy - timedelta(hours=1)  # 23:30 the evening before
    # stored in UTC, as the app stores every moment
    db.session.execute(db.update(Case).where(Case.id == busy.id)
                       .values(last_activity_at=just_busy.astimezone(UTC)))
    db.session.execute(db.update(Case).where(Case.id == quiet.id)
                       .values(last_activity_at=just_quiet.astimezone(UTC)))
    db.session.commit()
    assert queries.counts({world.school.id}, today).stalled == 1
    facts = queries.stalled_cases({world.school.id}, today)
    assert [x.case_id for x in facts] == [quiet.id]
    assert ov.describe(facts[0], today).stalled
    login(world.coordinator)
    page = client.get("/overzicht?stalled=1").get_data(as_text=True)
    assert f'id="aanpak-{quiet.id}"' in page and f'id="aanpak-{busy.id}"' not in page
    # put the stored status back as the rows say (the suite checks it after every test)
    status.refresh(db.session, {quiet.id, busy.id})
    db.session.commit()
