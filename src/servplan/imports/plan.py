"""An office plan's paragraphs and its 面向／執行策略／具體作法 table → a ReadPlan."""

from __future__ import annotations

import re

from servplan.core.roc import RocError, parse_date
from servplan.imports.document import ReadPlan, ReadPractice
from servplan.imports.interpret import _NUMBERING, _one_line, _text, title_parts
from servplan.imports.readers.base import Block, clean

# The heading's name runs to the colon, trailing spaces included (it is only searched for a
# keyword): 「([^:：]+?)\s*」 would rescan a long run of spaces from each space in it.
_SECTION = re.compile(r"^([壹貳參肆伍陸柒捌玖拾])\s*+[、.]\s*([^:：]+)(?:[:：]\s*+(.*))?$")
_SECTION_FIELDS = {
    "依據": "basis",
    "目標": "goals",
    "對象": "targets",
    "步驟": "steps",
    "附則": "supplementary",
}
_APPROVED = re.compile(r"(\d{2,3}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*陳准")
# 「(2)」 starts a practice at the start of a line, after a space or after a sentence's end:
# 「(1)甲。(2)乙。」 typed on one line is two practices.
_PRACTICE_NUMBER = re.compile(r"(?:^|(?<=[\s。；;！!？?]))[(（](\d{1,2})[)）]\s*")
# A 作法標題 numbered 「1.」 under the strategy 「（一）…」 in the strategy column's cell.
_MEASURE_LINE = re.compile(r"^\s*\d{1,2}\s*[.、．](?!\d)")
_DEPARTMENT_SPLIT = re.compile(r"[\s、,，;；/]+")


def _practices(text: str) -> list[tuple[int | None, str]]:
    """「(1) 甲… (2) 乙…」 → [(1, "甲…"), (2, "乙…")]; unnumbered text is one practice."""
    marks = list(_PRACTICE_NUMBER.finditer(text))
    if not marks or marks[0].start() != 0:
        head = _lines(text[: marks[0].start()] if marks else text)
        result = [(None, head)] if head else []
    else:
        result = []
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        result.append((int(mark.group(1)), _lines(text[mark.end() : end])))
    return result


def _lines(text: str) -> str:
    """A practice's paragraphs (甲、乙、丙 stand on lines of their own), spacing tidied; the
    readers have already rejoined lines that were only wrapped (PDF)."""
    return "\n".join(line for line in (clean(part) for part in text.split("\n")) if line)


def _sections(paragraphs: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    current: str | None = None
    for text in paragraphs:
        line = _one_line(text)
        heading = _SECTION.match(line)
        if heading:
            current = next((f for k, f in _SECTION_FIELDS.items() if k in heading.group(2)), None)
            if current is not None and heading.group(3):
                found.setdefault(current, []).append(clean(heading.group(3)))
            continue
        if current is not None and line:
            found.setdefault(current, []).append(clean(text))
    return found


def read_plan(
    blocks: list[Block], paragraphs: list[str], rows: list[tuple[dict, list, dict]]
) -> ReadPlan:
    """`rows`: each table row's columns, cells and place (where it stands, where its
    practice, departments and period columns are, its cells as read)."""
    title, office, year, _ = title_parts(paragraphs)
    approved_on = None
    for text in paragraphs:
        found = _APPROVED.search(_one_line(text))
        if found:
            try:
                approved_on = parse_date(found.group(1))
            except RocError:
                approved_on = None
            break
    sections = _sections(paragraphs)
    return ReadPlan(
        title=title,
        office_name=office,
        roc_year=year,
        facets=_tree(rows),
        approved_on=approved_on,
        basis="\n".join(sections.get("basis", [])),
        goals="\n".join(sections.get("goals", [])),
        targets="\n".join(sections.get("targets", [])),
        steps=[_NUMBERING.sub("", s) for s in sections.get("steps", [])],
        supplementary="\n".join(sections.get("supplementary", [])),
    )


def _cell(columns: dict, row: list, name: str) -> str:
    index = columns.get(name)
    return _text(row[index]) if index is not None and index < len(row) else ""


def _strategy_and_measure(text: str) -> tuple[str, str]:
    """A strategy cell that lists its 作法標題 under the strategy: 「（一）服務一致及正確性」
    then 「1.訂定標準作業流程」 on the next line, or 「2.…」 alone (under the strategy above)."""
    lines = [line for line in _text(text).splitlines() if line.strip()]
    measures = [line for line in lines if _MEASURE_LINE.match(_one_line(line))]
    if not measures:
        return text, ""
    strategy = "\n".join(line for line in lines if line not in measures)
    return strategy, _one_line(measures[0])


def _tree(rows: list[tuple[dict, list, dict]]) -> list[dict]:
    facets: list[dict] = []
    facet = strategy = measure = None
    last: ReadPractice | None = None
    for number, (columns, row, place) in enumerate(rows, start=1):
        facet_name = clean(_NUMBERING.sub("", _one_line(_cell(columns, row, "facet"))))
        strategy_text = _cell(columns, row, "strategy")
        measure_text = _one_line(_cell(columns, row, "measure"))
        if measure_text and measure_text == _one_line(strategy_text):
            # A strategy without sub-strategies spans their column too (a merged cell).
            measure_text = ""
        if not measure_text:
            strategy_text, measure_text = _strategy_and_measure(strategy_text)
        strategy_name = clean(_NUMBERING.sub("", _one_line(strategy_text)))
        text = _cell(columns, row, "practice")
        if facet_name and (facet is None or facet["name"] != facet_name):
            facet = next((f for f in facets if f["name"] == facet_name), None)
            if facet is None:
                facet = {"name": facet_name, "strategies": []}
                facets.append(facet)
            strategy = measure = None
        if facet is None:
            continue
        if strategy_name and (strategy is None or strategy["name"] != strategy_name):
            strategy = {"name": strategy_name, "measures": []}
            facet["strategies"].append(strategy)
            measure = None
        if strategy is None:
            continue
        measure_name = clean(_NUMBERING.sub("", measure_text))
        new_measure = measure is None or (measure_name and measure["raw"] != measure_text)
        practices = _practices(text)
        if not new_measure and last is not None and practices and practices[0][0] is None:
            # A practice carried over a page break: its text continues the previous one.
            last.text = clean(f"{last.text}{practices.pop(0)[1]}")
            last.source = [*last.source, *place["source"]]
        if new_measure:
            measure = {"name": measure_name, "raw": measure_text, "practices": []}
            strategy["measures"].append(measure)
        departments = [d for d in _DEPARTMENT_SPLIT.split(_cell(columns, row, "departments")) if d]
        period = _one_line(_cell(columns, row, "period"))
        if not new_measure and measure["practices"]:
            # A merged 承辦部門／執行期間 cell covers the measure's later rows too.
            departments = departments or measure["practices"][-1].departments
            period = period or measure["practices"][-1].period
        # The row's cells stand beside its first practice only (the preview shows each once).
        source = place["source"]
        for practice_number, body in practices:
            last = ReadPractice(
                practice_number,
                body,
                departments,
                period,
                number,
                at=place["at"],
                columns=place["columns"],
                source=source,
            )
            source = []
            measure["practices"].append(last)
    for f in facets:
        for s in f["strategies"]:
            for m in s["measures"]:
                m.pop("raw", None)
    return facets
