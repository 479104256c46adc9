"""Rounds (cycles): one action per member before the meeting ends, the evaluations after it,
at most five rounds, nothing changed once closed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from steungroep.domain.errors import DomainError, EditConflict
from steungroep.domain.i18n import N_
from steungroep.domain.text import join_names

MAX_CYCLES = 5


# How long a group meeting takes, in minutes (usual, late): the first 30–45 (seed 001,
# Leidraad); a later round's shorter meeting "ongeveer twintig minuten", as its script says.
# The timer in meeting mode shows it; the phases of the scripts (domain/guide.py) add up to
# a time inside it.
MEETING_MINUTES = {1: (30, 45), 2: (15, 25)}


def meeting_minutes(round_number: int) -> tuple[int, int]:
    """(usual, late) minutes of this round's meeting."""
    return MEETING_MINUTES[1 if round_number <= 1 else 2]


# The evaluations come after a number of *school* days (a week is five): "na een week" with
# the pupil, "over 10 tot 14 dagen" with the group (seed 001 Leidraad). A school may set
# them within these ranges; the group may come after one week too, as in the JPS protocol
# (seed 002 stap 2-4: the evaluation "na een week", the pupil first, then the group), but
# never before the pupil.
PUPIL_EVALUATION_DAYS = 5
GROUP_EVALUATION_DAYS = 10
PUPIL_EVALUATION_RANGE = range(3, 9)  # 3..8 school days
GROUP_EVALUATION_RANGE = range(5, 11)  # 5..10 school days
# Where the school allows it, the decision after the group evaluation may be one last group
# evaluation "over een week", without a new meeting (seed 002 stap 4).
GROUP_AGAIN_DAYS = 5


def check_evaluation_intervals(pupil_days: int | None, group_days: int | None) -> None:
    """A school's own intervals, in school days, within the protocols' range."""
    low, high = PUPIL_EVALUATION_RANGE[0], PUPIL_EVALUATION_RANGE[-1]
    if pupil_days is None or pupil_days not in PUPIL_EVALUATION_RANGE:
        raise DomainError(
            N_("Het gesprek met de leerling komt na %(low)s tot %(high)s schooldagen."),
            "pupil_days", low=low, high=high,
        )
    low, high = GROUP_EVALUATION_RANGE[0], GROUP_EVALUATION_RANGE[-1]
    if group_days is None or group_days not in GROUP_EVALUATION_RANGE:
        raise DomainError(
            N_("Het gesprek met de groep komt na %(low)s tot %(high)s schooldagen."),
            "group_days", low=low, high=high,
        )
    if group_days < pupil_days:
        raise DomainError(
            N_("Het gesprek met de groep komt niet vóór het gesprek met de leerling: eerst "
               "hoor je hoe het met de leerling gaat."),
            "group_days",
        )


def may_evaluate_again(allowed: bool, first_held: bool, again: bool) -> bool:
    """Whether the decision may be one last group evaluation a week later (the form offers
    it; ``check_group_evaluation_again`` says why not)."""
    return allowed and first_held and not again


def check_group_evaluation_again(allowed: bool, first_held: bool, again: bool) -> None:
    """One last group evaluation a week later, without a new meeting: only where the school
    allows it, after the first group evaluation, and once per round (seed 002 stap 4: "een
    tweede en tevens laatste evaluatiegesprek")."""
    if not allowed:
        raise DomainError(
            N_("Deze school houdt geen extra evaluatie met de groep. Kies afsluiten, een "
               "nieuwe ronde of het stappenplan; een coördinator kan het aanzetten bij de "
               "instellingen."),
            "decision",
        )
    if not first_held:
        raise DomainError(N_("Eerst de evaluatie met de groep, dan het besluit."), "decision")
    if again:
        raise DomainError(
            N_("Er is in deze ronde al een laatste evaluatie met de groep geweest; nog één "
               "kan niet. Kies afsluiten, een nieuwe ronde of het stappenplan."),
            "decision",
        )


def check_group_again_day(held_on, first_on, confirmed: bool) -> None:
    """The last group evaluation follows the first; on the same day only when confirmed."""
    if first_on is None:
        return
    if held_on < first_on:
        raise DomainError(
            N_("De laatste evaluatie met de groep kan niet vóór de eerste zijn."), "held_on")
    if held_on == first_on and not confirmed:
        raise DomainError(
            N_("Dit gesprek is op dezelfde dag als de eerste evaluatie met de groep; meestal "
               "komt het een week later. Klopt de datum? Vink dan hieronder aan dat het "
               "echt vandaag was."),
            "same_day",
        )


def check_evaluation_day(held_on, meeting_on, confirmed: bool) -> None:
    """An evaluation on the day of the meeting itself gives the group no time to help: it
    is recorded only when the teacher confirms the date."""
    if meeting_on is not None and held_on == meeting_on and not confirmed:
        raise DomainError(
            N_("Dit gesprek is op de dag van de bijeenkomst zelf; meestal komt het pas na een "
               "week, als de groep tijd had om te helpen. Klopt de datum? Vink dan hieronder "
               "aan dat het echt vandaag was."),
            "same_day",
        )


def pupil_says_not_better(improved: str | None, wellbeing: int | None) -> bool:
    """The pupil's own word at the last evaluation: it is not better (seed 001 Leidraad stap
    7; seed 004 §1.2 — the bullied pupil's experience decides)."""
    return improved == "nee" or wellbeing == 1


def check_close_as_better(name: str, improved: str | None, wellbeing: int | None,
                          reason: str) -> None:
    """Closing as 'het gaat beter' against the pupil's last answer needs a reason."""
    if pupil_says_not_better(improved, wellbeing) and not reason.strip():
        if improved == "nee":
            message = N_("%(name)s zei bij de laatste evaluatie dat het niet beter gaat. "
                         "Afsluiten als ‘het gaat beter’ kan dan alleen met een reden: "
                         "schrijf op waarom, of kies een nieuwe ronde of het stappenplan.")
        else:
            message = N_("%(name)s gaf bij de laatste evaluatie een 1 van 5. "
                         "Afsluiten als ‘het gaat beter’ kan dan alleen met een reden: "
                         "schrijf op waarom, of kies een nieuwe ronde of het stappenplan.")
        raise DomainError(message, "reason", name=name)


def check_actions_complete(members: Mapping[int, str], actions: Mapping[int, str]) -> None:
    """Every member (id → first name) needs exactly one non-blank action."""
    missing = [
        name for member_id, name in members.items() if not (actions.get(member_id) or "").strip()
    ]
    if missing:
        raise DomainError(
            N_("Nog geen actie voor %(names)s. Elk groepslid heeft precies één eigen actie."),
            "actions", names=join_names(missing),
        )


def check_action_edit(name: str, stored: str, base: str, text: str) -> None:
    """A screen saves ``text`` over what it last saw stored (``base``). When the stored text
    has changed since (another tablet on the same meeting), nothing is overwritten: the
    teacher sees the other text and chooses. Saving the stored text again is no clash."""
    stored, base, text = stored.strip(), base.strip(), text.strip()
    if text == stored or base == stored:
        return
    if stored:
        raise EditConflict(
            N_("Op een ander scherm is voor %(name)s intussen iets anders opgeslagen: "
               "“%(stored)s”. Kies welke tekst blijft."),
            stored,
            "text",
            name=name, stored=stored,
        )
    raise EditConflict(
        N_("Op een ander scherm is de actie van %(name)s intussen leeggemaakt. "
           "Kies of jouw tekst blijft."),
        stored,
        "text",
        name=name,
    )


def check_new_action(member_id: int, existing_member_ids: Iterable[int], name: str) -> None:
    """A member gets one action per cycle; a second one is refused."""
    if member_id in set(existing_member_ids):
        raise DomainError(
            N_("%(name)s heeft in deze ronde al een actie. Je kunt die aanpassen."), "member",
            name=name,
        )


def check_next_cycle(current_number: int) -> int:
    """The number of the next cycle; never more than MAX_CYCLES."""
    if current_number >= MAX_CYCLES:
        raise DomainError(
            N_("Er zijn al %(max)s rondes geweest; meer mag niet. "
               "De volgende stap is het stappenplan van je school."),
            max=MAX_CYCLES,
        )
    return current_number + 1


def check_evaluation_allowed(meeting_completed: bool) -> None:
    if not meeting_completed:
        raise DomainError(N_("Eerst de bijeenkomst afronden, daarna kun je evalueren."))


def check_group_evaluation_allowed(meeting_completed: bool, pupil_evaluation_held: bool) -> None:
    """Only the meeting is required: the group talk may go ahead if the pupil talk slipped."""
    check_evaluation_allowed(meeting_completed)


def check_open(closed: bool) -> None:
    if closed:
        raise DomainError(
            N_("Deze steungroep is afgesloten en kan niet meer worden gewijzigd."))


def check_meeting_open(completed: bool) -> None:
    if completed:
        raise DomainError(
            N_("Deze bijeenkomst is al afgerond; de acties kun je niet meer wijzigen."))


def check_consent(consent: bool) -> None:
    if not consent:
        raise DomainError(
            N_("Zonder toestemming van de leerling start je geen steungroep."), "consent")
