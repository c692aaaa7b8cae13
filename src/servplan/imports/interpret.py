"""Paragraphs and tables → a score sheet or a plan, whatever format they came from.

Nothing about a particular year is assumed: office and period come from the title, dimensions,
items and maxima from the cells (「創新性 (300 分)」, 「一、公私協力 (100 分)」). A table is
recognised by its header row, so a sheet split over pages or tables reads as one.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from servplan.core.roc import Period, RocError, parse_date
from servplan.imports.document import (
    ReadAssessment,
    ReadCell,
    ReadDimension,
    ReadDocument,
    ReadFinding,
    ReadFollowUp,
)
from servplan.imports.readers.base import Block, Paragraph, Table, UnreadableFile, clean

NOTHING = "無"
# The sign-off chain's roles as the forms print them over the signatures.
SIGNER_ROLES = {"經辦", "課長", "經理", "副處長", "處長"}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９（）：～", "0123456789():~")
# Seven digits is far beyond any form; longer numbers are read as text, never as huge Decimals.
_MAX = re.compile(r"\(\s*+(?:滿分\s*+)?(\d{1,7}(?:\.\d{1,2})?)\s*+分\s*+\)")
_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.]|\d{1,2}\s*[.、](?!\d)|\([一二三四五六七八九十\d]+\))\s*"
)
# No two neighbouring parts of a pattern may both take spaces (「\s*月?\s*」): on a long run
# of spaces the engine would try every way of sharing it out, in time quadratic in its length.
_TITLE = re.compile(
    r"^(?P<office>\D*)(?P<year>\d{2,3})\s*+年度?\s*+"
    r"(?:(?P<start>\d{1,2})\s*+(?:月\s*+)?(?:至|~|-|－)\s*+(?P<end>\d{1,2})\s*+月)?\s*(?P<rest>.*)$"
)
_TOTAL_MAX = re.compile(r"(?:滿分|總成績)\s*+(\d{1,7}(?:\.\d{1,2})?)\s*+分")
_TOTAL = re.compile(r"總分\s*+(?::\s*+)?(\d{1,7}(?:\.\d{1,2})?)(?!\d)\s*分?")
_LABEL_SEPARATORS = re.compile(r"[\s\-－—–／/、]")
# From the start of a run of spaces only, so a long run is not rescanned from each space in it.
_LABEL_SPLIT = re.compile(r"(?<!\s)\s*+[-－—–／/]\s*+")
_SCORE_NUMBER = re.compile(r"^-?\d{1,7}(?:\.\d{1,2})?$")


def _text(cell: str | None) -> str:
    return (cell or "").strip()


def _one_line(cell: str | None) -> str:
    """A label or number cell on one line, full-width digits and brackets made ASCII."""
    return clean(_text(cell).translate(_FULL_WIDTH).replace("\n", " "))


def name_and_max(text: str) -> tuple[str, Decimal | None]:
    """「一、公私協力 (100 分)」 → ("公私協力", 100); 「創新性」 → ("創新性", None)."""
    line = _one_line(text)
    found = _MAX.search(line)
    maximum = Decimal(found.group(1)) if found else None
    name = _MAX.sub("", line)
    return clean(_NUMBERING.sub("", name)), maximum


def _nothing_blank(text: str | None) -> str:
    value = _text(text)
    return "" if value == NOTHING else value


def parse_number(text: str | None) -> tuple[Decimal | None, str]:
    """A score as printed: ("95", 95); blank → None; not a number → (None, the text)."""
    raw = _one_line(text)
    value = raw.removesuffix("分").strip()
    if not value:
        return None, ""
    if not _SCORE_NUMBER.match(value):
        return None, raw
    try:
        return Decimal(value), raw
    except InvalidOperation:
        return None, raw


def _label_key(text: str) -> str:
    return _LABEL_SEPARATORS.sub("", _NUMBERING.sub("", _one_line(text)))


class _Header:
    """A header row: which kind of table follows and which column holds what."""

    def __init__(self, kind: str, columns: dict[str, int | None]) -> None:
        self.kind = kind
        self.columns = columns

    def get(self, row: list[str | None], name: str) -> str:
        index = self.columns.get(name)
        if index is None or index >= len(row):
            return ""
        return _text(row[index])


def _header(row: list[str | None]) -> _Header | None:
    texts = [_one_line(c) for c in row]

    def col(*words: str, exclude: tuple[str, ...] = ()) -> int | None:
        for i, t in enumerate(texts):
            if len(t) <= 30 and any(w in t for w in words) and not any(x in t for x in exclude):
                return i
        return None

    if col("執行構面") is not None and col("評核項目") is not None:
        return _Header(
            "score",
            {
                "dimension": col("執行構面"),
                "item": col("評核項目"),
                "narrative": col("評分重點", "執行情形", "辦理情形", "說明", "內容"),
                "score": col("自評", "得分", "分數"),
            },
        )
    if col("面向") is not None and col("具體作法") is not None:
        practice = [i for i, t in enumerate(texts) if "具體作法" in t]
        measure = col("子策略")
        if measure is None and len(practice) > 1:
            measure = practice[0]
        elif measure is None and practice[-1] + 1 < len(texts) and not texts[practice[-1] + 1]:
            # 「具體作法」 merged over two columns, recorded once: sub-strategy, then practices.
            measure = practice[-1]
            practice.append(practice[-1] + 1)
        strategy = col("執行策略", exclude=("子策略",))
        if (
            measure is None
            and strategy is not None
            and strategy + 1 < practice[0]
            and texts[strategy + 1] in ("", texts[strategy])
        ):
            # 「執行策略」 merged over the strategy and sub-strategy columns (as servplan's own
            # exports print it): repeated in the next column, or recorded once.
            measure = strategy + 1
        return _Header(
            "plan",
            {
                "facet": col("面向"),
                "strategy": strategy,
                "measure": measure,
                "practice": practice[-1],
                "departments": col("承辦部門", "部門"),
                "period": col("執行期間", "期間"),
            },
        )
    if col("考核項目") is not None and col("優點") is not None:
        return _Header(
            "findings",
            {
                "label": col("考核項目"),
                "strengths": col("優點"),
                "weaknesses": col("缺點"),
                "recommendation": col("建議改善事項", exclude=("辦理情形",)),
                "improvement": col("辦理情形"),
                "remarks": col("備註"),
            },
        )
    if col("考核項目") is not None and col("辦理情形") is not None:
        return _Header(
            "follow_up",
            {
                "label": col("考核項目"),
                "recommendation": col("建議改善事項", exclude=("辦理情形",)),
                "progress": col("辦理情形"),
                "remarks": col("備註"),
            },
        )
    if col("考核項目") is not None and col("分數", "得分", "自評") is not None:
        return _Header("summary", {"label": col("考核項目"), "score": col("分數", "得分", "自評")})
    return None


def _signature_row(row: list[str | None]) -> bool:
    """The roles heading a signature block, each in its own cell."""
    texts = [t for t in (_one_line(c) for c in row) if t]
    return len(texts) > 1 and all(t in SIGNER_ROLES for t in texts)


def _title(paragraphs: list[str]) -> tuple[str, re.Match] | None:
    for text in paragraphs:
        line = _one_line(text)
        if "年度" not in line or "執行計畫" not in line:
            continue
        match = _TITLE.match(line)
        if match and clean(match.group("office")):
            return line, match
    return None


def interpret(blocks: list[Block]) -> ReadDocument:
    """The form in `blocks`: a score sheet (with summary and findings) or a plan."""
    paragraphs = [b.text for b in blocks if isinstance(b, Paragraph)]
    rows: list[tuple[_Header, list[str | None]]] = []
    kinds: set[str] = set()
    current: _Header | None = None
    for block in blocks:
        if not isinstance(block, Table):
            continue
        for row in block.rows:
            if _signature_row(row):
                # A signature block (經辦 課長 … 處長) closes the table: the names under the
                # roles are not rows of it.
                current = None
                continue
            header = _header(row)
            if header is not None:
                current = header
                kinds.add(header.kind)
                continue
            if current is not None and any(_text(c) for c in row):
                rows.append((current, row))
    if "score" in kinds:
        return _assessment(blocks, paragraphs, rows)
    if "plan" in kinds:
        from servplan.imports.plan import read_plan

        return read_plan(blocks, paragraphs, [(h.columns, r) for h, r in rows if h.kind == "plan"])
    raise UnreadableFile("找不到評分表（執行構面／評核項目）或執行策略表（面向／具體作法）")


def title_parts(paragraphs: list[str]) -> tuple[str, str, int, re.Match]:
    found = _title(paragraphs)
    if found is None:
        raise UnreadableFile(
            "找不到標題（應為「○○區營業處 114 年度 1 月至 6 月提升服務效能執行計畫…」）"
        )
    title, match = found
    office = re.sub(r"\s+", "", match.group("office"))
    return title, office, int(match.group("year")), match


def _assessment(blocks, paragraphs, rows) -> ReadAssessment:
    title, office, year, match = title_parts(paragraphs)
    if match.group("start") is None:
        raise UnreadableFile(f"標題「{title}」未載明考核期間（應為「114 年度 1 月至 6 月」）")
    try:
        period = Period(year, int(match.group("start")), int(match.group("end")))
    except RocError as exc:
        raise UnreadableFile(f"標題的考核期間無法解讀：{exc}") from exc
    doc = ReadAssessment(title=title, office_name=office, period=period, dimensions=[])
    for text in paragraphs:
        line = _one_line(text)
        if (found := _TOTAL_MAX.search(line)) and doc.stated_total_max is None:
            doc.stated_total_max = Decimal(found.group(1))
        elif (found := _TOTAL.search(line)) and "滿分" not in line:
            doc.stated_total = Decimal(found.group(1))
        if line.startswith("考核日期") and re.search(r"\d", line):
            try:
                doc.assessed_on = parse_date(re.split(r"[:：]", line, maxsplit=1)[-1])
            except RocError:
                doc.assessed_on = None
    dimensions: dict[str, ReadDimension] = {}
    current: ReadDimension | None = None
    finding_row = follow_row = 0
    for header, row in rows:
        if header.kind == "score":
            current = _score_row(header, row, dimensions, current, doc)
        elif header.kind == "summary":
            _summary_row(header, row, dimensions, doc)
        elif header.kind == "findings":
            finding_row += 1
            label = header.get(row, "label")
            dim, item = _split_label(label)
            doc.findings.append(
                ReadFinding(
                    row=finding_row,
                    label=_one_line(label),
                    dimension=dim,
                    item=item,
                    strengths=_nothing_blank(header.get(row, "strengths")),
                    weaknesses=_nothing_blank(header.get(row, "weaknesses")),
                    recommendation=_nothing_blank(header.get(row, "recommendation")),
                    improvement=_nothing_blank(header.get(row, "improvement")),
                    remarks=_nothing_blank(header.get(row, "remarks")),
                )
            )
        elif header.kind == "follow_up":
            follow_row += 1
            label = header.get(row, "label")
            dim, item = _split_label(label)
            doc.follow_up.append(
                ReadFollowUp(
                    row=follow_row,
                    label=_one_line(label),
                    dimension=dim,
                    item=item,
                    recommendation=_nothing_blank(header.get(row, "recommendation")),
                    progress=_nothing_blank(header.get(row, "progress")),
                    remarks=_nothing_blank(header.get(row, "remarks")),
                )
            )
    doc.dimensions = [d for d in dimensions.values() if d.cells]
    if not doc.dimensions:
        raise UnreadableFile("評分表沒有任何評核項目")
    _match_labels(doc)
    return doc


def _score_row(header, row, dimensions, current, doc) -> ReadDimension | None:
    dim_text = header.get(row, "dimension")
    item_text = header.get(row, "item")
    joined = " ".join(_one_line(c) for c in row)
    if "總分" in joined:
        if (found := _TOTAL_MAX.search(joined)) is not None:
            doc.stated_total_max = Decimal(found.group(1))
        elif (found := _TOTAL.search(joined)) is not None:
            doc.stated_total = Decimal(found.group(1))
        else:
            doc.stated_total = parse_number(header.get(row, "score"))[0]
        return current
    name, maximum = name_and_max(dim_text)
    if name:
        current = dimensions.get(name)
        if current is None:
            current = dimensions[name] = ReadDimension(name=name, stated_max=maximum)
        elif current.stated_max is None:
            current.stated_max = maximum
    if current is None or not item_text:
        return current
    if any(w in item_text for w in ("小計", "合計")):
        current.stated = parse_number(header.get(row, "score"))[0]
        return current
    item, item_max = name_and_max(item_text)
    score, raw = parse_number(header.get(row, "score"))
    current.cells.append(
        ReadCell(
            dimension=current.name,
            item=item,
            max=item_max,
            score=score,
            score_text=raw,
            narrative=header.get(row, "narrative"),
        )
    )
    return current


def _summary_row(header, row, dimensions, doc) -> None:
    joined = " ".join(_one_line(c) for c in row)
    if "總分" in joined:
        found = _TOTAL.search(joined)
        value = Decimal(found.group(1)) if found else parse_number(header.get(row, "score"))[0]
        if value is not None:
            doc.stated_total = value
        return
    name, _ = name_and_max(header.get(row, "label"))
    if name in dimensions:
        dimensions[name].stated = parse_number(header.get(row, "score"))[0]


def _split_label(label: str) -> tuple[str | None, str | None]:
    """「1. 創新性-提供在地化及客製化關懷服務」 → ("創新性", "提供在地化及客製化關懷服務")."""
    text = _NUMBERING.sub("", _one_line(label))
    parts = _LABEL_SPLIT.split(text, maxsplit=1)
    if len(parts) != 2:
        return None, None
    return clean(parts[0]), clean(_NUMBERING.sub("", parts[1]))


def _match_labels(doc: ReadAssessment) -> None:
    """Name each findings/follow-up row by the cell it means (None when it names no cell)."""
    cells = {_label_key(c.dimension + c.item): c for c in doc.cells}
    for row in [*doc.findings, *doc.follow_up]:
        cell = cells.get(_label_key(row.label))
        row.dimension, row.item = (cell.dimension, cell.item) if cell else (None, None)
