"""Choosing a pupil by searching (cases/pupils.py, _pupil_picker.html): the melding form and
the case page's pupil fields list no school, the search finds by first name or class within
the user's schools only, a refused form keeps the pupil chosen, and it works without htmx."""

from __future__ import annotations

import re

from steungroep.core.extensions import db
from steungroep.models import Pupil, SchoolClass

from .. import factories as f
from .. import sql


def radios(html: str, name: str) -> list[str]:
    """The pupils offered to field ``name``: their names, in order."""
    return re.findall(
        rf'<input type="radio" name="{name}" value="\d+"[^>]*>\s*<span>([^<]+?) <span',
        html)


def checked(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="radio" name="{name}" value="(\d+)" checked>', html)


def search(client, field: str, typed: str, **extra) -> str:
    response = client.get("/leerlingen/kiezen", query_string={
        "veld": field, f"zoek_{field}": typed, **extra}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_melding_form_lists_no_school(client, world, login):
    login(world.coordinator)
    count, page = sql.statements(client, "/meldingen/nieuw")
    html = page.get_data(as_text=True)
    assert radios(html, "pupil_id") == []
    assert "Typ een voornaam of een klas" in html
    big = SchoolClass(school=world.school, name="groep 8", school_year="2026-2027")
    db.session.add_all([big] + [Pupil(school=world.school, school_class=big,
                                      first_name=f"Kind{i}") for i in range(300)])
    db.session.commit()
    count_big, page_big = sql.statements(client, "/meldingen/nieuw")
    assert count_big == count
    assert len(page_big.data) < len(page.data) + 200  # the 300 pupils are not on the page


def test_the_search_finds_by_first_name_or_class_in_ones_own_schools(client, world, login):
    login(world.teacher)
    assert radios(search(client, "pupil_id", "no"), "pupil_id") == ["Noor"]
    assert radios(search(client, "pupil_id", "  NOOR "), "pupil_id") == ["Noor"]
    # School B has a Noor too: never offered to a teacher of school A
    assert [p.first_name for p in world.other_pupils].count("Noor") == 1
    in_class = radios(search(client, "pupil_id", "groep 6"), "pupil_id")
    assert len(in_class) == 14 and in_class == sorted(in_class)
    nobody = search(client, "pupil_id", "%")
    assert radios(nobody, "pupil_id") == [] and "Niemand gevonden voor “%”" in nobody
    assert radios(search(client, "pupil_id", "_"), "pupil_id") == []
    # another school's id in the address gives nothing of that school
    assert radios(search(client, "pupil_id", "noor", school=world.other_school.id),
                  "pupil_id") == []
    assert client.get("/leerlingen/kiezen?veld=password").status_code == 404


def test_a_coordinator_of_two_schools_sees_which_school(client, world, login):
    both = f.make_user("Co AB", "ab@a.example", "coordinator", world.school, world.other_school)
    db.session.commit()
    login(both)
    html = search(client, "pupil_id", "noor")
    assert radios(html, "pupil_id") == ["Noor", "Noor"]
    assert "groep 6 · School A" in html and "groep 6 · School B" in html


def test_many_matches_ask_to_type_on(client, world, login):
    big = SchoolClass(school=world.school, name="groep 8", school_year="2026-2027")
    db.session.add_all([big] + [Pupil(school=world.school, school_class=big,
                                      first_name=f"Kind{i:02}") for i in range(45)])
    db.session.commit()
    login(world.teacher)
    html = search(client, "pupil_id", "groep 8")
    assert len(radios(html, "pupil_id")) == 40 and "typ verder" in html
    assert "typ verder" not in search(client, "pupil_id", "groep 6")


def test_beside_a_case_the_classmates_come_first_and_the_pupil_never(client, world, login):
    case = f.new_case(world, triage="eenmalig", note="Eén keer geduwd.")
    db.session.commit()
    login(world.teacher)
    html = client.get(f"/zaken/{case.id}").get_data(as_text=True)
    offered = radios(html, "talk_pupil")
    assert len(offered) == 13 and world.subject.first_name not in offered
    assert "Hierboven de klasgenoten" in html
    typed = search(client, "talk_pupil", world.subject.first_name, school=world.school.id,
                   naast=world.subject.id)
    assert radios(typed, "talk_pupil") == []


def test_a_refused_form_keeps_the_pupil_chosen(client, world, login):
    login(world.teacher)
    lina = next(p for p in world.pupils if p.first_name == "Lina")
    response = client.post("/meldingen/nieuw", data={
        "pupil_id": lina.id, "reported_on": "2026-11-30", "source": "ouder", "forms": "verbaal",
        "description": "", "triage": "herhaald"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert checked(html, "pupil_id") == [str(lina.id)] and radios(html, "pupil_id") == ["Lina"]
    # searching on keeps the choice: it is sent along and comes back ticked, first
    again = search(client, "pupil_id", "noor", pupil_id=lina.id)
    assert radios(again, "pupil_id") == ["Lina", "Noor"]
    assert checked(again, "pupil_id") == [str(lina.id)]
    # a pupil of another school sent along is not shown
    foreign = search(client, "pupil_id", "noor", pupil_id=world.other_pupils[0].id)
    assert checked(foreign, "pupil_id") == []


def test_without_htmx_the_search_reloads_the_page(client, world, login):
    case = f.case_at(world, "gesprek")
    login(world.teacher)
    html = client.get("/meldingen/nieuw?zoek_pupil_id=lin").get_data(as_text=True)
    assert radios(html, "pupil_id") == ["Lina"]
    assert 'action="/meldingen/nieuw"' in html
    page = client.get(f"/zaken/{case.id}?zoek_involved_pupil=noor").get_data(as_text=True)
    assert radios(page, "involved_pupil") == ["Noor"]
    assert re.search(r'<details class="move" open>\s*<summary>Leerling toevoegen', page)


def test_the_case_page_runs_the_same_statements_with_a_bigger_school(client, world, login):
    case = f.case_at(world, "gesprek")
    login(world.teacher)
    before, small = sql.statements(client, f"/zaken/{case.id}")
    big = SchoolClass(school=world.school, name="groep 8", school_year="2026-2027")
    db.session.add_all([big] + [Pupil(school=world.school, school_class=big,
                                      first_name=f"Kind{i}") for i in range(300)])
    db.session.commit()
    after, large = sql.statements(client, f"/zaken/{case.id}")
    assert after == before
    assert "Kind1" not in large.get_data(as_text=True)
