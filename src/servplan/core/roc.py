"""The ROC (民國) calendar as the forms write it: 「114 年 3 月 21 日」, 「114 年度 1 月至 6 月」.

The API speaks ISO dates; everything a person reads speaks these.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

ROC_OFFSET = 1911
# The ROC years the system takes (民國 1 = 1912 to 民國 999 = 2910), the same on both
# databases: the year columns are small integers, which PostgreSQL caps at 32767 and SQLite
# does not cap at all, so a year only one of them accepts could not move between them.
MIN_ROC_YEAR, MAX_ROC_YEAR = 1, 999

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Possessive spaces, and never two space-takers side by side (「\s*(?:民國)?\s*」): a long run
# of spaces would otherwise be shared out every possible way, in quadratic time.
_DATE_RE = re.compile(
    r"^\s*+(?:民國\s*+)?(\d{1,4})\s*+年\s*+(\d{1,2})\s*+月\s*+(\d{1,2})\s*+日\s*$"
)
_PERIOD_RE = re.compile(
    r"^\s*+(?:民國\s*+)?(\d{1,4})\s*+年度?\s*+(\d{1,2})\s*+(?:月\s*+)?(?:至|~|～|-|－)\s*+(\d{1,2})\s*+月\s*$"
)
_SHORT_PERIOD_RE = re.compile(r"^\s*(\d{1,4})-(\d{1,2})-(\d{1,2})\s*$")


class RocError(ValueError):
    """A date or period that cannot be read; the message says why, in Chinese."""


def check_roc_year(year: int) -> int:
    """`year` if it is a ROC year the system takes (MIN_ROC_YEAR..MAX_ROC_YEAR), else RocError."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise RocError(f"民國年度「{year}」不是整數")
    if not MIN_ROC_YEAR <= year <= MAX_ROC_YEAR:
        raise RocError(f"民國年度 {year} 不正確（應為 {MIN_ROC_YEAR} 至 {MAX_ROC_YEAR} 年）")
    return year


def to_roc_year(year: int) -> int:
    return year - ROC_OFFSET


def from_roc_year(roc_year: int) -> int:
    return roc_year + ROC_OFFSET


def format_date(value: dt.date | dt.datetime | None) -> str:
    """`date(2025, 3, 21)` → 「114 年 3 月 21 日」; None → ""."""
    if value is None:
        return ""
    return f"{to_roc_year(value.year)} 年 {value.month} 月 {value.day} 日"


def format_datetime(value: dt.datetime | None) -> str:
    """An aware moment in the site's time zone → 「114 年 3 月 21 日 14:05」; None → ""."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{format_date(local)} {local:%H:%M}"


def parse_date(text: str) -> dt.date:
    """「114 年 3 月 21 日」 (spaces, 民國 and full-width digits optional) → date(2025, 3, 21)."""
    match = _DATE_RE.match(text.translate(_DIGITS))
    if not match:
        raise RocError(f"無法解讀日期「{text}」：應為「114 年 3 月 21 日」格式")
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(from_roc_year(year), month, day)
    except ValueError as exc:
        raise RocError(f"日期「{text}」不存在") from exc


@dataclass(frozen=True, order=True)
class Period:
    """Months `start_month`..`end_month` of one ROC year, as assessments are made."""

    roc_year: int
    start_month: int
    end_month: int

    def __post_init__(self) -> None:
        if not 1 <= self.start_month <= self.end_month <= 12:
            raise RocError(
                f"期間月份不正確：{self.start_month} 月至 {self.end_month} 月（應為 1 至 12 月，且起月不大於迄月）"
            )
        check_roc_year(self.roc_year)

    def __str__(self) -> str:
        return f"{self.roc_year} 年度 {self.start_month} 月至 {self.end_month} 月"

    @property
    def slug(self) -> str:
        """「114-1-6」: the short form used on the command line and in file names."""
        return f"{self.roc_year}-{self.start_month}-{self.end_month}"

    def as_dict(self) -> dict[str, int]:
        return {
            "roc_year": self.roc_year,
            "start_month": self.start_month,
            "end_month": self.end_month,
        }

    def previous(self) -> Period:
        """The period of the same length just before this one (wrapping into the previous year)."""
        length = self.end_month - self.start_month + 1
        if self.start_month > length:
            return Period(self.roc_year, self.start_month - length, self.start_month - 1)
        return Period(self.roc_year - 1, 13 - length, 12)


def parse_period(text: str) -> Period:
    """「114 年度 1 月至 6 月」 or 「114-1-6」 → Period(114, 1, 6)."""
    normalized = text.translate(_DIGITS)
    match = _PERIOD_RE.match(normalized) or _SHORT_PERIOD_RE.match(normalized)
    if not match:
        raise RocError(f"無法解讀期間「{text}」：應為「114 年度 1 月至 6 月」或「114-1-6」格式")
    return Period(*(int(g) for g in match.groups()))


_CJK_DIGITS = "零一二三四五六七八九"


def cjk_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一: how the forms number facets and items (1..99)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CJK_DIGITS[tens] + "十")
    return head + (_CJK_DIGITS[ones] if ones else "")
