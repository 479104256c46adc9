"""What a teacher types: cleaned, limited in length, or one of a list of choices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from steungroep.domain.errors import DomainError

SHORT_TEXT = 200


LONG_TEXT = 2000


def clean_text(
    value: str | None,
    label: str,
    *,
    max_length: int,
    required: bool = True,
    field: str | None = None,
) -> str:
    """Strip ``value``; refuse it when required and empty, or when it is too long."""
    text = (value or "").strip()
    if not text:
        if required:
            raise DomainError(f"{label} is verplicht.", field)
        return ""
    if len(text) > max_length:
        raise DomainError(
            f"{label} mag maximaal {max_length} tekens zijn; je hebt er {len(text)} getypt.",
            field,
        )
    return text


def check_choice(
    value: str | None, choices: Mapping[str, str], label: str, field: str | None = None
) -> str:
    """Return ``value`` when it is one of the codes in ``choices``."""
    if value not in choices:
        raise DomainError(f"Kies een van de mogelijkheden bij '{label}'.", field)
    return value


def join_names(names: Sequence[str]) -> str:
    """'Sem', 'Sem en Noor', 'Sem, Noor en Bas'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} en {names[-1]}"
