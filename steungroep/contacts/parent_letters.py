"""A written word for parents (domain/parent_letter.py): composed for the parents of one pupil
of the case at one of the protocols' moments, edited, then kept as a contact of kind 'brief'
(in that pupil's access copy, erased with them) and on the case's timeline with its text,
and printed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from steungroep import domain
from steungroep.cases.pupils import case_first_names
from steungroep.cases.state import ensure_record, note, talk_agreements
from steungroep.contacts.use_cases import case_pupils
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.domain import parent_letter as rules
from steungroep.domain.i18n import N_
from steungroep.models import Case, CaseTalk, Pupil, TimelineEntry, User
from steungroep.web.writes import use_case

KIND = "brief"
TIMELINE_KIND = "brief_ouders"


def _pupil(case: Case, pupil_id: int | None) -> Pupil:
    """A pupil of the case (the one it is about, one involved, a member): whose parents the
    letter is for."""
    pupil = next((p for p in case_pupils(case) if p.id == pupil_id), None)
    if pupil is None:
        raise domain.DomainError(N_("Kies de leerling voor wiens ouders de brief is."), "pupil")
    return pupil


def draft(case: Case, pupil_id: int | None, moment: str | None, contact: str) -> str:
    """The letter as the school's texts and that pupil's agreements make it."""
    pupil = _pupil(case, pupil_id)
    return rules.compose(rules.check_moment(moment), case.school.parent_letters,
                         child=pupil.first_name, school=case.school.name,
                         contact=contact.strip() or case.teacher.name,
                         agreements=talk_agreements(case, pupil.id), on=school_today(),
                         names=case_first_names(case))


def timeline_text(talk: CaseTalk) -> str:
    return f"Brief aan ouders:\n{talk.summary}"


@dataclass
class LetterInput:
    pupil_id: int | None
    moment: str
    contact: str
    text: str
    submission_key: str | None = None


@use_case
def give_letter(case: Case, user: User, data: LetterInput) -> CaseTalk:
    """Keep the letter as given today: a contact with that pupil's parents, and the text on
    the timeline. The same form sent twice keeps it once."""
    ensure_record(case)
    if data.submission_key:
        same = next((t for t in case.talks if t.submission_key == data.submission_key), None)
        if same is not None:
            return same
    problems = domain.Problems()
    pupil = problems.check(_pupil, case, data.pupil_id)
    problems.check(rules.check_moment, data.moment)
    contact = problems.check(rules.check_contact, data.contact) or ""
    text = problems.check(rules.check_letter, data.text, pupil.first_name if pupil else "",
                          case_first_names(case), f"{contact} {case.school.name}")
    problems.raise_any()
    talk = CaseTalk(case=case, kind=KIND, party="ouders", pupil=pupil, held_on=school_today(),
                    summary=text, user=user, submission_key=data.submission_key)
    db.session.add(talk)
    note(case, user, TIMELINE_KIND, timeline_text(talk))
    return talk


def forget_timeline_copy(talk: CaseTalk) -> None:
    """Erasing the pupil: the timeline's copy of the letter goes too (it names them)."""
    db.session.execute(
        update(TimelineEntry)
        .where(TimelineEntry.case_id == talk.case_id, TimelineEntry.kind == TIMELINE_KIND,
               TimelineEntry.text == timeline_text(talk))
        .values(text="Brief aan ouders (gewist op verzoek).")
        .execution_options(synchronize_session=False))
