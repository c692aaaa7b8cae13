"""Refusals that are not about what was typed: the API answers them 409 and 403, not 400.

Conflict and NotAllowed live in core.errors (the offices' sign-off chain raises them too).
"""

from __future__ import annotations

from servplan.core.errors import Conflict, DomainError, NotAllowed

__all__ = ["AlreadyAttached", "Conflict", "NotAllowed", "TooLarge"]


class AlreadyAttached(Conflict):
    """The uploaded file is already attached to the cell (same content): `evidence` is it."""

    def __init__(self, message: str, *, where: str = "", evidence) -> None:
        super().__init__(message, where=where)
        self.evidence = evidence


class TooLarge(DomainError):
    """A file over the size limit (the API answers 413; the pages show it like any refusal)."""
