"""Refusals that are not about what was typed: the API answers them 409 and 403, not 400."""

from __future__ import annotations

from servplan.core.errors import DomainError


class Conflict(DomainError):
    """The thing changed under you (stale version) or can no longer change (locked).

    `current` holds the newer values to show the person, e.g. {"score": 95, "version": 4}.
    """

    def __init__(self, message: str, *, where: str = "", current: dict | None = None) -> None:
        super().__init__(message, where=where)
        self.current = current or {}


class NotAllowed(DomainError):
    """The person may see the assessment but may not do this (e.g. it is not their turn)."""


class AlreadyAttached(Conflict):
    """The uploaded file is already attached to the cell (same content): `evidence` is it."""

    def __init__(self, message: str, *, where: str = "", evidence) -> None:
        super().__init__(message, where=where)
        self.evidence = evidence
