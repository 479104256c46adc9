"""A school's admin manages its people in the app: adding someone (who gets a one-time link
instead of a password typed by someone else), changing a role or schools, a new link for a
forgotten password, switching an account off; limited to the admin's own schools, and never
leaving a school without an admin."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from steungroep.core.extensions import db
from steungroep.models import AuditEntry, Invitation, OutboxMessage, User

from .. import factories as f
from ..sql import statements


def _add(client, **values):
    data = {"name": "Juf Els Visser", "email": "els@a.example", "role": "teacher"}
    data.update(values)
    return client.post("/beheer/personen", data=data)


def _link(response) -> str:
    match = re.search(r"data-handed-link>(https?://[^<]+/welkom/[^<]+)</textarea>",
                      response.get_data(as_text=True))
    assert match, "no link on the page"
    return match.group(1).split("localhost", 1)[1]


def _user(email: str) -> User | None:
    db.session.rollback()
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def test_an_admin_adds_a_teacher_who_chooses_a_password_with_the_link(app, world, login):
    admin = login(world.admin)
    response = _add(admin, email="  Els@A.example ")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Juf Els Visser is toegevoegd" in page and "maar één keer" in page
    path = _link(response)
    els = _user("els@a.example")
    assert els.role == "teacher" and els.school_ids == {world.school.id}
    assert not els.has_password and not els.check_password("")
    # Only a hash of the link is kept.
    assert path.rsplit("/", 1)[1] not in str(db.session.scalars(select(Invitation.token_hash))
                                             .all())
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.what.like("medewerker % toegevoegd%"))) == 1

    browser = app.test_client()
    form = browser.get(path)
    assert form.status_code == 200 and "Welkom, Juf Els Visser" in form.get_data(as_text=True)
    short = browser.post(path, data={"password": "kort", "repeat": "kort"})
    assert short.status_code == 422 and "minstens 12 tekens" in short.get_data(as_text=True)
    other = browser.post(path, data={"password": "paars-fietsrek-onder-de-boom",
                                     "repeat": "paars-fietsrek-onder-de-bom"})
    assert other.status_code == 422 and "niet gelijk" in other.get_data(as_text=True)
    done = browser.post(path, data={"password": "paars-fietsrek-onder-de-boom",
                                    "repeat": "paars-fietsrek-onder-de-boom"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/")
    assert browser.get("/").status_code == 200  # logged in
    again = browser.post(path, data={"password": "paars-fietsrek-onder-de-boom",
                                     "repeat": "paars-fietsrek-onder-de-boom"})
    assert again.status_code == 302  # a double tap: this browser is in already
    used = app.test_client().get(path)
    assert used.status_code == 410 and "al gebruikt" in used.get_data(as_text=True)
    fresh = app.test_client()
    login_ok = fresh.post("/inloggen", data={"email": "els@a.example",
                                             "password": "paars-fietsrek-onder-de-boom"})
    assert login_ok.status_code == 302


def test_with_mail_the_link_goes_by_email_and_is_not_shown(app, world, login, mail_to):
    mail_to(2525)
    response = _add(login(world.admin))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "/welkom/" not in page
    assert "krijgt een e-mail op els@a.example" in page
    message = db.session.scalar(select(OutboxMessage))
    assert message.to_address == "els@a.example"
    assert "https://steungroep.school.example/welkom/" in message.body
    assert message.dedupe_key.startswith("uitnodiging-")


def test_bad_input_is_refused_with_every_reason_and_kept(app, world, login):
    admin = login(world.admin)
    response = _add(admin, name="", email="geen-adres", role="baas")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul de naam in." in page and "geen e-mailadres" in page and "Kies een rol." in page
    assert 'value="geen-adres"' in page
    taken = _add(admin, email="KARIM@a.example")
    assert taken.status_code == 422 and "Er is al een account met dit e-mailadres" in \
        taken.get_data(as_text=True)
    foreign = _add(admin, schools=str(world.other_school.id))
    assert foreign.status_code == 422 and "alleen scholen geven die je zelf beheert" in \
        foreign.get_data(as_text=True)
    assert _user("els@a.example") is None
    nul = _add(admin, name="Els\x00 Visser")
    assert nul.status_code == 200 and _user("els@a.example").name == "Els Visser"


def test_a_role_change_and_a_second_school(app, world, login):
    admin_ab = f.make_user("Beheer AB", "ab@a.example", "admin", world.school, world.other_school)
    db.session.commit()
    client = login(admin_ab)
    karim = world.colleague
    response = client.post(f"/beheer/personen/{karim.id}", data={
        "name": "Meester Karim Aziz", "email": karim.email, "role": "coordinator",
        "schools": [str(world.school.id), str(world.other_school.id)]})
    assert response.status_code == 302
    karim = _user("karim@a.example")
    assert karim.role == "coordinator" and karim.name == "Meester Karim Aziz"
    assert karim.school_ids == {world.school.id, world.other_school.id}
    what = db.session.scalar(select(AuditEntry.what).where(
        AuditEntry.what.like(f"medewerker {karim.id}:%")))
    assert "rol teacher→coordinator" in what and "scholen" in what
    # School A's own admin moves him back to A only; B stays (it is not A's admin's to take).
    a_admin = login(world.admin)
    a_admin.post(f"/beheer/personen/{karim.id}", data={
        "name": karim.name, "email": karim.email, "role": "teacher",
        "schools": [str(world.school.id)]})
    karim = _user("karim@a.example")
    assert karim.role == "teacher" and karim.school_ids == {world.school.id,
                                                            world.other_school.id}


def test_no_school_is_left_without_its_admin(app, world, login):
    board_admin = f.make_user("Bestuur", "bestuur@a.example", "admin", world.school,
                              world.other_school)
    board_admin.board = world.school.board
    db.session.commit()
    client = login(board_admin)
    admin = world.admin
    demote = client.post(f"/beheer/personen/{admin.id}", data={
        "name": admin.name, "email": admin.email, "role": "teacher",
        "schools": [str(world.school.id)]})
    assert demote.status_code == 422
    assert "Dan heeft School A geen beheerder meer" in demote.get_data(as_text=True)
    off = client.post(f"/beheer/personen/{admin.id}/actief", data={"active": "0"})
    assert off.status_code == 422
    assert _user("beheer@a.example").role == "admin" and _user("beheer@a.example").active
    second = f.make_user("Beheer twee", "twee@a.example", "admin", world.school)
    db.session.commit()
    assert client.post(f"/beheer/personen/{admin.id}/actief",
                       data={"active": "0"}).status_code == 302
    assert not _user("beheer@a.example").active
    assert second.id


def test_an_admin_changes_nobody_outside_their_schools(app, world, login):
    client = login(world.admin)
    petra = world.other_teacher
    assert client.get(f"/beheer/personen/{petra.id}").status_code == 404
    assert client.post(f"/beheer/personen/{petra.id}", data={
        "name": "x", "email": "x@b.example", "role": "admin"}).status_code == 404
    assert client.post(f"/beheer/personen/{petra.id}/link").status_code == 404
    assert client.post(f"/beheer/personen/{petra.id}/actief",
                       data={"active": "0"}).status_code == 404
    assert client.get("/beheer/personen/999999").status_code == 404
    assert _user("petra@b.example").active
    assert login(world.teacher).get("/beheer/personen").status_code == 404
    own = login(world.admin).post(f"/beheer/personen/{world.admin.id}", data={
        "name": world.admin.name, "email": world.admin.email, "role": "teacher",
        "schools": [str(world.school.id)]})
    assert own.status_code == 422 and _user("beheer@a.example").role == "admin"


def test_a_new_link_replaces_the_old_and_ends_logins_once_used(app, world, login):
    client = login(world.admin)
    first = _link(client.post(f"/beheer/personen/{world.teacher.id}/link"))
    second = _link(client.post(f"/beheer/personen/{world.teacher.id}/link"))
    assert first != second
    assert app.test_client().get(first).status_code == 410
    teacher_browser = login(world.teacher)  # Anne is logged in somewhere
    other = app.test_client()
    assert other.post(second, data={"password": "groene-kikker-op-het-dak",
                                    "repeat": "groene-kikker-op-het-dak"}).status_code == 302
    assert teacher_browser.get("/").status_code == 302  # that login has ended
    assert _user("anne@a.example").check_password("groene-kikker-op-het-dak")


def test_an_expired_link_and_a_switched_off_account_do_not_work(app, world, login):
    client = login(world.admin)
    path = _link(client.post(f"/beheer/personen/{world.teacher.id}/link"))
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = invitation.created_at
    db.session.commit()
    response = app.test_client().get(path)
    assert response.status_code == 410 and "verlopen" in response.get_data(as_text=True)
    path = _link(client.post(f"/beheer/personen/{world.teacher.id}/link"))
    client.post(f"/beheer/personen/{world.teacher.id}/actief", data={"active": "0"})
    gone = app.test_client().post(path, data={"password": "groene-kikker-op-het-dak",
                                              "repeat": "groene-kikker-op-het-dak"})
    assert gone.status_code == 410
    assert not _user("anne@a.example").check_password("groene-kikker-op-het-dak")
    assert app.test_client().get("/welkom/" + "x" * 43).status_code == 410


def test_the_people_page_runs_the_same_statements_for_more_people(app, world, login):
    client = login(world.admin)
    few, _ = statements(client, "/beheer/personen")
    for n in range(25):
        f.make_user(f"Collega {n}", f"c{n}@a.example", "teacher", world.school)
    db.session.commit()
    for n in range(3):
        _add(client, email=f"nieuw{n}@a.example")
    many, response = statements(client, "/beheer/personen")
    assert few == many
    assert "Collega 24" in response.get_data(as_text=True)


def test_the_people_page_in_english_names_the_roles_in_english(app, world, login):
    client = login(world.admin)
    client.post("/account/taal", data={"language": "en"})
    page = client.get("/beheer/personen").get_data(as_text=True)
    assert "Coordinator" in page and "Teacher" in page
    assert "Leerkracht / mentor" not in page and "Beheerder" not in page


def test_a_second_tap_on_add_finds_the_person_instead_of_a_refusal(app, world, login):
    client = login(world.admin)
    assert _add(client).status_code == 200
    again = _add(client)
    assert again.status_code == 302 and "/beheer/personen/" in again.headers["Location"]
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "was net al toegevoegd" in page and "Nieuwe uitnodiging maken" in page
    assert db.session.scalar(select(func.count()).select_from(User).where(
        User.email == "els@a.example")) == 1
    # another admin typing the same address later is told it exists
    other = f.make_user("Beheer twee", "twee@a.example", "admin", world.school)
    db.session.commit()
    refused = _add(login(other))
    assert refused.status_code == 422 and "Er is al een account" in \
        refused.get_data(as_text=True)


def test_the_people_page_searches_and_shows_a_school_board_in_parts(app, world, login,
                                                                   monkeypatch):
    from steungroep.admin import views

    client = login(world.admin)
    page = client.get("/beheer/personen?q=KARIM").get_data(as_text=True)
    assert "Meester Karim" in page and "Juf Anne" not in page
    assert "Niemand gevonden." in client.get("/beheer/personen?q=%25_").get_data(as_text=True)
    monkeypatch.setattr(views, "SHOWN", 2)
    capped = client.get("/beheer/personen").get_data(as_text=True)
    assert capped.count('class="case-row person-row"') == 2
    assert "Er zijn er meer dan hier staan" in capped
