"""The one exception type the domain raises."""

from __future__ import annotations

from steungroep.domain.i18n import N_, translate


class DomainError(Exception):
    """A rule of the steungroepaanpak was broken; the message is shown to the teacher.

    ``field`` names the form field the message belongs to, when there is one. The message is
    Dutch, marked with ``N_`` and with its values named (``N_("… %(n)s …"), n=3``): it is
    translated when it is read, into the language of the person at the screen.
    """

    def __init__(self, message: str, field: str | None = None, **values) -> None:
        super().__init__(message)
        self.text = message
        self.values = values
        self.field = field

    @property
    def message(self) -> str:
        return translate(self.text, **self.values)

    def __str__(self) -> str:
        return self.message

    @property
    def all(self) -> list[DomainError]:
        """Every refusal this stands for (one here; several for FormErrors)."""
        return [self]


class FormErrors(DomainError):
    """Several refusals of one form, shown all at once, each next to its field."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__(N_("Nog niet alles is goed ingevuld:"))
        self.errors = errors

    @property
    def all(self) -> list[DomainError]:
        return list(self.errors)


class Problems:
    """Collects the refusals of one form instead of stopping at the first, so the teacher
    sees everything that needs fixing after one try."""

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def check(self, rule, *args, **kwargs):
        """``rule(*args, **kwargs)``, or None when it refuses (the refusal is kept)."""
        try:
            return rule(*args, **kwargs)
        except DomainError as error:
            self.errors.extend(error.all)
            return None

    def refuse(self, message: str, field: str | None = None, **values) -> None:
        self.errors.append(DomainError(message, field, **values))

    def raise_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise FormErrors(self.errors)


class EditConflict(DomainError):
    """Someone else stored a different text since this screen last saw it: nothing is
    overwritten silently. ``current`` is what is stored now."""

    def __init__(self, message: str, current: str, field: str | None = None,
                 **values) -> None:
        super().__init__(message, field, **values)
        self.current = current
