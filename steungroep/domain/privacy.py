"""Rules about children's data: when a pupil's data can be erased. Plain Python."""

from __future__ import annotations

from steungroep.domain.i18n import N_, translate


def erasure_refusal(pupil: str, running: int) -> str | None:
    """Why ``pupil``'s data cannot be erased now, for the admin; None when it can. A group
    that still runs would keep a member nobody can name, so erasing waits for its end. The
    admin reads no case: the message names no other pupil, case or teacher, and sends them
    to the coordinator, who can see which groups they are."""
    if not running:
        return None
    return translate(N_("%(pupil)s zit in een steungroep die nog loopt (%(n)s). Wissen kan "
                        "zodra die aanpak is afgesloten: vraag de coördinator van de school om "
                        "te zorgen dat de groep wordt afgerond, en probeer het daarna opnieuw."),
                     pupil=pupil, n=running)
