"""The case's own pages through the Flask test client, on every configured database: who
sees a case, the home page, the melding with its facts and triage, and the case page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.evaluations import use_cases as evaluations
from steungroep.models import Case, Informed, TimelineEntry

from .. import factories as f
from ..pages import count, melding_form, text_of
from ..settings.form import save_settings
from ..sql import statements

# ---- who sees a case -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "sees"),
    [
        ("teacher", True),
        ("colleague", False),
        ("coordinator", True),
        ("admin", False),
        ("other_teacher", False),
        ("other_coordinator", False),
    ],
)
def test_case_access(client, world, login, actor, sees):
    """The responsible teacher and the school's coordinators see a case; others get 404."""
    case = f.case_at(world, "bijeenkomst")
    login(getattr(world, actor))
    paths = [
        f"/zaken/{case.id}",
        f"/zaken/{case.id}/groep",
        f"/zaken/{case.id}/bijeenkomst",
        f"/zaken/{case.id}/uitnodigingen",
    ]
    for path in paths:
        assert client.get(path).status_code == (200 if sees else 404), path
    # the home page lists it for its teacher; a coordinator finds it in the overview (their
    # home lists only what is late or due this week: see test_coordinator_home_*)
    home = text_of(client.get("/"))
    assert (world.subject.first_name in home) is (actor == "teacher")
    if actor == "coordinator":
        assert world.subject.first_name in text_of(client.get("/overzicht"))


def test_coordinator_home_lists_their_own_and_what_is_due_at_their_schools(
        client, world, login):
    """A coordinator's home: their own cases, then others' cases that are late or due within
    a week (paged), and the overview one tap away with every open case counted."""

    from steungroep.models import Case as CaseRow

    mine = f.case_at(world, "gesprek", teacher=world.coordinator, pupil=world.pupils[1])
    due_soon = f.case_at(world, "evaluatie_leerling", pupil=world.pupils[2])
    far = f.case_at(world, "evaluatie_leerling", pupil=world.pupils[3])
    undated = f.case_at(world, "groep", pupil=world.pupils[4])
    db.session.get(CaseRow, far.id).group.current_cycle.evaluations[0].due_on = (
        school_today() + timedelta(days=30))
    db.session.commit()
    login(world.coordinator)
    page = client.get("/").get_data(as_text=True)
    own, _, rest = page.partition("Aan de beurt op je scholen")
    assert f'href="/zaken/{mine.id}"' in own
    assert f'href="/zaken/{due_soon.id}"' in rest
    assert f'href="/zaken/{far.id}"' not in page and f'href="/zaken/{undated.id}"' not in page
    assert "alle 4 open meldingen" in text_of(client.get("/"))


def test_coordinator_home_pages_through_what_is_due(client, world, login, monkeypatch):
    from steungroep.cases import home

    monkeypatch.setattr(home, "PER_PAGE", 2)
    cases = [f.case_at(world, "evaluatie_leerling", pupil=p) for p in world.pupils[1:6]]
    login(world.coordinator)
    seen = []
    for number in (1, 2, 3):
        page = client.get(f"/?pagina={number}").get_data(as_text=True)
        seen += [c.id for c in cases if f'href="/zaken/{c.id}"' in page]
    assert sorted(seen) == sorted(c.id for c in cases)
    assert "Pagina 3 van 3" in text_of(client.get("/?pagina=99"))


def test_unknown_ids_are_404_not_errors(client, world, login):
    """Unknown case or member ids answer 404 with the friendly page."""
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    assert client.get("/zaken/999999").status_code == 404
    response = client.post(f"/zaken/{case.id}/bijeenkomst/acties/999999", data={"text": "x"})
    assert response.status_code == 404
    assert "Niet gevonden" in text_of(response)
    assert client.post(f"/zaken/{case.id}/groep/leden/999999/weg").status_code == 404


# ---- home --------------------------------------------------------------------------------


def test_home_shows_next_step_per_case(client, world, login):
    """Home lists my open cases with the next step as a button, due dates included."""
    f.case_at(world, "gesprek")
    f.case_at(world, "evaluatie_leerling", pupil=world.pupils[10])
    login(world.teacher)
    page = text_of(client.get("/"))
    assert "Gesprek met de leerling" in page
    assert "Evaluatie met de leerling" in page
    assert "gepland" in page


def test_home_query_count_is_fixed(client, world, login, app):
    """The home page runs the same number of SQL statements for 2 and for 8 cases."""
    def statements_for_home() -> int:
        return statements(client, "/")[0]

    for pupil in world.pupils[8:10]:
        f.case_at(world, "evaluatie_leerling", pupil=pupil)
    login(world.teacher)
    few = statements_for_home()
    login(world.coordinator)
    few_coordinator = statements_for_home()
    for pupil in world.pupils[10:14]:
        f.case_at(world, "evaluatie_leerling", pupil=pupil)
    login(world.teacher)
    many = statements_for_home()
    login(world.coordinator)
    many_coordinator = statements_for_home()
    assert few == many
    assert few_coordinator == many_coordinator


# ---- melding and triage ------------------------------------------------------------------


def test_melding_repeated_goes_to_talk(client, world, login):
    """A melding with triage 'herhaald' is stored and leads to the talk with the pupil."""
    login(world.teacher)
    response = client.post("/meldingen/nieuw", data=melding_form(world.subject))
    case = db.session.scalar(select(Case))
    assert response.headers["Location"].endswith(f"/zaken/{case.id}/gesprek")
    assert sorted(case.form_codes) == ["digitaal", "verbaal"]
    assert case.teacher_id == world.teacher.id and not case.is_closed
    assert [e.kind for e in case.timeline] == ["melding", "triage"]


def test_melding_without_bullying_is_recorded_and_closed(client, world, login):
    """'Geen pesten' is recorded and closed with a note."""
    login(world.teacher)
    client.post(
        "/meldingen/nieuw",
        data=melding_form(world.subject, triage="geen_pesten", triage_note="Een ruzie."),
    )
    case = db.session.scalar(select(Case))
    assert case.is_closed and case.outcome == "anders_afgehandeld"
    assert case.group is None


def test_a_one_off_melding_stays_open_for_its_restoring_talk(client, world, login):
    """The one-off path is not closed at once: the restoring talk and the check follow."""
    login(world.teacher)
    response = client.post(
        "/meldingen/nieuw",
        data=melding_form(world.subject, triage="eenmalig", triage_note="Eén keer geduwd."),
    )
    case = db.session.scalar(select(Case))
    assert response.location.endswith(f"/zaken/{case.id}#eenmalig")
    assert not case.is_closed and case.step == "herstelgesprek" and case.group is None


BAD_MELDINGEN = [
    ({"pupil_id": ""}, "Kies de leerling"),
    ({"description": "   "}, "is verplicht"),
    ({"description": "x" * 2001}, "2000"),
    ({"forms": []}, "minstens één vorm"),
    ({"source": "tovenaar"}, "Wie meldt het?"),
    ({"triage": ""}, "Triage"),
    ({"triage": "eenmalig", "triage_note": ""}, "is verplicht"),
    ({"reported_on": "2999-01-01"}, "toekomst"),
    ({"reported_on": "gisteren"}, "datum"),
]


@pytest.mark.parametrize(("override", "message"), BAD_MELDINGEN)
def test_bad_melding_gets_message_and_changes_nothing(client, world, login, override, message):
    """Empty, unknown, too long or impossible input: 422, a Dutch message, no new row,
    and what was typed stays in the form."""
    login(world.teacher)
    data = melding_form(world.subject, **override)
    response = client.post("/meldingen/nieuw", data=data)
    page = text_of(response)
    assert response.status_code == 422
    assert message in page
    assert count(Case) == 0 and count(TimelineEntry) == 0
    if data["description"].strip() and len(data["description"]) < 100:
        assert data["description"] in page


def test_melding_for_pupil_of_another_school_is_refused(client, world, login):
    """A teacher cannot file a melding about a pupil of another school."""
    login(world.teacher)
    response = client.post("/meldingen/nieuw", data=melding_form(world.other_pupils[0]))
    assert response.status_code == 422 and count(Case) == 0


def test_double_submitted_melding_is_stored_once(client, world, login):
    """The same form posted twice (double tap) creates one case."""
    login(world.teacher)
    key = re.search(r'name="submission_key" value="([0-9a-f]+)"',
                    text_of(client.get("/meldingen/nieuw"))).group(1)
    data = melding_form(world.subject, submission_key=key)
    first = client.post("/meldingen/nieuw", data=data)
    second = client.post("/meldingen/nieuw", data=data)
    assert count(Case) == 1
    assert first.headers["Location"] == second.headers["Location"]


def test_an_empty_melding_gets_every_message_at_once_next_to_its_field(client, world, login):
    """One try tells everything: the pupil, the date, who reports it, the forms, the
    description and the triage, each by its field and with the screen's own words."""
    login(world.teacher)
    before = count(Case)
    response = client.post("/meldingen/nieuw", data={"reported_on": ""})
    page = text_of(response)
    assert response.status_code == 422
    for message in ("Kies de leerling", "Vul de datum", "bij &#39;Wie meldt het?&#39;",
                    "Kies minstens één vorm", "Korte beschrijving is verplicht",
                    "bij &#39;Triage: wat is de volgende stap?&#39;"):
        assert message in page, message
    assert "Bron" not in page
    html = response.get_data(as_text=True)
    for field in ("pupil_id", "reported_on", "source", "forms", "description", "triage"):
        assert f'id="{field}-error"' in html, field
    assert html.count('aria-invalid="true"') >= 4
    assert count(Case) == before


def test_the_melding_records_its_facts_and_they_stay_with_staff(client, world, login):
    """Where, how often, since when, do the parents know, what was done before: optional,
    checked, on the case page and the dossier report, never on the meeting screen."""
    login(world.teacher)
    form = melding_form(world.subject, fact_where="Op het plein, in de pauze",
                        fact_frequency="vaak", fact_since="Sinds de herfstvakantie",
                        fact_parents_know="ja", fact_earlier="Gesprek met de klas in oktober.")
    response = client.post("/meldingen/nieuw", data=form)
    assert response.status_code == 302
    case = db.session.scalar(select(Case))
    assert (case.fact_where, case.fact_frequency, case.fact_parents_know) == (
        "Op het plein, in de pauze", "vaak", "ja")
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "Vaak (elke week)" in page and "Sinds de herfstvakantie" in page
    assert "Gesprek met de klas in oktober." in text_of(client.get(f"/zaken/{case.id}/verslag"))


def test_bad_facts_are_refused_with_the_rest_and_nothing_is_stored(client, world, login):
    login(world.teacher)
    form = melding_form(world.subject, fact_frequency="altijd", fact_parents_know="misschien",
                        fact_where="x" * 201, description="")
    response = client.post("/meldingen/nieuw", data=form)
    page = text_of(response)
    assert response.status_code == 422
    assert "Hoe vaak?" in page and "Weten de ouders ervan?" in page and "200 tekens" in page
    assert "Korte beschrijving is verplicht" in page
    assert count(Case) == 0


def test_the_melding_holds_the_protocols_analysis(client, world, login):
    """Seed 000 "Controle van feiten", seed 004 §2.2 stap 2 and §1.2: when, what the pupil
    tried and wants, who helps, how serious, the group's part and the pupil's own word for
    it; optional, checked, shown to staff, in the pupil's own access copy, gone once
    anonymised. A bad choice is refused with everything typed kept."""
    login(world.teacher)
    analysis = dict(fact_when="Na de gym", fact_tried="Weggelopen; hielp niet.",
                    fact_wants="Dat het stopt en dat Lina weer naast haar zit.",
                    fact_helpers="Lina soms", fact_severity="ernstig",
                    fact_group="Een paar lachen mee, de rest kijkt weg.", fact_view="pesten")
    bad = client.post("/meldingen/nieuw", data=melding_form(
        world.subject, **analysis | {"fact_severity": "heel erg", "fact_view": "ruzie"}))
    assert bad.status_code == 422 and count(Case) == 0
    page = text_of(bad)
    assert "Hoe ernstig?" in page and "Hoe noemt de leerling het zelf?" in page
    assert "Een paar lachen mee, de rest kijkt weg." in bad.get_data(as_text=True)
    assert client.post("/meldingen/nieuw",
                       data=melding_form(world.subject, **analysis)).status_code == 302
    case = db.session.scalar(select(Case))
    assert (case.fact_severity, case.fact_view, case.fact_when) == ("ernstig", "pesten",
                                                                      "Na de gym")
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "Ernstig: de leerling voelt zich niet meer veilig" in page
    assert "Een paar lachen mee, de rest kijkt weg." in page and "Noemt het zelf" in page
    login(world.coordinator)
    copy = client.get(f"/leerlingen/{case.pupil_id}/inzage.json").get_json()
    facts = copy["aanpakken"][0]["feiten"]
    assert facts["noemt_het_zelf"] == "Pesten" and facts["zelf_geprobeerd"].startswith("Weg")
    assert "Lina" not in facts["wil_dat_er_gebeurt"] + facts["wie_helpt"]  # masked
    from steungroep.records.use_cases import anonymise_case
    with f.changing(case):
        anonymise_case(case, case.created_at)
    case = f.fresh(case)
    assert (case.fact_when, case.fact_tried, case.fact_wants, case.fact_helpers,
            case.fact_group) == ("", "", "", "", "")


def test_the_triage_can_change_after_the_talk_until_the_group_is_formed(client, world, login):
    case = f.case_at(world, "groep")
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "Triage aanpassen" in page
    refused = client.post(f"/zaken/{case.id}/triage", data={"triage": "herhaald"})
    assert refused.status_code == 422 and "Kies een andere beoordeling" in text_of(refused)
    assert "De reden is verplicht" in text_of(refused)
    changed = client.post(f"/zaken/{case.id}/triage", data={
        "triage": "eenmalig", "triage_note": "Het bleek één incident op het plein."})
    assert changed.status_code == 302
    db.session.expire_all()
    assert not case.is_closed and case.triage == "eenmalig" and case.step == "herstelgesprek"
    assert any("Triage gewijzigd van" in e.text for e in case.timeline)
    ended = client.post(f"/zaken/{case.id}/triage", data={
        "triage": "geen_pesten", "triage_note": "Het bleek één ruzie op het plein."})
    assert ended.status_code == 302
    db.session.expire_all()
    assert case.is_closed and case.outcome == "anders_afgehandeld"
    formed = f.case_at(world, "bijeenkomst", pupil=world.pupils[3])
    assert "Triage aanpassen" not in text_of(client.get(f"/zaken/{formed.id}"))
    late = client.post(f"/zaken/{formed.id}/triage", data={"triage": "eenmalig",
                                                          "triage_note": "x"})
    assert late.status_code == 422 and "ligt nu vast" in text_of(late)


# ---- the case page ------------------------------------------------------------------------


def test_informed_is_recorded_on_case(client, world, login):
    """Who was informed and when is stored and shown; a future date is refused."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    bad = client.post(f"/zaken/{case.id}/geinformeerd",
                      data={"party": "f:Directie", "informed_on": "2999-01-01"})
    assert bad.status_code == 422 and count(Informed) == 0
    client.post(f"/zaken/{case.id}/geinformeerd",
                data={"party": "f:Directie", "informed_on": school_today().isoformat()})
    assert "Directie" in text_of(client.get(f"/zaken/{case.id}"))


def test_case_page_timeline_shows_who_did_what(client, world, login):
    """The case page shows each step with the person who did it."""
    case = f.case_at(world, "evaluatie_leerling")
    login(world.coordinator)
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "Bijeenkomst ronde 1 gehouden" in page and "Juf Anne" in page


def test_the_case_page_prompts_who_to_inform_when_the_group_starts(client, world, login):
    """Once the pupil wants a group, the page lists the school's parties not yet informed,
    each a tap away; the school chooses the list; closed cases still take the record."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "informeer volgens het protocol van de school ook" in page
    assert "Directie, Intern begeleider, Schoolmaatschappelijk werk, Ouders/verzorgers" in page
    tapped = client.post(f"/zaken/{case.id}/geinformeerd",
                         data={"party": "ouders", "informed_on": school_today().isoformat()})
    assert tapped.status_code == 302
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "Ouders/verzorgers vandaag geïnformeerd" not in page
    assert "Directie vandaag geïnformeerd" in page and "Intern begeleider vandaag" in page
    login(world.coordinator)
    save_settings(client, world.school, party=["f:Directie", "ouders"])
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "Directie vandaag geïnformeerd" in page and "Intern begeleider vandaag" not in page
    closed = f.case_at(world, "besluit", pupil=world.pupils[4])
    with f.changing(closed):
        evaluations.decide(closed, world.teacher, "afsluiten", "")
    after = client.post(f"/zaken/{closed.id}/geinformeerd",
                        data={"party": "f:Intern begeleider",
                              "informed_on": school_today().isoformat()})
    assert after.status_code == 302
    db.session.expire_all()
    assert [(i.party, i.party_name) for i in closed.informed] == [("functie",
                                                                "Intern begeleider")]
