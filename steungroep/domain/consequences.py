"""The pupil who bullied: the consequences a school's protocol sets when the bullying does not
stop (seed 000 "Stappenplan": the teamleider is informed, a suspension of one day, then of
more days, then removal; seed 004 §2.2 stap 6: a suspension of one day, then of at most five
school days, then proposed for removal; seed 002: "een passende consequentie"). Recorded per
pupil, staff only like a role: never on a screen for pupils, in the access copy of that pupil
only. Plain Python."""

from __future__ import annotations

from datetime import date

from steungroep.domain.calendar import check_not_long_ago
from steungroep.domain.errors import DomainError, Problems
from steungroep.domain.i18n import N_, translate
from steungroep.domain.text import LONG_TEXT, clean_text

# The seeds' ladder, lightest first.
CONSEQUENCES: dict[str, str] = {
    "time_out": N_("Time-out (uit de les of de pauze)"),
    "gesprek_ouders": N_("Gesprek met de ouders/verzorgers"),
    "schorsing": N_("Schorsing"),
    "verwijdering": N_("Voorgedragen voor verwijdering van school"),
    "anders": N_("Een andere maatregel"),
}
SUSPENSION_DAYS = range(1, 6)  # seed 004 §2.2 stap 6: at most five school days
# Who a consequence can be for: a pupil who bullied or joined in, not one who saw it.
FOR_INVOLVEMENT = frozenset({"pestte", "deed_mee"})


def consequences_allowed(in_plan: bool, involvement: str | None) -> bool:
    """Whether a consequence may be recorded for this pupil: on the school's stappenplan, for
    a pupil who bullied or joined in (the case page offers the form only then)."""
    return in_plan and involvement in FOR_INVOLVEMENT


def check_consequence(kind: str, days: int | None, decided_on: date | None, note: str,
                      today: date, involvement: str | None, in_plan: bool
                      ) -> tuple[str, int | None, date, str]:
    """A consequence for an involved pupil: which (the ladder), for a suspension how many
    school days (1–5), the day it was decided, a note ('anders' says what). Only on the
    school's stappenplan: in the steungroepaanpak nobody is punished (seed 001 stap 2)."""
    if not in_plan:
        raise DomainError(N_("Maatregelen horen bij het stappenplan van de school: in de "
                             "steungroepaanpak wordt niemand gestraft."))
    if involvement is None:
        raise DomainError(N_("Kies een betrokken leerling van deze aanpak."))
    if involvement not in FOR_INVOLVEMENT:
        raise DomainError(N_("Een maatregel hoort bij een leerling die pestte of meedeed."))
    problems = Problems()
    if kind not in CONSEQUENCES:
        problems.refuse(N_("Kies welke maatregel."), "consequence")
    if kind == "schorsing":
        if days not in SUSPENSION_DAYS:
            problems.refuse(N_("Een schorsing duurt één tot vijf schooldagen."), "days")
    else:
        days = None
    if decided_on is None:
        problems.refuse(N_("Vul de datum van de maatregel in."), "decided_on")
    elif decided_on > today:
        problems.refuse(N_("De datum ligt in de toekomst."), "decided_on")
    else:
        problems.check(check_not_long_ago, decided_on, today, "decided_on")
    text = problems.check(clean_text, note, N_("Toelichting"), max_length=LONG_TEXT,
                          required=kind == "anders", field="consequence_note") or ""
    problems.raise_any()
    return kind, days, decided_on, text


def consequence_label(kind: str, days: int | None, *, translated: bool = True) -> str:
    """'Schorsing (2 schooldagen)', 'Time-out (uit de les of de pauze)': in the reader's
    language, or in Dutch for stored text."""
    say = translate if translated else (lambda text, **values: text % values if values
                                        else text)
    label = say(CONSEQUENCES.get(kind, kind)) if kind in CONSEQUENCES else kind
    if kind == "schorsing" and days:
        return say(N_("%(label)s (%(n)s schooldag)") if days == 1 else
                   N_("%(label)s (%(n)s schooldagen)"), label=label, n=days)
    return label
