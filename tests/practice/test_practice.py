"""A practice case: started with a made-up class of its own (once per double tap, only at
one's own schools), played only with its made-up pupils, marked on its pages, listed on the
practice page only, and thrown away with everything of it."""

from __future__ import annotations

from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.domain import practice as rules
from steungroep.models import (
    AuditEntry,
    Case,
    GroupMember,
    Pupil,
    RetiredCardToken,
    SchoolClass,
    TimelineEntry,
)

from .. import factories as f
from ..pages import add_to_group, count, visible_text
from ..sql import statements
from .played import practice_case

KEY = {"submission_key": "oefenen-" + "a" * 24}
HX = {"HX-Request": "true"}


def test_a_teacher_starts_a_practice_case_once_and_lands_on_the_talk(client, world, login):
    login(world.teacher)
    page = visible_text(client.get("/oefenen"))
    assert "Er gaat geen e-mail of herinnering uit." in page
    assert "Je hebt nu geen oefenaanpak." in page
    first = client.post("/oefenen", data=KEY)
    again = client.post("/oefenen", data=KEY)  # a double tap
    assert first.status_code == again.status_code == 302 and first.location == again.location
    case = db.session.scalar(select(Case))
    assert first.location.endswith(f"/zaken/{case.id}/gesprek")
    assert count(Case) == 1 and count(SchoolClass, SchoolClass.practice.is_(True)) == 1
    assert case.practice and case.teacher_id == world.teacher.id
    klass = case.pupil.school_class
    assert (klass.name, klass.school_year, klass.practice) == ("Oefenklas 1", "oefenen", True)
    assert [(p.first_name, p.surname_initial) for p in sorted(klass.pupils, key=lambda p: p.id)
            ] == list(rules.PUPILS)
    talk_page = visible_text(client.get(first.location))
    assert "Oefenaanpak · met verzonnen leerlingen" in talk_page
    listed = visible_text(client.get("/oefenen"))
    assert "Sanne V." in listed and "Oefenklas 1" in listed and "Gesprek" in listed
    second = client.post("/oefenen", data={"submission_key": "oefenen-" + "b" * 24})
    assert second.status_code == 302
    assert {c.name for c in db.session.scalars(select(SchoolClass).where(
        SchoolClass.practice.is_(True)))} == {"Oefenklas 1", "Oefenklas 2"}


def test_only_at_ones_own_school(client, world, login):
    two = f.make_user("Juf Twee", "twee@a.example", "teacher", world.school, world.other_school)
    db.session.commit()
    login(two)
    page = client.get("/oefenen")
    assert "Op welke school oefen je?" in visible_text(page)
    for school_id in ("", "999999", "x\x00"):
        refused = client.post("/oefenen", data={**KEY, "school_id": school_id})
        assert refused.status_code == 422
        assert "Kies de school waar je wilt oefenen." in visible_text(refused)
    login(world.teacher)
    foreign = client.post("/oefenen", data={**KEY, "school_id": world.other_school.id})
    assert foreign.status_code == 422 and count(Case) == 0 and count(Pupil) == 14 + 8
    chosen = client.post("/oefenen", data={**KEY, "school_id": world.school.id})
    assert chosen.status_code == 302 and count(Case) == 1


def test_a_practice_group_is_made_of_made_up_pupils_only(client, world, login):
    case = practice_case(world, "groep")
    real = f.case_at(world, "groep")
    login(world.teacher)
    made_up = sorted((p for p in case.pupil.school_class.pupils if p.id != case.pupil_id),
                     key=lambda p: p.id)
    only_real = [p.first_name for p in world.pupils
                 if p.first_name not in {m.first_name for m in made_up} | {"Sanne"}]
    page = visible_text(client.get(f"/zaken/{case.id}/groep"))
    assert "Julia" in page and "Oefenklas 1" in page
    assert not [name for name in only_real if name in page]
    for name in only_real[:3]:  # typed in the practice case's search: nothing real
        found = visible_text(client.get(f"/zaken/{case.id}/groep/zoeken?q={name}", headers=HX))
        assert f"Niemand gevonden voor “{name}”." == found.strip()
    found = visible_text(client.get(f"/zaken/{case.id}/groep/zoeken?q=jul", headers=HX))
    assert found.count("Julia") == 2 and "Oefenklas 1" in found
    assert add_to_group(client, case, world.pupils[1]).status_code == 422
    assert add_to_group(client, real, made_up[0]).status_code == 422
    assert count(GroupMember) == 0
    assert add_to_group(client, case, made_up[0]).status_code == 302
    assert count(GroupMember) == 1
    real_search = client.get(f"/zaken/{real.id}/groep/zoeken?q=Oefenklas", headers=HX)
    assert visible_text(real_search).strip() == "Niemand gevonden voor “Oefenklas”."
    for query in ("Oefenklas", "Sanne", "Zo"):  # the melding's picker: real pupils only
        picker = visible_text(client.get(f"/leerlingen/kiezen?zoek_pupil_id={query}"))
        assert picker.strip().startswith(f"Niemand gevonden voor “{query}”.")


def test_thrown_away_with_everything_of_it(client, world, login):
    case = practice_case(world, "evaluatie_leerling")
    real = f.case_at(world, "bijeenkomst")
    tokens = [m.card_token for m in case.group.members]
    case_id = case.id
    login(world.teacher)
    assert client.get(f"/k/{tokens[0]}").status_code == 200
    before = count(Pupil), count(TimelineEntry, TimelineEntry.case_id == real.id)
    refused = client.post(f"/oefenen/{real.id}/weggooien")
    assert refused.status_code == 302 and count(Case) == 2
    thrown = client.post(f"/oefenen/{case_id}/weggooien")
    assert thrown.status_code == 302 and thrown.location.endswith("/oefenen")
    db.session.expire_all()
    assert db.session.get(Case, case_id) is None
    assert count(Case) == 1 and count(SchoolClass, SchoolClass.practice.is_(True)) == 0
    assert count(Pupil) == before[0] - len(rules.PUPILS)
    assert count(AuditEntry, AuditEntry.case_id == case_id) == 0
    assert count(TimelineEntry, TimelineEntry.case_id == real.id) == before[1]
    assert count(RetiredCardToken) == len(tokens)
    card = client.get(f"/k/{tokens[0]}")
    assert card.status_code in (404, 410) and "Sanne" not in card.get_data(as_text=True)
    assert "Je hebt nu geen oefenaanpak." in visible_text(client.get("/oefenen"))


def test_someone_elses_practice_case_is_theirs(client, world, login):
    case = practice_case(world, "gesprek", teacher=world.colleague)
    login(world.teacher)
    assert "Sanne" not in visible_text(client.get("/oefenen"))
    assert client.get(f"/zaken/{case.id}").status_code == 404
    assert client.post(f"/oefenen/{case.id}/weggooien").status_code == 404
    login(world.other_coordinator)
    assert client.post(f"/oefenen/{case.id}/weggooien").status_code == 404
    assert count(Case) == 1


def test_the_practice_page_runs_a_fixed_number_of_statements(client, world, login):
    practice_case(world, "gesprek")
    login(world.teacher)
    one, page = statements(client, "/oefenen", cold=True)
    assert visible_text(page).count("Sanne V.") == 1
    for step in ("groep", "bijeenkomst", "besluit"):
        practice_case(world, step)
    four, page = statements(client, "/oefenen", cold=True)
    assert visible_text(page).count("Sanne V.") == 4
    assert one == four
