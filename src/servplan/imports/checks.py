"""What `check` reports about a form as read: errors block an import, warnings don't."""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import combinations

from servplan.core.errors import DomainError
from servplan.core.scores import HALF, format_score
from servplan.imports.document import (
    ERROR,
    WARNING,
    Issue,
    ReadAssessment,
    ReadDocument,
    ReadPlan,
)
from servplan.offices.domain import find_office
from servplan.offices.models import Office

# Shorter shared paragraphs (「無」, a heading) are normal; copied paragraphs are longer.
DUPLICATE_MIN_CHARS = 20
_PARAGRAPH_NUMBER = re.compile(r"^(?:- |[-•‧]\s*)?(?:\d{1,2}\s*[.、．)]|[(（]\d{1,2}[)）])?\s*")


def resolve_office(doc: ReadDocument, override: str | None) -> tuple[Office | None, list[Issue]]:
    """The office the form belongs to: `override` (--office) wins over the title."""
    name = override or doc.office_name
    try:
        return find_office(name), []
    except DomainError:
        source = "指定的" if override else "標題中的"
        at = "" if override else _at(f"標題「{doc.title[:40]}」")
        return None, [
            Issue(
                ERROR,
                "unknown-office",
                f"{source}區營業處「{name}」不在系統中{at}，"
                "應為系統中的區營業處名稱（如「苗栗區營業處」）",
                "office",
            )
        ]


def check_document(doc: ReadDocument) -> list[Issue]:
    if isinstance(doc, ReadPlan):
        return _check_plan(doc)
    return _check_assessment(doc)


def _at(where: str) -> str:
    return f"（{where}）" if where else ""


def _score_issues(doc: ReadAssessment) -> list[Issue]:
    """Each cell's maximum and score; a results summary or follow-up table on its own has
    neither, and that is no error."""
    if not doc.has_scores:
        return []
    issues = []
    for cell in doc.cells:
        where = cell.label
        at = cell.at.get("score", "")
        if cell.max is None:
            issues.append(
                Issue(
                    ERROR,
                    "max-mismatch",
                    f"{where}：評核項目未標示配分{_at(cell.at.get('max', ''))}，"
                    "應在項目名稱後寫明（如「(100 分)」）或填在「配分」欄",
                    where,
                )
            )
        limit = f"0 至 {format_score(cell.max)} 分" if cell.max is not None else "0 分以上"
        if cell.score is None:
            reason = f"「{cell.score_text}」不是分數" if cell.score_text else "沒有自評分數"
            issues.append(
                Issue(
                    ERROR,
                    "score-missing",
                    f"{where}：{reason}{_at(at)}，應為 {limit}的數字（可含 0.5 分）",
                    where,
                )
            )
        elif cell.score < 0:
            issues.append(
                Issue(
                    ERROR,
                    "score-negative",
                    f"{where}：自評 {format_score(cell.score)} 分不可為負數{_at(at)}，應為 {limit}",
                    where,
                )
            )
        elif cell.max is not None and cell.score > cell.max:
            issues.append(
                Issue(
                    ERROR,
                    "score-above-max",
                    f"{where}：自評 {format_score(cell.score)} 分超過配分 {format_score(cell.max)} 分"
                    f"{_at(at)}，應為 {limit}",
                    where,
                )
            )
        elif (cell.score / HALF) % 1 != 0:
            issues.append(
                Issue(
                    ERROR,
                    "score-missing",
                    f"{where}：自評 {format_score(cell.score)} 分須為整數或 0.5 分{_at(at)}",
                    where,
                )
            )
    return issues


def _sum_issues(doc: ReadAssessment) -> list[Issue]:
    issues = []
    for d in doc.dimensions:
        with_max = [c.max for c in d.cells if c.max is not None]
        cell_max = sum(with_max, Decimal(0))
        if d.stated_max is not None and with_max and cell_max != d.stated_max:
            issues.append(
                Issue(
                    ERROR,
                    "max-mismatch",
                    f"{d.name}：各評核項目配分合計 {format_score(cell_max)} 分，"
                    f"與構面配分 {format_score(d.stated_max)} 分不符{_at(d.max_at)}，應相等",
                    d.name,
                )
            )
        for stated, where in d.statements:
            if d.score is not None and stated != d.score:
                issues.append(
                    Issue(
                        WARNING,
                        "subtotal-mismatch",
                        f"{d.name}：文件所列小計 {format_score(stated)} 分{_at(where)}，"
                        f"與各項自評合計 {format_score(d.score)} 分不符（以各項自評為準）",
                        d.name,
                    )
                )
    names = [d.name for d in doc.dimensions]
    for name in {n for n in names if names.count(n) > 1}:
        issues.append(Issue(ERROR, "max-mismatch", f"執行構面「{name}」重複出現", name))
    for d in doc.dimensions:
        items = [c.item for c in d.cells]
        for item in {i for i in items if items.count(i) > 1}:
            where = f"{d.name}／{item}"
            places = "、".join(c.at.get("item", "") for c in d.cells if c.item == item)
            issues.append(
                Issue(
                    ERROR,
                    "max-mismatch",
                    f"{where}：同一構面中評核項目重複出現{_at(places)}，每個項目應只列一次",
                    where,
                )
            )
    dims_max = sum((d.max for d in doc.dimensions), Decimal(0))
    known = all(
        d.stated_max is not None or all(c.max is not None for c in d.cells) for d in doc.dimensions
    )
    if doc.stated_total_max is not None and known and dims_max != doc.stated_total_max:
        issues.append(
            Issue(
                ERROR,
                "max-mismatch",
                f"各執行構面配分合計 {format_score(dims_max)} 分，"
                f"與總分滿分 {format_score(doc.stated_total_max)} 分不符{_at(doc.total_max_at)}，"
                "應相等",
                "total",
            )
        )
    for stated, where in doc.total_statements:
        if doc.score is not None and stated != doc.score:
            issues.append(
                Issue(
                    WARNING,
                    "total-mismatch",
                    f"文件所列總分 {format_score(stated)} 分{_at(where)}，"
                    f"與各項自評合計 {format_score(doc.score)} 分不符（以各項自評為準）",
                    "total",
                )
            )
    return issues


def _paragraphs(narrative: str) -> set[str]:
    result = set()
    for line in narrative.splitlines():
        text = re.sub(r"\s+", "", _PARAGRAPH_NUMBER.sub("", line.strip()))
        if len(text) >= DUPLICATE_MIN_CHARS:
            result.add(text)
    return result


def _duplicate_issues(doc: ReadAssessment) -> list[Issue]:
    issues = []
    paragraphs = [(cell, _paragraphs(cell.narrative)) for cell in doc.cells]
    for (a, pa), (b, pb) in combinations(paragraphs, 2):
        shared = sorted(pa & pb)
        if shared:
            issues.append(
                Issue(
                    WARNING,
                    "duplicate-narrative",
                    f"{a.label} 與 {b.label} 有 {len(shared)} 段相同的文字：「{shared[0][:30]}…」"
                    f"{_at('、'.join(c.at['narrative'] for c in (a, b) if c.at.get('narrative')))}"
                    "，應各寫各項的執行情形",
                    a.label,
                    cells=(a.label, b.label),
                )
            )
    return issues


def _finding_issues(doc: ReadAssessment) -> list[Issue]:
    issues = []
    for table, rows in (
        ("考核結果彙整表", doc.findings),
        ("建議改善事項辦理情形表", doc.follow_up),
    ):
        for row in rows:
            if row.dimension is None:
                where = f"{table}第 {row.row} 列"
                issues.append(
                    Issue(
                        WARNING,
                        "finding-unmatched",
                        f"{where}「{row.label}」不是評分表中的任何評核項目{_at(row.at)}，"
                        "應寫成「1. 執行構面-評核項目」",
                        where,
                    )
                )
    return issues


def _check_assessment(doc: ReadAssessment) -> list[Issue]:
    return [
        *_score_issues(doc),
        *_sum_issues(doc),
        *_duplicate_issues(doc),
        *_finding_issues(doc),
    ]


def practice_key(where: str, practice) -> str:
    """One practice, for the preview to place its issues: where it sits, its number, its row."""
    return f"{where}({practice.number or ''})@{practice.at}"


def _check_plan(doc: ReadPlan) -> list[Issue]:
    issues = []
    for where, practice in doc.practices:
        missing = [
            label
            for label, value in (("承辦部門", practice.departments), ("執行期間", practice.period))
            if not value
        ]
        if missing:
            number = f"({practice.number})" if practice.number else ""
            places = "、".join(
                practice.columns.get(key, "")
                for label, key in (("承辦部門", "departments"), ("執行期間", "period"))
                if label in missing
            )
            at = f"{where}{number}"
            issues.append(
                Issue(
                    WARNING,
                    "practice-incomplete",
                    f"{at}：具體作法未填{'及'.join(missing)}{_at(places or practice.at)}，"
                    "應寫明承辦的部門及執行的月份或頻率（如「1~12 月」「每季」）",
                    at,
                    cells=(practice_key(where, practice),),
                )
            )
    return issues
