"""Small factories with defaults. Cases are built through the real use cases, each step in
a unit of work of its own (as a request would)."""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

from sqlalchemy import select, text

from steungroep.cases import state
from steungroep.cases import use_cases as cases
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.evaluations import use_cases as evaluations
from steungroep.group import use_cases as group
from steungroep.meeting import use_cases as meeting
from steungroep.models import (
    ROLE_ADMIN,
    ROLE_COORDINATOR,
    ROLE_TEACHER,
    Board,
    Case,
    Pupil,
    School,
    SchoolClass,
    User,
)
from steungroep.stappenplan import use_cases as plan
from steungroep.talk import use_cases as talk
from steungroep.web.writes import UnitOfWork

PASSWORD = "een-lang-testwachtwoord"
SETUP_PASSWORD = "fiets-wolk-potlood-haven"


def answers(*lines: str) -> str:
    """What is typed at a command's prompts, one line each."""
    return "\n".join(lines) + "\n"


# `steungroep setup` on an empty database: the board, its admin (twice the password) and
# the first school.
FIRST_START = answers("Stichting De Linde", "Els Jansen", "Els@Linde.example", SETUP_PASSWORD,
                      SETUP_PASSWORD, "OBS De Linde", "po", "midden", "12 ab")
_HASH: list[str] = []  # hashing is slow on purpose; hash the test password once per run
ROLES7 = ["aanvoerder", "meeloper", "meeloper", "omstander", "helper", "helper", "omstander"]
NAMES = [
    "Bas", "Noor", "Sven", "Yara", "Thijs", "Lina", "Ruben", "Isa",
    "Milan", "Fenna", "Gijs", "Roos", "Stijn", "Amira", "Owen", "Lieke",
]


def make_board(name: str = "Testbestuur") -> Board:
    board = db.session.scalar(select(Board).where(Board.name == name))
    if board is None:
        board = Board(name=name)
        db.session.add(board)
    return board


def make_school(name: str, class_name: str = "groep 6", pupils: int = 12,
                board: Board | None = None) -> School:
    school = School(name=name, board=board or make_board())
    klass = SchoolClass(school=school, name=class_name, school_year="2026-2027")
    db.session.add_all([school, klass])
    for first in NAMES[:pupils]:
        db.session.add(Pupil(school=school, school_class=klass, first_name=first))
    db.session.flush()
    return school


def make_user(name: str, email: str, role: str, *schools: School) -> User:
    user = User(name=name, email=email, role=role, schools=list(schools))
    if not _HASH:
        user.set_password(PASSWORD)
        _HASH.append(user.password_hash)
    user.password_hash = _HASH[0]
    db.session.add(user)
    return user


def make_world() -> SimpleNamespace:
    """School A (14 pupils in groep 6) and school B (8 pupils), with their staff."""
    a = make_school("School A", pupils=14)
    b = make_school("School B", pupils=8)
    w = SimpleNamespace(
        school=a,
        other_school=b,
        teacher=make_user("Juf Anne", "anne@a.example", ROLE_TEACHER, a),
        colleague=make_user("Meester Karim", "karim@a.example", ROLE_TEACHER, a),
        coordinator=make_user("Sanne SMW", "sanne@a.example", ROLE_COORDINATOR, a),
        admin=make_user("Beheer A", "beheer@a.example", ROLE_ADMIN, a),
        other_teacher=make_user("Juf Petra", "petra@b.example", ROLE_TEACHER, b),
        other_coordinator=make_user("Co B", "co@b.example", ROLE_COORDINATOR, b),
    )
    db.session.commit()
    w.pupils = sorted(a.classes[0].pupils, key=lambda p: p.id)
    w.other_pupils = sorted(b.classes[0].pupils, key=lambda p: p.id)
    w.subject = w.pupils[0]
    return w


@contextmanager
def changing(case: Case):
    """One step on ``case``, through the write path (locked, committed at the end). What a
    test changed by hand before is committed first, as its own setup."""
    db.session.commit()
    with UnitOfWork() as uow:
        uow.lock_cases([case.id])
        yield uow


def new_case(w, *, teacher=None, pupil=None, triage="herhaald", note="") -> Case:
    data = cases.MeldingInput(
        pupil_id=(pupil or w.subject).id,
        reported_on=school_today(),
        source="ouder",
        forms=["verbaal"],
        description="Wordt buitengesloten in de pauze.",
        triage=triage,
        triage_note=note,
    )
    db.session.commit()
    with UnitOfWork():
        case = cases.create_case(teacher or w.teacher, data)
    return case


def with_talk(w, case: Case, consent: bool = True) -> Case:
    data = talk.TalkInput(
        held_on=school_today(), consent=consent, letter="Ik wil graag meedoen.",
        confidential="GEHEIM-thuissituatie", pupil_task="Let op wie aardig is.",
        follow_up_on=None, notes="NOTITIE-alleen-personeel",
    )
    with changing(case):
        talk.record_talk(case, w.teacher, data)
    return case


def with_group(w, case: Case, size: int = 7, roles=None) -> Case:
    roles = roles or (ROLES7 + ["helper"])[:size]
    classmates = [p for p in w.pupils if p.id != case.pupil_id][:size]
    with changing(case):
        for pupil, role in zip(classmates, roles, strict=True):
            group.add_member(case, w.teacher, pupil.id, role)
    with changing(case):
        group.confirm_group(case, w.teacher)
    return case


def with_actions(w, case: Case) -> Case:
    with changing(case):
        for member in state.current_members(case.group):
            meeting.save_action(case, w.teacher, member, f"Ik ga samen spelen ({member.id}).",
                                None)
    return case


def with_meeting(w, case: Case) -> Case:
    with_actions(w, case)
    with changing(case):
        meeting.complete_meeting(case, w.teacher, 35)
    return case


def with_pupil_evaluation(w, case: Case, improved: str = "ja") -> Case:
    with changing(case):
        evaluations.record_pupil_evaluation(
            case, w.teacher,
            evaluations.PupilEvaluationInput(
                held_on=school_today(), wellbeing=3, changed="Iets beter.", still_needed="",
                improved=improved, notes="", same_day=True,
            ),
        )
    return case


def with_evaluations(w, case: Case, improved: str = "ja") -> Case:
    with_pupil_evaluation(w, case, improved)
    with changing(case):
        results = [
            evaluations.MemberResultInput(member_id=m.id, position=i, done="ja", observation="")
            for i, m in enumerate(state.current_members(case.group), start=1)
        ]
        evaluations.record_group_evaluation(case, w.teacher, school_today(), results, "",
                                            same_day=True)
    return case


def case_at(w, step: str, **kwargs) -> Case:
    """A case whose next step is `step` (gesprek, groep, bijeenkomst, evaluatie_leerling,
    besluit)."""
    case = new_case(w, **kwargs)
    if step == "gesprek":
        return case
    with_talk(w, case)
    if step == "groep":
        return case
    with_group(w, case)
    if step == "bijeenkomst":
        return case
    with_meeting(w, case)
    if step == "evaluatie_leerling":
        return case
    with_evaluations(w, case)
    return case


def group_again(w, case: Case) -> Case:
    """A case at its decision, in a school that allows it: one last group evaluation a week
    later (seed 002 stap 4)."""
    case.school.group_eval_again = True
    with changing(case):
        evaluations.decide(case, w.teacher, evaluations.AGAIN, "")
    return case


def group_results(case: Case, done: str = "ja") -> list:
    """A result for every member of the current round, in the group's order."""
    return [evaluations.MemberResultInput(member_id=m.id, position=i, done=done, observation="")
            for i, m in enumerate(state.current_members(case.group), start=1)]


def next_round(w, case: Case) -> Case:
    with changing(case):
        evaluations.decide(case, w.teacher, "nieuwe_ronde", "")
    return case


def escalate(w, case: Case, reason: str = "Gaat naar het stappenplan.") -> Case:
    """The steungroep ends in the school's stappenplan (the case stays open)."""
    with changing(case):
        evaluations.decide(case, w.teacher, "escaleren", reason)
    return case


def close_plan(w, case: Case, reason: str = "Het plan is klaar.",
               outcome: str = "plan_gestopt") -> Case:
    """The coordinator closes a case whose stappenplan is done."""
    with changing(case):
        plan.close_plan(case, w.coordinator, reason, outcome)
    return case


def scheduler_scan_at(due: float) -> None:
    """The scheduler's next scan as its job store holds it (a moment in seconds): a running
    scheduler (in the future) or a stopped one (in the past)."""
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM apscheduler_jobs"))
        connection.execute(text("INSERT INTO apscheduler_jobs (id, next_run_time, job_state)"
                                " VALUES ('scan', :due, :state)"), {"due": due, "state": b""})


def fresh(case: Case) -> Case:
    """The case as the database now has it (what a request changed, read again)."""
    db.session.expire_all()
    return db.session.get(Case, case.id)


def escalated_case(world, pupil=None):
    """A case whose group was escalated at its decision: the stappenplan runs."""
    case = case_at(world, "besluit", **({"pupil": pupil} if pupil else {}))
    return escalate(world, case)
