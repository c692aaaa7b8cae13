"""The pre-submit check: what is missing (errors, which block) or suspicious (warnings)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from servplan.assessments.models import Assessment
from servplan.core.errors import DomainError
from servplan.core.narrative import blocks

ERROR = "error"
WARNING = "warning"

# Paragraphs shorter than this are too generic to call copied (「無」, 「同上」…).
MIN_COPIED_CHARS = 15
_NUMBERING = re.compile(r"^\s*(?:\d+[.、．]|[(（]\d+[)）]|[一二三四五六七八九十]+、)\s*")


@dataclass(frozen=True)
class Problem:
    level: str
    where: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def _label(cell) -> str:
    return f"{cell.dimension.name}／{cell.item.name}"


def _paragraphs(text: str) -> set[str]:
    """The narrative's paragraphs without their numbering, so renumbered copies still match."""
    found = set()
    for block in blocks(text):
        body = _NUMBERING.sub("", block.text).strip()
        if len(body) >= MIN_COPIED_CHARS:
            found.add(body)
    return found


def check_assessment(assessment: Assessment) -> list[Problem]:
    """Problems in rubric order; load the assessment with sheet_queryset() (no further queries).

    Errors: a cell without a score, a cell without a narrative. Warnings: paragraphs copied
    from another cell, a recommendation whose improvement has no 辦理情形 yet.
    """
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for cs in assessment.cells.all():
        where = _label(cs.cell)
        if cs.score is None:
            problems.append(Problem(ERROR, where, f"{where}：尚未填自評分數"))
        if not cs.narrative.strip():
            problems.append(Problem(ERROR, where, f"{where}：尚未填執行情形"))
        copied: dict[str, int] = {}
        for paragraph in _paragraphs(cs.narrative):
            if paragraph in seen and seen[paragraph] != where:
                copied[seen[paragraph]] = copied.get(seen[paragraph], 0) + 1
            else:
                seen.setdefault(paragraph, where)
        for other, count in copied.items():
            problems.append(
                Problem(
                    WARNING,
                    where,
                    f"{where}：執行情形有 {count} 段與「{other}」相同，請確認是否誤植",
                )
            )
    for finding in assessment.findings.all():
        if finding.improvement is not None and not finding.progress:
            where = _label(finding.cell)
            problems.append(
                Problem(WARNING, where, f"{where}：有建議改善事項，但尚未填改善事項辦理情形")
            )
    return problems


def blocking(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def refuse_blocking(problems: list[Problem]) -> None:
    """Refuse a submit while the pre-submit check reports errors, listing the first five
    (warnings do not block); `where` names the first."""
    errors = blocking(problems)
    if errors:
        listed = "；".join(p.message for p in errors[:5])
        more = f"等 {len(errors)} 項" if len(errors) > 5 else ""
        raise DomainError(f"送出前檢查未通過{more}：{listed}", where=errors[0].where)
