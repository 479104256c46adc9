"""A demo school board (two schools with classes, pupils, staff and cases at different
steps), loaded once and removed again in one go. Both are idempotent."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today, utcnow
from steungroep.models import (
    EVAL_GROUP,
    EVAL_PUPIL,
    ROLE_ADMIN,
    ROLE_COORDINATOR,
    ROLE_TEACHER,
    Action,
    Board,
    Case,
    CaseForm,
    CasePupil,
    CaseTalk,
    Consequence,
    Cycle,
    DayOff,
    Evaluation,
    GroupMember,
    Informed,
    Letter,
    Notice,
    PlanStep,
    Pupil,
    PupilTalk,
    School,
    SchoolClass,
    SupportGroup,
    TimelineEntry,
    User,
    user_schools,
)
from steungroep.records import removal

SCHOOL = "OBS De Vlinder (demo)"
OTHER_SCHOOL = "CBS Het Anker (demo)"
SCHOOLS = (SCHOOL, OTHER_SCHOOL)
BOARD = "Demobestuur (demo)"
BOARD_ADMIN = "bestuur@vlinder.example"
YEAR = "2026-2027"
NAMES = {
    "groep 5": "Daan Emma Levi Julia Finn Mila Sem Tess Noah Zoë Luuk Sara Bram Fleur Jesse "
    "Lotte Mees Evi Ties Anna",
    "groep 6": "Bas Noor Sven Yara Thijs Lina Ruben Isa Milan Fenna Gijs Roos Stijn Amira "
    "Owen Lieke Jayden Nina Teun Eline Kiki Omar",
    "groep 7": "Lucas Hanna Mats Jill Dex Sofie Timo Femke Ilias Maud Koen Vera Rayan Elin "
    "Joep Liv Hugo Merel",
}
PASSWORDS = {
    ROLE_TEACHER: "demo-leerkracht",
    ROLE_COORDINATOR: "demo-coordinator",
    ROLE_ADMIN: "demo-beheerder",
}
BOARD_PASSWORD = "demo-bestuur"
LABELS = {ROLE_TEACHER: "leerkracht", ROLE_COORDINATOR: "coördinator", ROLE_ADMIN: "beheerder"}
# (name, e-mail, role, school); school None: the board admin, who holds both demo schools.
STAFF = [
    ("Juf Anne de Wit", "anne@vlinder.example", ROLE_TEACHER, SCHOOL),
    ("Meester Karim Aziz", "karim@vlinder.example", ROLE_TEACHER, SCHOOL),
    ("Sanne Bakker (SMW)", "sanne@vlinder.example", ROLE_COORDINATOR, SCHOOL),
    ("Beheer De Vlinder", "beheer@vlinder.example", ROLE_ADMIN, SCHOOL),
    ("Juf Petra Smit", "petra@anker.example", ROLE_TEACHER, OTHER_SCHOOL),
    ("Bestuur Demobestuur", BOARD_ADMIN, ROLE_ADMIN, None),
]
EMAILS = [email for _, email, _, _ in STAFF]


def password_of(email: str, role: str) -> str:
    return BOARD_PASSWORD if email == BOARD_ADMIN else PASSWORDS[role]


def other_schools() -> list[str]:
    """Schools and people that are not the demo's: a real database, where the demo (with
    passwords everyone can read) does not belong."""
    schools = list(db.session.scalars(
        select(School.name).where(School.name.not_in(SCHOOLS)).order_by(School.name)))
    people = list(db.session.scalars(
        select(User.email).where(func.lower(User.email).not_in(EMAILS)).order_by(User.email)))
    return schools + people


def logins() -> list[tuple[str, str, str]]:
    """(what, e-mail, password) of each demo login there is."""
    found = set(db.session.scalars(
        select(func.lower(User.email)).where(func.lower(User.email).in_(EMAILS))))
    return [("bestuursbeheerder" if email == BOARD_ADMIN else LABELS[role], email,
             password_of(email, role))
            for _, email, role, _ in STAFF if email in found]


def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo board once (the caller checks ``other_schools`` first); return
    (what, e-mail, password) for each demo login."""
    if db.session.scalar(select(School).where(School.name == SCHOOL)) is not None:
        return logins()
    board = db.session.scalar(select(Board).where(Board.name == BOARD)) or Board(name=BOARD)
    schools = {SCHOOL: School(name=SCHOOL, region="midden", board=board),
               OTHER_SCHOOL: School(name=OTHER_SCHOOL, region="zuid", board=board)}
    db.session.add_all(schools.values())
    studiedag = school_today() + timedelta(days=21)
    studiedag += timedelta(days=(2 - studiedag.weekday()) % 7)  # a Wednesday
    schools[SCHOOL].days_off.append(DayOff(day=studiedag, description="Studiedag team"))
    pupils: dict[str, Pupil] = {}
    for class_name, names in NAMES.items():
        klass = SchoolClass(school=schools[SCHOOL], name=class_name, school_year=YEAR)
        db.session.add(klass)
        for index, first in enumerate(names.split()):
            pupil = Pupil(
                school=schools[SCHOOL], school_class=klass, first_name=first,
                surname_initial="ABCDEGHJKLMNPRSTVW"[index % 18],
            )
            db.session.add(pupil)
            pupils[first] = pupil
    other_class = SchoolClass(school=schools[OTHER_SCHOOL], name="groep 6", school_year=YEAR)
    for first in ["Anouk", "Bart", "Cas", "Dina", "Eva", "Frank", "Gwen", "Hidde"]:
        db.session.add(
            Pupil(school=schools[OTHER_SCHOOL], first_name=first, school_class=other_class)
        )
    db.session.add(other_class)
    users = {}
    for name, email, role, school in STAFF:
        user = User(name=name, email=email, role=role,
                    schools=[schools[school]] if school else list(schools.values()),
                    board=None if school else board)
        user.set_password(password_of(email, role))
        users[email] = user
        db.session.add(user)
    db.session.flush()
    anne = users["anne@vlinder.example"]
    today = school_today()
    _fresh_case(anne, pupils["Noor"], today)
    _case_with_group(anne, pupils["Lina"], today, meeting_days_ago=None)
    _case_with_group(anne, pupils["Isa"], today, meeting_days_ago=8)
    _one_off_case(anne, pupils["Daan"], pupils["Emma"], today)
    # One letter waits in the school's letterbox (its code is nobody's: only a hash is kept).
    db.session.add(Letter(
        school=schools[SCHOOL], code_hash=secrets.token_hex(32), writer="ander",
        what="Bij het hek na school duwen ze een jongen uit groep 5 steeds weg.",
        where="Bij het hek", wants_talk="weet_niet", created_at=utcnow()))
    return logins()


def _case(teacher: User, pupil: Pupil, reported_on, description: str,
          triage: str = "herhaald", forms=("verbaal", "isolatie")) -> Case:
    case = Case(
        school=pupil.school, pupil=pupil, teacher=teacher, reported_on=reported_on,
        source="ouder", description=description, triage=triage,
        forms=[CaseForm(form=form) for form in forms],
    )
    db.session.add(case)
    for kind, text in (
        ("melding", "Melding geregistreerd (ouder/verzorger)."),
        ("triage", f"Triage: {domain.TRIAGE[triage]}."),
    ):
        db.session.add(TimelineEntry(case=case, user=teacher, kind=kind, text=text, at=utcnow()))
    return case


def _one_off_case(teacher: User, pupil: Pupil, other: Pupil, today) -> Case:
    """The one-off path: the restoring talk three days ago, the check ten school days on."""
    case = _case(teacher, pupil, today - timedelta(days=4),
                 "Daan is bij de kapstok één keer hard geduwd; hij was erg geschrokken.",
                 triage="eenmalig", forms=("lichamelijk",))
    case.triage_note = "Herstelgesprek met Emma, daarna controle na twee weken."
    held = today - timedelta(days=3)
    calendar = domain.RegionCalendar(case.school.region)
    case.talks = [CaseTalk(
        kind="herstelgesprek", party="leerling", pupil=other, held_on=held, user=teacher,
        summary="Emma zag in wat het met Daan deed en bood excuses aan.",
        agreements="Ze laten elkaar met rust bij de kapstok.",
        follow_up_on=domain.add_school_days(held, domain.plan.ONE_OFF_CHECK_SCHOOL_DAYS,
                                            calendar))]
    case.involved = [CasePupil(pupil=other, involvement="pestte", added_on=held)]
    db.session.add(TimelineEntry(case=case, user=teacher, kind="herstelgesprek", at=utcnow(),
                                 text="Herstelgesprek gehouden."))
    return case


def _fresh_case(teacher: User, pupil: Pupil, today) -> Case:
    return _case(
        teacher, pupil, today - timedelta(days=1),
        "Moeder meldt dat Noor in de pauze steeds buiten het spel wordt gehouden.",
    )


def _case_with_group(teacher: User, pupil: Pupil, today, meeting_days_ago: int | None) -> Case:
    start = today - timedelta(days=(meeting_days_ago or 0) + 5)
    case = _case(
        teacher, pupil, start,
        f"{pupil.first_name} wordt uitgescholden in de klassenapp en voelt zich alleen.",
    )
    case.talk = PupilTalk(
        held_on=start + timedelta(days=1), consent=True,
        letter="Ik vind het niet fijn op school. Ik wil graag meedoen met jullie.",
        confidential="Wat er thuis speelt blijft tussen ons.",
        pupil_task="Let op wat klasgenoten doen om aardig te zijn.",
        follow_up_on=start + timedelta(days=8),
    )
    group = SupportGroup(confirmed_at=utcnow())
    case.group = group
    subjects = {"Noor", "Lina", "Isa"}  # the demo's cases: none is in another's group
    classmates = [p for p in pupil.school_class.pupils if p.first_name not in subjects][:7]
    roles = ["aanvoerder", "meeloper", "meeloper", "omstander", "helper", "helper", "omstander"]
    members = [GroupMember(pupil=p, role=r) for p, r in zip(classmates, roles, strict=True)]
    group.members = members
    cycle = Cycle(number=1)
    group.cycles = [cycle]
    db.session.add(TimelineEntry(
        case=case, user=teacher, kind="groep", at=utcnow(),
        text=f"Steungroep samengesteld met {len(members)} leerlingen.",
    ))
    if meeting_days_ago is not None:
        meeting_on = today - timedelta(days=meeting_days_ago)
        calendar = domain.RegionCalendar(case.school.region)
        while not calendar.is_school_day(meeting_on):  # meetings are held on school days
            meeting_on -= timedelta(days=1)
        pupil_due, group_due = domain.evaluation_dates(meeting_on, calendar)
        cycle.meeting_on = meeting_on
        cycle.meeting_completed_at = utcnow()
        ideas = [
            f"Ik ga {pupil.first_name} 's ochtends gedag zeggen.",
            "Ik ga in de pauze vragen of we samen voetballen.",
            "Ik ga naast haar zitten bij het overblijven.",
            "Ik ga zeggen dat ik haar tekening mooi vind.",
            "Ik ga samen met haar naar huis fietsen.",
            "Ik ga haar helpen met rekenen als ze dat wil.",
            "Ik ga haar vragen voor het groepje bij gym.",
        ]
        cycle.actions = [Action(member=m, text=t) for m, t in zip(members, ideas, strict=True)]
        cycle.evaluations = [
            Evaluation(kind=EVAL_PUPIL, due_on=pupil_due),
            Evaluation(kind=EVAL_GROUP, due_on=group_due),
        ]
        db.session.add(TimelineEntry(
            case=case, user=teacher, kind="bijeenkomst", at=utcnow(),
            text="Bijeenkomst ronde 1 gehouden met 7 leerlingen.",
        ))
    return case


# ---- removing the demo ----------------------------------------------------------------------


class DemoInUse(Exception):
    """Removing the demo would take more than the demo with it: nothing is removed."""


@dataclass(frozen=True)
class Scope:
    """Ids of what the demo consists of: its schools, accounts, cases and pupils, and the
    boards that go with it (those without other schools or people)."""

    schools: set[int]
    users: set[int]
    cases: set[int]
    pupils: set[int]
    boards: set[int]


def _ids(query) -> set[int]:
    return set(db.session.scalars(query))


def scope() -> Scope | None:
    """What the demo holds now, or None when there is no demo."""
    schools = _ids(select(School.id).where(School.name.in_(SCHOOLS)))
    users = _ids(select(User.id).where(func.lower(User.email).in_(EMAILS)))
    if not schools and not users:
        return None
    boards = (_ids(select(School.board_id).where(School.id.in_(schools)))
              - _ids(select(School.board_id).where(School.id.not_in(schools)))
              - _ids(select(User.board_id).where(User.id.not_in(users))))
    return Scope(schools, users, _ids(select(Case.id).where(Case.school_id.in_(schools))),
                 _ids(select(Pupil.id).where(Pupil.school_id.in_(schools))), boards)


def refusals(found: Scope) -> list[str]:
    """Why removing the demo would touch someone's real work (Dutch), or []."""
    problems = [
        f"Het demo-account {email} hoort ook bij {school}, een school buiten de demo."
        for email, school in db.session.execute(
            select(User.email, School.name)
            .join(user_schools, user_schools.c.user_id == User.id)
            .join(School, School.id == user_schools.c.school_id)
            .where(User.id.in_(found.users), School.id.not_in(found.schools))
            .order_by(User.email, School.name))]
    problems += [
        f"{name} ({email}) hoort niet bij de demo maar is verantwoordelijk voor demo-aanpak "
        f"#{case_id}."
        for case_id, name, email in db.session.execute(
            select(Case.id, User.name, User.email).join(User, User.id == Case.teacher_id)
            .where(Case.id.in_(found.cases), User.id.not_in(found.users)).order_by(Case.id))]
    for model in (Case, CaseTalk, Informed, PlanStep, Consequence, TimelineEntry, Notice):
        user_column = model.teacher_id if model is Case else model.user_id
        case_column = model.id if model is Case else model.case_id
        emails = db.session.scalars(
            select(User.email).join(model, user_column == User.id)
            .where(User.id.in_(found.users), case_column.not_in(found.cases)).distinct())
        problems += [f"Het demo-account {email} staat in aanpakken van een school buiten de "
                     "demo." for email in emails]
    return list(dict.fromkeys(problems))  # each once, in order


Removed = removal.Removed


def remove_demo(uow) -> list[Removed] | None:
    """Remove the demo in the caller's unit of work: its schools, their board, the demo
    accounts and every row hanging from them; returns how many rows of each kind went, or
    None when there is no demo. Raises DemoInUse (nothing removed) when that would touch
    real work."""
    found = scope()
    if found is None:
        return None
    uow.lock_cases(found.cases)
    if problems := refusals(found):
        raise DemoInUse("\n".join(problems))
    return removal.remove(removal.Rows(
        cases=found.cases, pupils=found.pupils, schools=found.schools, users=found.users,
        boards=found.boards, emails=tuple(EMAILS)))
