"""The one exception type the domain raises."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the steungroepaanpak was broken; the message is Dutch and shown to the teacher.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class EditConflict(DomainError):
    """Someone else stored a different text since this screen last saw it: nothing is
    overwritten silently. ``current`` is what is stored now."""

    def __init__(self, message: str, current: str, field: str | None = None) -> None:
        super().__init__(message, field)
        self.current = current
