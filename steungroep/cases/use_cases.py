"""Steps 1 and 2: the melding and its triage; who was informed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from steungroep import domain
from steungroep.cases.state import (
    ensure_record,
    note,
)
from steungroep.core.extensions import db
from steungroep.core.timeutil import local, school_today, utcnow
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.letterbox import use_cases as letterbox
from steungroep.letterbox.inbox import letter_for
from steungroep.models import (
    Case,
    CaseForm,
    Informed,
    Letter,
    Pupil,
    User,
)
from steungroep.stappenplan.use_cases import start_plan
from steungroep.web.writes import use_case


@dataclass
class MeldingInput:
    pupil_id: int | None
    reported_on: date | None
    source: str
    forms: list[str]
    description: str
    triage: str
    triage_note: str
    submission_key: str | None = None
    fact_where: str = ""
    fact_frequency: str = ""
    fact_since: str = ""
    fact_parents_know: str = ""
    fact_earlier: str = ""
    fact_when: str = ""
    fact_tried: str = ""
    fact_wants: str = ""
    fact_helpers: str = ""
    fact_severity: str = ""
    fact_group: str = ""
    fact_view: str = ""
    letter_id: int | None = None  # the letter from the letterbox this melding is made of


def _facts(problems: domain.Problems, data: MeldingInput) -> dict[str, str]:
    """The optional facts of a melding, checked like the rest (each may stay empty)."""
    def short(value: str, label: str, field: str) -> str:
        return problems.check(domain.clean_text, value, label, max_length=domain.SHORT_TEXT,
                              required=False, field=field) or ""

    def long(value: str, label: str, field: str) -> str:
        return problems.check(domain.clean_text, value, label, max_length=domain.LONG_TEXT,
                              required=False, field=field) or ""

    def choice(value: str, choices: dict, label: str, field: str) -> str:
        if not value:
            return ""
        return problems.check(domain.check_choice, value, choices, label, field=field) or ""

    return {
        "fact_where": short(data.fact_where, N_("Waar"), "fact_where"),
        "fact_frequency": choice(data.fact_frequency, domain.FREQUENCY, N_("Hoe vaak?"),
                                 "fact_frequency"),
        "fact_since": short(data.fact_since, N_("Sinds wanneer"), "fact_since"),
        "fact_parents_know": choice(data.fact_parents_know, domain.PARENTS_KNOW,
                                    N_("Weten de ouders ervan?"), "fact_parents_know"),
        "fact_earlier": problems.check(
            domain.clean_text, data.fact_earlier, N_("Wat er al eerder is gedaan"),
            max_length=domain.LONG_TEXT, required=False, field="fact_earlier") or "",
        "fact_when": short(data.fact_when, N_("Wanneer"), "fact_when"),
        "fact_tried": long(data.fact_tried, N_("Wat de leerling zelf al probeerde"),
                           "fact_tried"),
        "fact_wants": long(data.fact_wants, N_("Wat de leerling wil"), "fact_wants"),
        "fact_helpers": short(data.fact_helpers, N_("Wie de leerling helpt"), "fact_helpers"),
        "fact_severity": choice(data.fact_severity, domain.SEVERITY, N_("Hoe ernstig?"),
                                "fact_severity"),
        "fact_group": long(data.fact_group, N_("De rol van de groep"), "fact_group"),
        "fact_view": choice(data.fact_view, domain.PUPIL_VIEW,
                            N_("Hoe noemt de leerling het zelf?"), "fact_view"),
    }


@use_case
def create_case(user: User, data: MeldingInput) -> Case:
    """Record a melding and its triage. 'Geen pesten' closes it at once; the one-off path
    stays open for the restoring talk and the check after two weeks; the stappenplan road
    copies the school's steps into the case at once (seed 000, seed 004 §2.2)."""
    if data.submission_key:
        existing = db.session.scalar(
            select(Case).where(Case.submission_key == data.submission_key)
        )
        if existing is not None:
            return existing
    problems = domain.Problems()
    pupil = db.session.get(Pupil, data.pupil_id) if data.pupil_id else None
    if (pupil is None or pupil.school_id not in user.school_ids
            or pupil.school_class.practice):  # a made-up pupil only in its practice case
        problems.refuse(N_("Kies de leerling om wie het gaat."), "pupil_id")
    if data.reported_on is None:
        problems.refuse(N_("Vul de datum van de melding in."), "reported_on")
    elif data.reported_on > school_today():
        problems.refuse(N_("De datum van de melding ligt in de toekomst."), "reported_on")
    else:
        problems.check(domain.check_not_long_ago, data.reported_on, school_today(),
                       "reported_on")
    source = problems.check(domain.check_choice, data.source, domain.SOURCES,
                            N_("Wie meldt het?"), field="source")
    forms = sorted(set(data.forms))
    if not forms:
        problems.refuse(N_("Kies minstens één vorm bij ‘Wat gebeurt er?’."), "forms")
    for form in forms:
        problems.check(domain.check_choice, form, domain.FORMS, N_("Wat gebeurt er?"),
                       field="forms")
    description = problems.check(
        domain.clean_text, data.description, N_("Korte beschrijving"),
        max_length=domain.LONG_TEXT, field="description",
    )
    triage = problems.check(domain.check_choice, data.triage, domain.TRIAGE,
                            N_("Triage: wat is de volgende stap?"), field="triage")
    triage_note = problems.check(
        domain.clean_text,
        data.triage_note,
        N_("Wat er in plaats van een steungroep gebeurt"),
        max_length=domain.LONG_TEXT,
        required=triage not in (None, "herhaald"),
        field="triage_note",
    )
    facts = _facts(problems, data)
    letter = _letter(problems, user, data.letter_id, pupil)
    problems.raise_any()
    case = Case(
        school_id=pupil.school_id,
        pupil=pupil,
        teacher=user,
        reported_on=data.reported_on,
        source=source,
        description=description,
        triage=triage,
        triage_note=triage_note,
        submission_key=data.submission_key or None,
        forms=[CaseForm(form=f) for f in forms],
        **facts,
    )
    db.session.add(case)
    note(case, user, "melding", f"Melding geregistreerd ({domain.SOURCES[source].lower()}).")
    note(case, user, "triage", f"Triage: {domain.TRIAGE[triage]}.")
    if triage == "geen_pesten":  # the one-off path stays open for its restoring talk
        case.closed_at = utcnow()
        case.outcome = "anders_afgehandeld"
        case.outcome_note = triage_note
        note(case, user, "gesloten", f"Afgesloten zonder steungroep: {triage_note}")
    if triage == "stappenplan":
        case.school = pupil.school
        start_plan(case, user, triage_note)
    if letter is not None:
        letterbox.link_to_case(letter, user, case)
        note(case, user, "melding", f"Gemaakt van een briefje uit de brievenbus van "
             f"{local(letter.created_at):%d-%m-%Y %H:%M}.")
    return case


def _letter(problems: domain.Problems, user: User, letter_id: int | None,
            pupil: Pupil | None) -> Letter | None:
    """The letter a melding is made of: one its maker reads, not handled yet, of the school
    of the pupil chosen."""
    if letter_id is None:
        return None
    letter = letter_for(user, letter_id)
    if letter is None or letter.done:
        problems.refuse(N_("Van dit briefje kan geen melding (meer) worden gemaakt: het is al "
                           "afgehandeld, of je leest deze brievenbus niet."))
        return None
    if pupil is not None and pupil.school_id != letter.school_id:
        problems.refuse(N_("Het briefje kwam in de brievenbus van een andere school. Kies een "
                           "leerling van %(school)s."), "pupil_id", school=letter.school.name)
    return letter


@use_case
def record_informed(case: Case, user: User, party: str, informed_on: date | None, text: str):
    """Who was informed, and when: a record, not a step of the method, so it may be added
    after closing too (not once the case is anonymised)."""
    ensure_record(case)
    party, name = domain.functions.check_informed(party, case.school.function_names)
    if informed_on is None:
        raise DomainError(N_("Vul de datum in."), field="informed_on")
    if informed_on > school_today():
        raise DomainError(N_("De datum ligt in de toekomst."), field="informed_on")
    domain.check_not_long_ago(informed_on, school_today(), "informed_on")
    text = domain.clean_text(
        text, N_("Opmerking"), max_length=domain.SHORT_TEXT, required=False, field="note"
    )
    entry = Informed(case=case, party=party, party_name=name, informed_on=informed_on,
                     note=text, user=user)
    db.session.add(entry)
    note(case, user, "geinformeerd",
         f"{domain.functions.party_label(entry.key, translated=False)} geïnformeerd.")
    return entry


@use_case
def change_triage(case: Case, user: User, triage: str, reason: str) -> None:
    """A different path after the talk (until the group is formed), with a reason on the
    timeline. 'Geen pesten' closes the case as handled otherwise; the one-off path goes on
    with the restoring talk; the stappenplan starts with the school's steps (a pupil who
    had a steungroep before: seed 001, after the compact table, and §6.2)."""
    domain.check_open(case.is_closed)
    reason = domain.check_triage_change(case.triage, triage, reason,
                                        bool(case.group and case.group.confirmed_at),
                                        case.escalated_at is not None)
    before = domain.TRIAGE[case.triage]
    case.triage, case.triage_note = triage, reason
    note(case, user, "triage", f"Triage gewijzigd van ‘{before}’ naar "
         f"‘{domain.TRIAGE[triage]}’: {reason}")
    if triage == "geen_pesten":
        case.closed_at = utcnow()
        case.outcome = "anders_afgehandeld"
        case.outcome_note = reason
    elif triage == "stappenplan":
        start_plan(case, user, reason)
