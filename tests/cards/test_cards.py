"""The pupil's own card (/k/<token>): only their own idea; 404, 410, headers, replacement."""

from __future__ import annotations

import re

import pytest
from babel.dates import format_date
from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.evaluations import use_cases as evaluations
from steungroep.group import use_cases as group
from steungroep.models import Action, GroupMember

from .. import factories as f
from ..settings.form import save_settings
from ..sql import statements

FORBIDDEN = re.compile(
    r"pest|slachtoffer|dader|aanvoerder|meeloper|omstander|helper|verdediger", re.IGNORECASE
)


def visible(response) -> str:
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_card_shows_only_own_idea(client, world):
    """The card names the pupil and shows their own action; nobody else's, no role, no
    letter, no note, no script, and the strict headers."""
    case = f.case_at(world, "evaluatie_leerling")
    member = case.group.members[0]
    response = client.get(f"/k/{member.card_token}")
    text = visible(response)
    assert response.status_code == 200
    assert member.pupil.first_name in text and "Jouw idee" in text
    own = next(a.text for a in case.group.cycles[0].actions if a.member_id == member.id)
    assert own in text
    for other in case.group.members[1:]:
        assert other.pupil.first_name not in text
    assert not FORBIDDEN.search(text)
    assert "Ik wil graag meedoen" not in text and "GEHEIM" not in text and "NOTITIE" not in text
    assert "<script" not in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "Set-Cookie" not in response.headers


def test_a_card_is_one_statement_whatever_the_rounds(client, world):
    """The whole class opens its cards at once: one statement for the member, their latest
    idea and its evaluation date, in round 1 as in round 2; a round-2 card shows the
    round-2 idea and the date the group is asked."""
    case = f.case_at(world, "evaluatie_leerling")
    member = case.group.members[0]
    first, _ = statements(client, f"/k/{member.card_token}")
    f.with_evaluations(world, case)
    f.next_round(world, case)
    f.with_actions(world, case)
    own = next(a for a in case.group.cycles[1].actions if a.member_id == member.id)
    with f.changing(case):
        from steungroep.meeting import use_cases as meeting
        meeting.save_action(case, world.teacher, member, "Ik vraag je mee naar de bieb.",
                            own.id, own.text)
    with f.changing(case):
        meeting.complete_meeting(case, world.teacher, 30)
    later, response = statements(client, f"/k/{member.card_token}")
    text = visible(response)
    assert first == later == 1
    assert "Ik vraag je mee naar de bieb." in text
    due = case.group.cycles[1].evaluation("groep").due_on
    assert format_date(due, "EEEE d MMMM", locale="nl") in text


def test_unknown_token_is_a_friendly_404(client, world):
    """A token that never existed: 404 with the card look, no staff page."""
    response = client.get("/k/bestaat-niet-" + "x" * 20)
    assert response.status_code == 404
    assert "Deze kaart kennen we niet" in visible(response)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/k/" + "y" * 500).status_code == 404


def test_replaced_card_stops_at_once_and_new_one_works(client, world, login):
    """Replacing a lost card: the old link answers 410, the new one shows the card."""
    case = f.case_at(world, "evaluatie_leerling")
    member = case.group.members[2]
    old = member.card_token
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/groep/leden/{member.id}/nieuwe-kaart")
    assert response.status_code == 302
    db.session.expire_all()
    assert member.card_token != old
    gone = client.get(f"/k/{old}")
    # not 'finished': the pupil still has a task, on the new card
    assert gone.status_code == 410 and "Vraag je juf, meester of mentor om je nieuwe kaart" in \
        visible(gone) and "klaar" not in visible(gone)
    assert member.pupil.first_name not in visible(gone)
    assert client.get(f"/k/{member.card_token}").status_code == 200


def test_closed_group_cards_are_finished(client, world):
    """When the group closes, every card answers 410 without any data."""
    case = f.case_at(world, "besluit")
    evaluations.decide(case, world.teacher, "afsluiten", "")
    db.session.commit()
    for member in case.group.members:
        response = client.get(f"/k/{member.card_token}")
        assert response.status_code == 410
        assert member.pupil.first_name not in visible(response)


def test_member_who_left_has_a_finished_card(client, world):
    """A member who left in a new round no longer has a working card."""
    case = f.case_at(world, "besluit")
    f.next_round(world, case)
    group.add_member(case, world.teacher, world.pupils[12].id, "helper")
    leaving = case.group.members[0]
    group.remove_member(case, world.teacher, leaving)
    db.session.commit()
    assert client.get(f"/k/{leaving.card_token}").status_code == 410


def test_a_member_who_left_is_not_offered_a_card_until_the_next_meeting(client, world, login):
    """Between the decision for a new round and its meeting, the Kaarten screen and the A4
    sheet show the cards of those still in the group only."""
    case = f.case_at(world, "besluit")
    f.next_round(world, case)
    with f.changing(case):
        group.add_member(case, world.teacher, world.pupils[12].id, "helper")
    leaving = case.group.members[0]
    with f.changing(case):
        group.remove_member(case, world.teacher, leaving)
    login(world.teacher)
    name = leaving.pupil.first_name
    names = visible(client.get(f"/zaken/{case.id}/kaarten"))
    sheet = visible(client.get(f"/zaken/{case.id}/kaarten/afdrukken"))
    assert name not in names and name not in sheet
    stayed = case.group.members[1].pupil.first_name
    assert stayed in names and stayed in sheet
    assert client.get(f"/zaken/{case.id}/kaarten/{leaving.id}").status_code == 404


def test_other_staff_cannot_replace_a_card(client, world, login):
    """Replacing a card is staff work on their own case: others get 404."""
    case = f.case_at(world, "bijeenkomst")
    member = case.group.members[0]
    login(world.other_teacher)
    assert client.post(f"/zaken/{case.id}/groep/leden/{member.id}/nieuwe-kaart").status_code \
        == 404


@pytest.mark.parametrize(
    "text", ["Ik ga niet meer pesten", "Het slachtoffer helpen", "De dader aanspreken"]
)
def test_forbidden_words_never_reach_a_card(client, world, login, text):
    """An action with a forbidden word is not saved; the field keeps it with a hint."""
    case = f.case_at(world, "bijeenkomst")
    member = case.group.members[0]
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/bijeenkomst/acties/{member.id}",
                           data={"text": text})
    assert response.status_code == 422
    assert "Ik ga" in visible(response) and text in response.get_data(as_text=True)
    assert db.session.scalar(select(Action).where(Action.member_id == member.id)) is None


def test_crawl_every_card_in_every_state(client, world, login):
    """Build groups in every state, open every card link, and check nothing forbidden shows:
    no role word, no 'pest', no other member's name or action, no note, no letter."""
    states = ["groep", "bijeenkomst", "evaluatie_leerling", "besluit"]
    cases = [f.case_at(world, state, pupil=world.pupils[9 + i]) for i, state in enumerate(states)]
    closed = f.case_at(world, "besluit", pupil=world.pupils[13])
    evaluations.decide(closed, world.teacher, "afsluiten", "")
    db.session.commit()
    members = db.session.scalars(select(GroupMember)).all()
    actions = {a.member_id: a.text for a in db.session.scalars(select(Action))}
    assert len(members) >= 28
    seen = 0
    for member in members:
        response = client.get(f"/k/{member.card_token}")
        assert response.status_code in (200, 410)
        text = visible(response)
        assert not FORBIDDEN.search(text), (member.id, text)
        for note in ("GEHEIM", "NOTITIE", "Ik wil graag meedoen", "buitengesloten"):
            assert note not in text
        group_mates = [m for m in members if m.group_id == member.group_id and m is not member]
        for mate in group_mates:
            if mate.pupil.first_name != member.pupil.first_name:
                assert mate.pupil.first_name not in text
            if mate.id in actions and actions[mate.id] != actions.get(member.id):
                assert actions[mate.id] not in text
        seen += response.status_code == 200
    assert seen >= 14 and len(cases) == 4
    # Printed sheets: each card on paper is checked the same way.
    login(world.teacher)
    sheets = 0
    for case in cases:
        response = client.get(f"/zaken/{case.id}/kaarten/afdrukken")
        if response.status_code == 404:  # no meeting held yet: no cards to print
            continue
        sheets += 1
        for card in response.get_data(as_text=True).split('class="paper-card"')[1:]:
            text = re.sub(r"<[^>]+>", " ", card)
            assert not FORBIDDEN.search(text)
            assert "GEHEIM" not in text and "NOTITIE" not in text
            assert "Ik wil graag meedoen" not in text
            names = [m.pupil.first_name for m in case.group.members
                     if re.search(rf"\b{m.pupil.first_name}\b", text)]
            assert len(names) == 1, names  # exactly one pupil per card
    assert sheets == 2


# ---- the Kaarten step on the tablet --------------------------------------------------------


def test_kaarten_lists_names_only(client, world, login):
    """After the meeting, the Kaarten step shows each member's first name as a button and
    nothing else: no role, no action."""
    case = f.case_at(world, "evaluatie_leerling")
    login(world.teacher)
    response = client.get(f"/zaken/{case.id}/kaarten")
    text = visible(response)
    assert response.status_code == 200
    for member in case.group.members:
        assert member.pupil.first_name in text
    assert not FORBIDDEN.search(text)
    assert "Ik ga samen spelen" not in text


def test_card_qr_screen_encodes_that_members_url(client, world, login, app):
    """The full-screen QR shows one first name and encodes exactly that member's card URL
    (built on PUBLIC_URL); no action text and no other name."""
    from steungroep.cards.qr import qr_svg

    app.config["PUBLIC_URL"] = "https://steungroep.school.example"
    try:
        case = f.case_at(world, "evaluatie_leerling")
        member = case.group.members[1]
        login(world.teacher)
        response = client.get(f"/zaken/{case.id}/kaarten/{member.id}")
        html = response.get_data(as_text=True)
        expected = qr_svg(f"https://steungroep.school.example/k/{member.card_token}")
        assert str(expected) in html
        text = visible(response)
        assert member.pupil.first_name in text and "Ik ga" not in text
        others = [m.pupil.first_name for m in case.group.members if m is not member]
        following = case.group.members[2].pupil.first_name
        assert [name for name in others if name in text] == [following]  # "Volgende: …"
    finally:
        app.config["PUBLIC_URL"] = ""


def test_the_teacher_is_warned_about_a_loopback_address_and_pupils_never(
        client, world, login, app):
    """Without PUBLIC_URL on localhost the QR codes cannot open on a pupil's phone: the case
    page and the print pages say so in plain words; the Kaarten screen and the QR screen,
    which pupils look at, say nothing about it. With a real PUBLIC_URL the warning is gone."""
    case = f.case_at(world, "evaluatie_leerling")
    member = case.group.members[0]
    login(world.teacher)
    warning = "werken nu alleen op deze computer"
    for path in (f"/zaken/{case.id}", f"/zaken/{case.id}/kaarten/afdrukken",
                 f"/zaken/{case.id}/kaarten/{member.id}/afdrukken"):
        assert warning in visible(client.get(path)), path
    for path in (f"/zaken/{case.id}/kaarten", f"/zaken/{case.id}/kaarten/{member.id}"):
        page = visible(client.get(path))
        assert warning not in page and "PUBLIC_URL" not in page and "computer" not in page
    app.config["PUBLIC_URL"] = "https://steungroep.school.example"
    try:
        assert warning not in visible(client.get(f"/zaken/{case.id}/kaarten/afdrukken"))
        assert warning not in visible(client.get(f"/zaken/{case.id}"))
    finally:
        app.config["PUBLIC_URL"] = ""


def test_printed_cards_say_when_the_group_is_asked(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    ask = case.group.cycles[0].evaluation("groep").due_on
    login(world.teacher)
    page = visible(client.get(f"/zaken/{case.id}/kaarten/afdrukken"))
    assert page.count("vraagt je juf of meester hoe het ging") == len(case.group.members)
    assert format_date(ask, "EEEE d MMMM", locale="nl") in page


def test_kaarten_only_after_the_meeting_and_for_own_cases(client, world, login):
    """No cards before the meeting is done, none for a closed group, none for other staff."""
    before = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    assert client.get(f"/zaken/{before.id}/kaarten").status_code == 404
    done = f.case_at(world, "evaluatie_leerling", pupil=world.pupils[12])
    client.post("/uitloggen")
    login(world.other_teacher)
    assert client.get(f"/zaken/{done.id}/kaarten").status_code == 404
    member = done.group.members[0]
    assert client.get(f"/zaken/{done.id}/kaarten/{member.id}").status_code == 404


def test_print_sheet_has_every_card_and_nothing_forbidden(client, world, login):
    """The A4 sheet holds one card per member with their own idea and QR; a single-card
    print holds one; neither shows a role, 'pest', a note or the letter."""
    case = f.case_at(world, "evaluatie_leerling")
    login(world.teacher)
    response = client.get(f"/zaken/{case.id}/kaarten/afdrukken")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.count('class="paper-card"') == 7
    assert html.count('<svg class="qr"') == 7
    text = visible(response)
    for member in case.group.members:
        assert member.pupil.first_name in text
    for action in case.group.cycles[0].actions:
        assert action.text in text
    assert not FORBIDDEN.search(text)
    assert "GEHEIM" not in text and "NOTITIE" not in text and "Ik wil graag meedoen" not in text
    member = case.group.members[3]
    single = client.get(f"/zaken/{case.id}/kaarten/{member.id}/afdrukken")
    single_text = visible(single)
    assert single.get_data(as_text=True).count('class="paper-card"') == 1
    assert [m.pupil.first_name for m in case.group.members if m.pupil.first_name in single_text] \
        == [member.pupil.first_name]


def test_guessing_tokens_is_rate_limited_per_address(client, world, app):
    """A burst of wrong tokens from one address gets 429; correct cards do not count towards
    the limit and still open from that address (a whole school shares it)."""
    case = f.case_at(world, "evaluatie_leerling")
    token = case.group.members[0].card_token
    for _ in range(15):  # correct cards are not counted
        assert client.get(f"/k/{token}").status_code == 200
    statuses = [client.get(f"/k/geraden-{i:04d}-xxxxxxxxxxxxxxxx").status_code for i in range(12)]
    assert statuses[:10] == [404] * 10 and statuses[10:] == [429, 429]
    blocked = client.get("/k/geraden-9999-xxxxxxxxxxxxxxxx")
    assert blocked.status_code == 429 and "Even wachten" in visible(blocked)
    assert blocked.headers["Referrer-Policy"] == "no-referrer"
    assert client.get(f"/k/{token}").status_code == 200


def test_settings_warn_about_loopback_public_url(client, world, login, app):
    """Coordinators see on the settings page that cards point at a loopback address;
    with a real PUBLIC_URL the warning is gone; teachers don't have the page."""
    login(world.coordinator)
    page = visible(client.get("/instellingen"))
    assert "werkt alleen op deze computer" in page
    app.config["PUBLIC_URL"] = "https://steungroep.school.example"
    try:
        page = visible(client.get("/instellingen"))
        assert "werkt alleen op deze computer" not in page
        assert "https://steungroep.school.example" in page
    finally:
        app.config["PUBLIC_URL"] = ""
    login(world.teacher)
    assert client.get("/instellingen").status_code == 404


def test_a_secondary_school_speaks_of_a_mentor(client, world, login):
    """The school's type chooses the pupil's words: on the card, the printed card and the
    meeting's examples (no 'gym' or 'schoolplein' at a secondary school)."""
    case = f.case_at(world, "evaluatie_leerling")
    token = case.group.members[0].card_token
    assert "vraagt je juf of meester" in visible(client.get(f"/k/{token}"))
    login(world.coordinator)
    changed = save_settings(client, world.school, kind="vo")
    assert changed.status_code == 302
    card = visible(client.get(f"/k/{token}"))
    assert "vraagt je mentor hoe het ging" in card and "juf" not in card
    printed = visible(client.get(f"/zaken/{case.id}/kaarten/afdrukken"))
    assert "vraagt je mentor" in printed and "juf of meester" not in printed
    meeting_case = f.case_at(world, "bijeenkomst", pupil=world.pupils[5])
    login(world.teacher)
    meeting = visible(client.get(f"/zaken/{meeting_case.id}/bijeenkomst"))
    assert "kantine" in meeting and "gym" not in meeting and "schoolplein" not in meeting
    login(world.coordinator)
    refused = save_settings(client, world.school, kind="universiteit")
    assert refused.status_code == 422 and "Soort school" in visible(refused)
    db.session.expire_all()
    assert world.school.kind == "vo"


def test_a_drawn_qr_code_is_kept_for_its_address():
    """Drawing a code is the print sheet's cost: the same address is drawn once."""
    from steungroep.cards.qr import qr_svg

    qr_svg.cache_clear()
    first = qr_svg("https://steungroep.school.example/k/abcdefghijklmnopqrstu")
    again = qr_svg("https://steungroep.school.example/k/abcdefghijklmnopqrstu")
    other = qr_svg("https://steungroep.school.example/k/abcdefghijklmnopqrstv")
    assert again is first and other != first
    assert qr_svg.cache_info().hits == 1 and qr_svg.cache_info().misses == 2
