"""Step 3: the talk with the pupil (consent, letter, task)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from steungroep import domain
from steungroep.cases.state import (
    ensure_open,
    note,
)
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today, utcnow
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.models import (
    Case,
    PupilTalk,
    SupportGroup,
    User,
)
from steungroep.stappenplan.use_cases import start_plan
from steungroep.web.writes import use_case


@dataclass
class TalkInput:
    held_on: date | None
    consent: bool | None
    letter: str
    confidential: str
    pupil_task: str
    follow_up_on: date | None
    notes: str
    no_consent: str = ""  # after a 'no': later / stappenplan / sluiten
    no_consent_reason: str = ""


@use_case
def record_talk(case: Case, user: User, data: TalkInput) -> PupilTalk:
    """Record the talk with the pupil. Without consent the teacher chooses what follows:
    ask again later (the case stays open, the date is its next step), the stappenplan, or
    closing with a reason. A pupil asked again gets a new talk in place of the earlier one
    (the timeline keeps that there was one)."""
    ensure_open(case)
    again = case.talk is not None and not case.talk.consent
    if case.talk is not None and not again:
        raise DomainError(N_("Het gesprek met de leerling is al vastgelegd."))
    if data.held_on is None:
        raise DomainError(N_("Vul de datum van het gesprek in."), field="held_on")
    if data.held_on > school_today():
        raise DomainError(N_("De datum van het gesprek ligt in de toekomst."), field="held_on")
    if data.held_on < case.reported_on:
        raise DomainError(N_("Het gesprek kan niet vóór de melding zijn."), field="held_on")
    if data.consent is None:
        raise DomainError(N_("Geef aan of de leerling hulp wil."), field="consent")
    values = dict(
        held_on=data.held_on,
        consent=data.consent,
        letter=domain.clean_text(
            data.letter, N_("Brief"), max_length=domain.LONG_TEXT, required=False, field="letter"
        ),
        confidential=domain.clean_text(
            data.confidential,
            N_("Wat vertrouwelijk blijft"),
            max_length=domain.LONG_TEXT,
            required=False,
            field="confidential",
        ),
        # the pupil's own small task belongs to the steungroep: a 'no' stores none
        pupil_task=domain.clean_text(
            data.pupil_task,
            N_("Opdrachtje"),
            max_length=domain.SHORT_TEXT,
            required=data.consent,
            field="pupil_task",
        ) if data.consent else "",
        follow_up_on=data.follow_up_on,
        notes=domain.clean_text(
            data.notes, N_("Aantekeningen"), max_length=domain.LONG_TEXT, required=False,
            field="notes",
        ),
    )
    if data.follow_up_on and data.follow_up_on < data.held_on:
        raise DomainError(N_("De vervolgafspraak ligt vóór het gesprek."), field="follow_up_on")
    if again and data.held_on < case.talk.held_on:
        raise DomainError(N_("Het nieuwe gesprek kan niet vóór het vorige zijn."),
                          field="held_on")
    choice, _retry, reason = ("", None, "") if data.consent else domain.check_no_consent(
        data.no_consent, data.follow_up_on, data.no_consent_reason, data.held_on)
    if again:
        talk = case.talk
        for name, value in values.items():
            setattr(talk, name, value)
    else:
        talk = PupilTalk(case=case, **values)
        db.session.add(talk)
    asked = "Opnieuw gesprek" if again else "Gesprek"
    if data.consent:
        note(case, user, "gesprek", f"{asked} met de leerling gehouden; de leerling wil hulp.")
        case.group = case.group or SupportGroup()
    elif choice == "later":
        note(case, user, "gesprek", f"{asked} met de leerling gehouden; de leerling wil nu nog "
             f"geen steungroep. Opnieuw vragen op {data.follow_up_on:%d-%m-%Y}.")
    elif choice == "stappenplan":
        note(case, user, "gesprek", f"{asked} met de leerling gehouden; de leerling wil geen "
             f"steungroep: verder met het stappenplan. {reason}")
        start_plan(case, user, reason)
    else:
        case.closed_at = utcnow()
        case.outcome, case.outcome_note = "geen_toestemming", reason
        note(case, user, "gesprek", f"{asked} met de leerling gehouden; de leerling wil geen "
             f"steungroep: afgesloten. {reason}")
    return talk
