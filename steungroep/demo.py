"""A demo school with classes, pupils, staff and cases at different steps. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

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
    Case,
    CaseForm,
    CasePupil,
    CaseTalk,
    Cycle,
    DayOff,
    Evaluation,
    GroupMember,
    Pupil,
    PupilTalk,
    School,
    SchoolClass,
    SupportGroup,
    TimelineEntry,
    User,
)

SCHOOL = "OBS De Vlinder (demo)"
OTHER_SCHOOL = "CBS Het Anker (demo)"
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
STAFF = [
    ("Juf Anne de Wit", "anne@vlinder.example", ROLE_TEACHER, SCHOOL),
    ("Meester Karim Aziz", "karim@vlinder.example", ROLE_TEACHER, SCHOOL),
    ("Sanne Bakker (SMW)", "sanne@vlinder.example", ROLE_COORDINATOR, SCHOOL),
    ("Beheer De Vlinder", "beheer@vlinder.example", ROLE_ADMIN, SCHOOL),
    ("Juf Petra Smit", "petra@anker.example", ROLE_TEACHER, OTHER_SCHOOL),
]


def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo school once; return (role, e-mail, password) for each demo login."""
    logins = [(role, email, PASSWORDS[role]) for _, email, role, _ in STAFF]
    if db.session.scalar(select(School).where(School.name == SCHOOL)) is not None:
        return logins
    schools = {SCHOOL: School(name=SCHOOL, region="midden"),
               OTHER_SCHOOL: School(name=OTHER_SCHOOL, region="zuid")}
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
        user = User(name=name, email=email, role=role, schools=[schools[school]])
        user.set_password(PASSWORDS[role])
        users[email] = user
        db.session.add(user)
    db.session.flush()
    anne = users["anne@vlinder.example"]
    today = school_today()
    _fresh_case(anne, pupils["Noor"], today)
    _case_with_group(anne, pupils["Lina"], today, meeting_days_ago=None)
    _case_with_group(anne, pupils["Isa"], today, meeting_days_ago=8)
    _one_off_case(anne, pupils["Daan"], pupils["Emma"], today)
    return logins


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
