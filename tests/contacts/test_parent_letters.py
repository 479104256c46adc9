"""A letter for the parents of one pupil of a case: composed with that pupil's agreements
(other children masked), edited, refused when it names another child or a role, kept once as
a contact and on the timeline with its text, printed; in that pupil's access copy; erased with
them."""

from __future__ import annotations

import re

from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today, utcnow
from steungroep.models import CaseTalk, Pupil, TimelineEntry
from steungroep.records import use_cases as records
from steungroep.web.writes import UnitOfWork

from .. import factories as f
from ..pages import count, visible_text

ROLES = re.compile(r"aanvoerder|meeloper|omstander|dader|slachtoffer", re.I)


def _with_agreement(client, case, pupil, other):
    client.post(f"/zaken/{case.id}/gesprekken", data={
        "party": "ouders", "talk_pupil": pupil.id, "held_on": school_today().isoformat(),
        "summary": "NOTITIE-alleen-personeel", "agreements":
        f"{pupil.first_name} vertelt het thuis als {other.first_name} weer iets zegt."})


def _letter_page(client, case, pupil, moment="evaluatie"):
    return client.get(f"/zaken/{case.id}/brief-ouders?leerling={pupil.id}&moment={moment}"
                      "&contactpersoon=Juf+Anne")


def _text(page) -> str:
    return re.search(r'<textarea name="text"[^>]*>([^<]*)</textarea>',
                     page.get_data(as_text=True), re.S).group(1)


def test_a_letter_is_composed_kept_once_and_printed_without_other_children(client, world,
                                                                          login):
    case = f.case_at(world, "besluit")
    subject, other = case.pupil, case.group.members[0].pupil
    login(world.teacher)
    _with_agreement(client, case, subject, other)
    page = _letter_page(client, case, subject)
    text = _text(page).replace("&#39;", "'")
    assert f"Beste ouder(s)/verzorger(s) van {subject.first_name}," in text
    assert f"{subject.first_name} vertelt het thuis als een klasgenoot weer iets zegt." in text
    assert other.first_name not in text and "NOTITIE" not in text and not ROLES.search(text)
    assert "Uw contactpersoon op school is Juf Anne." in text
    form = {"pupil_id": subject.id, "moment": "evaluatie", "contact": "Juf Anne",
            "submission_key": "brief-" + "a" * 20}
    named = client.post(f"/zaken/{case.id}/brief-ouders",
                        data={**form, "text": text + f"\nGroetjes aan {other.first_name}."})
    assert named.status_code == 422 and f"de naam {other.first_name}" in visible_text(named)
    assert f"Groetjes aan {other.first_name}." in named.get_data(as_text=True)  # kept
    role = client.post(f"/zaken/{case.id}/brief-ouders",
                       data={**form, "text": text + "\nDe aanvoerder krijgt een gesprek."})
    assert role.status_code == 422 and "geen rol of label" in visible_text(role)
    assert count(CaseTalk, CaseTalk.kind == "brief") == 0
    given = client.post(f"/zaken/{case.id}/brief-ouders", data={**form, "text": text})
    again = client.post(f"/zaken/{case.id}/brief-ouders", data={**form, "text": text})
    assert given.status_code == again.status_code == 302 and given.location == again.location
    assert count(CaseTalk, CaseTalk.kind == "brief") == 1
    letter = db.session.scalar(select(CaseTalk).where(CaseTalk.kind == "brief"))
    assert (letter.party, letter.pupil_id) == ("ouders", subject.id)
    entry = db.session.scalar(select(TimelineEntry).where(TimelineEntry.kind == "brief_ouders"))
    assert entry.text == f"Brief aan ouders:\n{letter.summary}"
    printed = visible_text(client.get(given.location))
    assert f"van {subject.first_name}," in printed and "Afdrukken" in printed
    names = {m.pupil.first_name for m in case.group.members}
    assert not [n for n in names if re.search(rf"\b{n}\b", printed)]
    assert "NOTITIE" not in printed and not ROLES.search(printed)
    case_page = visible_text(client.get(f"/zaken/{case.id}"))
    assert f"aan de ouders van {subject.first_name}" in case_page


def test_a_letter_is_for_a_pupil_of_the_case_and_a_moment(client, world, login):
    case = f.case_at(world, "besluit")
    login(world.teacher)
    stranger = world.pupils[-1]
    assert _letter_page(client, case, stranger).status_code == 422
    assert "Kies de leerling" in visible_text(_letter_page(client, case, stranger))
    assert "Kies bij welk moment" in visible_text(_letter_page(client, case, case.pupil, "x"))
    foreign = client.post(f"/zaken/{case.id}/brief-ouders", data={
        "pupil_id": world.other_pupils[0].id, "moment": "start", "contact": "Anne",
        "text": "Beste ouders"})
    assert foreign.status_code == 422 and count(CaseTalk) == 0
    login(world.colleague)  # not responsible: the case does not exist for her
    assert _letter_page(client, case, case.pupil).status_code == 404


def test_the_letter_is_in_that_pupils_copy_and_goes_when_they_are_erased(client, world,
                                                                           login):
    case = f.case_at(world, "besluit")
    member = case.group.members[1].pupil
    login(world.teacher)
    text = _text(_letter_page(client, case, member, "start"))
    client.post(f"/zaken/{case.id}/brief-ouders", data={
        "pupil_id": member.id, "moment": "start", "contact": "Juf Anne", "text": text})
    login(world.coordinator)
    copy = client.get(f"/leerlingen/{member.id}/inzage.json").get_json()
    talks = copy["aanpakken"][0]["gesprekken"]
    assert [t["soort"] for t in talks] == ["Brief aan ouders"]
    case.closed_at = utcnow()
    db.session.commit()
    with UnitOfWork() as uow:
        pupil = db.session.get(Pupil, member.id)
        uow.lock_cases(records.erasure_case_ids(pupil))
        records.erase_pupil(pupil, world.coordinator, utcnow())
    entry = db.session.scalar(select(TimelineEntry).where(TimelineEntry.kind == "brief_ouders"))
    assert entry.text == "Brief aan ouders (gewist op verzoek)."
    assert db.session.scalar(select(CaseTalk.summary).where(CaseTalk.kind == "brief")) == ""
