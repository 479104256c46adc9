"""What a teacher types: cleaned, limited in length, or one of a list of choices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from steungroep.domain.errors import DomainError
from steungroep.domain.i18n import N_, translate

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
    """Strip ``value``; refuse it when required and empty, or when it is too long.
    ``label`` is marked with ``N_`` by the caller and translated here."""
    text = (value or "").strip()
    if not text:
        if required:
            raise DomainError(N_("%(label)s is verplicht."), field, label=translate(label))
        return ""
    if len(text) > max_length:
        raise DomainError(
            N_("%(label)s mag maximaal %(max)s tekens zijn; je hebt er %(n)s getypt."),
            field, label=translate(label), max=max_length, n=len(text),
        )
    return text


def check_choice(
    value: str | None, choices: Mapping[str, str], label: str, field: str | None = None
) -> str:
    """Return ``value`` when it is one of the codes in ``choices``."""
    if value not in choices:
        raise DomainError(N_("Kies een van de mogelijkheden bij '%(label)s'."), field,
                          label=translate(label))
    return value


def join_names(names: Sequence[str]) -> str:
    """'Sem', 'Sem en Noor', 'Sem, Noor en Bas'."""
    if len(names) <= 1:
        return "".join(names)
    return translate(N_("%(names)s en %(last)s"), names=", ".join(names[:-1]), last=names[-1])


def stored_lines(text: str) -> list[str]:
    """A school's list stored one item per line (its stappenplan, its functions)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def check_lines(text: str, line_label: str, duplicate: str, item: str, *, max_length: int,
                field: str) -> list[str]:
    """A list typed one item per line: each line cleaned (``line_label`` names it, with
    ``%(n)s``), empty lines left out, the same item twice refused with ``duplicate``
    (``%(n)s`` and ``%(<item>)s``). Both texts are marked with ``N_`` by the caller."""
    items: list[str] = []
    for number, line in enumerate((text or "").replace("\r", "").split("\n"), start=1):
        if not line.strip():
            continue
        value = clean_text(line, translate(line_label, n=number), max_length=max_length,
                           field=field)
        if value.lower() in (i.lower() for i in items):
            raise DomainError(duplicate, field=field, n=number, **{item: value})
        items.append(value)
    return items
