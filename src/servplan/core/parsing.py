"""Reading the whole numbers forms and clients send (ids, versions), refusing anything else.

A malformed field is a 400 naming the field, never an exception in a view or the database.
"""

from __future__ import annotations

import re

from servplan.core.errors import DomainError

# ASCII digits, few enough that every database's integer column holds them.
_WHOLE_RE = re.compile(r"[0-9]{1,9}")


def parse_whole(value: object, *, label: str, where: str) -> int | None:
    """A whole number ≥ 0 as sent; None when missing or blank; DomainError for anything else."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if isinstance(value, bool) or not _WHOLE_RE.fullmatch(text):
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise DomainError(f"{label}「{shown}」不正確：應為正整數", where=where)
    return int(text)


def parse_version(value: object) -> int:
    """The version an edit started from: required, so that no save skips the stale check."""
    version = parse_whole(value, label="version 欄位", where="version")
    if version is None:
        raise DomainError("缺少 version 欄位：請重新載入頁面後再儲存", where="version")
    return version


def check_length(text: str, *, limit: int, label: str, where: str = "") -> str:
    """`text` if it fits a column of `limit` characters (PostgreSQL enforces it, SQLite not)."""
    if len(text) > limit:
        raise DomainError(
            f"{label}過長（{len(text)} 字，上限 {limit} 字）：「{text[:20]}…」",
            where=where or label,
        )
    return text
