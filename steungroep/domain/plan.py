"""Before, beside and after the steungroep: the school's stappenplan, talks and contacts, the
one-off path and the pupils involved in a case. Plain Python.

Sources: seed 001 §6.1 stap 2(2) (one-off: a restoring talk, a check after two weeks) and stap
4–10 (the plan that follows the steungroep), §6.2 (repeated behaviour); seed 002 "extra stap";
seed 004 §2.2 and Bijlage 1; seed 000 "Stappenplan" and "Richtlijnen gesprek pester"."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from steungroep.domain.calendar import check_not_long_ago, date_text
from steungroep.domain.errors import DomainError, Problems
from steungroep.domain.functions import check_owner, chosen_function
from steungroep.domain.i18n import N_, translate
from steungroep.domain.text import LONG_TEXT, SHORT_TEXT, check_lines, clean_text, stored_lines
from steungroep.domain.vocabulary import PLAN_OUTCOMES

# Seed 001 §6.1 stap 4–10, in words a coordinator uses (staff screens only).
DEFAULT_PLAN_STEPS: tuple[str, ...] = (
    N_("Plan van aanpak opstellen en met alle betrokkenen delen"),
    N_("Coaching en begeleiding afspreken"),
    N_("Gespreksronde: met de leerling die pestte, de ouders van beide leerlingen"),
    N_("Reflectie en excuses van de leerling die pestte"),
    N_("Bespreking in de groep"),
    N_("Terug in de dagelijkse situatie: de afspraken volgen"),
    N_("Afrondend gesprek met alle betrokkenen"),
)
MAX_PLAN_STEPS = 15
STEP_TITLE_LENGTH = 120


def default_plan_text() -> str:
    return "\n".join(DEFAULT_PLAN_STEPS)


def plan_steps(text: str) -> list[str]:
    """The school's stored list (one step per line) as titles."""
    return stored_lines(text)


def check_plan_text(text: str) -> str:
    """A school's stappenplan as typed under Instellingen: one step per line."""
    titles = check_lines(text, N_("Stap op regel %(n)s"),
                         N_("De stap op regel %(n)s staat er al: ‘%(title)s’."), "title",
                         max_length=STEP_TITLE_LENGTH, field="plan_steps")
    if not titles:
        raise DomainError(N_("Zet minstens één stap in het stappenplan."), field="plan_steps")
    if len(titles) > MAX_PLAN_STEPS:
        raise DomainError(N_("Een stappenplan heeft hoogstens %(max)s stappen."),
                          field="plan_steps", max=MAX_PLAN_STEPS)
    return "\n".join(titles)


def _day_held(problems: Problems, day: date | None, today: date, field: str, missing: str,
              what: str) -> bool:
    """The day something happened: given, not in the future, not long ago. True when it
    can be compared further. ``missing`` and ``what`` are marked with ``N_``."""
    if day is None:
        problems.refuse(missing, field)
        return False
    if day > today:
        problems.refuse(N_("%(what)s ligt in de toekomst."), field, what=translate(what))
        return False
    before = len(problems.errors)
    problems.check(check_not_long_ago, day, today, field)
    return len(problems.errors) == before


def check_step_done(done_on: date | None, done_by: str, note: str, today: date
                    ) -> tuple[date, str, str]:
    """One step of the plan done: when, who did it, and a note."""
    problems = Problems()
    _day_held(problems, done_on, today, "done_on",
              N_("Vul de datum in waarop deze stap is gezet."), N_("De datum"))
    who = problems.check(clean_text, done_by, N_("Wie deed het"), max_length=SHORT_TEXT,
                         field="done_by") or ""
    text = problems.check(clean_text, note, N_("Notitie"), max_length=LONG_TEXT,
                          required=False, field="step_note") or ""
    problems.raise_any()
    return done_on, who, text


def check_step_planned(planned_on: date | None, owner: str, functions: Iterable[str],
                       today: date) -> tuple[str, date | None]:
    """Who takes a step of the plan (one of the school's functions, or nobody yet) and when
    it is planned (optional; not in the past). (owner, planned_on)."""
    problems = Problems()
    name = problems.check(check_owner, owner, functions) or ""
    if planned_on is not None and planned_on < today:
        problems.refuse(N_("Plan de stap vandaag of later."), "planned_on")
    problems.raise_any()
    return name, planned_on


def check_plan_close(open_titles: list[str], reason: str, outcome: str = "") -> tuple[str, str]:
    """The coordinator closes the case when the plan is done, saying how it ended; with
    steps still open only with a reason. (outcome, reason)."""
    problems = Problems()
    if outcome not in PLAN_OUTCOMES:
        problems.refuse(N_("Kies hoe het stappenplan is afgelopen."), "plan_outcome")
    text = problems.check(clean_text, reason, N_("De reden"), max_length=LONG_TEXT,
                          required=False, field="close_reason") or ""
    if open_titles and not text and not any(e.field == "close_reason" for e in problems.errors):
        problems.refuse(N_("Nog niet alle stappen zijn gezet: schrijf op waarom je afsluit."),
                        "close_reason")
    problems.raise_any()
    return outcome, text


# Talks and contacts (seed 000; seed 001 stap 6; seed 002 stap 1–2; seed 004 §2.2 stap 5).
TALK_PARTIES: dict[str, str] = {
    "leerling": N_("Een leerling"),
    "ouders": N_("Ouders/verzorgers van een leerling"),
    "collega": N_("Een collega"),
    "smw": N_("Schoolmaatschappelijk werk"),  # before the school's functions; not offered
    "functie": N_("Een functie op school"),
    "extern": N_("Een hulpverlener of instantie buiten school"),
}
FUNCTION_PARTY = "functie"
# What the talk form offers before and after the school's own functions.
TALK_CHOICES_BEFORE = ("leerling", "ouders")
TALK_CHOICES_AFTER = ("collega", "extern")
PUPIL_PARTIES = frozenset({"leerling", "ouders"})
NAMED_PARTIES = frozenset({"collega", "extern", "functie"})
TALK_KINDS: dict[str, str] = {
    "gesprek": N_("Gesprek"),
    "herstelgesprek": N_("Herstelgesprek"),
    "controle": N_("Controle na twee weken"),
    "brief": N_("Brief aan ouders"),  # contacts/parent_letters.py
}
FOLLOW_UP_LONGEST_DAYS = 120


def check_talk(party: str, pupil_ok: bool, name: str, held_on: date | None, summary: str,
               agreements: str, follow_up_on: date | None, today: date,
               functions: Iterable[str] = ()) -> dict:
    """A talk on a case: with whom (a pupil, parents, one of the school's functions as
    ``f:`` and its name, a colleague or someone outside school), when, a short summary,
    agreements, a follow-up date."""
    problems = Problems()
    function = chosen_function(party, functions)
    if function is not None:
        party, name = FUNCTION_PARTY, function
    elif party not in TALK_PARTIES or party == FUNCTION_PARTY:
        problems.refuse(N_("Kies met wie het gesprek was."), "party")
    if party in PUPIL_PARTIES and not pupil_ok:
        problems.refuse(N_("Kies de leerling (of wiens ouders) het gesprek was."),
                        "talk_pupil")
    who = problems.check(clean_text, name, N_("Naam of functie"), max_length=SHORT_TEXT,
                         required=party in NAMED_PARTIES, field="party_name") or ""
    _day_held(problems, held_on, today, "held_on", N_("Vul de datum van het gesprek in."),
              N_("De datum van het gesprek"))
    text = problems.check(clean_text, summary, N_("Kort verslag"), max_length=LONG_TEXT,
                          field="summary") or ""
    agreed = problems.check(clean_text, agreements, N_("Afspraken"), max_length=LONG_TEXT,
                            required=False, field="agreements") or ""
    if follow_up_on is not None:
        if follow_up_on <= today or (held_on and follow_up_on <= held_on):
            problems.refuse(N_("Plan het vervolg na vandaag."), "follow_up_on")
        elif follow_up_on > today + timedelta(days=FOLLOW_UP_LONGEST_DAYS):
            problems.refuse(N_("Plan het vervolg binnen vier maanden."), "follow_up_on")
    problems.raise_any()
    return {"party": party, "party_name": who, "held_on": held_on, "summary": text,
            "agreements": agreed, "follow_up_on": follow_up_on}


def _dutch(text: str, **values) -> str:
    return text % values if values else text


def talk_with(party: str, pupil_name: str | None, name: str, *,
              translated: bool = False) -> str:
    """'ouders van Daan', 'Daan', 'SMW', 'mevrouw Jansen (collega)': Dutch for the timeline,
    in the reader's language with ``translated`` (staff screens)."""
    say = translate if translated else _dutch
    if party == "ouders":
        return say(N_("de ouders van %(pupil)s"), pupil=pupil_name or say(N_("een leerling")))
    if party == "leerling":
        return pupil_name or say(N_("een leerling"))
    if party == FUNCTION_PARTY:
        return say(name) if name else name
    if party == "smw":
        return say(N_("SMW (%(name)s)"), name=name) if name else say(N_("SMW"))
    labels = {"collega": N_("collega"), "extern": N_("buiten school")}
    label = say(labels[party]) if party in labels else party
    return say(N_("%(name)s (%(label)s)"), name=name, label=label) if name else label


# The one-off path (seed 001 §6.1 stap 2(2)): after the restoring talk both pupils are
# watched; after two weeks (ten school days) the teacher checks and closes, or the case
# moves on to the steungroep.
ONE_OFF_CHECK_SCHOOL_DAYS = 10
ONE_OFF_RESULTS: dict[str, str] = {
    "gestopt": N_("Het is gestopt: afsluiten"),
    "steungroep": N_("Het gaat niet goed: verder met de steungroepaanpak"),
}


def check_one_off_result(result: str, held_on: date | None, note: str, restore_on: date,
                         today: date, due_on: date | None = None) -> tuple[str, date, str]:
    """The check after the restoring talk. 'It stopped' closes the case, so it needs the two
    weeks to have passed (seed 001 stap 2(2): "Na twee weken ... wanneer het pesten inderdaad
    niet meer voorkomt wordt het traject afgesloten"): on or after ``due_on``, and never on
    the day of the restoring talk itself. 'It goes on' may be said any day after it."""
    problems = Problems()
    if result not in ONE_OFF_RESULTS:
        problems.refuse(N_("Kies wat de controle liet zien."), "result")
    if _day_held(problems, held_on, today, "held_on", N_("Vul de datum van de controle in."),
                 N_("De datum van de controle")):
        if held_on < restore_on:
            problems.refuse(N_("De controle kan niet vóór het herstelgesprek zijn."),
                            "held_on")
        elif result == "gestopt" and (held_on == restore_on
                                      or (due_on is not None and held_on < due_on)):
            problems.refuse(N_("Afsluiten als ‘gestopt’ kan pas na twee weken: bij de "
                               "controle op of na %(day)s."), "held_on",
                            day=date_text(due_on or restore_on + timedelta(days=1)))
    text = problems.check(clean_text, note, N_("Wat je zag en hoorde"), max_length=LONG_TEXT,
                          field="check_note") or ""
    problems.raise_any()
    return result, held_on, text


# The pupils involved (seed 000 "Richtlijnen gesprek pester"; seed 004 Bijlage 1): besides
# the pupil the case is about, privately, who bullied or joined in (staff only, like a role).
INVOLVEMENT: dict[str, str] = {
    "pestte": N_("Pestte"),
    "deed_mee": N_("Deed mee"),
    "zag_het": N_("Zag het gebeuren"),
}


def check_involved(pupil_ok: bool, same_as_subject: bool, already: bool, role: str) -> str:
    problems = Problems()
    if not pupil_ok:
        problems.refuse(N_("Kies een leerling van deze school."), "involved_pupil")
    elif same_as_subject:
        problems.refuse(N_("Om deze leerling gaat de melding al."), "involved_pupil")
    elif already:
        problems.refuse(N_("Deze leerling staat er al bij."), "involved_pupil")
    if role not in INVOLVEMENT:
        problems.refuse(N_("Kies hoe de leerling erbij betrokken was."), "involvement")
    problems.raise_any()
    return role
