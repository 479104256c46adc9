"""The settings of a school in one form with one save (settings.save_settings): everything is
checked at once, nothing is kept while anything is refused, and what was typed stays on the
page; the studiedagen keep their own small forms."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.models import EVAL_PUPIL, AuditEntry, School

from .. import factories as f
from ..pages import visible_text
from .form import save_settings, settings_form, settings_url


def audited(school_id: int) -> list[str]:
    return sorted(db.session.scalars(
        select(AuditEntry.what).where(AuditEntry.school_id == school_id,
                                      AuditEntry.case_id.is_(None))))


def stored(school_id: int) -> School:
    db.session.expire_all()
    return db.session.get(School, school_id)


def test_one_form_with_one_save_button_holds_every_setting_of_the_school(client, world, login):
    """The page has one settings form per school and one 'Opslaan' in it; the studiedagen
    are their own forms beside it, and the guard script is on the page."""
    login(world.coordinator)
    page = client.get("/instellingen").get_data(as_text=True)
    forms = re.findall(r"<form\b[^>]*>.*?</form>", page, re.S)
    settings = [form for form in forms if f'action="{settings_url(world.school.id)}"' in form]
    assert len(settings) == 1
    form = settings[0]
    assert "data-unsaved-guard" in form and "data-refused" not in form
    assert form.count('type="submit"') == 1 and "Opslaan" in form
    for name in ("region", "kind", "language", "pupil_days", "group_days", "party",
                 "plan_steps", "retention_months", "dossier_roles", "group_again"):
        assert f'name="{name}"' in form, name
    assert "Studiedag toevoegen" not in form
    assert any("Studiedag toevoegen" in other for other in forms)
    assert sum("Opslaan" in other for other in forms) == 1
    assert "js/unsaved.js" in page and "Schoolkalender School A" in visible_text(client.get(
        "/instellingen"))


def test_saving_changes_every_setting_at_once(client, world, login):
    """One save stores all of it, with an audit row for each setting that changed."""
    login(world.coordinator)
    response = save_settings(
        client, world.school, region="noord", kind="vo", language="en", pupil_days="4",
        group_days="9", party=["f:Directie", "ouders"], plan_steps="Gesprek met ouders\nSMW",
        retention_months="24", dossier_roles=["0", "1"], group_again=["0", "1"])
    assert response.status_code == 302
    assert response.location.endswith(f"/instellingen?school={world.school.id}"
                                      f"#school-{world.school.id}")
    school = stored(world.school.id)
    assert (school.region, school.kind, school.language) == ("noord", "vo", "en")
    assert (school.pupil_eval_days, school.group_eval_days) == (4, 9)
    assert school.informed == "f:Directie\nouders"
    # the functions were the primary school's defaults: a new type brings its own
    assert school.functions.startswith("Mentor\nLeerlingcoördinator\n")
    assert school.plan_steps == "Gesprek met ouders\nSMW"
    assert (school.retention_months, school.dossier_roles) == (24, True)
    assert school.group_eval_again is True
    saved = visible_text(client.get(response.location))
    assert "De instellingen van School A zijn opgeslagen." in saved
    assert audited(world.school.id) == sorted([
        "planning.region", "planning.kind", "planning.language", "planning.intervals",
        "planning.inform", "planning.functions", "planning.plan_steps", "records.retention",
        "records.dossier_roles", "planning.group_again"])
    # unticking the box (only the hidden field comes) and no party at all are choices too
    assert save_settings(client, world.school, dossier_roles="0", party=[],
                         group_again="0").status_code == 302
    school = stored(world.school.id)
    assert school.dossier_roles is False and school.informed == ""
    assert school.group_eval_again is False


def test_bad_values_refuse_everything_and_keep_what_was_typed(client, world, login):
    """Intervals out of range and an empty stappenplan, beside good changes: 422, both
    messages each by its own field, every field as typed, nothing stored, nothing audited."""
    login(world.coordinator)
    before = settings_form(world.school)
    response = save_settings(client, world.school, kind="vo", pupil_days="12",
                             plan_steps="  \n ", retention_months="36", language="en")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    page = visible_text(response)
    assert "Nog niet alles is goed ingevuld" in page
    assert re.search(r'id="pupil_days-error"[^>]*>Het gesprek met de leerling komt na 3 tot 8 '
                     r'schooldagen', html)
    assert re.search(r'id="plan_steps-error"[^>]*>Zet minstens één stap', html)
    assert re.search(r'name="pupil_days"[^>]*value="12"[^>]*aria-invalid="true"', html)
    assert re.search(r'name="plan_steps"[^>]*aria-invalid="true"', html)
    assert 'value="36"' in html and '<option value="vo" selected>' in html
    assert re.search(r'<option value="en" lang="en" selected>', html)
    assert "data-refused" in html
    assert settings_form(world.school) == before
    assert audited(world.school.id) == []


def test_a_new_region_moves_what_falls_in_its_holidays(client, world, login):
    """A region whose school holiday covers a planned evaluation moves it to the next school
    day, and the flash says so (as the region's own form did)."""
    midden = domain.RegionCalendar("midden", {})
    noord = domain.RegionCalendar("noord", {})
    day = school_today() + timedelta(days=1)
    while not (midden.is_school_day(day) and not noord.is_school_day(day)):
        day += timedelta(days=1)
    case = f.case_at(world, "evaluatie_leerling")
    evaluation = case.group.current_cycle.evaluation(EVAL_PUPIL)
    evaluation.due_on = day
    db.session.commit()
    login(world.coordinator)
    response = save_settings(client, world.school, region="noord")
    assert response.status_code == 302
    page = visible_text(client.get(response.location))
    assert "1 geplande afspraak verschoven naar de eerstvolgende schooldag" in page
    db.session.expire_all()
    moved = db.session.get(type(evaluation), evaluation.id).due_on
    assert moved > day and noord.is_school_day(moved)
    assert audited(world.school.id) == ["planning.region"]


def test_another_schools_settings_and_teachers_are_not_found(client, world, login):
    """A school that is not theirs is 404 and unchanged; a teacher has no settings; the
    school's admin may save them."""
    login(world.coordinator)
    assert save_settings(client, world.other_school, kind="vo").status_code == 404
    assert client.post(settings_url(999999), data={"kind": "vo"}).status_code == 404
    assert stored(world.other_school.id).kind == "po"
    login(world.teacher)
    assert client.get("/instellingen").status_code == 404
    assert save_settings(client, world.school, kind="vo").status_code == 404
    assert stored(world.school.id).kind == "po"
    login(world.admin)
    assert save_settings(client, world.school, kind="vo").status_code == 302
    assert stored(world.school.id).kind == "vo"


def test_saving_twice_is_fine(client, world, login):
    """A double tap: the second save finds nothing to change, says so, and audits nothing."""
    login(world.coordinator)
    form = settings_form(world.school, kind="vo", retention_months="18")
    first = client.post(settings_url(world.school.id), data=form)
    second = client.post(settings_url(world.school.id), data=form)
    assert first.status_code == second.status_code == 302
    assert "Er was niets veranderd aan de instellingen van School A" in visible_text(
        client.get(second.location))
    assert (stored(world.school.id).kind, stored(world.school.id).retention_months) == ("vo", 18)
    # the new type brought its functions and who is informed; the second tap, which still
    # carried the old ones as shown, left them
    assert stored(world.school.id).functions.startswith("Mentor\n")
    assert stored(world.school.id).informed == (
        "f:Leerlingcoördinator\nf:Ondersteuningscoördinator\nouders")
    assert audited(world.school.id) == ["planning.functions", "planning.inform",
                                        "planning.kind", "records.retention"]


def test_a_refused_studiedag_shows_its_message_by_its_own_form(client, world, login):
    """A studiedag refused: its message and what was typed by the studiedag form; the
    settings form shows what is stored and is not marked as refused."""
    login(world.coordinator)
    response = client.post(f"{settings_url(world.school.id)}/studiedagen",
                           data={"day": "2026-02-30", "description": "Teamdag"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="Teamdag"' in html and "data-refused" not in html
    settings_part, calendar_part = html.split("Schoolkalender School A", 1)
    assert 'role="alert"' in calendar_part and 'role="alert"' not in settings_part
