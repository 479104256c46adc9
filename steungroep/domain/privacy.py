"""Rules about children's data: when a pupil's data can be erased. Plain Python."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from steungroep.domain.i18n import N_, translate
from steungroep.domain.text import join_names


@dataclass(frozen=True)
class RunningGroup:
    """A group the pupil is in whose case is still open."""

    for_pupil: str | None  # first name of the pupil the group is for (None once erased)
    case_id: int
    teacher: str


def erasure_refusal(pupil: str, running: Sequence[RunningGroup]) -> str | None:
    """Why ``pupil``'s data cannot be erased now, for the admin; None when it can. A group
    that still runs would keep a member nobody can name, so erasing waits for its end."""
    if not running:
        return None
    groups = join_names([
        translate(N_("die van %(pupil)s (aanpak #%(case)s, %(teacher)s)"),
                  pupil=group.for_pupil or translate(N_("een leerling")), case=group.case_id,
                  teacher=group.teacher)
        for group in running
    ])
    return translate(N_("%(pupil)s zit in een steungroep die nog loopt: %(groups)s. Wissen kan "
                        "zodra die aanpak is afgesloten; vraag de verantwoordelijke om de groep "
                        "af te ronden."), pupil=pupil, groups=groups)
