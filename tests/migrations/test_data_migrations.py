"""Migrations that fill data: they stand alone (no app code) and give what the app gives."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from steungroep.cases import status
from steungroep.core.extensions import db
from steungroep.models import Case, OutboxMessage

from .. import factories as f
from ..conftest import make_app


def _every_state(world) -> list[Case]:
    cases = [f.case_at(world, step, pupil=world.pupils[i]) for i, step in enumerate(
        ["gesprek", "groep", "bijeenkomst", "evaluatie_leerling", "besluit"])]
    # closed at once (0007 predates the one-off path, which now stays open: 0018)
    cases.append(f.new_case(world, pupil=world.pupils[5], triage="geen_pesten", note="Ruzie."))
    return cases


def test_0007_fills_the_status_as_the_app_computes_it(tmp_path):
    """Down to 0006 (no status columns) and up again: migration 0007's own copy of the rules
    gives every case the step, date and round the app's status code gives."""
    app = make_app(f"sqlite:///{tmp_path}/m.sqlite", str(tmp_path))
    with app.app_context():
        upgrade()
        world = f.make_world()
        cases = _every_state(world)
        ids = [c.id for c in cases]
        db.session.remove()
        downgrade(revision="0006")
        upgrade()
        stored = {row.id: (row.step, row.step_due_on, row.cycle_number) for row in
                  db.session.execute(select(Case.id, Case.step, Case.step_due_on,
                                            Case.cycle_number).where(Case.id.in_(ids)))}
        facts = db.session.execute(status._facts(ids)).all()
        expected = {row[0]: status.status(row) for row in facts}
        assert stored == {i: (e["step"], e["step_due_on"], e["cycle_number"])
                          for i, e in expected.items()}
        assert len({s[0] for s in stored.values()}) == 6  # six different steps tried
        db.session.remove()
        db.engine.dispose()


def test_0010_gives_queued_mail_its_case(tmp_path):
    """Mail queued before 0010 gets its case from the evaluation id in its key; a key of
    another shape is left without one."""
    app = make_app(f"sqlite:///{tmp_path}/m.sqlite", str(tmp_path))
    with app.app_context():
        upgrade()
        world = f.make_world()
        case = f.case_at(world, "evaluatie_leerling")
        key = f"due-{case.group.cycles[0].evaluations[0].id}-2026-12-08-{world.teacher.id}"
        case_id = case.id
        db.session.add_all([
            OutboxMessage(dedupe_key=key, to_address="anne@a.example", subject="s", body="b"),
            OutboxMessage(dedupe_key="iets-anders", to_address="x@a.example", subject="s",
                          body="b"),
        ])
        db.session.commit()
        db.session.remove()
        downgrade(revision="0009")
        upgrade()
        rows = dict(db.session.execute(text("SELECT dedupe_key, case_id FROM outbox")).all())
        assert rows == {key: case_id, "iets-anders": None}
        db.session.remove()
        db.engine.dispose()


def test_0025_turns_the_old_words_into_the_schools_functions(tmp_path):
    """Down to 0024 (four fixed words) and up again: each school gets its type's functions,
    keeps a word its list named that the type has not (an intern begeleider at a secondary
    school), its prompt list in the new keys, and who was informed as the function it was."""
    app = make_app(f"sqlite:///{tmp_path}/m.sqlite", str(tmp_path))
    with app.app_context():
        upgrade()
        world = f.make_world()
        case = f.case_at(world, "groep")
        case_id, school_id, other_id = case.id, world.school.id, world.other_school.id
        teacher_id = world.teacher.id
        db.session.remove()
        downgrade(revision="0024")
        with db.engine.begin() as connection:
            connection.execute(text(
                "UPDATE schools SET kind = 'vo', inform_parties = 'directie,ib,ouders' "
                "WHERE id = :id"), {"id": school_id})
            connection.execute(text(
                "UPDATE schools SET kind = 'mbo', inform_parties = 'smw' WHERE id = :id"),
                {"id": other_id})
            connection.execute(text(
                "INSERT INTO informed (case_id, party, informed_on, note, user_id) "
                "VALUES (:case, 'ib', '2026-11-30', '', :user), "
                "(:case, 'ouders', '2026-11-30', '', :user)"),
                {"case": case_id, "user": teacher_id})
        upgrade()
        rows = {row.id: (row.functions.split("\n"), row.informed) for row in
                db.session.execute(text("SELECT id, functions, informed FROM schools"))}
        functions, informed = rows[school_id]
        assert functions[:2] == ["Mentor", "Leerlingcoördinator"]
        assert functions[-2:] == ["Directie", "Intern begeleider"]
        assert informed == "f:Directie\nf:Intern begeleider\nouders"
        functions, informed = rows[other_id]
        assert functions[0] == "Coach" and informed == "f:Schoolmaatschappelijk werk"
        assert db.session.execute(text(
            "SELECT party, party_name FROM informed WHERE case_id = :case ORDER BY party"),
            {"case": case_id}).all() == [("functie", "Intern begeleider"), ("ouders", "")]
        downgrade(revision="0024")  # and back: the old words again
        assert db.session.execute(text(
            "SELECT inform_parties FROM schools WHERE id = :id"), {"id": school_id}
        ).scalar() == "directie,ib,ouders"
        db.session.remove()
        db.engine.dispose()
