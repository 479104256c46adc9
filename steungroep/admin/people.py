"""Use cases for a school board's schools and people: creating schools, adding staff,
changing their role and schools, switching accounts off. The rules are in domain/people.py;
these run inside the caller's unit of work (a view's write path or the command line)."""

from __future__ import annotations

from sqlalchemy import and_, func, select, update

from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow
from steungroep.domain import DomainError, people
from steungroep.domain.calendar import REGIONS
from steungroep.domain.errors import Problems
from steungroep.domain.i18n import N_
from steungroep.domain.vocabulary import SCHOOL_KINDS, default_first_road
from steungroep.models import ROLE_ADMIN, Board, LoginSession, School, User, user_schools
from steungroep.web.writes import UnitOfWork, use_case


def _lock_schools(uow: UnitOfWork | None, school_ids: set[int]) -> None:
    """Changes to who administers these schools take turns (two admins demoting each other
    at once must not leave a school without one)."""
    if uow is not None:
        for school_id in sorted(school_ids):
            uow.lock_key(f"school-admins-{school_id}")


def _bump(school_ids: set[int]) -> None:
    """Staff names and roles show in the overview: what it kept in memory is stale."""
    if school_ids:
        db.session.execute(update(School).where(School.id.in_(school_ids))
                           .values(data_version=School.data_version + 1)
                           .execution_options(synchronize_session=False))


def email_taken(email: str, but: int | None = None) -> bool:
    query = select(User.id).where(func.lower(User.email) == email.lower())
    if but is not None:
        query = query.where(User.id != but)
    return db.session.scalar(query.limit(1)) is not None


# ---- boards and schools -------------------------------------------------------------------


def own_admin():
    """An active admin of a school's own: a board admin holds every school but is not one."""
    return and_(User.role == ROLE_ADMIN, User.active.is_(True), User.board_id.is_(None))


def _board_name(name: str, but: int = -1) -> str:
    name = people.clean_board_name(name)
    if db.session.scalar(select(Board.id).where(func.lower(Board.name) == name.lower(),
                                                Board.id != but)):
        raise DomainError(N_("Er is al een schoolbestuur met deze naam."), "board")
    return name


@use_case
def create_board(name: str) -> Board:
    board = Board(name=_board_name(name))
    db.session.add(board)
    return board


@use_case
def rename_board(board: Board, name: str) -> None:
    board.name = _board_name(name, but=board.id)


def _clean_school(name: str, kind: str, region: str, brin: str, but: int = -1
                  ) -> tuple[str, str, str, str | None]:
    """Every problem of the school's form at once."""
    problems = Problems()
    typed_name = " ".join((name or "").split())
    name_taken = db.session.scalar(select(School.id).where(
        func.lower(School.name) == typed_name.lower(), School.id != but).limit(1))
    clean_name = problems.check(people.clean_school_name, name, name_taken is not None)
    typed_brin = "".join((brin or "").split()).upper()
    brin_taken = bool(typed_brin) and db.session.scalar(select(School.id).where(
        School.brin == typed_brin, School.id != but).limit(1)) is not None
    clean_brin = problems.check(people.clean_brin, brin, brin_taken)
    if kind not in SCHOOL_KINDS:
        problems.refuse(N_("Kies het soort onderwijs."), "kind")
    if region not in REGIONS:
        problems.refuse(N_("Kies de vakantieregio."), "region")
    problems.raise_any()
    return clean_name or "", kind, region, clean_brin


@use_case
def create_school(board: Board, name: str, kind: str, region: str, brin: str = "") -> School:
    """A new school of ``board``; every board admin of the board holds it at once."""
    name, kind, region, brin_ = _clean_school(name, kind, region, brin)
    school = School(board=board, name=name, kind=kind, region=region, brin=brin_,
                    first_road=default_first_road(kind))
    db.session.add(school)
    for admin in db.session.scalars(select(User).where(User.board_id == board.id)):
        admin.schools.append(school)
    return school


@use_case
def change_school(school: School, name: str, kind: str, brin: str) -> None:
    """Name, type and BRIN. (The holiday region is changed under Instellingen, which moves
    the evaluations planned in the new holidays.)"""
    name, kind, _region, brin_ = _clean_school(name, kind, school.region, brin, but=school.id)
    school.name, school.kind, school.brin = name, kind, brin_
    _bump({school.id})


# ---- people ---------------------------------------------------------------------------------


def admins_without(school_ids: set[int], leaving: int) -> list[str]:
    """Names of those schools that have no active admin of their own (a board admin holds
    every school but does not count) but ``leaving`` (the person being changed), read after
    the caller locked them."""
    if not school_ids:
        return []
    with_admin = set(db.session.scalars(
        select(user_schools.c.school_id)
        .join(User, User.id == user_schools.c.user_id)
        .where(user_schools.c.school_id.in_(school_ids), User.id != leaving,
               own_admin())
    ))
    return list(db.session.scalars(
        select(School.name).where(School.id.in_(school_ids - with_admin))))


@use_case
def add_person(uow: UnitOfWork | None, *, name: str, email: str, role: str,
               school_ids: set[int], held: set[int] | None,
               board: Board | None = None) -> User:
    """A new staff account without a password (an invitation link chooses it).
    ``held``: the schools of the admin who adds (None from the command line: any school).
    ``board``: the new person is a board admin of it (they hold all its schools)."""
    problems = Problems()
    clean_name = problems.check(people.clean_name, name)
    clean_email = problems.check(people.clean_email, email)
    clean_role = problems.check(people.clean_role, role)
    chosen = problems.check(people.check_schools, school_ids,
                            held if held is not None else school_ids)
    if clean_email and email_taken(clean_email):
        problems.check(people.check_email_free, True)
    problems.raise_any()
    if board is not None:
        clean_role = ROLE_ADMIN
        chosen = (chosen or set()) | {s.id for s in board.schools}
    schools = list(db.session.scalars(select(School).where(School.id.in_(chosen or set()))))
    if uow is not None:
        uow.lock_key(f"email-{clean_email}")
    user = User(name=clean_name, email=clean_email, role=clean_role, password_hash="",
                schools=schools, board=board)
    db.session.add(user)
    _bump({s.id for s in schools})
    return user


@use_case
def change_person(uow: UnitOfWork | None, person: User, actor: User, *, name: str,
                  email: str, role: str, school_ids: set[int],
                  reads_letters: bool | None = None) -> list[str]:
    """Name, address, role, schools and whether they read the letterbox (None: as it was),
    as an admin holding ``actor.school_ids`` sets them. Returns what changed (for the audit
    trail and the message)."""
    held = actor.school_ids
    problems = Problems()
    clean_name = problems.check(people.clean_name, name)
    clean_email = problems.check(people.clean_email, email)
    clean_role = problems.check(people.clean_role, role)
    chosen = problems.check(people.check_schools, school_ids, held)
    if clean_email and clean_email != person.email and email_taken(clean_email, but=person.id):
        problems.check(people.check_email_free, True)
    if person.is_board_admin and clean_role and clean_role != ROLE_ADMIN:
        problems.refuse(N_("Een bestuursbeheerder blijft beheerder."), "role")
    problems.raise_any()
    if person.id == actor.id and (clean_role != person.role or chosen != person.school_ids & held):
        people.check_not_self(True, "role")
    current = person.school_ids
    after = people.schools_after_change(current, chosen or set(), held)
    if person.is_board_admin:
        after |= {s.id for s in person.board.schools}
    losing_admin = (current - after) if clean_role == ROLE_ADMIN else current
    if person.role == ROLE_ADMIN and person.active and losing_admin:
        _lock_schools(uow, losing_admin)
        people.check_admins_left(admins_without(losing_admin, person.id))
    changed = []
    if clean_name != person.name:
        changed.append("naam")
    if clean_email != person.email:
        changed.append("e-mailadres")
    if clean_role != person.role:
        changed.append(f"rol {person.role}→{clean_role}")
    if after != current:
        changed.append("scholen")
    if reads_letters is not None and reads_letters != person.reads_letters:
        changed.append("leest de brievenbus" if reads_letters else "leest de brievenbus niet")
        person.reads_letters = reads_letters
    person.name, person.email, person.role = clean_name, clean_email, clean_role
    if after != current:
        person.schools = list(db.session.scalars(select(School).where(School.id.in_(after))))
    if changed:
        _bump(current | after)
    return changed


@use_case
def set_active(uow: UnitOfWork | None, person: User, actor: User, active: bool) -> None:
    """Switch an account off (someone left) or on. Off ends their logins at once and kills
    their calendar feed and open links; their name stays on what they did."""
    if person.id == actor.id:
        raise DomainError(N_("Je kunt je eigen account niet uitzetten."))
    if not active and person.active and person.role == ROLE_ADMIN:
        _lock_schools(uow, person.school_ids)
        people.check_admins_left(admins_without(person.school_ids, person.id))
    person.active = active
    if not active:
        db.session.execute(update(LoginSession)
                           .where(LoginSession.user_id == person.id,
                                  LoginSession.ended_at.is_(None))
                           .values(ended_at=utcnow()))
        person.calendar_token = None  # switched on again, the old feed address stays dead
    _bump(person.school_ids)
