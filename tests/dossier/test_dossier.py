"""The case for the school's dossier: the notes per pupil (split as the school protocol
does, each about its own pupil only), the printable report, the CSV, access and audit."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from sqlalchemy import select

from steungroep.cases import use_cases as cases
from steungroep.core.extensions import db
from steungroep.domain import dossier
from steungroep.evaluations import use_cases as evaluations
from steungroep.models import AuditEntry

from .. import factories as f
from ..pages import visible_text
from ..settings.form import save_settings

CASE = dossier.CaseFacts(
    pupil="Daan V.", external_id="4711", class_name="groep 6b", reported_on=date(2026, 9, 14),
    source="Ouder/verzorger", talk_on=date(2026, 9, 15), consent=True,
    group_on=date(2026, 9, 16),
    rounds=(dossier.RoundFacts(1, date(2026, 9, 18), date(2026, 9, 25), 2, "Een beetje",
                               date(2026, 10, 2), "Nieuwe ronde"),
            dossier.RoundFacts(2, date(2026, 10, 5), date(2026, 10, 12), 4, "Ja")),
    closed_on=date(2026, 10, 20), outcome="Afgesloten: het gaat beter",
    informed=(("Ouders/verzorgers", date(2026, 9, 16)),),
    first_names=("Daan", "Sem", "Noor", "Eva"), with_roles=True,
)
MEMBERS = [
    dossier.MemberFacts("Sem", "Sem", "5001", "helper", "Helper / vriend", (1, 2),
                        ((1, "Ik vraag Daan mee te voetballen"), (2, "Ik ga naast hem zitten!")),
                        ((1, "Gedaan"),)),
    dossier.MemberFacts("Noor", "Noor", "5002", "aanvoerder", "Aanvoerder", (1, 2),
                        ((1, "Ik zeg gedag."),), ((1, "Deels"),)),
    dossier.MemberFacts("Eva", "Eva", None, "meeloper", "Meeloper", (2,),
                        ((2, "Ik help Noor en SEM V. met Eva's plan."),)),
]


def test_the_notes_follow_the_school_protocol():
    notes = dossier.notes(CASE, MEMBERS, date(2026, 10, 21))
    assert [(n.pupil, n.category) for n in notes] == [
        ("Daan V.", "Incidenten > pesten"),
        ("Eva", "Incidenten > pesten"),
        ("Noor", "Incidenten > pesten"),
        ("Sem", "Dagboek"),
    ]
    subject = notes[0].text
    assert subject == (
        "Melding van pesten op 14 september 2026 (gemeld door: ouder/verzorger). "
        "Gesprek met Daan V. op 15 september 2026; Daan V. wilde een steungroep. "
        "Steungroepaanpak (No Blame) gestart op 16 september 2026. "
        "2 rondes; bijeenkomsten op 18 september 2026, 5 oktober 2026. "
        "Evaluatie met Daan V. (ronde 1) op 25 september 2026, welbevinden 2 van 5, "
        "gaat het beter: een beetje. "
        "Evaluatie met Daan V. (ronde 2) op 12 oktober 2026, welbevinden 4 van 5, "
        "gaat het beter: ja. "
        "Geïnformeerd: ouders/verzorgers (16 september 2026). "
        "Afgesloten op 20 oktober 2026: het gaat beter."
    )
    sem = notes[3].text
    assert sem == (
        "Sem nam deel aan een steungroep (No Blame) voor een klasgenoot uit groep 6b, "
        "gestart op 16 september 2026; rondes 1, 2. "
        "Eigen actie (ronde 1): ‘Ik vraag een klasgenoot mee te voetballen.’ "
        "Eigen actie (ronde 2): ‘Ik ga naast hem zitten!’ "
        "Bij de evaluatie met de groep (ronde 1): gedaan. "
        "Afgesloten op 20 oktober 2026: het gaat beter."
    )
    assert "Rol in de groep: aanvoerder." in notes[2].text
    assert "Rol" not in sem  # a helper's diary note carries no role
    assert all(n.on == date(2026, 10, 20) for n in notes)


def test_each_member_note_names_only_its_own_pupil():
    """Not even the member's own action names anyone else: 'Ik ga Hanna vragen …' in one
    child's file would tell that child's parents about another child."""
    notes = dossier.notes(CASE, MEMBERS, date(2026, 10, 21))
    names = {"Daan", "Sem", "Noor", "Eva"}
    for note in notes[1:]:
        others = names - {note.pupil}
        assert not any(re.search(rf"\b{name}\b", note.text, re.I) for name in others), \
            note.text
    eva = next(n for n in notes if n.pupil == "Eva")
    assert "‘Ik help een klasgenoot en een klasgenoot met Eva's plan.’" in eva.text


def test_the_school_chooses_whether_a_role_goes_into_the_note():
    without = dossier.CaseFacts(**{**CASE.__dict__, "with_roles": False})
    notes = dossier.notes(without, MEMBERS, date(2026, 10, 21))
    assert not any("Rol in de groep" in n.text for n in notes)
    assert not any(re.search(r"aanvoerder|meeloper", n.text, re.I) for n in notes)
    # the protocol's place in the record stays: the bullying side under Incidenten
    assert [n.category for n in notes] == [dossier.INCIDENT] * 3 + [dossier.DIARY]


def test_mask_names_leaves_words_that_only_contain_a_name():
    assert dossier.mask_names("Ik ga met Evalien en Eva spelen", ("Eva",), "Sem") == (
        "Ik ga met Evalien en een klasgenoot spelen")
    assert dossier.mask_names("Sem en Noor", ("Sem", "Noor"), "sem") == "Sem en een klasgenoot"


def test_an_open_case_says_it_is_still_running():
    open_case = dossier.CaseFacts(**{**CASE.__dict__, "closed_on": None, "outcome": None})
    notes = dossier.notes(open_case, MEMBERS[:1], date(2026, 10, 21))
    assert notes[0].text.endswith("De aanpak loopt nog.") and notes[0].on == date(2026, 10, 21)


def test_a_melding_judged_no_bullying_is_not_filed_as_bullying():
    """Seed 002 §4: what the school pastes without editing. 'Geen pesten' goes into the
    diary, says so, and gives the reason it was handled otherwise; the other child's note
    does not speak of bullying at all."""
    case = dossier.CaseFacts(**{**CASE.__dict__, "triage": "geen_pesten", "talk_on": None,
                                "consent": None, "group_on": None, "rounds": (),
                                "outcome": "Anders afgehandeld",
                                "outcome_note": "Ruzie over een bal; opgelost met Noor."})
    involved = dossier.InvolvedFacts("Noor", "Noor", None, "pestte", "Pestte")
    subject, other = dossier.notes(case, [], date(2026, 10, 21), [involved])
    assert subject.category == dossier.DIARY and other.category == dossier.DIARY
    assert "pest" not in other.text.lower() and "Melding van pesten" not in subject.text
    assert subject.text.startswith("Melding op 14 september 2026 (gemeld door: ouder/")
    assert "Beoordeling: geen pesten; anders afgehandeld." in subject.text
    assert subject.text.endswith("Reden: Ruzie over een bal; opgelost met een klasgenoot.")


def test_notes_name_no_child_outside_the_case_and_carry_the_agreements():
    """'Samen met Lotte' in an action or an agreement names a child who is not in the
    case: every first name of the school is masked, the pupil's own name stays."""
    case = dossier.CaseFacts(**{**CASE.__dict__, "school_names": ("Lotte", "Daan"),
                                "agreements": "Daan en Lotte lopen samen naar de gym",
                                "outcome_note": "Rustig sinds de afspraak met Lotte"})
    members = [dossier.MemberFacts("Sem", "Sem", None, "helper", "Helper / vriend", (1,),
                                   ((1, "Ik speel samen met Lotte en Daan"),))]
    subject, sem = dossier.notes(case, members, date(2026, 10, 21))
    assert "Afspraken: Daan en een klasgenoot lopen samen naar de gym." in subject.text
    assert subject.text.endswith("Reden: Rustig sinds de afspraak met een klasgenoot.")
    assert "‘Ik speel samen met een klasgenoot en een klasgenoot.’" in sem.text
    assert "Lotte" not in subject.text + sem.text


def test_notes_carry_the_agreements_of_the_talks_and_the_pupils_own_consequences():
    """Seed 000 ("de coach noteert de gemaakte afspraken") and seed 004 §2.2 stap 5: what
    was agreed with a pupil or their parents goes into that pupil's note, other children
    masked; a pupil who bullied has their own consequences there, nobody else's."""
    case = dossier.CaseFacts(**{
        **CASE.__dict__, "school_names": ("Lotte", "Daan", "Sem"),
        "talk_agreements": (("gesprek met de ouders", date(2026, 9, 20),
                             "Daan fietst met Lotte naar huis"),)})
    bully = dossier.InvolvedFacts(
        "Bram K.", "Bram", None, "pestte", "Pestte",
        consequences=("schorsing (2 schooldagen) op 01-10-2026",),
        talk_agreements=(("gesprek met de leerling", date(2026, 9, 21),
                          "Bram laat Daan met rust"),))
    sem = dossier.MemberFacts("Sem", "Sem", None, "aanvoerder", "Aanvoerder", (1,), ())
    subject, sem_note, bram = dossier.notes(case, [sem], date(2026, 10, 21), [bully])
    assert ("Afspraken (gesprek met de ouders, 20 september 2026): Daan fietst met een "
            "klasgenoot naar huis.") in subject.text
    assert ("Afspraken (gesprek met de leerling, 21 september 2026): Bram laat een "
            "klasgenoot met rust.") in bram.text
    assert "Maatregelen: schorsing (2 schooldagen) op 01-10-2026." in bram.text
    assert "Maatregelen" not in subject.text + sem_note.text
    assert "Lotte" not in subject.text and "Daan" not in bram.text
    # a member of the group with a consequence of their own (after the plan began)
    member = dossier.notes(case, [sem], date(2026, 10, 21), [dossier.InvolvedFacts(
        "Sem", "Sem", None, "pestte", "Pestte", consequences=("time-out op 02-10-2026",))])
    assert "Maatregelen: time-out op 02-10-2026." in member[1].text
    assert member[1].category == dossier.INCIDENT and len(member) == 2


# ---- the pages -------------------------------------------------------------------------------


def closed_case(world):
    world.pupils[0].external_id = "L-100"
    world.pupils[1].external_id = "L-101"
    db.session.commit()
    case = f.case_at(world, "besluit")
    cases.record_informed(case, world.teacher, "ouders", case.reported_on, "Gebeld")
    evaluations.decide(case, world.teacher, "afsluiten", "")
    db.session.commit()
    return case


def test_report_shows_everything_for_the_dossier(client, world, login):
    case = closed_case(world)
    login(world.teacher)
    page = visible_text(client.get(f"/zaken/{case.id}/verslag"))
    assert "Vertrouwelijk — alleen voor het dossier van de school" in page
    assert "Aanvoerder" in page and "Meeloper" in page  # staff only: roles may show
    assert "Ouders/verzorgers" in page and "Gebeld" in page
    assert "Evaluatie met de groep" in page and "Besluit: Afsluiten: het gaat beter" in page
    assert "Afgesloten na ronde 1: het gaat beter." in page  # the timeline
    assert "Gemaakt op" in page and "door Juf Anne" in page
    case_page = client.get(f"/zaken/{case.id}").get_data(as_text=True)
    assert f'href="/zaken/{case.id}/verslag"' in case_page


def test_notes_page_and_csv(client, world, login):
    case = closed_case(world)
    login(world.coordinator)
    page = client.get(f"/zaken/{case.id}/notities").get_data(as_text=True)
    assert page.count("data-copy=") == 1 + len(case.group.members)
    assert "Incidenten &gt; pesten" in page and "Dagboek" in page
    response = client.get(f"/zaken/{case.id}/notities.csv")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    assert rows[0] == ["leerlingnummer", "leerling", "datum", "categorie", "tekst"]
    assert rows[1][:2] == ["L-100", world.pupils[0].first_name]
    assert rows[1][3] == "Incidenten > pesten"
    assert len(rows) == 2 + len(case.group.members)
    categories = {row[1]: row[3] for row in rows[1:]}
    for member in case.group.members:
        expected = "Incidenten > pesten" if member.role in ("aanvoerder", "meeloper") else "Dagboek"
        assert categories[member.pupil.first_name] == expected
    actions = [entry.action for entry in db.session.scalars(
        select(AuditEntry).where(AuditEntry.case_id == case.id,
                                 AuditEntry.what.in_(["dossier.notes", "dossier.notes_csv"])))]
    assert actions == ["export", "export"]


def test_csv_cells_that_excel_would_run_are_neutralised(client, world, login):
    """A pupil number or name that starts like a formula (= + - @) is written so that a
    spreadsheet shows it as text; pupil data downloads are never cached."""
    case = closed_case(world)
    world.pupils[0].external_id = "=HYPERLINK(1)"
    world.pupils[1].first_name = "@Noor"
    db.session.commit()
    login(world.coordinator)
    response = client.get(f"/zaken/{case.id}/notities.csv")
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert "'=HYPERLINK(1)" in body and "'@Noor" in body
    assert ";=HYPERLINK" not in body and ";@Noor" not in body and not body.startswith("=")
    stats = client.get("/statistieken/kerncijfers.csv")
    assert stats.status_code == 200 and stats.headers["Cache-Control"] == "no-store"


def test_only_those_responsible_get_the_dossier(client, world, login):
    case = closed_case(world)
    for user in (world.colleague, world.admin, world.other_coordinator):
        login(user)
        for path in ("verslag", "notities", "notities.csv"):
            assert client.get(f"/zaken/{case.id}/{path}").status_code == 404


def test_the_notes_pages_keep_other_pupils_out_of_each_note(client, world, login, app):
    """A member's action that names another member and the pupil concerned: the page and
    the CSV write 'een klasgenoot' in that child's note; the role only when the school
    chose it under Instellingen."""
    case = closed_case(world)
    members = case.group.members
    first, other = members[0], members[1]
    action = next(a for a in case.group.cycles[0].actions if a.member_id == first.id)
    action.text = f"Ik ga {other.pupil.first_name} en {case.pupil.first_name} helpen."
    db.session.commit()
    login(world.coordinator)
    rows = list(csv.reader(io.StringIO(client.get(f"/zaken/{case.id}/notities.csv")
                                       .get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    own = next(r for r in rows if r[1] == first.pupil.display_name)
    assert "‘Ik ga een klasgenoot en een klasgenoot helpen.’" in own[4]
    assert not any(re.search(r"\b(aanvoerder|meeloper)\b", r[4], re.I) for r in rows[1:])

    settings = save_settings(client, world.school, dossier_roles=["0", "1"])
    assert settings.status_code == 302
    rows = list(csv.reader(io.StringIO(client.get(f"/zaken/{case.id}/notities.csv")
                                       .get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert any("Rol in de groep: aanvoerder." in r[4] for r in rows[1:])
    save_settings(client, world.school, dossier_roles="0")
    db.session.expire_all()
    assert world.school.dossier_roles is False
