"""A board admin creates the board's schools and names their admins in the app; nobody else
reaches these pages, and another board's schools do not exist for them."""

from __future__ import annotations

import re

from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.models import AuditEntry, School, User

from .. import factories as f
from ..sql import statements


def _board_admin(world, email="bestuur@a.example"):
    admin = f.make_user("Bestuur", email, "admin", world.school, world.other_school)
    admin.board = world.school.board
    db.session.commit()
    return admin


def _school(name: str) -> School | None:
    db.session.rollback()
    db.session.expire_all()
    return db.session.scalar(select(School).where(School.name == name))


def _create(client, **values):
    data = {"name": "OBS De Regenboog", "kind": "po", "region": "noord", "brin": "",
            "admin_name": "", "admin_email": ""}
    data.update(values)
    return client.post("/beheer/scholen", data=data)


def test_a_board_admin_creates_a_school_with_its_admin(app, world, login):
    boss = _board_admin(world)
    client = login(boss)
    response = _create(client, brin=" 12ab ", admin_name="Ria Beheer",
                       admin_email="ria@regenboog.example")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "OBS De Regenboog is aangemaakt" in page
    assert re.search(r"/welkom/[\w-]{30,}", page)
    school = _school("OBS De Regenboog")
    assert (school.kind, school.region, school.brin) == ("po", "noord", "12AB")
    assert school.board_id == world.school.board_id
    ria = db.session.scalar(select(User).where(User.email == "ria@regenboog.example"))
    assert ria.role == "admin" and ria.school_ids == {school.id} and not ria.has_password
    assert school.id in db.session.get(User, boss.id).school_ids  # the board admin holds it
    assert db.session.scalar(select(AuditEntry.what).where(
        AuditEntry.what == f"school {school.id} aangemaakt"))
    listing = client.get("/beheer/scholen").get_data(as_text=True)
    assert "Beheer: Ria Beheer" in listing


def test_bad_school_input_is_refused_all_at_once(app, world, login):
    client = login(_board_admin(world))
    response = _create(client, name="school a", brin="ABCD", region="oost",
                       admin_email="geen-adres", admin_name="Ria")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Er is al een school met de naam" in page and "BRIN-nummer" in page
    assert "Kies de vakantieregio." in page
    assert 'value="ABCD"' in page and 'value="Ria"' in page
    assert _school("school a") is None
    _create(client, name="OBS Een", brin="12AB")
    again = _create(client, name="OBS Twee", brin="12ab")
    assert again.status_code == 422 and "Er is al een school met BRIN-nummer 12AB" in \
        again.get_data(as_text=True)
    bad_admin = _create(client, name="OBS Drie", admin_name="", admin_email="geen-adres")
    assert bad_admin.status_code == 422 and _school("OBS Drie") is None
    assert "Vul de naam in." in bad_admin.get_data(as_text=True)


def test_naming_an_admin_of_the_board_gives_them_the_school(app, world, login):
    boss = _board_admin(world)
    client = login(boss)
    _create(client, name="OBS Nieuw")
    school = _school("OBS Nieuw")
    response = client.post(f"/beheer/scholen/{school.id}/beheerders",
                           data={"admin_name": "x", "admin_email": "BEHEER@a.example"})
    assert response.status_code == 200
    assert school.id in db.session.scalar(
        select(User).where(User.email == "beheer@a.example")).school_ids
    teacher = client.post(f"/beheer/scholen/{school.id}/beheerders",
                          data={"admin_name": "x", "admin_email": "anne@a.example"})
    assert teacher.status_code == 422 and "heeft al een account als" in \
        teacher.get_data(as_text=True)
    empty = client.post(f"/beheer/scholen/{school.id}/beheerders", data={})
    assert empty.status_code == 422


def test_changing_a_school(app, world, login):
    client = login(_board_admin(world))
    response = client.post(f"/beheer/scholen/{world.school.id}",
                           data={"name": "School A (Dorp)", "kind": "vo", "brin": "99ZZ01"})
    assert response.status_code == 302
    school = _school("School A (Dorp)")
    assert (school.kind, school.brin) == ("vo", "99ZZ01")
    clash = client.post(f"/beheer/scholen/{world.school.id}",
                        data={"name": "School B", "kind": "vo", "brin": ""})
    assert clash.status_code == 422 and 'value="School B"' in clash.get_data(as_text=True)


def test_only_board_admins_reach_the_schools_of_their_own_board(app, world, login):
    assert login(world.admin).get("/beheer/scholen").status_code == 404
    assert login(world.coordinator).get("/beheer/scholen").status_code == 404
    other_board = f.make_board("Ander bestuur")
    elsewhere = f.make_school("Elders", board=other_board)
    db.session.commit()
    client = login(_board_admin(world))
    assert client.get(f"/beheer/scholen/{elsewhere.id}").status_code == 404
    assert client.post(f"/beheer/scholen/{elsewhere.id}", data={
        "name": "Van mij", "kind": "po", "brin": ""}).status_code == 404
    assert client.post(f"/beheer/scholen/{elsewhere.id}/beheerders", data={
        "admin_name": "x", "admin_email": "x@x.example"}).status_code == 404
    assert _school("Elders") is not None
    listing = client.get("/beheer/scholen").get_data(as_text=True)
    assert "Elders" not in listing and "School A" in listing


def test_the_schools_page_runs_the_same_statements_for_more_schools(app, world, login):
    client = login(_board_admin(world))
    few, _ = statements(client, "/beheer/scholen")
    for n in range(6):
        _create(client, name=f"OBS {n}", admin_name=f"Beheer {n}",
                admin_email=f"b{n}@x.example")
    many, response = statements(client, "/beheer/scholen")
    assert few == many and "Beheer: Beheer 5" in response.get_data(as_text=True)


def test_the_admin_home_shows_the_admin_work(app, world, login):
    client = login(world.admin)
    client.post("/beheer/personen", data={"name": "Els", "email": "els@a.example",
                                          "role": "teacher"})
    page = client.get("/").get_data(as_text=True)
    assert "Beheer van je school" in page and "Mijn open meldingen" not in page
    assert re.search(r"School A</a></td>\s*<td>5", page)  # four colleagues and Els
    assert 'badge-overdue">1<' in page  # Els has no password yet
