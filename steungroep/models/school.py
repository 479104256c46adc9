"""Schools, their calendar, classes and pupils, and the staff."""

from __future__ import annotations

import secrets
from datetime import date

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from steungroep.core.extensions import db
from steungroep.domain import people
from steungroep.domain.functions import (
    default_functions_text,
    default_informed_text,
    function_names,
)
from steungroep.domain.plan import default_plan_text


def new_card_token() -> str:
    """192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


ROLE_TEACHER = people.TEACHER
ROLE_COORDINATOR = people.COORDINATOR
ROLE_ADMIN = people.ADMIN
STAFF_ROLES = people.ROLES  # translated where shown


user_schools = Table(
    "user_schools",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("school_id", ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True),
)


class Board(db.Model):
    """A school board (schoolbestuur): its schools, and the admins who set them up."""

    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    schools: Mapped[list[School]] = relationship(back_populates="board", order_by="School.name")


def _kind_default(text_for):
    """A column default that follows the kind the new school is created with."""
    def default(context) -> str:
        return text_for(context.get_current_parameters().get("kind") or "po")
    return default


class School(db.Model):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    # The school's BRIN number (four characters, optionally the two of a location), if known.
    brin: Mapped[str | None] = mapped_column(String(6), unique=True)
    # The holiday region (noord / midden / zuid) whose school holidays apply.
    region: Mapped[str] = mapped_column(String(10), default="midden", server_default="midden")
    # po, vo or mbo: the words on cards, slips and guide texts (a mentor, not 'juf of meester')
    kind: Mapped[str] = mapped_column(String(10), default="po", server_default="po")
    # Months after closure that a case keeps its personal data; then it is anonymised.
    retention_months: Mapped[int] = mapped_column(Integer, default=12, server_default="12")
    # The school's own functions, one per line (domain.functions): who is informed, who a
    # talk is with, who owns a plan step. A new school's follow its kind.
    functions: Mapped[str] = mapped_column(Text, default=_kind_default(default_functions_text),
                                           server_default="")
    # Who is informed when a steungroep starts: party keys (``ouders``, ``f:`` and a
    # function), one per line. A new school's follow its kind.
    informed: Mapped[str] = mapped_column(Text, default=_kind_default(default_informed_text),
                                          server_default="")
    # The school's stappenplan after the steungroep, one step per line (domain.plan).
    plan_steps: Mapped[str] = mapped_column(Text, default=default_plan_text,
                                            server_default=default_plan_text())
    # The road the school's protocol takes first when bullying repeats (FIRST_ROADS): the
    # melding offers it first. A new school's follows its kind (default_first_road).
    first_road: Mapped[str] = mapped_column(String(20), default="steungroep",
                                            server_default="steungroep")
    # The address of the school's digital letterbox (/brievenbus/<token>), on its poster.
    letterbox_token: Mapped[str] = mapped_column(String(64), unique=True,
                                                 default=new_card_token)
    # School days from the meeting to the evaluation with the pupil and with the group.
    pupil_eval_days: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    group_eval_days: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    # The school's own texts of the letters to parents, by moment and 'route' (domain
    # .parent_letter); a missing or empty one is the default text.
    parent_letters: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    # Whether the decision after the group evaluation may be one last group evaluation a
    # week later, without a new meeting (seed 002 stap 4: the JPS protocol).
    group_eval_again: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The language of what pupils read: cards, their QR screens and print sheets, the
    # invitations (domain/i18n.py LANGUAGES).
    language: Mapped[str] = mapped_column(String(5), default="nl", server_default="nl")
    # Whether the notes for the pupil record name a member's role (aanvoerder, meeloper).
    dossier_roles: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Goes up with every change to this school's cases, pupils, classes or staff: what the
    # coordinator's overview keeps in memory is only reused while it has not moved.
    data_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    board: Mapped[Board] = relationship(back_populates="schools")

    @property
    def function_names(self) -> list[str]:
        return function_names(self.functions)

    classes: Mapped[list[SchoolClass]] = relationship(back_populates="school")
    days_off: Mapped[list[DayOff]] = relationship(
        back_populates="school", order_by="DayOff.day", cascade="all, delete-orphan"
    )


class DayOff(db.Model):
    """A day the school is closed besides the holidays: a studiedag."""

    __tablename__ = "days_off"
    __table_args__ = (UniqueConstraint("school_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(100), default="")

    school: Mapped[School] = relationship(back_populates="days_off")


class SchoolClass(db.Model):
    """A klas / groep in one school year, e.g. 'groep 6b' in '2026-2027'."""

    __tablename__ = "school_classes"
    __table_args__ = (UniqueConstraint("school_id", "school_year", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    school_year: Mapped[str] = mapped_column(String(9))
    # The made-up pupils of one practice case (steungroep.practice): in no list of real pupils
    # or classes, and removed with their case.
    practice: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    school: Mapped[School] = relationship(back_populates="classes")
    pupils: Mapped[list[Pupil]] = relationship(back_populates="school_class")


def short_name(first_name: str | None, surname_initial: str | None) -> str:
    """'Daan V.', or the first name alone; '–' once the pupil is gone (anonymised)."""
    if not first_name:
        return "–"
    return f"{first_name} {surname_initial}." if surname_initial else first_name


class Pupil(db.Model):
    """A pupil: first name, optional surname initial, class, optional external id. No more."""

    __tablename__ = "pupils"
    __table_args__ = (UniqueConstraint("school_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("school_classes.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(60))
    surname_initial: Mapped[str | None] = mapped_column(String(5))
    external_id: Mapped[str | None] = mapped_column(String(40))

    school_class: Mapped[SchoolClass] = relationship(back_populates="pupils")
    school: Mapped[School] = relationship()

    @property
    def display_name(self) -> str:
        return short_name(self.first_name, self.surname_initial)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(200), unique=True)
    # Empty until the person chooses a password (through an invitation link), and for
    # those who only ever log in with their school's account.
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=ROLE_TEACHER)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The private address of this person's calendar feed; None when they have none.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # After an admin reset, the person chooses their own password at the next login.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0"
    )

    # The language of the staff pages for this person (domain/i18n.py LANGUAGES).
    language: Mapped[str] = mapped_column(String(5), default="nl", server_default="nl")
    # Set for a board admin: an admin who creates the board's schools and names their
    # admins (and holds every school of the board).
    board_id: Mapped[int | None] = mapped_column(ForeignKey("boards.id"))
    # Reads the digital letterbox of their schools (the interne vertrouwenspersoon, seed 002
    # §4). A school where nobody does has its coordinators read it.
    reads_letters: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    schools: Mapped[list[School]] = relationship(secondary=user_schools)
    board: Mapped[Board | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        if not self.password_hash:
            return False  # no password chosen yet
        return check_password_hash(self.password_hash, password)

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    @property
    def is_board_admin(self) -> bool:
        return self.role == ROLE_ADMIN and self.board_id is not None

    @property
    def school_ids(self) -> set[int]:
        return {school.id for school in self.schools}

    @property
    def sees_school_cases(self) -> bool:
        """Coordinators read every case of their schools; admins and teachers do not."""
        return self.role == ROLE_COORDINATOR

    @property
    def may_read_letters(self) -> bool:
        """Whether the letterbox may be theirs to read: they were chosen, or they coordinate
        (a school where nobody was chosen has its coordinators read it; letterbox/inbox.py
        says per school)."""
        return self.reads_letters or self.role == ROLE_COORDINATOR

    @property
    def manages_schools(self) -> bool:
        """Coordinators and admins: they keep their schools' settings and pupil lists (what
        else each role may open: core/access.py)."""
        return self.role in (ROLE_COORDINATOR, ROLE_ADMIN)
