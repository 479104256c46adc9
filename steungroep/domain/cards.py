"""Rules for what a pupil's action card may say. Plain Python."""

from __future__ import annotations

from steungroep.domain.errors import DomainError

# Words that never reach a pupil's card: any form of "pest", and the method's private words.
CARD_FORBIDDEN = ("pest", "slachtoffer", "dader", "aanvoerder", "meeloper")


def check_card_text(text: str, name: str) -> None:
    """An action is shown to the pupil as their own idea: refuse words that must not be on
    a card, with a hint to phrase it as something the pupil will do."""
    lowered = text.lower()
    if any(word in lowered for word in CARD_FORBIDDEN):
        raise DomainError(
            f"Dit komt op de kaart van {name}. Schrijf het als iets wat {name} gaat doen, "
            "zonder woorden als ‘pesten’ of ‘dader’: bijvoorbeeld ‘Ik ga …’.",
            field="text",
        )
