"""The case around the steungroep, through the pages: the one-off path with its check after two
weeks, the stappenplan after an escalation (closed by the coordinator), talks with a
follow-up that is reminded, and the pupils involved."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, school_today
from steungroep.evaluations import use_cases as evaluations
from steungroep.models import CasePupil, CaseTalk, Notice
from steungroep.planning import reminders
from steungroep.planning.use_cases import calendar_for

from .. import factories as f
from ..pages import count, visible_text
from ..planning.days import restored_two_weeks_ago
from ..sql import statements


def restore(client, case, world, **extra):
    data = {"talk_pupil": world.pupils[5].id, "held_on": school_today().isoformat(),
            "summary": "Excuses gemaakt; ze spreken af elkaar met rust te laten.",
            "agreements": "Samen naar de gym lopen."} | extra
    return client.post(f"/zaken/{case.id}/herstelgesprek", data=data)


def test_a_one_off_melding_stays_open_for_the_restoring_talk_and_the_check(
        client, world, login):
    case = f.new_case(world, triage="eenmalig", note="Eén keer geduwd bij de kapstok.")
    assert not case.is_closed and case.step == "herstelgesprek"
    login(world.teacher)
    page = client.get(f"/zaken/{case.id}")
    assert "Herstelgesprek vastleggen" in visible_text(page)

    response = restore(client, case, world)
    assert response.status_code == 302 and response.location.endswith("#eenmalig")
    case = f.fresh(case)
    talk = case.talks[0]
    expected = domain.add_school_days(school_today(), 10, calendar_for(case.school))
    assert (talk.kind, talk.follow_up_on, talk.pupil_id) == (
        "herstelgesprek", expected, world.pupils[5].id)
    assert (case.step, case.step_due_on) == ("controle", expected)
    # the other pupil is now recorded as involved, privately
    assert [(i.pupil_id, i.involvement) for i in case.involved] == [
        (world.pupils[5].id, "pestte")]
    assert "Controle na twee weken" in visible_text(client.get(f"/zaken/{case.id}"))

    again = restore(client, case, world)
    assert again.status_code == 422 and "al vastgelegd" in visible_text(again)

    # 'it stopped' on the day of the restoring talk: refused, the text kept, nothing closed
    early = client.post(f"/zaken/{case.id}/controle", data={
        "result": "gestopt", "held_on": school_today().isoformat(),
        "check_note": "Het is rustig; beiden zeggen dat het goed gaat."})
    assert early.status_code == 422 and "pas na twee weken" in visible_text(early)
    assert "beiden zeggen dat het goed gaat" in early.get_data(as_text=True)
    assert not f.fresh(case).is_closed and f.fresh(case).talks[-1].kind == "herstelgesprek"


def test_after_two_quiet_weeks_the_check_closes_the_case(client, world, login):
    case = f.new_case(world, triage="eenmalig", note="Eén keer geduwd bij de kapstok.")
    login(world.teacher)
    restore(client, case, world, held_on=restored_two_weeks_ago(case).isoformat())
    checked = client.post(f"/zaken/{case.id}/controle", data={
        "result": "gestopt", "held_on": school_today().isoformat(),
        "check_note": "Het is rustig; beiden zeggen dat het goed gaat."})
    assert checked.status_code == 302
    case = f.fresh(case)
    assert case.is_closed and case.outcome == "anders_afgehandeld"
    assert "gestopt na het herstelgesprek" in case.outcome_note
    assert case.talks[-1].kind == "controle"


def test_a_check_that_shows_it_did_not_stop_moves_the_case_to_the_steungroep(
        client, world, login):
    case = f.new_case(world, triage="eenmalig", note="Eén keer.")
    login(world.teacher)
    restore(client, case, world)
    response = client.post(f"/zaken/{case.id}/controle", data={
        "result": "steungroep", "held_on": school_today().isoformat(),
        "check_note": "Het gaat door op het plein."})
    assert response.status_code == 302 and response.location.endswith(f"/zaken/{case.id}/gesprek")
    case = f.fresh(case)
    assert (case.triage, case.step, case.is_closed) == ("herhaald", "gesprek", False)
    assert any(e.kind == "triage" and e.text.startswith("Triage gewijzigd van ‘Eenmalig")
               and "niet gestopt" in e.text for e in case.timeline)


def test_a_bad_check_is_refused_by_its_field_with_the_text_kept(client, world, login):
    case = f.new_case(world, triage="eenmalig", note="Eén keer.")
    login(world.teacher)
    early = client.post(f"/zaken/{case.id}/controle", data={"result": "gestopt"})
    assert early.status_code == 422 and "Eerst het herstelgesprek" in visible_text(early)
    restore(client, case, world)
    before = count(CaseTalk)
    refused = client.post(f"/zaken/{case.id}/controle", data={
        "held_on": (school_today() - timedelta(days=3)).isoformat(),
        "check_note": "MIJN-TEKST-BLIJFT"})
    body = visible_text(refused)
    assert refused.status_code == 422
    assert "Kies wat de controle liet zien." in body
    assert "De controle kan niet vóór het herstelgesprek zijn." in body
    assert "MIJN-TEKST-BLIJFT" in refused.get_data(as_text=True)
    assert count(CaseTalk) == before and not f.fresh(case).is_closed


def test_the_check_is_reminded_on_its_morning_once_and_leaves_when_held(
        client, world, login):
    case = f.new_case(world, triage="eenmalig", note="Eén keer.")
    login(world.teacher)
    restore(client, case, world)
    due = f.fresh(case).talks[0].follow_up_on
    before = datetime(due.year, due.month, due.day, 7, 59, tzinfo=SCHOOL_TZ)
    assert reminders.scan(before).reminded == 0
    at_eight = before + timedelta(minutes=1)
    assert reminders.scan(at_eight).reminded == 1
    assert reminders.scan(at_eight + timedelta(hours=1)).reminded == 0
    notice = db.session.scalars(select(Notice)).one()
    assert (notice.talk_id, notice.evaluation_id, notice.user_id, notice.due_on) == (
        f.fresh(case).talks[0].id, None, world.teacher.id, due)
    home = visible_text(client.get("/"))
    assert f"controle na twee weken over {case.pupil.first_name}" in home
    client.post(f"/zaken/{case.id}/controle", data={
        "result": "steungroep", "held_on": school_today().isoformat(),
        "check_note": "Het gaat door."})
    assert "controle na twee weken" not in visible_text(client.get("/"))


def test_a_talk_with_parents_has_a_follow_up_that_is_reminded_and_then_recorded(
        client, world, login):
    case = f.fresh(f.escalated_case(world))
    bully = case.group.members[0].pupil
    login(world.teacher)
    follow_up = school_today() + timedelta(days=14)
    response = client.post(f"/zaken/{case.id}/gesprekken", data={
        "party": "ouders", "talk_pupil": bully.id, "held_on": school_today().isoformat(),
        "summary": "Ouders begrijpen het en praten thuis met hun kind.",
        "agreements": "Over twee weken weer bellen.", "follow_up_on": follow_up.isoformat()})
    assert response.status_code == 302
    talk = f.fresh(case).talks[0]
    assert (talk.party, talk.pupil_id, talk.follow_up_on) == ("ouders", bully.id, follow_up)
    page = visible_text(client.get(f"/zaken/{case.id}"))
    assert f"de ouders van {bully.first_name}" in page and "Vervolg gepland op" in page

    morning = datetime(follow_up.year, follow_up.month, follow_up.day, 8, tzinfo=SCHOOL_TZ)
    assert reminders.scan(morning).reminded == 1
    assert f"vervolg van een gesprek over {case.pupil.first_name}" in visible_text(client.get("/"))

    second = client.post(f"/zaken/{case.id}/gesprekken", data={
        "party": "ouders", "talk_pupil": bully.id, "held_on": school_today().isoformat(),
        "summary": "Het gaat beter thuis.", "follows": talk.id})
    assert second.status_code == 302
    case = f.fresh(case)
    assert case.talks[0].followed_by_id == case.talks[1].id
    assert "vervolg van een gesprek" not in visible_text(client.get("/"))
    twice = client.post(f"/zaken/{case.id}/gesprekken", data={
        "party": "smw", "held_on": school_today().isoformat(), "summary": "x",
        "follows": talk.id})
    assert twice.status_code == 422 and "al vastgelegd" in visible_text(twice)


def test_talks_refuse_a_pupil_outside_the_case_and_are_allowed_after_closing(
        client, world, login):
    case = f.case_at(world, "besluit")
    login(world.teacher)
    stranger = client.post(f"/zaken/{case.id}/gesprekken", data={
        "party": "leerling", "talk_pupil": world.other_pupils[0].id,
        "held_on": school_today().isoformat(), "summary": "TEKST-BLIJFT"})
    assert stranger.status_code == 422
    assert "Kies de leerling (of wiens ouders) het gesprek was." in visible_text(stranger)
    assert "TEKST-BLIJFT" in stranger.get_data(as_text=True)
    with f.changing(case):
        evaluations.decide(case, world.teacher, "afsluiten", "")
    after = client.post(f"/zaken/{case.id}/gesprekken", data={
        "party": "smw", "held_on": school_today().isoformat(),
        "summary": "Nagesprek met de SMW."})
    assert after.status_code == 302
    assert f.fresh(case).talks[-1].summary == "Nagesprek met de SMW."
    assert count(CaseTalk) == 1


def test_a_follow_up_set_after_closing_is_reminded_like_any_other(client, world, login):
    """Seed 004 (PM-model): after closing, the mentor keeps checking; a follow-up planned
    then is reminded on its morning and shown on the home page until it is recorded."""
    case = f.case_at(world, "besluit")
    with f.changing(case):
        evaluations.decide(case, world.teacher, "afsluiten", "")
    login(world.teacher)
    follow_up = school_today() + timedelta(days=14)
    assert client.post(f"/zaken/{case.id}/gesprekken", data={
        "party": "leerling", "talk_pupil": case.pupil_id, "held_on": school_today().isoformat(),
        "summary": "Gaat goed; over twee weken even vragen.",
        "follow_up_on": follow_up.isoformat()}).status_code == 302
    assert f.fresh(case).is_closed
    morning = datetime(follow_up.year, follow_up.month, follow_up.day, 8, tzinfo=SCHOOL_TZ)
    assert reminders.scan(morning - timedelta(minutes=1)).reminded == 0
    assert reminders.scan(morning).reminded == 1
    assert reminders.scan(morning + timedelta(hours=1)).reminded == 0
    home = visible_text(client.get("/"))
    assert f"vervolg van een gesprek over {case.pupil.first_name}" in home
    talk = f.fresh(case).talks[-1]
    assert client.post(f"/zaken/{case.id}/gesprekken", data={
        "party": "leerling", "talk_pupil": case.pupil_id, "held_on": school_today().isoformat(),
        "summary": "Nog steeds rustig.", "follows": talk.id}).status_code == 302
    assert "vervolg van een gesprek" not in visible_text(client.get("/"))


def test_involved_pupils_are_recorded_privately_and_warn_when_seen_before(
        client, world, login):
    earlier = f.new_case(world, pupil=world.pupils[2])
    login(world.teacher)
    ok = client.post(f"/zaken/{earlier.id}/betrokken",
                     data={"involved_pupil": world.pupils[6].id, "involvement": "pestte"})
    assert ok.status_code == 302
    for data, message in (
            ({"involved_pupil": world.pupils[6].id, "involvement": "deed_mee"},
             "Deze leerling staat er al bij."),
            ({"involved_pupil": world.pupils[2].id, "involvement": "pestte"},
             "Om deze leerling gaat de melding al."),
            ({"involved_pupil": world.other_pupils[0].id, "involvement": "pestte"},
             "Kies een leerling van deze school."),
            ({"involved_pupil": world.pupils[7].id, "involvement": "dader"},
             "Kies hoe de leerling erbij betrokken was.")):
        refused = client.post(f"/zaken/{earlier.id}/betrokken", data=data)
        assert refused.status_code == 422 and message in visible_text(refused)
    assert count(CasePupil) == 1

    later = f.new_case(world, pupil=world.pupils[3])
    client.post(f"/zaken/{later.id}/betrokken",
                data={"involved_pupil": world.pupils[6].id, "involvement": "deed_mee"})
    page = visible_text(client.get(f"/zaken/{later.id}"))
    assert "Eerder betrokken: melding van" in page and "pestte" in page

    involved_id = f.fresh(later).involved[0].id
    client.post(f"/zaken/{later.id}/betrokken/weg", data={"involved_id": involved_id})
    assert f.fresh(later).involved == []
    assert count(CasePupil) == 1


def test_the_case_page_reads_a_fixed_number_of_statements_with_more_talks(
        client, world, login):
    case = f.fresh(f.escalated_case(world))
    login(world.teacher)

    def add_talks(n):
        for i in range(n):
            client.post(f"/zaken/{case.id}/gesprekken", data={
                "party": "smw", "held_on": school_today().isoformat(),
                "summary": f"Gesprek {i}."})
            client.post(f"/zaken/{case.id}/betrokken", data={
                "involved_pupil": world.pupils[8 + len(f.fresh(case).involved)].id,
                "involvement": "zag_het"})

    reader = f.make_user("Tweede SMW", "smw2@a.example", "coordinator", world.school)
    db.session.commit()
    add_talks(1)
    login(reader)
    few, _ = statements(client, f"/zaken/{case.id}")
    login(world.coordinator)  # talks by someone else than the teacher and the reader
    add_talks(3)
    login(reader)
    many, page = statements(client, f"/zaken/{case.id}")
    assert len(f.fresh(case).talks) == 4 and len(f.fresh(case).involved) == 4
    assert "Sanne SMW" in page.get_data(as_text=True)
    assert many == few


def test_a_talk_with_a_date_that_does_not_exist_is_refused(client, world, login):
    """A date that is not a date is refused in Dutch; nothing stored."""
    case = f.new_case(world)
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/gesprekken", data={
        "party": "smw", "held_on": "31-02-2027", "summary": "x"})
    assert response.status_code == 422
    assert count(CaseTalk) == 0


def test_the_calendar_feed_holds_the_check_and_open_follow_ups(client, world, login):
    from icalendar import Calendar

    case = f.new_case(world, triage="eenmalig", note="Eén keer.")
    login(world.teacher)
    restore(client, case, world)
    check_day = f.fresh(case).talks[0].follow_up_on
    client.post("/agenda/nieuw")
    url = re.search(r'value="(https?://[^"]+\.ics)"',
                    client.get("/agenda").get_data(as_text=True)).group(1)
    client.post("/uitloggen")
    feed = Calendar.from_ical(client.get("/" + url.split("://", 1)[1].split("/", 1)[1])
                              .get_data())
    events = {str(e["summary"]): e.decoded("dtstart") for e in feed.walk("VEVENT")}
    assert events == {f"Controle na twee weken: {case.pupil.first_name} (groep 6)": check_day}
