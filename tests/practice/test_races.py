"""Starting and throwing away practice cases at the same moment, over real HTTP: a double
tap starts one, two colleagues at once each get their own made-up class, a double tap on
'Weggooien' removes once. Never a 500."""

from __future__ import annotations

from sqlalchemy import func, select

from steungroep.core.extensions import db
from steungroep.models import Case, SchoolClass

from ..live import Client, at_once, serving
from .played import practice_case


def _count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_taps_at_the_same_moment(app, world):
    played = practice_case(world, "groep")
    db.session.commit()
    with serving(app) as base:
        anne = Client(base).log_in(world.teacher)
        karim = Client(base).log_in(world.colleague)
        form = {"submission_key": "c" * 32}
        answers = at_once((anne, "/oefenen", form), (anne, "/oefenen", form))
        assert [status for status, *_ in answers] == [302, 302], answers
        assert _count(Case) == 2
        answers = at_once((anne, "/oefenen", {"submission_key": "d" * 32}),
                          (karim, "/oefenen", {"submission_key": "e" * 32}))
        assert [status for status, *_ in answers] == [302, 302], answers
        names = db.session.scalars(select(SchoolClass.name).where(
            SchoolClass.practice.is_(True)).order_by(SchoolClass.name)).all()
        assert names == ["Oefenklas 1", "Oefenklas 2", "Oefenklas 3", "Oefenklas 4"]
        url = f"/oefenen/{played.id}/weggooien"
        answers = at_once((anne, url, {}), (anne, url, {}))
        assert sorted(status for status, *_ in answers)[0] < 500, answers
        assert all(status in (302, 404) for status, *_ in answers), answers
        assert _count(Case, Case.id == played.id) == 0
        assert _count(Case) == 3
