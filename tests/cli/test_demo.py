"""flask demo on a real database, the demo's board admin, and flask remove-demo: everything
of the demo goes, nothing else moves, and nothing goes when real work hangs from it."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from steungroep import demo
from steungroep.admin import invitations
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.domain import people
from steungroep.models import (
    NOTICE_DUE,
    Board,
    Case,
    Consequence,
    Cycle,
    Evaluation,
    Informed,
    MemberResult,
    Notice,
    OutboxMessage,
    PlanStep,
    School,
    SchoolSignIn,
    SupportGroup,
    User,
)
from steungroep.web.writes import UnitOfWork

from .. import factories
from ..pages import count


def _hashable(value):
    """A JSON column's value (a school's own letter texts) as comparable text."""
    return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value


def snapshot() -> dict[str, set[tuple]]:
    """Every row of every table."""
    rows = {table.name: {tuple(_hashable(v) for v in row)
                         for row in db.session.execute(select(table))}
            for table in db.metadata.sorted_tables}
    db.session.rollback()
    return rows


def logs_in(client, email: str, password: str) -> bool:
    client.post("/uitloggen")
    return client.post("/inloggen", data={"email": email, "password": password}
                       ).status_code == 302


def load_demo_beside_the_world() -> None:
    """The demo in a database that has other schools too (flask demo would refuse)."""
    with UnitOfWork():
        demo.load_demo()


def demo_user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def use_the_demo(client) -> None:
    """Rows of every kind hanging from the demo that loading it does not make: logins,
    audit rows, a link, a notice, e-mails, who was informed, a stappenplan step, a
    consequence, a group
    member's evaluation, the school's sign-in settings."""
    anne = demo_user("anne@vlinder.example")
    assert logs_in(client, anne.email, demo.PASSWORDS["teacher"])
    case = db.session.scalar(select(Case).join(Case.pupil).where(Case.teacher_id == anne.id)
                             .order_by(Case.id))
    assert client.get(f"/zaken/{case.id}").status_code == 200
    assert logs_in(client, demo.BOARD_ADMIN, demo.BOARD_PASSWORD)
    evaluation = db.session.scalar(
        select(Evaluation).join(Evaluation.cycle).join(Cycle.group).join(SupportGroup.case)
        .where(Case.teacher_id == anne.id).order_by(Evaluation.id))
    group_case = evaluation.cycle.group.case
    member = evaluation.cycle.group.members[0]
    with UnitOfWork() as uow:
        uow.lock_cases([case.id, group_case.id])
        invitations.issue(demo_user("sanne@vlinder.example"), people.RESET,
                          by=demo_user("beheer@vlinder.example"), base="http://x.example")
        db.session.add_all([
            Notice(user_id=anne.id, case_id=group_case.id, evaluation_id=evaluation.id,
                   kind=NOTICE_DUE, due_on=school_today()),
            OutboxMessage(dedupe_key="demo-case", case_id=group_case.id,
                          to_address="anne@vlinder.example", subject="s", body="b"),
            OutboxMessage(dedupe_key="demo-person", to_address="Karim@Vlinder.example",
                          subject="s", body="b"),
            Informed(case_id=case.id, party="ouders", informed_on=school_today(),
                     user_id=anne.id),
            PlanStep(case_id=case.id, position=1, title="Gesprek met ouders",
                     planned_on=school_today() + timedelta(days=3)),
            Consequence(case_id=case.id, pupil_id=member.pupil_id, kind="time_out",
                        decided_on=school_today(), user_id=anne.id),
            MemberResult(evaluation_id=evaluation.id, member_id=member.id, position=1,
                         done="ja"),
            SchoolSignIn(school_id=case.school_id, issuer="https://id.example",
                         client_id="steungroep", client_secret="x"),
        ])


def hanging_from_schools_or_people() -> set[str]:
    """Every table with a row that can point (through others) at a school, board or
    person: what remove-demo must empty of the demo."""
    found = {"boards", "schools", "users"}
    while True:
        more = {table.name for table in db.metadata.sorted_tables
                if any(fk.column.table.name in found for fk in table.foreign_keys)} - found
        if not more:
            return found
        found |= more


def test_demo_is_refused_on_a_real_database(runner, world):
    """A database with other schools gets no demo (and its known passwords): exit 1."""
    before = snapshot()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1
    assert "niet bij de demo" in result.output and "School A" in result.output
    assert snapshot() == before


def test_demo_is_refused_after_a_real_setup_without_schools(runner):
    """The board's first admin exists but no school yet: still a real database."""
    answers = ["Stichting Echt", "Bea Bestuur", "bea@echt.example",
               "stichting-echt-eerste-beheer", "stichting-echt-eerste-beheer", ""]
    assert runner.invoke(args=["setup"], input="\n".join(answers) + "\n").exit_code == 0
    before = snapshot()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1 and "bea@echt.example" in result.output
    assert snapshot() == before


def test_demo_has_a_board_and_a_board_admin(runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "bestuur@vlinder.example" in result.output and "demo-bestuur" in result.output
    board_admin = demo_user(demo.BOARD_ADMIN)
    schools = set(db.session.scalars(select(School.id)))
    assert board_admin.is_board_admin and board_admin.board.name == demo.BOARD
    assert board_admin.school_ids == schools and len(schools) == 2
    assert {s.board_id for s in db.session.scalars(select(School))} == {board_admin.board_id}
    assert logs_in(client, demo.BOARD_ADMIN, "demo-bestuur")
    assert logs_in(client, "beheer@vlinder.example", "demo-beheerder")


def test_remove_demo_removes_the_demo_and_nothing_else(app, runner, client, world):
    """Every row of the demo goes, in every table; every other row stays as it was."""
    assert logs_in(client, world.teacher.email, factories.PASSWORD)
    factories.case_at(world, "evaluatie_leerling")
    before = snapshot()
    load_demo_beside_the_world()
    use_the_demo(app.test_client())
    with_demo = snapshot()
    grown = {name for name, rows in with_demo.items() if rows - before[name]}
    assert hanging_from_schools_or_people() <= grown  # the demo left no table untried

    result = runner.invoke(args=["remove-demo", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Demo verwijderd" in result.output
    for line in ("2  scholen", "1  schoolbesturen", "6  accounts", "68  leerlingen",
                 "4  aanpakken", "2  e-mails", "1  links om een wachtwoord te kiezen"):
        assert line in result.output
    assert snapshot() == before
    again = runner.invoke(args=["remove-demo", "--yes"])
    assert again.exit_code == 0 and "geen demo" in again.output


def test_remove_demo_knows_every_table(app, world):
    """A table added later that points at schools or people must be in remove_demo."""
    load_demo_beside_the_world()
    with UnitOfWork() as uow:
        removed = demo.remove_demo(uow)
    assert {item.table for item in removed} == hanging_from_schools_or_people()


def test_remove_demo_asks_first(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    for answer in ("n", "", "nee", "misschien"):
        no = runner.invoke(args=["remove-demo"], input=answer + "\n")
        assert no.exit_code == 1 and "niets verwijderd" in no.output and count(School) == 2
    yes = runner.invoke(args=["remove-demo"], input="ja\n")
    assert yes.exit_code == 0, yes.output
    assert "68 leerlingen en 4 aanpakken" in yes.output
    assert count(School) == count(User) == count(Board) == 0


def test_first_minutes_demo_then_real_start(runner, client):
    """Try the demo, remove it, set up for real: setup sees an empty database."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["remove-demo", "--yes"]).exit_code == 0
    password = "fiets-wolk-potlood-haven"
    result = runner.invoke(args=["setup"], input="\n".join([
        "Stichting De Linde", "Els Jansen", "els@linde.example", password, password,
        "OBS De Linde", "po", "midden", ""]) + "\n")
    assert result.exit_code == 0, result.output
    assert logs_in(client, "els@linde.example", password)
    assert runner.invoke(args=["demo"]).exit_code == 1


def test_remove_demo_refuses_when_a_demo_account_holds_a_real_school(runner, world):
    load_demo_beside_the_world()
    with UnitOfWork():
        sanne = demo_user("sanne@vlinder.example")
        sanne.schools.append(db.session.get(School, world.school.id))
    before = snapshot()
    result = runner.invoke(args=["remove-demo", "--yes"])
    assert result.exit_code == 1
    assert "sanne@vlinder.example hoort ook bij School A" in result.output
    assert snapshot() == before


def test_remove_demo_refuses_when_someone_real_runs_a_demo_case(runner, world):
    load_demo_beside_the_world()
    case = db.session.scalar(select(Case).order_by(Case.id))
    with UnitOfWork() as uow:
        uow.lock_cases([case.id])
        db.session.get(Case, case.id).teacher_id = world.coordinator.id
    before = snapshot()
    result = runner.invoke(args=["remove-demo", "--yes"])
    assert result.exit_code == 1
    assert "Sanne SMW (sanne@a.example) hoort niet bij de demo" in result.output
    assert f"#{case.id}" in result.output and snapshot() == before


def test_remove_demo_refuses_when_a_demo_account_worked_on_a_real_case(runner, world):
    """A demo account that wrote in another school's case (its name is on that work)."""
    load_demo_beside_the_world()
    real = factories.new_case(world)
    with UnitOfWork() as uow:
        uow.lock_cases([real.id])
        db.session.add(Informed(case_id=real.id, party="ouders", informed_on=school_today(),
                                user_id=demo_user("karim@vlinder.example").id))
    before = snapshot()
    result = runner.invoke(args=["remove-demo", "--yes"])
    assert result.exit_code == 1 and "karim@vlinder.example staat in aanpakken" in result.output
    assert snapshot() == before
