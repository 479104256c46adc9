"""Children's data over time: retention and purge, the copy for an access request with
every other pupil masked, erasure, corrections to closed cases, and the audit trail pages."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.evaluations import use_cases as evaluations
from steungroep.models import (
    AuditEntry,
    Case,
    Cycle,
    Evaluation,
    GroupMember,
    OutboxMessage,
    Pupil,
    TimelineEntry,
)
from steungroep.records import use_cases as records

from .. import factories as f
from ..pages import count, visible_text
from ..settings.form import save_settings

ROLE_LABELS = ["Aanvoerder", "Meeloper", "Omstander", "Helper"]


def closed_case(world, closed_at: datetime, **kwargs) -> Case:
    case = f.case_at(world, "besluit", **kwargs)
    evaluations.decide(case, world.teacher, "afsluiten", "")
    case.closed_at = closed_at
    db.session.commit()
    return case


# ---- retention -----------------------------------------------------------------------------


def test_purge_anonymises_after_the_retention_period(app, world, client, login, runner):
    """Closed 1 Oct 2025, kept 12 months: on 30 Sep 2026 nothing happens, on 2 Oct 2026 the
    dry run lists it and changes nothing, then the purge removes the personal data and keeps
    dates, counts and outcomes."""
    case = closed_case(world, datetime(2025, 10, 1, 12, tzinfo=UTC))
    token = case.group.members[0].card_token
    before = (count(GroupMember), count(Cycle), count(Evaluation))
    assert records.purge(datetime(2026, 9, 30, tzinfo=UTC), dry_run=True) == []
    listed = records.purge(datetime(2026, 10, 2, tzinfo=UTC), dry_run=True)
    assert [(i.case_id, i.closed_on.isoformat(), i.due_on.isoformat()) for i in listed] == [
        (case.id, "2025-10-01", "2026-10-01")
    ]
    db.session.expire_all()
    assert db.session.get(Case, case.id).purged_at is None

    assert [i.case_id for i in records.purge(datetime(2026, 10, 2, tzinfo=UTC))] == [case.id]
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.purged_at is not None and case.pupil_id is None
    assert (case.description, case.talk.letter, case.talk.confidential, case.talk.notes) == (
        "", "", "", ""
    )
    assert all(m.pupil_id is None for m in case.group.members)
    assert all(a.text == "" for c in case.group.cycles for a in c.actions)
    assert {e.text for e in case.timeline} == {
        "(geanonimiseerd)", "Persoonsgegevens verwijderd na de bewaartermijn."
    }
    # What the statistics need stays.
    assert (count(GroupMember), count(Cycle), count(Evaluation)) == before
    assert case.outcome == "opgelost" and case.reported_on and case.closed_at
    assert case.group.cycles[0].evaluation("leerling").wellbeing == 3
    # Nothing of it can be opened any more.
    login(world.teacher)
    gone = client.get(f"/zaken/{case.id}")
    assert gone.status_code == 410 and "geanonimiseerd" in visible_text(gone)
    assert client.get(f"/k/{token}").status_code == 410
    # A second run finds nothing left to do.
    assert records.purge(datetime(2026, 10, 3, tzinfo=UTC)) == []


def test_retention_is_per_school_and_the_cli_dry_run_lists(app, world, runner):
    closed_case(world, datetime(2024, 1, 15, tzinfo=UTC))
    world.school.retention_months = 120
    db.session.commit()
    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0 and "0 aanpak(ken) zou(den)" in result.output
    world.school.retention_months = 6
    db.session.commit()
    result = runner.invoke(args=["purge", "--dry-run"])
    assert "afgesloten 15-01-2024, bewaren tot 15-07-2024" in result.output
    assert db.session.scalar(select(Case.purged_at)) is None
    result = runner.invoke(args=["purge"])
    assert "1 aanpak(ken) geanonimiseerd" in result.output


def test_purge_removes_exactly_that_cases_outbox_mail(app, world):
    """Anonymising a case removes its queued e-mails and no other case's, even when another
    key contains the same digits ('due-57-2027-03-11-4' holds '-11-')."""
    gone = closed_case(world, datetime(2025, 1, 6, tzinfo=UTC))
    stays = f.case_at(world, "evaluatie_leerling", pupil=world.pupils[1])
    own_eval = gone.group.cycles[0].evaluations[0].id
    other_eval = stays.group.cycles[0].evaluations[0].id
    db.session.add_all([
        OutboxMessage(dedupe_key=f"due-{own_eval}-2025-01-13-1", case_id=gone.id,
                      to_address="anne@a.example", subject="s", body="b"),
        OutboxMessage(dedupe_key=f"due-{other_eval}-2027-{own_eval}-{own_eval}-1",
                      case_id=stays.id, to_address="anne@a.example", subject="s", body="b"),
    ])
    db.session.commit()
    assert [item.case_id for item in records.purge(datetime(2026, 12, 1, tzinfo=UTC))] \
        == [gone.id]
    left = db.session.scalars(select(OutboxMessage.case_id)).all()
    assert left == [stays.id]


def test_open_cases_are_never_purged(app, world):
    f.case_at(world, "evaluatie_leerling")
    assert records.purge(datetime(2040, 1, 1, tzinfo=UTC)) == []


def test_retention_setting_is_checked(client, world, login):
    login(world.coordinator)
    bad = save_settings(client, world.school, retention_months="0")
    assert bad.status_code == 422 and "van 1 tot 120 maanden" in visible_text(bad)
    save_settings(client, world.school, retention_months="24")
    db.session.refresh(world.school)
    assert world.school.retention_months == 24


def test_add_months_keeps_the_end_of_the_month():
    assert records.add_months(datetime(2026, 1, 31, tzinfo=UTC), 1).day == 28
    assert records.add_months(datetime(2027, 11, 30, tzinfo=UTC), 3) == datetime(
        2028, 2, 29, tzinfo=UTC
    )


# ---- the copy for an access request --------------------------------------------------------


def test_copy_for_a_member_masks_every_other_pupil(client, world, login):
    case = f.case_at(world, "besluit")
    case.description = "Sven en Yara lachen Bas uit; Noor B. begint ermee."
    db.session.commit()
    noor = next(m for m in case.group.members if m.pupil.first_name == "Noor")
    own_action = next(a.text for a in case.group.cycles[0].actions if a.member_id == noor.id)
    others = [p.first_name for p in world.pupils if p.first_name != "Noor"]
    other_actions = [a.text for a in case.group.cycles[0].actions if a.member_id != noor.id]
    login(world.coordinator)
    page = visible_text(client.get(f"/leerlingen/{noor.pupil_id}/inzage"))
    data = json.loads(client.get(f"/leerlingen/{noor.pupil_id}/inzage.json").get_data())
    body = json.dumps(data, ensure_ascii=False)
    for output in (page, body):
        assert "Noor" in output and own_action in output
        assert "Aanvoerder" in output  # her own role label
        for name in others:
            assert not re.search(rf"\b{name}\b", output), name
        for label in ("Meeloper", "Omstander", "Helper"):
            assert label not in output
        for action in other_actions:
            assert action not in output
    entry = data["aanpakken"][0]
    assert entry["rol_van_deze_leerling"] == "lid van de steungroep"
    assert entry["leerling_om_wie_het_gaat"] == "leerling A"
    assert len(entry["steungroep"]) == 6 and "melding" not in entry
    exports = db.session.scalars(
        select(AuditEntry.what).where(AuditEntry.action == "export").order_by(AuditEntry.id)
    ).all()
    assert exports == ["records.access_copy", "records.access_copy_json"]


def test_copy_for_the_pupil_concerned(client, world, login):
    case = f.case_at(world, "besluit")
    case.description = "Noor en Sven lachen Bas uit."
    db.session.commit()
    login(world.coordinator)
    data = json.loads(client.get(f"/leerlingen/{case.pupil_id}/inzage.json").get_data())
    entry = data["aanpakken"][0]
    assert entry["rol_van_deze_leerling"] == "leerling om wie het gaat"
    assert entry["melding"] == "leerling A en leerling B lachen Bas uit."
    assert entry["gesprek"]["brief_aan_de_groep"] == case.talk.letter
    assert "vertrouwelijk" not in entry["gesprek"]
    assert entry["rondes"][0]["evaluatie_met_de_leerling"]["welbevinden"] == 3
    assert "eigen_rol_in_de_groep" not in entry
    body = json.dumps(data, ensure_ascii=False)
    for name in ("Noor", "Sven", "Yara", "Thijs"):
        assert name not in body
    with_secret = client.get(f"/leerlingen/{case.pupil_id}/inzage.json?vertrouwelijk=1")
    assert "GEHEIM-thuissituatie" in with_secret.get_data(as_text=True)


def test_only_the_schools_coordinator_makes_a_copy(client, world, login):
    case = f.case_at(world, "gesprek")
    for user in (world.teacher, world.admin, world.other_coordinator):
        login(user)
        assert client.get(f"/leerlingen/{case.pupil_id}/inzage").status_code == 404


# ---- erasure ---------------------------------------------------------------------------------


def test_admin_erases_a_pupil_after_confirming(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    bas = case.pupil_id
    members_before = count(GroupMember)
    login(world.admin)
    page = visible_text(client.get(f"/leerlingen/{bas}/wissen"))
    assert "1 aanpak(ken)" in page and "1 daarvan loopt nog" in page
    wrong = client.post(f"/leerlingen/{bas}/wissen", data={"confirm": "Noor"})
    assert wrong.status_code == 422 and "Typ de voornaam" in visible_text(wrong)
    assert db.session.get(Pupil, bas) is not None
    done = client.post(f"/leerlingen/{bas}/wissen", data={"confirm": "bas"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Pupil, bas) is None
    case = db.session.get(Case, case.id)
    assert case.pupil_id is None and case.is_closed and case.purged_at is not None
    assert count(GroupMember) == members_before  # counts stay
    erased = db.session.scalars(select(AuditEntry).where(AuditEntry.what == "records.erase"))
    assert [e.pupil_id for e in erased] == [bas]


def test_erasing_a_member_of_a_running_group_is_refused_without_naming_it(client, world, login):
    """A pupil in a group that still runs cannot be erased (the group would have a member
    nobody can name): the confirmation page says so and sends the admin to the coordinator,
    without naming the pupil the group is for, its case or its teacher (an admin reads no
    case); a POST anyway is refused with that message, nothing changes, and the group's
    pages keep working."""
    case = f.case_at(world, "besluit")
    noor = next(m for m in case.group.members if m.pupil.first_name == "Noor")
    login(world.admin)
    page = client.get(f"/leerlingen/{noor.pupil_id}/wissen").get_data(as_text=True)
    assert "zit in een steungroep die nog loopt" in page and "vraag de coördinator" in page
    for secret in (f"#{case.id}", case.pupil.first_name, world.teacher.name,
                   f"/zaken/{case.id}"):
        assert secret not in page, secret
    assert 'name="confirm"' not in page  # no form to submit
    response = client.post(f"/leerlingen/{noor.pupil_id}/wissen", data={"confirm": "Noor"})
    assert response.status_code == 422
    assert "Wissen kan zodra die aanpak is afgesloten" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(GroupMember, noor.id).pupil_id is not None
    login(world.teacher)
    for url in (f"/zaken/{case.id}", f"/zaken/{case.id}/groep",
                f"/zaken/{case.id}/uitnodigingen", f"/zaken/{case.id}/besluit"):
        assert client.get(url).status_code == 200, url


def test_erasing_a_member_of_a_closed_group_keeps_the_group_whole(client, world, login):
    case = f.case_at(world, "besluit")
    with f.changing(case):
        evaluations.decide(case, world.teacher, "afsluiten", "")
    noor = next(m for m in case.group.members if m.pupil.first_name == "Noor")
    login(world.admin)
    response = client.post(f"/leerlingen/{noor.pupil_id}/wissen", data={"confirm": "Noor"})
    assert response.status_code == 302
    db.session.expire_all()
    member = db.session.get(GroupMember, noor.id)
    assert member.pupil_id is None
    assert all(a.text == "" for a in db.session.get(Case, case.id).group.cycles[0].actions
               if a.member_id == noor.id)
    login(world.teacher)
    for url in (f"/zaken/{case.id}", f"/zaken/{case.id}/verslag"):
        assert client.get(url).status_code == 200, url


# ---- corrections and the audit trail pages -----------------------------------------------------


def test_coordinator_corrects_a_closed_case_with_a_new_entry(client, world, login):
    case = closed_case(world, datetime(2026, 11, 2, tzinfo=UTC))
    target = case.timeline[0]
    before = [(e.id, e.text) for e in case.timeline]
    login(world.coordinator)
    response = client.post(f"/zaken/{case.id}/correctie",
                           data={"entry_id": str(target.id), "text": "Melding kwam van de mentor."})
    assert response.status_code == 302
    db.session.expire_all()
    entries = db.session.get(Case, case.id).timeline
    assert [(e.id, e.text) for e in entries[:-1]] == before  # nothing rewritten
    last = entries[-1]
    assert last.kind == "correctie" and last.user_id == world.coordinator.id
    assert last.text.startswith(f"Correctie op ‘{target.text[:40]}")
    assert last.text.endswith(": Melding kwam van de mentor.")
    login(world.teacher)
    assert client.post(f"/zaken/{case.id}/correctie",
                       data={"entry_id": str(target.id), "text": "x"}).status_code == 404


def test_no_corrections_on_an_open_case(client, world, login):
    case = f.case_at(world, "gesprek")
    login(world.coordinator)
    response = client.post(f"/zaken/{case.id}/correctie", follow_redirects=True,
                           data={"entry_id": str(case.timeline[0].id), "text": "x"})
    assert "Alleen een afgesloten aanpak" in visible_text(response)
    assert count(TimelineEntry) == len(case.timeline)


def test_audit_trail_pages_show_who_read_what(client, world, login):
    case = f.case_at(world, "groep")
    login(world.teacher)
    client.get(f"/zaken/{case.id}")
    login(world.coordinator)
    case_log = visible_text(client.get(f"/zaken/{case.id}/logboek"))
    assert "Juf Anne" in case_log and "aanpak bekeken" in case_log
    pupil_log = visible_text(client.get(f"/leerlingen/{case.pupil_id}/logboek"))
    assert "Juf Anne" in pupil_log and f"#{case.id}" in pupil_log
    login(world.admin)
    assert client.get(f"/zaken/{case.id}/logboek").status_code == 200
    login(world.other_coordinator)
    assert client.get(f"/zaken/{case.id}/logboek").status_code == 404


def test_the_meldings_facts_are_in_the_copy_masked_and_go_with_the_purge(
        app, world, client, login):
    case = closed_case(world, datetime(2025, 10, 1, 12, tzinfo=UTC))
    case.fact_where, case.fact_since = "Bij de fietsenstalling met Noor", "Sinds september"
    case.fact_frequency, case.fact_parents_know = "dagelijks", "nee"
    case.fact_earlier = "Sven is er eerder op aangesproken."
    db.session.commit()
    login(world.coordinator)
    entry = json.loads(client.get(f"/leerlingen/{case.pupil_id}/inzage.json").get_data())[
        "aanpakken"][0]
    assert entry["feiten"] == {
        "waar": "Bij de fietsenstalling met leerling A", "hoe_vaak": "(Bijna) elke dag",
        "sinds": "Sinds september", "ouders_weten_ervan": "Nee",
        "eerder_gedaan": "leerling B is er eerder op aangesproken.",
        # the analysis, not filled in here (test_pages holds a filled one)
        "wanneer": "", "ernst": "", "zelf_geprobeerd": "", "wil_dat_er_gebeurt": "",
        "wie_helpt": "", "rol_van_de_groep": "", "noemt_het_zelf": "",
    }
    records.purge(datetime(2026, 10, 2, tzinfo=UTC))
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert (case.fact_where, case.fact_since, case.fact_earlier) == ("", "", "")
    assert (case.fact_frequency, case.fact_parents_know) == ("dagelijks", "nee")


def test_the_copy_holds_the_triage_note_the_reasons_and_where_the_pupil_is_named(
        client, world, login):
    """The pupil concerned sees the triage note and the escalation reason; a classmate only
    named in another pupil's melding gets those passages (others masked) instead of an
    empty copy."""
    subject, named = world.pupils[0], world.pupils[9]
    case = f.case_at(world, "besluit")
    case.triage_note = f"Eerst overlegd met {world.pupils[1].first_name}."
    case.description = f"{named.first_name} zag het gebeuren bij de fietsen."
    db.session.commit()
    with f.changing(case):
        evaluations.decide(case, world.teacher, "escaleren", "Het houdt niet op.")
    f.close_plan(world, case, "Het stappenplan is doorlopen.")
    login(world.coordinator)
    own = json.loads(client.get(f"/leerlingen/{subject.id}/inzage.json").get_data())
    entry = own["aanpakken"][0]
    assert re.fullmatch(r"Eerst overlegd met leerling [A-Z]\.", entry["toelichting_triage"])
    assert entry["reden_afsluiting"] == "Het stappenplan is doorlopen."
    assert [s["stap"] for s in entry["stappenplan"]][0].startswith("Plan van aanpak")
    assert entry["rondes"][0]["reden_besluit"] == "Het houdt niet op."
    other = json.loads(client.get(f"/leerlingen/{named.id}/inzage.json").get_data())
    assert other["aanpakken"] == []
    assert other["genoemd_in"] == [{
        "melding_op": case.reported_on.isoformat(), "waar": "beschrijving van de melding",
        "tekst": f"{named.first_name} zag het gebeuren bij de fietsen."}]
    page = client.get(f"/leerlingen/{named.id}/inzage").get_data(as_text=True)
    assert "Genoemd in meldingen over een andere leerling" in page
    assert "niets vastgelegd" not in page


def test_the_mask_tells_two_pupils_of_one_name_apart_by_their_initial():
    from steungroep.records.access_copy import Masker

    me = Pupil(id=1, first_name="Bas")
    noor_b, noor_k, sem = (Pupil(id=2, first_name="Noor", surname_initial="B"),
                           Pupil(id=3, first_name="Noor", surname_initial="K"),
                           Pupil(id=4, first_name="Sem"))
    bas_too = Pupil(id=5, first_name="bas", surname_initial="T")
    masker = Masker(me, [me, noor_b, noor_k, sem, bas_too])
    assert masker.text("Noor K. en Noor B lachen Bas uit; sem kijkt.") == (
        "leerling A. en leerling B lachen Bas uit; leerling C kijkt.")
    assert masker.text("Noor zegt het tegen Noor K") == "leerling B zegt het tegen leerling A"
    assert masker.text("Semra en Noortje") == "Semra en Noortje"  # whole names only
    assert masker.text("") == ""
