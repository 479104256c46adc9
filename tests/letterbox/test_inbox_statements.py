"""The inbox is a list page: a fixed number of statements, whatever the number of letters
(open and handled, of one school or several)."""

from __future__ import annotations

from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow
from steungroep.models import Letter

from ..sql import statements


def _letters(world, start: int, count: int) -> None:
    for n in range(start, start + count):
        db.session.add(Letter(
            school_id=world.school.id, code_hash=f"{n:064d}", writer="zelf",
            what=f"Tekst-van-briefje-{n}", wants_talk="ja", read_by_id=world.coordinator.id,
            read_at=utcnow() if n % 2 else None, closed_at=utcnow() if n % 3 == 0 else None,
            close_reason="gesprek" if n % 3 == 0 else ""))
    db.session.commit()


def test_the_inbox_runs_the_same_statements_for_two_letters_and_for_sixty(client, world,
                                                                          login):
    login(world.coordinator)
    _letters(world, 1, 2)
    few, _ = statements(client, "/brievenbus", cold=True)
    _letters(world, 3, 58)
    many, response = statements(client, "/brievenbus", cold=True)
    assert few == many, f"{few} statements for 2 letters, {many} for 60"
    assert "Tekst-van-briefje" not in response.get_data(as_text=True)  # no letter text
    home_few, _ = statements(client, "/", cold=True)
    _letters(world, 61, 20)
    assert statements(client, "/", cold=True)[0] == home_few
