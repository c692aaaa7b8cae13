"""Scores are whole or half points, kept as Decimal."""

from __future__ import annotations

import re
from decimal import Decimal

HALF = Decimal("0.5")
# A score as people write it: digits, perhaps a sign and a decimal point. No exponents, no
# inf/nan, and few enough digits that no arithmetic on it can overflow (the column holds
# seven digits). `\d` also takes full-width digits, which Decimal reads.
_SCORE_RE = re.compile(r"[+-]?(?:\d{1,9}(?:\.\d{0,9})?|\.\d{1,9})")


class ScoreError(ValueError):
    """A score that is not a number, negative, above its maximum or not a whole/half point."""


def parse_score(value: object, *, maximum: Decimal, where: str) -> Decimal | None:
    """Read a score typed by a person or sent by a client; None/"" means not scored yet.

    `where` names the cell in the error message (「創新性／一、提供在地化及客製化關懷服務」).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not _SCORE_RE.fullmatch(text):
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise ScoreError(f"{where}：分數「{shown}」不是數字")
    number = Decimal(text)
    if number < 0:
        raise ScoreError(f"{where}：分數 {format_score(number)} 不可為負數")
    if number > maximum:
        raise ScoreError(
            f"{where}：分數 {format_score(number)} 超過最高分 {format_score(maximum)} 分"
        )
    if (number / HALF) % 1 != 0:
        raise ScoreError(f"{where}：分數 {format_score(number)} 須為整數或 0.5 分")
    return number.quantize(Decimal("0.1"))


def format_score(value: Decimal | int | None) -> str:
    """95 → "95", 94.5 → "94.5", None → "" ."""
    if value is None:
        return ""
    number = Decimal(value)
    return (
        str(number.quantize(Decimal(1)))
        if number == number.to_integral()
        else str(number.normalize())
    )


def to_json_number(value: Decimal | None) -> int | float | None:
    """JSON wants 939, not "939.0"; half points stay 94.5."""
    if value is None:
        return None
    number = Decimal(value)
    return int(number) if number == number.to_integral() else float(number)
