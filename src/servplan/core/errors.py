"""Errors the domain layer raises: a Chinese message a person can act on, naming where."""


class DomainError(ValueError):
    """A refused change. `where` names the cell, row or field (「創新性／公私協力」)."""

    def __init__(self, message: str, *, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where
