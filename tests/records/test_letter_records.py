"""Letters from the letterbox over time: a letter closed without a melding is removed after
the school's retention period; one that became a melding goes with its case (anonymised
and erased with it)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow
from steungroep.models import Letter, Pupil
from steungroep.records import use_cases as records
from steungroep.web.writes import UnitOfWork

from .. import factories as f


def letter(world, **values) -> Letter:
    letter = Letter(school_id=world.school.id, code_hash=str(values.pop("n", 0)) * 64,
                    writer="ander", what="Noor wordt uitgelachen.", about="Noor",
                    wants_talk="nee", name="Lotte", answer="Dank je, we gaan praten.",
                    **values)
    db.session.add(letter)
    db.session.commit()
    return letter


def test_a_closed_letter_goes_after_the_retention_period_an_open_one_stays(app, world):
    closed = letter(world, n=1, closed_at=datetime(2025, 10, 1, tzinfo=UTC),
                    close_reason="gesprek")
    waiting = letter(world, n=2, created_at=datetime(2024, 1, 1, tzinfo=UTC))
    closed_id, waiting_id = closed.id, waiting.id
    records.purge(datetime(2026, 9, 30, tzinfo=UTC))
    assert db.session.get(Letter, closed_id) is not None
    records.purge(datetime(2026, 10, 2, tzinfo=UTC), dry_run=True)
    assert db.session.get(Letter, closed_id) is not None
    records.purge(datetime(2026, 10, 2, tzinfo=UTC))
    db.session.expire_all()
    assert db.session.get(Letter, closed_id) is None
    assert db.session.get(Letter, waiting_id) is not None  # nobody handled it yet


def test_a_letter_made_into_a_melding_is_erased_with_its_pupil(app, world):
    case = f.new_case(world)
    made = letter(world, n=3, case_id=case.id, read_at=utcnow())
    with UnitOfWork() as uow:
        pupil = db.session.get(Pupil, world.subject.id)
        uow.lock_cases(records.erasure_case_ids(pupil))
        records.erase_pupil(pupil, world.coordinator, utcnow())
    db.session.expire_all()
    made = db.session.scalar(select(Letter).where(Letter.id == made.id))
    assert (made.what, made.about, made.name, made.answer) == ("(geanonimiseerd)", "", "", "")
    assert made.case_id == case.id and made.read_at is not None
