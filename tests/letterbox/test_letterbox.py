"""The digital letterbox end to end: a child writes without a name and gets a code; the people
the school chose read it, answer and make it a melding; the child reads the answer with the
code. No cookie, no address, no role and none of the method's words on the child's pages."""

from __future__ import annotations

import re

from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.models import Case, Letter, OutboxMessage

from ..pages import count, visible_text
from .letters import FORBIDDEN, box, code_in, letter_form


def test_a_child_writes_without_a_name_and_reads_the_answer_with_the_code(
        app, client, world, login, inbox, mail_to):
    mail_to(inbox.port)
    page = client.get(box(world))
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "School A" in visible_text(page) and not FORBIDDEN.search(visible_text(page))
    sent = client.post(box(world), data=letter_form(client, box(world)))
    assert sent.status_code == 200 and "Set-Cookie" not in sent.headers
    code = code_in(sent)
    letter = db.session.scalar(select(Letter))
    assert (letter.name, letter.writer, letter.wants_talk) == ("", "zelf", "ja")
    assert letter.code_hash != code and code not in str(vars(letter))
    # the people who read it (here nobody was chosen: the coordinator) get a mail without
    # a word of the letter
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert [m.to_address for m in mails] == [world.coordinator.email]
    assert "Ze lachen" not in mails[0].body and f"/brievenbus/briefjes/{letter.id}" in mails[0].body
    # not read yet
    answer_page = f"{box(world)}/antwoord"
    before = visible_text(client.post(answer_page, data={"code": code}))
    assert "nog niet gelezen" in before and "Ze lachen" not in before
    login(world.coordinator)
    assert "Er is 1 nieuw briefje in de brievenbus." in visible_text(client.get("/"))
    shown = visible_text(client.get(f"/brievenbus/briefjes/{letter.id}"))
    assert "Ze lachen me uit" in shown and "zonder naam" in shown
    refused = client.post(f"/brievenbus/briefjes/{letter.id}/antwoord",
                          data={"answer": "Wie pest jou? Kom langs."})
    assert refused.status_code == 422 and "gewone woorden" in visible_text(refused)
    assert "Wie pest jou? Kom langs." in refused.get_data(as_text=True)  # kept
    other = world.pupils[3].first_name  # a child the writer did not name
    named = client.post(f"/brievenbus/briefjes/{letter.id}/antwoord",
                        data={"answer": f"Ik vraag {other} ook even hoe het gaat."})
    assert named.status_code == 422 and f"de naam {other}" in visible_text(named)
    client.post(f"/brievenbus/briefjes/{letter.id}/antwoord",
                data={"answer": "Dank je voor je briefje. Ik kom morgen in de pauze bij je."})
    client.post("/uitloggen")
    client.delete_cookie("session")
    read = client.post(answer_page, data={"code": code.lower().replace("-", " ")})
    words = visible_text(read)
    assert read.status_code == 200 and "Set-Cookie" not in read.headers
    assert "Het is gelezen" in words and "Ik kom morgen in de pauze bij je." in words
    assert "Ze lachen" not in words and not FORBIDDEN.search(words)


def test_the_same_form_sent_twice_stores_one_letter_and_shows_the_same_code(client, world):
    form = letter_form(client, box(world))
    first, second = client.post(box(world), data=form), client.post(box(world), data=form)
    assert code_in(first) == code_in(second) and count(Letter) == 1
    # a new form is a new letter with a new code
    other = client.post(box(world), data=letter_form(client, box(world)))
    assert code_in(other) != code_in(first) and count(Letter) == 2


def test_the_inbox_is_for_the_people_the_school_chose(client, world, login):
    client.post(box(world), data=letter_form(client, box(world)))
    letter = db.session.scalar(select(Letter))
    world.colleague.reads_letters = True  # the school's vertrouwenspersoon
    db.session.commit()
    for user, sees in ((world.colleague, True), (world.coordinator, False),
                       (world.teacher, False), (world.other_coordinator, False)):
        login(user)
        assert (client.get(f"/brievenbus/briefjes/{letter.id}").status_code == 200) is sees
        inbox_page = visible_text(client.get("/brievenbus"))
        assert ("Ze lachen" not in inbox_page) and (("Open (1)" in inbox_page) is sees)
    login(world.colleague)
    assert "Brievenbus" in visible_text(client.get("/"))  # in the menu


def test_a_letter_becomes_a_melding_of_the_pupil_chosen(client, world, login):
    client.post(box(world), data=letter_form(client, box(world), about="Bas",
                                             where="Op het plein"))
    letter = db.session.scalar(select(Letter))
    login(world.coordinator)
    form = client.get(f"/meldingen/nieuw?briefje={letter.id}").get_data(as_text=True)
    assert "Ze lachen me uit" in form and f'name="letter_id" value="{letter.id}"' in form
    assert re.search(r'<option value="brievenbus"\s+selected', form)
    melding = {"pupil_id": str(world.subject.id), "reported_on": "", "source": "brievenbus",
               "forms": "verbaal", "description": "Ze lachen me uit als ik iets zeg.",
               "triage": "herhaald", "letter_id": str(letter.id), "submission_key": "k" * 32}
    foreign = client.post("/meldingen/nieuw", data={**melding, "reported_on": "2026-12-01",
                                                    "pupil_id": str(world.other_pupils[0].id)})
    assert foreign.status_code == 422 and count(Case) == 0
    made = client.post("/meldingen/nieuw", data={**melding, "reported_on": "2026-12-01"})
    assert made.status_code == 302
    case = db.session.scalar(select(Case))
    db.session.refresh(letter)
    assert letter.case_id == case.id and letter.read_at is not None
    assert case.source == "brievenbus" and any("brievenbus" in e.text for e in case.timeline)
    page = visible_text(client.get(f"/brievenbus/briefjes/{letter.id}"))
    assert "Van dit briefje is een melding gemaakt." in page and "Afhandelen" not in page
    # closed now, it cannot be closed again, nor made a second melding
    again = client.post("/meldingen/nieuw", data={**melding, "reported_on": "2026-12-01",
                                                  "submission_key": "m" * 32})
    assert again.status_code == 422 and count(Case) == 1
    # in the access copy of the pupil the melding is about
    copy = client.get(f"/leerlingen/{world.subject.id}/inzage.json").get_json()
    assert copy["aanpakken"][0]["briefjes_uit_de_brievenbus"][0]["tekst"] == \
        "Ze lachen me uit als ik iets zeg."


def test_closing_needs_a_reason_and_the_writer_sees_it_was_read(client, world, login):
    sent = client.post(box(world), data=letter_form(client, box(world)))
    code = code_in(sent)
    letter = db.session.scalar(select(Letter))
    login(world.coordinator)
    refused = client.post(f"/brievenbus/briefjes/{letter.id}/afsluiten", data={"reason": ""})
    assert refused.status_code == 422 and "Kies waarom" in visible_text(refused)
    closed = client.post(f"/brievenbus/briefjes/{letter.id}/afsluiten",
                         data={"reason": "niet_serieus"})
    assert closed.status_code == 302
    twice = client.post(f"/brievenbus/briefjes/{letter.id}/afsluiten",
                        data={"reason": "gesprek"})
    assert twice.status_code == 302
    db.session.refresh(letter)
    assert letter.close_reason == "niet_serieus" and letter.read_at is not None
    client.post("/uitloggen")
    words = visible_text(client.post(f"{box(world)}/antwoord", data={"code": code}))
    assert "Het is gelezen" in words and "niet serieus" not in words.lower()


def test_the_poster_carries_the_schools_letterbox_as_a_qr_code(client, world, login):
    login(world.coordinator)
    poster = client.get(f"/brievenbus/poster/{world.school.id}")
    assert poster.status_code == 200 and "<svg" in poster.get_data(as_text=True)
    assert world.school.letterbox_token in visible_text(poster)
    assert not FORBIDDEN.search(visible_text(poster))
    assert client.get(f"/brievenbus/poster/{world.other_school.id}").status_code == 404


def test_a_new_address_stops_the_old_poster_and_a_code_still_reads_its_answer(
        client, world, login):
    old = box(world)
    code = code_in(client.post(old, data=letter_form(client, old)))
    login(world.coordinator)
    assert client.post(f"/brievenbus/poster/{world.school.id}/nieuw-adres").status_code == 302
    assert client.post(f"/brievenbus/poster/{world.other_school.id}/nieuw-adres"
                       ).status_code == 404
    db.session.refresh(world.school)
    new = box(world)
    assert new != old and world.school.letterbox_token in visible_text(
        client.get(f"/brievenbus/poster/{world.school.id}"))
    client.post("/uitloggen")
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert "nog niet gelezen" in visible_text(client.post(f"{new}/antwoord", data={"code": code}))


def test_the_letterbox_speaks_the_schools_language(client, world):
    world.school.language = "en"
    db.session.commit()
    page = visible_text(client.get(box(world)))
    assert "What happened?" in page and "Send my letter" in page
    assert "Wat is er gebeurd?" not in page
    refused = visible_text(client.post(box(world), data=letter_form(client, box(world),
                                                                    what="")))
    assert "What happened is required." in refused
    sent = visible_text(client.post(box(world), data=letter_form(client, box(world))))
    assert "Thank you!" in sent and "This is your code" in sent
