"""Archief: closed and escalated cases stay findable, for the same people who saw them open,
in a fixed number of SQL statements."""

from __future__ import annotations

import re
from types import SimpleNamespace

from steungroep.core.extensions import db
from steungroep.evaluations import use_cases as evaluations

from .. import factories as f
from ..pages import visible_text
from ..sql import statements


def closed(world, pupil, decision="afsluiten", teacher=None):
    w = SimpleNamespace(**{**world.__dict__, "teacher": teacher or world.teacher})
    case = f.case_at(w, "besluit", pupil=pupil)
    with f.changing(case):
        evaluations.decide(case, w.teacher, decision,
                           "Gaat naar het stappenplan." if decision == "escaleren" else "")
    if decision == "escaleren":  # the plan follows; the coordinator closes the case
        f.close_plan(world, case)
    return case


def names(response) -> list[str]:
    return re.findall(r'class="case-name" href="/zaken/\d+">([^<]+)<', response.get_data(
        as_text=True))


def test_teachers_find_their_own_closed_cases_and_coordinators_their_schools(
        client, world, login):
    mine = closed(world, world.pupils[1])
    escalated = closed(world, world.pupils[2], "escaleren")
    colleagues = closed(world, world.pupils[3], teacher=world.colleague)
    still_open = f.case_at(world, "evaluatie_leerling", pupil=world.pupils[4])
    other_w = SimpleNamespace(teacher=world.other_teacher, pupils=world.other_pupils,
                              subject=world.other_pupils[0])
    elsewhere = f.case_at(other_w, "besluit")
    with f.changing(elsewhere):
        evaluations.decide(elsewhere, world.other_teacher, "afsluiten", "")

    login(world.teacher)
    page = client.get("/archief")
    shown = names(page)
    assert sorted(shown) == sorted([mine.pupil.display_name, escalated.pupil.display_name])
    assert "Doorverwezen naar het stappenplan" in visible_text(page)
    assert still_open.pupil.display_name not in shown

    login(world.coordinator)
    shown = names(client.get("/archief"))
    assert colleagues.pupil.display_name in shown and len(shown) == 3
    assert elsewhere.pupil.display_name not in shown


def test_search_and_filters(client, world, login):
    first = closed(world, world.pupils[1])
    second = closed(world, world.pupils[2], "escaleren")
    login(world.coordinator)
    by_name = names(client.get(f"/archief?q={first.pupil.first_name[:3].lower()}"))
    assert first.pupil.display_name in by_name and second.pupil.display_name not in by_name
    by_outcome = names(client.get("/archief?uitkomst=plan_gestopt"))
    assert by_outcome == [second.pupil.display_name]
    year = first.closed_at.year if first.closed_at.month >= 8 else first.closed_at.year - 1
    assert len(names(client.get(f"/archief?jaar={year}"))) == 2
    assert names(client.get(f"/archief?jaar={year - 1}")) == []
    assert len(names(client.get("/archief?klas=groep+6"))) == 2
    assert names(client.get("/archief?klas=groep+8")) == []
    odd = client.get("/archief?uitkomst=tovenaar&jaar=abc&pagina=99999&q=%25_%00")
    assert odd.status_code == 200 and "Geen afgesloten meldingen gevonden" in visible_text(odd)


def test_the_archive_runs_the_same_statements_for_3_or_12_cases(client, world, login):
    login(world.coordinator)
    for pupil in world.pupils[1:4]:
        closed(world, pupil)
    few, _ = statements(client, "/archief")
    for pupil in world.pupils[4:13]:
        closed(world, pupil)
    many, response = statements(client, "/archief")
    assert len(names(response)) == 12
    assert few == many


def test_an_erased_pupil_shows_as_erased(client, world, login):
    case = closed(world, world.pupils[1])
    case.pupil_id = None
    db.session.commit()
    login(world.coordinator)
    assert "(gewist)" in visible_text(client.get("/archief"))
