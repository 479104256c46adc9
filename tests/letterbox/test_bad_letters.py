"""The letterbox's public form gets its row of bad inputs: each answered with a clear Dutch
message a child reads, and the database row for row as it was."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.models import Letter

from ..bad_input import answered_without_change
from ..pages import count, visible_text
from .letters import box, code_in, letter_form

ROWS = [
    ("leeg", {"what": "", "writer": "", "wants_talk": ""}, 422, "Wat er is gebeurd is verplicht"),
    ("alleen spaties", {"what": "   \n  "}, 422, "Wat er is gebeurd is verplicht"),
    ("te lang", {"what": "x" * 1_000_000}, 422, "maximaal 2000 tekens"),
    ("1 MB", {"what": "x" * (1024 * 1024 + 1)}, 413, "te veel in één keer"),
    ("NUL", {"what": "\x00" * 40}, 422, "Wat er is gebeurd is verplicht"),
    ("markup", {"what": "<script>alert(1)</script>"}, 422, "zonder codes tussen"),
    ("markup in de naam", {"name": "<img src=x onerror=alert(1)>"}, 422, "zonder codes"),
    ("vreemde keuze", {"writer": "directeur", "wants_talk": "misschien"}, 422,
     "Kies over wie het gaat"),
    ("geen formulier", {"nonce": ""}, 422, "Laad de pagina opnieuw"),
    ("vreemd formulier", {"nonce": "\x00' OR 1=1 --"}, 422, "Laad de pagina opnieuw"),
]


@pytest.mark.parametrize(("name", "changes", "status", "text"), ROWS,
                         ids=[row[0] for row in ROWS])
def test_a_bad_letter_is_refused_and_nothing_is_stored(client, world, name, changes, status,
                                                        text):
    form = letter_form(client, box(world), **changes)
    answered_without_change(client, "POST", box(world), form, status, text)


def test_what_was_typed_stays_after_a_refusal(client, world):
    refused = client.post(box(world), data=letter_form(client, box(world), wants_talk="",
                                                       about="Noor"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Ze lachen me uit als ik iets zeg." in html
    assert 'value="Noor"' in html and 'aria-invalid="true"' in html
    assert "Set-Cookie" not in refused.headers


def test_a_hundred_letters_from_one_address_are_slowed_and_none_past_the_limit_stored(
        client, world):
    statuses = [client.post(box(world), data=letter_form(client, box(world),
                                                          what=f"Briefje {n}")).status_code
                for n in range(100)]
    assert statuses[:10] == [200] * 10 and set(statuses[10:]) == {429}
    assert count(Letter) == 10
    slowed = client.post(box(world), data=letter_form(client, box(world), what="Nummer 101"))
    assert "Wacht even" in visible_text(slowed) and "Nummer 101" in slowed.get_data(as_text=True)
    # counted per letterbox: the other school's stays open from the same address
    other = f"/brievenbus/{world.other_school.letterbox_token}"
    assert client.post(other, data=letter_form(client, other)).status_code == 200
    assert count(Letter) == 11


def test_a_foreign_or_unknown_letterbox_or_letter_is_not_found(client, world, login):
    assert client.get("/brievenbus/bestaat-niet-" + "x" * 20).status_code == 404
    unknown = client.post("/brievenbus/bestaat-niet-" + "x" * 20, data={"what": "x"})
    assert unknown.status_code == 404 and "kennen we niet" in visible_text(unknown)
    assert client.get("/brievenbus/%00").status_code in (404, 429)
    sent = client.post(box(world), data=letter_form(client, box(world)))
    code = code_in(sent)
    other = f"/brievenbus/{world.other_school.letterbox_token}/antwoord"
    wrong_school = client.post(other, data={"code": code})
    assert wrong_school.status_code == 422 and "kennen we niet" in visible_text(wrong_school)
    letter = db.session.scalar(select(Letter))
    login(world.other_coordinator)
    assert client.get(f"/brievenbus/briefjes/{letter.id}").status_code == 404
    assert client.post(f"/brievenbus/briefjes/{letter.id}/antwoord",
                       data={"answer": "Hallo"}).status_code == 404
    assert client.get("/brievenbus/briefjes/99999999999999999999").status_code == 404
    db.session.refresh(letter)
    assert letter.answer == "" and letter.read_at is None


def test_a_flood_from_many_addresses_stops_at_the_schools_own_limit(app, client, world,
                                                                     monkeypatch):
    monkeypatch.setitem(app.config, "LETTER_LIMIT_SCHOOL", "3 per hour")
    statuses = [client.post(box(world), data=letter_form(client, box(world)),
                            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code
                for n in range(1, 6)]
    assert statuses == [200, 200, 200, 429, 429] and count(Letter) == 3


def test_a_robot_that_fills_the_hidden_field_gets_thanks_and_stores_nothing(client, world):
    sent = client.post(box(world), data=letter_form(client, box(world), website="http://x"))
    assert sent.status_code == 200 and "Dank je wel!" in visible_text(sent)
    assert "data-code" not in sent.get_data(as_text=True) and count(Letter) == 0
