"""The letterbox's changes: a letter put in (from the public form), read, answered, closed
with a reason, or turned into a melding (cases/use_cases.create_case links it)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import select

from steungroep.cases.pupils import school_first_names
from steungroep.core import mail
from steungroep.core.extensions import db
from steungroep.core.security import public_address
from steungroep.core.timeutil import utcnow
from steungroep.domain import letterbox as rules
from steungroep.letterbox.inbox import readers
from steungroep.models import (
    Case,
    Letter,
    OutboxMessage,
    School,
    User,
    new_card_token,
)
from steungroep.web.writes import use_case


@dataclass
class LetterInput:
    """The public form as typed."""

    nonce: str
    what: str
    where: str
    about: str
    writer: str
    wants_talk: str
    name: str
    class_name: str


def code_of(school: School, nonce: str) -> str:
    """The code the form that carried ``nonce`` gives (and gives again on a second send)."""
    return rules.code_for(current_app.config["SECRET_KEY"], f"{school.id}:{nonce}")


def sent_before(school: School, nonce: str | None) -> tuple[Letter, str] | None:
    """The letter this very form already put in (a double tap, a resend), with its code."""
    if not nonce or not rules.NONCE.fullmatch(nonce):
        return None
    code = code_of(school, nonce)
    letter = db.session.scalar(select(Letter).where(Letter.code_hash == rules.code_key(code)))
    return (letter, code) if letter is not None else None


def check_letter(typed: LetterInput) -> dict[str, str]:
    """Everything typed, checked (each problem by its field), before any try is counted."""
    rules.check_nonce(typed.nonce)
    return rules.clean_letter(typed.what, typed.where, typed.about, typed.writer,
                              typed.wants_talk, typed.name, typed.class_name)


@use_case
def post_letter(school: School, nonce: str, values: dict[str, str]) -> tuple[Letter, str]:
    """Put the letter in the school's letterbox; its readers get a mail (without a word of
    what it says) when e-mail is set up. Returns the letter and the writer's code."""
    code = code_of(school, nonce)
    letter = Letter(school_id=school.id, code_hash=rules.code_key(code), created_at=utcnow(),
                    **values)
    db.session.add(letter)
    db.session.flush()
    if mail.settings_from(current_app.config):
        link = public_address(url_for("letterbox.letter_page", letter_id=letter.id))
        for reader in readers(school.id):
            if not reader.email:
                continue
            db.session.add(OutboxMessage(
                dedupe_key=f"brief-{letter.id}-{reader.id}", to_address=reader.email,
                subject=f"Nieuw briefje in de brievenbus van {school.name}",
                body=(f"Beste {reader.name},\n\nEr is een nieuw briefje in de digitale "
                      f"brievenbus van {school.name}. Lees het in de app:\n{link}\n\n"
                      "Wat erin staat, staat alleen in de app.\n"),
            ))
    return letter, code


def letter_by_code(school: School, typed: str | None) -> Letter | None:
    code = rules.typed_code(typed)
    if code is None:
        return None
    return db.session.scalar(select(Letter).where(Letter.school_id == school.id,
                                                  Letter.code_hash == rules.code_key(code)))


def _read(letter: Letter, user: User) -> None:
    if letter.read_at is None:
        letter.read_at, letter.read_by_id = utcnow(), user.id


@use_case
def mark_read(letter: Letter, user: User) -> None:
    """The writer may see that someone read it."""
    _read(letter, user)


@use_case
def answer(letter: Letter, user: User, text: str) -> None:
    """What the writer reads with their code; a later answer replaces it."""
    text = rules.check_answer(text, school_first_names(letter.school_id),
                              f"{letter.name} {letter.about}")
    _read(letter, user)
    letter.answer, letter.answered_at, letter.answered_by_id = text, utcnow(), user.id


@use_case
def close(letter: Letter, user: User, reason: str, note: str) -> None:
    rules.check_open(letter.closed_at is not None, letter.case_id is not None)
    reason, note = rules.check_close(reason, note)
    _read(letter, user)
    letter.closed_at, letter.closed_by_id = utcnow(), user.id
    letter.close_reason, letter.close_note = reason, note


@use_case
def new_address(school: School) -> None:
    """The letterbox gets a new address; the old one is unknown from now on."""
    school.letterbox_token = new_card_token()


def link_to_case(letter: Letter, user: User, case: Case) -> None:
    """Inside create_case: the melding this letter became."""
    rules.check_open(letter.closed_at is not None, letter.case_id is not None)
    _read(letter, user)
    letter.case = case
