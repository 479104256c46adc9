"""Leerlingen: a board's coordinator may hold twenty thousand pupils; the page shows them a
page at a time in a fixed number of statements, and the search narrows them."""

from __future__ import annotations

import re

from steungroep.core.extensions import db
from steungroep.models import Pupil
from steungroep.records import views

from ..sql import statements


def names(response) -> list[str]:
    return re.findall(r'class="case-name">([^<]+)<', response.get_data(as_text=True))


def test_the_pupils_come_a_page_at_a_time(client, world, login, monkeypatch):
    monkeypatch.setattr(views, "PUPILS_PER_PAGE", 5)
    login(world.coordinator)
    seen = []
    for number in (1, 2, 3):
        page = client.get(f"/leerlingen?pagina={number}")
        seen += names(page)
    assert len(seen) == 14 and len(set(seen)) == 14  # school A's pupils, each once
    assert "Pagina 3 van 3 · 14 leerlingen" in client.get("/leerlingen?pagina=9").get_data(
        as_text=True)
    assert names(client.get("/leerlingen?q=noor")) == ["Noor"]


def test_the_pupils_page_runs_the_same_statements_for_more_pupils(client, world, login):
    login(world.coordinator)
    few, _ = statements(client, "/leerlingen")
    klass = world.school.classes[0]
    db.session.add_all([Pupil(school=world.school, school_class=klass, first_name=f"Extra{i}")
                        for i in range(80)])
    db.session.commit()
    many, response = statements(client, "/leerlingen")
    assert many == few and len(names(response)) == 50
