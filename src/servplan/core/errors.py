"""Errors the domain layer raises: a Chinese message a person can act on, naming where."""


class DomainError(ValueError):
    """A refused change. `where` names the cell, row or field (「創新性／公私協力」)."""

    def __init__(self, message: str, *, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where


class Conflict(DomainError):
    """The thing changed under you (stale version) or can no longer change (locked).

    `current` holds the newer values to show the person, e.g. {"score": 95, "version": 4}.
    """

    def __init__(self, message: str, *, where: str = "", current: dict | None = None) -> None:
        super().__init__(message, where=where)
        self.current = current or {}


class NotAllowed(DomainError):
    """The person may see the record but may not do this (e.g. it is not their turn)."""
