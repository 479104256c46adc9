"""English next to Dutch: each staff member chooses; pupils' cards and slips follow the
school; before logging in, the browser's preference; Dutch whenever nothing is chosen."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_, translate
from steungroep.models import AuditEntry, School, User
from steungroep.web.writes import UnitOfWork

from .. import factories as f
from ..languages import english
from ..settings.form import save_settings

AVOIDED = re.compile(r"\b(bull(y|ies|ying)|victims?|ringleaders?|followers?|bystanders?|"
                     r"perpetrators?|pest\w*|dader|slachtoffer|aanvoerder|meeloper)\b",
                     re.IGNORECASE)


def visible(response) -> str:
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def choose(client, language: str):
    return client.post("/account/taal", data={"language": language})


def test_a_teacher_chooses_english_and_back(client, login, world):
    login(world.teacher)
    page = visible(client.get("/"))
    assert "Mijn open meldingen" in page and 'lang="nl"' in client.get("/").get_data(
        as_text=True)
    response = choose(client, "en")
    assert response.status_code == 302
    page = client.get("/account")
    html = page.get_data(as_text=True)
    assert english("Je pagina's zijn nu in het Nederlands.") in visible(page)
    assert '<html lang="en">' in html and english("Je account") in visible(page)
    home = visible(client.get("/"))
    assert english("Mijn open meldingen") in home and "Mijn open meldingen" not in home
    assert db.session.get(User, world.teacher.id).language == "en"
    assert db.session.scalar(select(AuditEntry.what).where(AuditEntry.what == "taal gekozen"))
    choose(client, "nl")
    assert "Mijn open meldingen" in visible(client.get("/"))


def test_a_language_the_app_does_not_speak_is_refused_in_the_page_language(client, login,
                                                                          world):
    login(world.teacher)
    for wrong in ("de", "", "nl-NL", "x" * 5000):
        response = choose(client, wrong)
        assert response.status_code == 422
        assert "Kies Nederlands of English." in visible(response)
    assert db.session.get(User, world.teacher.id).language == "nl"


def test_a_refusal_is_in_the_readers_language(client, login, world):
    """A rule's message is translated when it is shown, with its values put in."""
    login(world.teacher)
    choose(client, "en")
    response = client.post("/account/wachtwoord", data={
        "current": "niet-het-goede", "password": "x", "repeat": "x"})
    assert response.status_code == 422
    assert english("Je huidige wachtwoord klopt niet.") in visible(response)


def test_the_login_page_follows_the_browser_until_someone_chooses(client, world):
    dutch = visible(client.get("/inloggen", headers={"Accept-Language": "nl-NL,nl;q=0.9"}))
    assert "E-mailadres" in dutch
    page = visible(client.get("/inloggen", headers={"Accept-Language": "en-GB,en;q=0.9"}))
    assert english("E-mailadres") in page and "E-mailadres" not in page
    assert "E-mailadres" in visible(client.get("/inloggen", headers={"Accept-Language": "de"}))
    assert "E-mailadres" in visible(client.get("/inloggen"))


def test_cards_and_slips_follow_the_school_not_the_teacher(app, client, login, world):
    case = f.case_at(world, "evaluatie_leerling")
    member = case.group.members[0]
    login(world.teacher)
    choose(client, "en")  # the teacher reads English; the school is Dutch
    card = visible(client.get(f"/k/{member.card_token}"))
    assert "Jouw idee" in card
    slips = visible(client.get(f"/zaken/{case.id}/uitnodigingen"))
    assert "Uitnodigingen" in slips and english("Uitnodigingen") not in slips
    login(world.coordinator)
    response = save_settings(client, world.school, language="en")
    assert response.status_code == 302
    assert db.session.get(School, world.school.id).language == "en"
    response = app.test_client().get(f"/k/{member.card_token}")  # a pupil's phone
    card = visible(response)
    assert english("Jouw idee") in card and "Jouw idee" not in card
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    login(world.teacher)
    slips = visible(client.get(f"/zaken/{case.id}/uitnodigingen"))
    assert english("Uitnodigingen") in slips
    # what pupils read in English names no role and avoids the words the method avoids
    qr_screen = visible(client.get(f"/zaken/{case.id}/kaarten/{member.id}"))
    printed = visible(client.get(f"/zaken/{case.id}/kaarten/afdrukken"))
    for page in (card, slips, qr_screen, printed):
        assert not AVOIDED.search(page), AVOIDED.search(page)
    login(world.coordinator)
    refused = save_settings(client, world.school, language="fr")
    assert refused.status_code == 422
    other = save_settings(client, world.other_school, language="en")
    assert other.status_code == 404
    assert db.session.get(School, world.other_school.id).language == "nl"


def test_the_overview_remembers_each_language_apart(client, login, world):
    f.case_at(world, "evaluatie_leerling")
    login(world.coordinator)
    dutch = visible(client.get("/overzicht"))
    choose(client, "en")
    english_page = visible(client.get("/overzicht"))
    assert dutch != english_page
    assert english("Overzicht") in english_page


def test_domain_texts_are_dutch_outside_a_request_and_keep_their_values():
    error = DomainError(N_("Kies %(n)s tot %(m)s leerlingen."), "members", n=6, m=8)
    assert error.message == "Kies 6 tot 8 leerlingen." and error.field == "members"
    assert translate(N_("Nog niet alles is goed ingevuld:")) == "Nog niet alles is goed ingevuld:"


def test_new_staff_and_schools_are_dutch(app):
    with UnitOfWork():
        school = f.make_school("School C", pupils=0)
        user = f.make_user("Juf C", "c@c.example", "teacher", school)
    assert (school.language, user.language) == ("nl", "nl")


def test_the_meeting_timer_speaks_the_teachers_language(client, login, world):
    """The timer's button labels come from the page (meeting.js has none of its own)."""
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    choose(client, "en")
    html = client.get(f"/zaken/{case.id}/bijeenkomst").get_data(as_text=True)
    assert 'data-pause="Pause"' in html and 'data-resume="Resume"' in html
    assert "Pauze" not in html
    script = (Path(__file__).resolve().parents[2] / "steungroep/static/js/meeting.js").read_text()
    assert '"Pauze"' not in script and '"Verder"' not in script
