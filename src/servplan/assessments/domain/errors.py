"""Refusals that are not about what was typed: the API answers them 409 and 403, not 400.

Conflict and NotAllowed live in core.errors (the offices' sign-off chain raises them too).
"""

from __future__ import annotations

from servplan.core.errors import Conflict, NotAllowed

__all__ = ["AlreadyAttached", "Conflict", "NotAllowed"]


class AlreadyAttached(Conflict):
    """The uploaded file is already attached to the cell (same content): `evidence` is it."""

    def __init__(self, message: str, *, where: str = "", evidence) -> None:
        super().__init__(message, where=where)
        self.evidence = evidence
