"""Forming the support group (group/): 6 to 8 members with both sides in it, the rules
for each member, the search, and invitations that do not say why."""

from __future__ import annotations

from steungroep.core.extensions import db
from steungroep.models import Cycle, GroupMember

from .. import factories as f
from ..pages import add_to_group, count, text_of


def test_group_page_counts_and_balances(client, world, login):
    """Adding members updates the counter and the two sides (htmx gets only the panel)."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    add_to_group(client, case, world.pupils[1], "aanvoerder")
    response = add_to_group(client, case, world.pupils[2], "helper", htmx=True)
    page = text_of(response)
    assert response.status_code == 200
    assert "<html" not in page and 'id="group-panel"' in page
    assert "<strong>2</strong> van 6–8" in page


def test_group_member_rules_refuse_with_message(client, world, login):
    """The pupil concerned, a pupil twice, another school's pupil, a 9th member: refused."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    cases_ = [
        (world.subject, "zelf"),
        (world.other_pupils[0], "school"),
    ]
    for pupil, _ in cases_:
        response = add_to_group(client, case, pupil, htmx=True)
        assert response.status_code == 422
        assert 'role="alert"' in text_of(response)
    assert count(GroupMember) == 0
    # another school's pupil: the same answer as an id that does not exist, and no name
    world.other_pupils[0].first_name = "Bartholomeus"
    db.session.commit()
    foreign = add_to_group(client, case, world.other_pupils[0], htmx=True).get_data(as_text=True)
    unknown = client.post(f"/zaken/{case.id}/groep/leden", data={"pupil_id": "999999",
                          "role": "helper"}, headers={"HX-Request": "true"})
    assert "Kies een leerling uit de lijst." in foreign
    assert foreign == unknown.get_data(as_text=True)
    assert "Bartholomeus" not in foreign
    add_to_group(client, case, world.pupils[1])
    response = add_to_group(client, case, world.pupils[1], htmx=True)
    assert response.status_code == 422 and count(GroupMember) == 1
    for pupil in world.pupils[2:9]:
        add_to_group(client, case, pupil, "meeloper")
    assert count(GroupMember) == 8
    response = add_to_group(client, case, world.pupils[9], htmx=True)
    assert response.status_code == 422 and "vol" in text_of(response)
    assert count(GroupMember) == 8


def test_group_of_five_cannot_be_confirmed(client, world, login):
    """Confirming 5 members is refused with a message; no round starts."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    for pupil, role in zip(world.pupils[1:6], ["aanvoerder", "meeloper", "helper", "helper",
                                                 "omstander"], strict=True):
        add_to_group(client, case, pupil, role)
    response = client.post(f"/zaken/{case.id}/groep/bevestigen")
    assert response.status_code == 422 and "6" in text_of(response)
    assert count(Cycle) == 0


def test_group_needs_both_sides(client, world, login):
    """Seven helpers and no ringleader/follower side is refused."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    for pupil in world.pupils[1:8]:
        add_to_group(client, case, pupil, "helper")
    response = client.post(f"/zaken/{case.id}/groep/bevestigen")
    assert response.status_code == 422 and count(Cycle) == 0


def test_unbalanced_group_is_confirmed_with_warning(client, world, login):
    """A group off balance by more than one is allowed, with a warning."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    roles = ["aanvoerder"] + ["helper"] * 6
    for pupil, role in zip(world.pupils[1:8], roles, strict=True):
        add_to_group(client, case, pupil, role)
    response = client.post(f"/zaken/{case.id}/groep/bevestigen", follow_redirects=True)
    assert response.status_code == 200
    assert count(Cycle) == 1
    assert "flash-warning" in text_of(response)


def test_pupil_search_finds_by_name_and_hides_subject(client, world, login):
    """Type-ahead finds classmates by first name and never offers the pupil concerned."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    response = client.get(f"/zaken/{case.id}/groep/zoeken?q=no",
                          headers={"HX-Request": "true"})
    page = text_of(response)
    assert "Noor" in page and "<html" not in page
    subject = client.get(f"/zaken/{case.id}/groep/zoeken?q={world.subject.first_name}",
                         headers={"HX-Request": "true"})
    assert f'value="{world.subject.id}"' not in text_of(subject)


def test_warns_when_pupil_had_a_group_before(client, world, login):
    """A pupil who had a steungroep before gets a warning on the group page."""
    first = f.case_at(world, "bijeenkomst")
    first.closed_at = first.created_at
    db.session.commit()
    second = f.case_at(world, "groep")
    login(world.teacher)
    assert "al eerder een steungroep" in text_of(client.get(f"/zaken/{second.id}/groep"))


def test_invitations_do_not_say_why(client, world, login):
    """Invitation slips name the member and ask for help, without the pupil or roles."""
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}/uitnodigingen?wanneer=dinsdag"))
    slips = page.split('class="slips"')[1]
    assert world.pupils[1].first_name in slips and "dinsdag" in slips
    assert world.subject.first_name not in slips
    for word in ("pest", "Aanvoerder", "Meeloper", "Omstander"):
        assert word.lower() not in slips.lower()


def test_former_member_cannot_return_or_leave_twice(client, world, login):
    """A pupil who left in an earlier round can't be re-added or removed again (that
    would rewrite the history of the rounds in between)."""
    case = f.case_at(world, "besluit")
    f.next_round(world, case)
    login(world.teacher)
    add_to_group(client, case, world.pupils[12], "helper")
    leaving = case.group.members[0]
    client.post(f"/zaken/{case.id}/groep/leden/{leaving.id}/weg")
    db.session.expire_all()
    assert leaving.left_cycle == 2
    again = add_to_group(client, case, leaving.pupil, "helper", htmx=True)
    assert again.status_code == 422 and "eerder mee" in text_of(again)
    twice = client.post(f"/zaken/{case.id}/groep/leden/{leaving.id}/weg")
    assert twice.status_code == 422
    db.session.expire_all()
    assert leaving.left_cycle == 2 and leaving.joined_cycle == 1


def test_confirmed_group_cannot_shrink_below_six(client, world, login):
    """After the group is fixed, removing members stops at six."""
    case = f.case_at(world, "bijeenkomst", )
    login(world.teacher)
    members = list(case.group.members)
    assert client.post(f"/zaken/{case.id}/groep/leden/{members[0].id}/weg").status_code == 302
    response = client.post(f"/zaken/{case.id}/groep/leden/{members[1].id}/weg")
    assert response.status_code == 422 and "minstens 6" in text_of(response)
    assert count(GroupMember) == 6
