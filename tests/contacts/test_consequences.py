"""The pupil who bullied, on the school's stappenplan (domain.consequences): a guide for the
talk with that pupil, consequences recorded as such (staff only like a role, in that pupil's
own access copy only), counted without names, and a case found by that pupil in the
archive."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.domain import DomainError
from steungroep.domain import consequences as rules
from steungroep.domain import statistics as st
from steungroep.models import Consequence
from steungroep.statistics import queries

from .. import factories as f
from ..pages import count, visible_text

TODAY = date(2026, 12, 3)


def test_the_ladder_of_the_protocols_is_checked():
    assert rules.check_consequence("schorsing", 2, TODAY, "", TODAY, "pestte", True) == (
        "schorsing", 2, TODAY, "")
    # days only mean something for a suspension
    assert rules.check_consequence("time_out", 3, TODAY, "", TODAY, "deed_mee", True)[1] is None
    with pytest.raises(DomainError, match="niemand gestraft"):
        rules.check_consequence("schorsing", 1, TODAY, "", TODAY, "pestte", False)
    with pytest.raises(DomainError, match="pestte of meedeed"):
        rules.check_consequence("time_out", None, TODAY, "", TODAY, "zag_het", True)
    with pytest.raises(DomainError) as refused:
        rules.check_consequence("schorsing", 6, TODAY + timedelta(days=1), "", TODAY,
                                "pestte", True)
    assert {e.field for e in refused.value.all} == {"days", "decided_on"}
    with pytest.raises(DomainError, match="Toelichting is verplicht"):
        rules.check_consequence("anders", None, TODAY, " ", TODAY, "pestte", True)
    with pytest.raises(DomainError, match="Kies welke maatregel"):
        rules.check_consequence("strafwerk", None, TODAY, "", TODAY, "pestte", True)
    assert rules.consequence_label("schorsing", 1, translated=False) == "Schorsing (1 schooldag)"
    assert rules.consequence_label("schorsing", 3, translated=False) == \
        "Schorsing (3 schooldagen)"


def _plan_with_bully(client, world):
    """A case on the stappenplan with a pupil who bullied and one who saw it, neither in the
    group (a member could not be erased while the case runs)."""
    case = f.fresh(f.escalated_case(world))
    members = {m.pupil_id for m in case.group.members} | {case.pupil_id}
    bully, witness = [p for p in world.pupils if p.id not in members][:2]
    assert client.post(f"/zaken/{case.id}/betrokken", data={
        "involved_pupil": bully.id, "involvement": "pestte"}).status_code == 302
    assert client.post(f"/zaken/{case.id}/betrokken", data={
        "involved_pupil": witness.id, "involvement": "zag_het"}).status_code == 302
    return f.fresh(case), bully


def test_a_suspension_is_recorded_for_the_pupil_who_bullied(client, world, login):
    login(world.teacher)
    case, bully = _plan_with_bully(client, world)
    page = visible_text(client.get(f"/zaken/{case.id}"))
    assert f"Leidraad: gesprek met {bully.first_name}" in page
    assert "Confronteren met het gedrag en de gevolgen." in page
    assert page.count("Maatregel vastleggen") == 1  # not for the pupil who saw it
    involved = next(i for i in case.involved if i.pupil_id == bully.id)

    form = {"involved_id": involved.id, "consequence": "schorsing", "days": "2",
            "decided_on": school_today().isoformat(), "consequence_note": "Na herhaling."}
    assert client.post(f"/zaken/{case.id}/maatregelen", data=form).status_code == 302
    assert client.post(f"/zaken/{case.id}/maatregelen", data=form).status_code == 302
    stored = db.session.scalars(select(Consequence)).one()  # a double tap stores once
    assert (stored.pupil_id, stored.kind, stored.days) == (bully.id, "schorsing", 2)
    page = visible_text(client.get(f"/zaken/{case.id}"))
    assert "Schorsing (2 schooldagen)" in page and "Na herhaling." in page
    assert f"Maatregel voor {bully.first_name}: Schorsing (2 schooldagen)" in \
        f.fresh(case).timeline[-1].text

    bad = client.post(f"/zaken/{case.id}/maatregelen", data=form | {
        "days": "9", "consequence_note": "Getypt en bewaard."})
    assert bad.status_code == 422
    assert "Een schorsing duurt één tot vijf schooldagen." in visible_text(bad)
    assert "Getypt en bewaard." in bad.get_data(as_text=True)
    witness = next(i for i in case.involved if i.pupil_id != bully.id)
    refused = client.post(f"/zaken/{case.id}/maatregelen", data=form | {
        "involved_id": witness.id})
    assert refused.status_code == 422
    assert "Een maatregel hoort bij een leerling die pestte of meedeed." in visible_text(refused)
    foreign = client.post(f"/zaken/{case.id}/maatregelen", data=form | {"involved_id": 99999})
    assert foreign.status_code == 422
    assert "Kies een betrokken leerling van deze aanpak." in visible_text(foreign)
    assert count(Consequence) == 1

    removed = client.post(f"/zaken/{case.id}/maatregelen/weg",
                          data={"consequence_id": stored.id})
    assert removed.status_code == 302 and count(Consequence) == 0
    again = client.post(f"/zaken/{case.id}/maatregelen/weg",
                        data={"consequence_id": stored.id})
    assert again.status_code == 422 and "staat niet (meer)" in visible_text(again)


def test_in_the_steungroepaanpak_nobody_is_punished(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    login(world.teacher)
    client.post(f"/zaken/{case.id}/betrokken",
                data={"involved_pupil": world.pupils[7].id, "involvement": "pestte"})
    case = f.fresh(case)
    page = visible_text(client.get(f"/zaken/{case.id}"))
    assert "Maatregel vastleggen" not in page and "Leidraad: gesprek met" not in page
    refused = client.post(f"/zaken/{case.id}/maatregelen", data={
        "involved_id": case.involved[0].id, "consequence": "time_out",
        "decided_on": school_today().isoformat()})
    assert refused.status_code == 422
    assert "in de steungroepaanpak wordt niemand gestraft" in visible_text(refused)
    assert count(Consequence) == 0


def test_only_that_pupil_reads_it_and_the_figures_count_it_without_a_name(
        client, world, login):
    login(world.teacher)
    case, bully = _plan_with_bully(client, world)
    involved = next(i for i in case.involved if i.pupil_id == bully.id)
    for kind, days in (("time_out", ""), ("schorsing", "1")):
        client.post(f"/zaken/{case.id}/maatregelen", data={
            "involved_id": involved.id, "consequence": kind, "days": days,
            "decided_on": school_today().isoformat(), "consequence_note": "NOTITIE-MAATREGEL"})
    login(world.coordinator)
    theirs = json.loads(client.get(f"/leerlingen/{bully.id}/inzage.json").get_data())
    entry = next(a for a in theirs["aanpakken"] if a.get("maatregelen"))
    assert [m["maatregel"] for m in entry["maatregelen"]] == [
        "Time-out (uit de les of de pauze)", "Schorsing (1 schooldag)"]
    page = visible_text(client.get(f"/leerlingen/{bully.id}/inzage"))
    assert "Schorsing (1 schooldag)" in page
    witness = next(i.pupil_id for i in case.involved if i.pupil_id != bully.id)
    for other in (case.pupil_id, witness):
        copy = client.get(f"/leerlingen/{other}/inzage.json").get_data(as_text=True)
        assert "maatregelen" not in copy and "NOTITIE-MAATREGEL" not in copy
    notes = visible_text(client.get(f"/zaken/{case.id}/notities"))
    assert "Maatregelen: time-out (uit de les of de pauze) op" in notes

    # the figures: counted by kind, whoever it was; still counted once the pupil is erased
    period = st.school_year(school_today())
    report = queries.report({world.school.id}, period, school_today())
    assert {c.code: c.value for c in report.by_consequence} == {
        "time_out": 1, "gesprek_ouders": 0, "schorsing": 1, "verwijdering": 0, "anders": 0}
    login(world.admin)
    assert client.post(f"/leerlingen/{bully.id}/wissen",
                       data={"confirm": bully.first_name}).status_code == 302
    db.session.expire_all()
    assert [(c.pupil_id, c.note) for c in db.session.scalars(select(Consequence))] == [
        (None, ""), (None, "")]
    assert queries.report({world.school.id}, period, school_today()).consequences == 2


def test_removing_an_involved_pupil_takes_their_consequences_along(client, world, login):
    login(world.teacher)
    case, bully = _plan_with_bully(client, world)
    involved = next(i for i in case.involved if i.pupil_id == bully.id)
    client.post(f"/zaken/{case.id}/maatregelen", data={
        "involved_id": involved.id, "consequence": "gesprek_ouders",
        "decided_on": school_today().isoformat()})
    assert count(Consequence) == 1
    client.post(f"/zaken/{case.id}/betrokken/weg", data={"involved_id": involved.id})
    assert count(Consequence) == 0
    assert "De maatregelen voor deze leerling zijn weggehaald." in \
        f.fresh(case).timeline[-1].text


def test_plan_outcomes_are_counted_and_the_archive_finds_the_pupil_who_bullied(
        client, world, login):
    login(world.teacher)
    case, bully = _plan_with_bully(client, world)
    login(world.coordinator)
    closed = client.post(f"/zaken/{case.id}/stappenplan/afsluiten", data={
        "close_reason": "Afspraken nagekomen.", "plan_outcome": "plan_gestopt"})
    assert closed.status_code == 302
    period = st.school_year(school_today())
    report = queries.report({world.school.id}, period, school_today())
    assert report.plans_closed == 1
    assert {c.code: c.value for c in report.by_plan_outcome}["plan_gestopt"] == 1
    page = visible_text(client.get("/statistieken"))
    assert "Hoe de stappenplannen eindigden" in page
    csv = client.get("/statistieken/stappenplan.csv").get_data(as_text=True)
    assert "Stappenplan afgerond: het pesten is gestopt;1" in csv

    found = visible_text(client.get(f"/archief?q={bully.first_name[:3]}"))
    assert f"betrokken: {bully.first_name}" in found
    assert f.fresh(case).pupil.display_name in found
    nobody = visible_text(client.get("/archief?q=zzqq"))
    assert f"betrokken: {bully.first_name}" not in nobody
