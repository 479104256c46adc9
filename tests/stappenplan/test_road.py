"""A road straight into the stappenplan (seed 001, the text after the compact table, and
§6.2; seed 000; seed 004 §2.2): chosen at the melding or later instead of a steungroep, with
the reason on the timeline; offered on the group page for a pupil who had a steungroep
before; and each school says which road its protocol takes first."""

from __future__ import annotations

from sqlalchemy import select

from steungroep import domain
from steungroep.admin import people
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.evaluations import use_cases as evaluations
from steungroep.models import AuditEntry, Case, School
from steungroep.web.writes import UnitOfWork

from .. import factories as f
from ..pages import visible_text
from ..settings.form import save_settings, settings_form, settings_url


def _latest(world) -> Case | None:
    return db.session.scalar(select(Case).where(Case.school_id == world.school.id)
                             .order_by(Case.id.desc()).limit(1))


def _melding(pupil, triage: str, note: str) -> dict:
    return {"pupil_id": str(pupil.id), "reported_on": school_today().isoformat(),
            "source": "ouder", "forms": "verbaal", "description": "Wordt uitgelachen.",
            "triage": triage, "triage_note": note}


def test_the_melding_can_go_straight_to_the_schools_stappenplan(client, world, login):
    login(world.teacher)
    response = client.post("/meldingen/nieuw", data=_melding(
        world.subject, "stappenplan", "Had in maart een steungroep; het begon opnieuw."))
    assert response.status_code == 302
    case = f.fresh(_latest(world))
    # on to the plan on the case page, not to the talk of the steungroepaanpak
    assert response.location.endswith(f"/zaken/{case.id}#stappenplan")
    landed = visible_text(client.get(response.location))
    assert "Volgende stap: het stappenplan van de school." in landed
    assert (case.triage, case.is_closed, case.step) == ("stappenplan", False, "stappenplan")
    assert case.escalated_at is not None and case.group is None
    assert [s.title for s in case.plan_steps] == list(domain.plan.DEFAULT_PLAN_STEPS)
    assert any(e.kind == "stappenplan" and "Had in maart een steungroep" in e.text
               for e in case.timeline)
    page = visible_text(client.get(f"/zaken/{case.id}"))
    assert "Herhaald pesten: meteen het stappenplan van de school" in page
    assert f"Stappenplan: {domain.plan.DEFAULT_PLAN_STEPS[0]}" in page
    assert "Triage aanpassen" not in page  # the plan has started: the road is fixed


def test_the_stappenplan_road_needs_a_reason_and_keeps_what_was_typed(client, world, login):
    login(world.teacher)
    refused = client.post("/meldingen/nieuw", data=_melding(world.subject, "stappenplan", ""))
    assert refused.status_code == 422
    assert "Wordt uitgelachen." in refused.get_data(as_text=True)
    assert _latest(world) is None


def test_the_triage_can_change_to_the_stappenplan_until_the_group_is_formed(
        client, world, login):
    case = f.case_at(world, "groep")
    login(world.teacher)
    empty = client.post(f"/zaken/{case.id}/triage", data={"triage": "stappenplan",
                                                          "triage_note": "  "})
    assert empty.status_code == 422 and not f.fresh(case).plan_steps
    typed = client.post(f"/zaken/{case.id}/triage", data={"triage": "stappenplan",
                                                          "triage_note": "\x00"})
    assert typed.status_code == 422
    response = client.post(f"/zaken/{case.id}/triage", data={
        "triage": "stappenplan", "triage_note": "Het gesprek liet zien: dit speelt al lang."})
    assert response.status_code == 302
    case = f.fresh(case)
    assert (case.triage, case.step, len(case.plan_steps)) == ("stappenplan", "stappenplan", 7)
    page = visible_text(client.get(response.location))
    assert "De triage is gewijzigd: verder met het stappenplan van de school." in page
    # again (a double tap, an old tab): refused, and the plan is not copied twice
    again = client.post(f"/zaken/{case.id}/triage", data={
        "triage": "herhaald", "triage_note": "Toch een steungroep."})
    assert again.status_code == 422
    assert "volgt al het stappenplan" in visible_text(again)
    assert len(f.fresh(case).plan_steps) == 7


def test_a_plan_started_after_a_no_fixes_the_triage_too(client, world, login):
    case = f.new_case(world)
    login(world.teacher)
    client.post(f"/zaken/{case.id}/gesprek", data={
        "held_on": school_today().isoformat(), "consent": "nee", "no_consent": "stappenplan",
        "no_consent_reason": "De leerling wil geen groep."})
    assert f.fresh(case).step == "stappenplan"
    assert "Triage aanpassen" not in visible_text(client.get(f"/zaken/{case.id}"))
    refused = client.post(f"/zaken/{case.id}/triage", data={
        "triage": "stappenplan", "triage_note": "Nog eens."})
    assert refused.status_code == 422 and len(f.fresh(case).plan_steps) == 7


def test_the_group_page_offers_the_stappenplan_to_a_pupil_with_an_earlier_group(
        client, world, login):
    earlier = f.case_at(world, "besluit")
    with f.changing(earlier):
        evaluations.decide(earlier, world.teacher, "afsluiten", "")
    case = f.case_at(world, "groep")
    login(world.teacher)
    page = client.get(f"/zaken/{case.id}/groep").get_data(as_text=True)
    assert "had al eerder een steungroep" in page
    assert "Meteen verder met het stappenplan" in page
    response = client.post(f"/zaken/{case.id}/triage", data={
        "triage": "stappenplan", "triage_note": "Had dit schooljaar al een steungroep."})
    assert response.status_code == 302
    assert f.fresh(case).step == "stappenplan"
    assert "Meteen verder met het stappenplan" not in client.get(
        f"/zaken/{case.id}/groep").get_data(as_text=True)


def test_a_school_says_which_road_its_protocol_takes_first(client, world, login):
    login(world.teacher)
    first = visible_text(client.get("/meldingen/nieuw"))
    assert first.index("steungroepaanpak") < first.index("meteen het stappenplan")
    login(world.coordinator)
    bad = save_settings(client, world.school, first_road="beide")
    assert bad.status_code == 422 and db.session.get(School, world.school.id).first_road == (
        "steungroep")
    assert save_settings(client, world.school, first_road="stappenplan").status_code == 302
    assert db.session.get(School, world.school.id).first_road == "stappenplan"
    assert db.session.scalar(select(AuditEntry.what).where(
        AuditEntry.what == "cases.first_road")) == "cases.first_road"
    login(world.teacher)
    first = visible_text(client.get("/meldingen/nieuw"))
    assert first.index("meteen het stappenplan") < first.index("steungroepaanpak")
    # a form from before this setting existed leaves it as it is
    login(world.coordinator)
    old = settings_form(world.school)
    del old["first_road"]
    assert client.post(settings_url(world.school.id), data=old).status_code == 302
    assert db.session.get(School, world.school.id).first_road == "stappenplan"


def test_a_new_mbo_school_starts_with_its_stappenplan(world):
    with UnitOfWork():
        mbo = people.create_school(world.school.board, "ROC Midden", "mbo", "midden")
        po = people.create_school(world.school.board, "De Linde", "po", "midden")
    assert (mbo.first_road, po.first_road) == ("stappenplan", "steungroep")
    assert domain.triage_choices({"stappenplan", "steungroep"}) == list(domain.TRIAGE)
