"""The one domain error: services raise it, views show its message beside the form, the API answers 400."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A business rule refused the operation.

    ``message`` is translatable text for the user; ``code`` is a stable identifier for the API and tests;
    ``field`` names the form field the message belongs beside, if any.
    """

    def __init__(self, message: str | Promise, *, code: str, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
