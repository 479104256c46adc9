"""Talks, pupils involved and the stappenplan in the pupil's records: the retention purge,
erasing a pupil and the copy for an access request."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select

from steungroep.contacts import use_cases as contacts
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.models import Case, CasePupil, CaseTalk, PlanStep
from steungroep.records import use_cases as records

from .. import factories as f
from ..pages import count


def busy_case(world):
    """An escalated case with an involved pupil, a talk with that pupil's parents, a talk
    with the SMW and a step done."""
    case = f.escalate(world, f.case_at(world, "besluit"))
    bully = world.pupils[10]
    with f.changing(case):
        contacts.add_involved(case, world.teacher, bully.id, "pestte")
    with f.changing(case):
        contacts.record_talk(case, world.teacher, contacts.TalkInput(
            party="ouders", pupil_id=bully.id, party_name="", held_on=school_today(),
            summary="OUDERS-VAN-DE-ANDER besproken.", agreements="Thuis praten."))
    with f.changing(case):
        contacts.record_talk(case, world.teacher, contacts.TalkInput(
            party="smw", pupil_id=None, party_name="Mevrouw de Vries", held_on=school_today(),
            summary=f"Overleg over {case.pupil.first_name}.", agreements=""))
    step = case.plan_steps[0]
    with f.changing(case):
        from steungroep.stappenplan import use_cases as plan
        plan.record_step(case, world.teacher, step.id, school_today(), "Juf Anne",
                         "NOTITIE-STAP gedeeld.")
    return case, bully


def test_the_purge_empties_talks_steps_and_involvement(app, world):
    case, _bully = busy_case(world)
    f.close_plan(world, case)
    db.session.get(Case, case.id).closed_at = datetime(2025, 1, 1, tzinfo=UTC)
    db.session.commit()
    assert [i.case_id for i in records.purge(datetime(2026, 6, 1, tzinfo=UTC))] == [case.id]
    db.session.expire_all()
    talks = db.session.scalars(select(CaseTalk)).all()
    assert len(talks) == 2 and all(
        (t.pupil_id, t.party_name, t.summary, t.agreements) == (None, "", "", "")
        for t in talks)
    assert count(CasePupil) == 0
    steps = db.session.scalars(select(PlanStep).where(PlanStep.done_on.is_not(None))).all()
    assert [(s.done_by, s.note) for s in steps] == [("", "")]


def test_erasing_an_involved_pupil_removes_them_and_what_was_said_about_them(
        client, world, login):
    case, bully = busy_case(world)
    login(world.admin)
    done = client.post(f"/leerlingen/{bully.id}/wissen", data={"confirm": bully.first_name})
    assert done.status_code == 302
    db.session.expire_all()
    assert count(CasePupil) == 0
    parents = db.session.scalars(select(CaseTalk).where(CaseTalk.party == "ouders")).one()
    assert (parents.pupil_id, parents.summary) == (None, "")
    smw = db.session.scalars(select(CaseTalk).where(CaseTalk.party == "smw")).one()
    assert smw.summary.startswith("Overleg over")
    assert any(e.text.startswith("Gegevens van een betrokken leerling gewist")
               for e in db.session.get(Case, case.id).timeline)


def test_the_access_copy_gives_each_pupil_their_own_talks_and_involvement(
        client, world, login):
    case, bully = busy_case(world)
    login(world.coordinator)
    theirs = json.loads(client.get(f"/leerlingen/{bully.id}/inzage.json").get_data())
    entry = next(a for a in theirs["aanpakken"] if a["melding_op"] == case.reported_on
                 .isoformat() and a.get("betrokkenheid"))
    assert entry["rol_van_deze_leerling"] == "betrokken leerling"
    assert entry["betrokkenheid"] == "Pestte"
    assert [(t["met"], t["verslag"]) for t in entry["gesprekken"]] == [
        ("de ouders/verzorgers", "OUDERS-VAN-DE-ANDER besproken.")]
    assert "stappenplan" not in entry

    own = json.loads(client.get(f"/leerlingen/{case.pupil_id}/inzage.json").get_data())
    mine = own["aanpakken"][0]
    assert [t["met"] for t in mine["gesprekken"]] == ["schoolmaatschappelijk werk"]
    assert "OUDERS-VAN-DE-ANDER" not in json.dumps(own)
    assert mine["stappenplan"][0]["notitie"] == "NOTITIE-STAP gedeeld."
    page = client.get(f"/leerlingen/{bully.id}/inzage").get_data(as_text=True)
    assert "Betrokken als: Pestte" in page


def test_no_pupil_facing_screen_shows_an_involvement_or_a_talk(client, world, login):
    """The card of a group member says nothing of who was involved or what was discussed."""
    case = f.case_at(world, "evaluatie_leerling")
    with f.changing(case):
        contacts.add_involved(case, world.teacher, world.pupils[10].id, "pestte")
    with f.changing(case):
        contacts.record_talk(case, world.teacher, contacts.TalkInput(
            party="ouders", pupil_id=world.pupils[10].id, party_name="",
            held_on=school_today(), summary="GEHEIM-GESPREK", agreements=""))
    for member in case.group.members:
        card = client.get(f"/k/{member.card_token}").get_data(as_text=True)
        assert "GEHEIM-GESPREK" not in card and "Pestte" not in card
        assert world.pupils[10].first_name not in card or member.pupil_id == world.pupils[10].id


def test_the_dossier_report_holds_the_plan_the_talks_and_who_was_involved(
        client, world, login):
    case, bully = busy_case(world)
    login(world.teacher)
    page = client.get(f"/zaken/{case.id}/verslag").get_data(as_text=True)
    assert "Stappenplan (plan van aanpak)" in page and "NOTITIE-STAP gedeeld." in page
    assert "OUDERS-VAN-DE-ANDER besproken." in page and f"de ouders van {bully.first_name}" in page
    assert "Pestte" in page


def test_the_one_off_path_puts_a_note_in_the_record_of_both_pupils(client, world, login):
    """Seed 001 §6.1 stap 2(2): 'In het leerlingdossier (van beide leerlingen) wordt een
    aantekening gemaakt.'"""
    case = f.new_case(world, triage="eenmalig", note="Eén keer.")
    other = world.pupils[5]
    with f.changing(case):
        contacts.record_restore_talk(case, world.teacher, contacts.TalkInput(
            party="leerling", pupil_id=other.id, party_name="", held_on=school_today(),
            summary="Excuses gemaakt.", agreements=""))
    login(world.teacher)
    page = client.get(f"/zaken/{case.id}/notities.csv").get_data(as_text=True)
    rows = [line.split(";") for line in page.strip().splitlines()[1:]]
    assert [(r[1], r[3]) for r in rows] == [(case.pupil.display_name, "Incidenten > pesten"),
                                            (other.display_name, "Incidenten > pesten")]
    assert "herstelgesprek op" in rows[0][4] and "herstelgesprek op" in rows[1][4]
    assert "Betrokkenheid" not in rows[1][4]  # the school did not choose roles in notes
    assert case.pupil.first_name not in rows[1][4]  # the other pupil is not named
