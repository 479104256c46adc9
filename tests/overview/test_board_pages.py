"""Pages a coordinator of many schools opens: the settings one school at a time, the
logboek a page at a time."""

from __future__ import annotations

import re

from steungroep.records import views as records_views

from .. import factories as f
from ..settings.form import save_settings
from ..sql import statements


def test_settings_show_one_school_at_a_time_and_a_form_returns_to_it(client, world, login):
    board = f.make_user("Bestuur", "bestuur@a.example", "coordinator", world.school,
                        world.other_school)
    from steungroep.core.extensions import db
    db.session.commit()
    login(board)
    first = client.get("/instellingen").get_data(as_text=True)
    assert f'id="school-{world.school.id}"' in first
    assert f'id="school-{world.other_school.id}"' not in first
    assert re.search(r'<select name="school">.*School B', first, re.S)
    other = client.get(f"/instellingen?school={world.other_school.id}").get_data(as_text=True)
    assert f'id="school-{world.other_school.id}"' in other
    assert f'id="school-{world.school.id}"' not in other
    saved = save_settings(client, world.other_school, kind="vo")
    assert saved.location.endswith(
        f"/instellingen?school={world.other_school.id}#school-{world.other_school.id}")
    refused = save_settings(client, world.other_school, plan_steps="  ")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and f'id="school-{world.other_school.id}"' in page
    # a school that is not theirs shows their first one, never another school's
    assert f'id="school-{world.school.id}"' in client.get("/instellingen?school=999999").get_data(
        as_text=True)


def test_the_logboek_comes_a_page_at_a_time(client, world, login, monkeypatch):
    monkeypatch.setattr(records_views, "LOG_PER_PAGE", 3)
    case = f.case_at(world, "gesprek")
    login(world.coordinator)
    for _ in range(7):
        client.get(f"/zaken/{case.id}")  # every read is a line in the logboek
    page = client.get(f"/zaken/{case.id}/logboek").get_data(as_text=True)
    assert len(re.findall(r"<tr>\s*<td>", page)) == 3
    shown, pages, total = map(int, re.search(
        r"Pagina (\d+) van (\d+) · (\d+) regels", page).groups())
    assert shown == 1 and total >= 7 and pages == -(-total // 3)
    older = client.get(f"/zaken/{case.id}/logboek?pagina=2").get_data(as_text=True)
    assert len(re.findall(r"<tr>\s*<td>", older)) == 3 and "Pagina 2 van" in older


def test_the_statistics_are_remembered_until_something_changes_in_those_schools(
        client, world, login):
    f.case_at(world, "evaluatie_leerling")
    login(world.coordinator)
    first, response = statements(client, "/statistieken")
    repeat, again = statements(client, "/statistieken")
    assert repeat < first
    assert again.get_data(as_text=True) == response.get_data(as_text=True)
    f.new_case(world, pupil=world.pupils[7])  # a change in the school: built again
    changed, fresh = statements(client, "/statistieken")
    assert changed == first
    assert fresh.get_data(as_text=True) != again.get_data(as_text=True)
