"""The school's own people (domain.functions): a list of functions per school, with defaults
per school type, used for who is informed, who a talk is with and who owns a plan step."""

from __future__ import annotations

from datetime import timedelta

import pytest

from steungroep.admin import people
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.domain import DomainError, plan
from steungroep.domain import functions as fn
from steungroep.models import CaseTalk, School
from steungroep.web.writes import UnitOfWork

from .. import factories as f
from ..pages import visible_text
from ..settings.form import save_settings

# ---- plain rules --------------------------------------------------------------------------


def test_each_school_type_starts_with_the_functions_its_protocols_name():
    assert fn.DEFAULT_FUNCTIONS["mbo"][:2] == ("Coach", "Anti-pestcoördinator (APC)")
    assert "Teamleider" in fn.DEFAULT_FUNCTIONS["mbo"]
    assert {"Mentor", "Afdelingsleider", "Ondersteuningscoördinator"} <= set(
        fn.DEFAULT_FUNCTIONS["vo"])
    assert "Interne vertrouwenspersoon" in fn.DEFAULT_FUNCTIONS["po"]
    for kind, keys in fn.DEFAULT_INFORMED.items():  # who is informed is on the list
        functions = fn.DEFAULT_FUNCTIONS[kind]
        assert fn.check_informed_list(list(keys), list(functions)) == "\n".join(keys)


def test_a_list_of_functions_is_checked_line_by_line():
    assert fn.check_functions_text(" Coach \r\n\r\nTeamleider\n") == "Coach\nTeamleider"
    with pytest.raises(DomainError, match="staat er al"):
        fn.check_functions_text("Coach\ncoach")
    with pytest.raises(DomainError, match="minstens één functie"):
        fn.check_functions_text(" \n ")
    with pytest.raises(DomainError, match="hoogstens 20"):
        fn.check_functions_text("\n".join(f"Functie {n}" for n in range(21)))
    with pytest.raises(DomainError, match="regel 2"):
        fn.check_functions_text("Coach\n" + "x" * 61)


def test_parties_are_the_parents_or_one_of_the_schools_functions():
    functions = ["Coach", "Teamleider"]
    assert fn.check_informed("f:Coach", functions) == ("functie", "Coach")
    assert fn.check_informed("ouders", functions) == ("ouders", "")
    for bad in ("f:Directie", "directie", "", "f:"):
        with pytest.raises(DomainError, match="Kies wie er geïnformeerd is"):
            fn.check_informed(bad, functions)
    assert fn.check_owner("", functions) == ""
    assert fn.check_owner("f:Teamleider", functions) == "Teamleider"
    with pytest.raises(DomainError, match="Kies een functie uit de lijst"):
        fn.check_owner("Teamleider", functions)
    with pytest.raises(DomainError, match="Directie.*staat niet"):
        fn.check_informed_list(["f:Directie"], functions)
    # stored in the list's order, whatever order the boxes came in
    assert fn.check_informed_list(["ouders", "f:Teamleider", "f:Coach"], functions) == \
        "f:Coach\nf:Teamleider\nouders"
    assert fn.still_to_inform("f:Coach\nouders", ["ouders"]) == ["f:Coach"]


def test_a_talk_with_a_function_names_it():
    today = school_today()
    values = plan.check_talk("f:APC", False, "", today, "Besproken.", "", None, today,
                             ["Coach", "APC"])
    assert (values["party"], values["party_name"]) == ("functie", "APC")
    assert plan.talk_with("functie", None, "APC") == "APC"
    with pytest.raises(DomainError, match="Kies met wie"):
        plan.check_talk("f:Rector", False, "", today, "x", "", None, today, ["Coach"])
    with pytest.raises(DomainError, match="Kies met wie"):  # never the bare code
        plan.check_talk("functie", False, "APC", today, "x", "", None, today, ["APC"])


def test_a_step_has_an_owner_and_a_date():
    today = school_today()
    assert plan.check_step_planned(today, "f:Coach", ["Coach"], today) == ("Coach", today)
    assert plan.check_step_planned(None, "", ["Coach"], today) == ("", None)
    with pytest.raises(DomainError) as refused:
        plan.check_step_planned(today - timedelta(days=1), "f:Rector", ["Coach"], today)
    assert {e.field for e in refused.value.all} == {"owner", "planned_on"}


# ---- in the app ---------------------------------------------------------------------------


def test_a_new_school_gets_the_functions_of_its_type(world):
    with UnitOfWork():
        mbo = people.create_school(world.school.board, "ROC Midden", "mbo", "midden")
        vo = people.create_school(world.school.board, "Het Lyceum", "vo", "midden")
    assert mbo.function_names[0] == "Coach"
    assert mbo.informed == "f:Anti-pestcoördinator (APC)\nouders"
    assert vo.function_names[0] == "Mentor"


def test_a_school_names_its_functions_and_uses_them_on_a_case(client, world, login):
    """The school's own list: who is informed, a talk with a function, a step's owner."""
    login(world.coordinator)
    saved = save_settings(client, world.school,
                          functions="Coach\r\nAPC\r\nTeamleider\r\nLeco",
                          party=["f:Intern begeleider"])
    assert saved.status_code == 422  # a box ticked for a function that is not on the list
    assert "‘Intern begeleider’ staat niet (meer) bij de functies" in visible_text(saved)
    assert "Coach" not in db.session.get(School, world.school.id).functions
    saved = save_settings(client, world.school, functions="Coach\r\nAPC\r\nTeamleider\r\nLeco",
                          party=["f:APC", "ouders"])
    assert saved.status_code == 302
    school = db.session.get(School, world.school.id)
    assert (school.functions, school.informed) == ("Coach\nAPC\nTeamleider\nLeco",
                                                   "f:APC\nouders")

    case = f.case_at(world, "groep")
    login(world.teacher)
    page = visible_text(client.get(f"/zaken/{case.id}"))
    assert "informeer volgens het protocol van de school ook APC, Ouders/verzorgers" in page
    assert client.post(f"/zaken/{case.id}/geinformeerd", data={
        "party": "f:APC", "informed_on": school_today().isoformat()}).status_code == 302
    refused = client.post(f"/zaken/{case.id}/geinformeerd", data={
        "party": "f:Directie", "informed_on": school_today().isoformat()})
    assert refused.status_code == 422 and "Kies wie er geïnformeerd is" in visible_text(refused)
    page = visible_text(client.get(f"/zaken/{case.id}"))
    assert "APC vandaag geïnformeerd" not in page and "APC ·" in page

    talk = client.post(f"/zaken/{case.id}/gesprekken", data={
        "party": "f:Teamleider", "held_on": school_today().isoformat(),
        "summary": "Besproken wat de school doet."})
    assert talk.status_code == 302
    stored = db.session.query(CaseTalk).filter_by(case_id=case.id).one()
    assert (stored.party, stored.party_name) == ("functie", "Teamleider")
    assert "Gesprek met Teamleider" in f.fresh(case).timeline[-1].text

    # renamed later: what was recorded keeps the name of then
    login(world.coordinator)
    assert save_settings(client, world.school, functions="Coach\nAPC\nTeamleider (TL)\nLeco",
                         party=["f:APC", "ouders"]).status_code == 302
    login(world.teacher)
    page = visible_text(client.get(f"/zaken/{case.id}"))
    assert "Teamleider" in page and "APC ·" in page


def test_a_plan_step_gets_an_owner_and_a_date(client, world, login):
    case = f.fresh(f.escalated_case(world))
    step = case.plan_steps[1]
    login(world.teacher)
    when = school_today() + timedelta(days=3)
    done = client.post(f"/zaken/{case.id}/stappenplan/gepland", data={
        "step_id": step.id, "owner": "f:Intern begeleider", "planned_on": when.isoformat()})
    assert done.status_code == 302
    again = client.post(f"/zaken/{case.id}/stappenplan/gepland", data={
        "step_id": step.id, "owner": "f:Intern begeleider", "planned_on": when.isoformat()})
    assert again.status_code == 302  # a double tap writes nothing more
    case = f.fresh(case)
    assert (case.plan_steps[1].owner, case.plan_steps[1].planned_on) == (
        "Intern begeleider", when)
    assert sum("door Intern begeleider" in e.text for e in case.timeline) == 1
    page = visible_text(client.get(f"/zaken/{case.id}"))
    assert "Intern begeleider" in page
    refused = client.post(f"/zaken/{case.id}/stappenplan/gepland", data={
        "step_id": step.id, "owner": "f:Conciërge", "planned_on": "2000-01-01"})
    body = visible_text(refused)
    assert refused.status_code == 422
    assert "Kies een functie uit de lijst van de school." in body
    assert "Plan de stap vandaag of later." in body
    assert f.fresh(case).plan_steps[1].owner == "Intern begeleider"
