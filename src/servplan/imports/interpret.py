"""Paragraphs and tables → a score sheet or a plan, whatever format they came from.

Nothing about a particular year is assumed: office and period come from the title, dimensions,
items and maxima from the cells (「創新性 (300 分)」, 「一、公私協力 (100 分)」, or a 配分
column). A table is recognised by its header row, so a sheet split over pages or tables reads
as one; a row of the sign-off chain's roles is a signature block, and page furniture (the
footer's page numbers and content hash) is no content. The layouts read are listed in
docs/imports.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from servplan.core.roc import Period, RocError, parse_date
from servplan.imports.document import (
    ReadAssessment,
    ReadCell,
    ReadDimension,
    ReadDocument,
    ReadEntry,
    ReadFinding,
    ReadFollowUp,
)
from servplan.imports.readers.base import Block, Table, UnreadableFile, clean

NOTHING = "無"
# The sign-off chain's roles as the forms print them over the signatures.
SIGNER_ROLES = {"經辦", "課長", "經理", "副處長", "處長"}
# A role with the signer's name after a colon, as clerks type the sign-off row: 「經辦：王小明」.
_SIGNER = re.compile(r"^(?:經辦|課長|經理|副處長|處長)\s*+[:：]\s*+[^\s:：]{0,12}$")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９（）：～．", "0123456789():~.")
# Seven digits is far beyond any form; longer numbers are read as text, never as huge Decimals.
_NUMBER = r"\d{1,7}(?:\.\d{1,2})?"
_MAX = re.compile(rf"\(\s*+(?:滿分\s*+)?({_NUMBER})\s*+分\s*+\)")
_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十壹貳參肆伍陸柒捌玖拾]+\s*[、.]|\d{1,2}\s*[.、](?!\d)"
    r"|\([一二三四五六七八九十\d]+\))\s*"
)
# No two neighbouring parts of a pattern may both take spaces (「\s*月?\s*」): on a long run
# of spaces the engine would try every way of sharing it out, in time quadratic in its length.
_TITLE = re.compile(
    r"^(?P<office>\D*)(?P<year>\d{2,3})\s*+年度?\s*+"
    r"(?:(?P<start>\d{1,2})\s*+(?:月\s*+)?(?:至|~|-|－)\s*+(?P<end>\d{1,2})\s*+月)?\s*(?P<rest>.*)$"
)
_TOTAL_MAX = re.compile(rf"(?:滿分|總成績)\s*+({_NUMBER})\s*+分")
# 「總分：939 分」, 「總分 939」, 「總分（滿分 1000 分）：939 分」.
_TOTAL = re.compile(rf"總分\s*+(?:\(\s*+滿分[^)]{{0,20}}\))?\s*+:?\s*+({_NUMBER})(?!\d)")
_TOTAL_LABELS = ("總分", "總計")
_SUBTOTAL_LABELS = ("小計", "合計")
_LABEL_SEPARATORS = re.compile(r"[\s\-－—–／/、]")
# From the start of a run of spaces only, so a long run is not rescanned from each space in it.
_LABEL_SPLIT = re.compile(r"(?<!\s)\s*+[-－—–／/]\s*+")
_SCORE_NUMBER = re.compile(rf"^-?{_NUMBER}$")
# What every format prints in front of a bullet; a narrative's bullet is 「- 」.
_BULLET = re.compile(r"^[•‧・●▪◦]\s*+")
# The footer every servplan document prints on each page (formats that keep it as text).
_FURNITURE = re.compile(r"第\s*+\d{1,4}\s*+頁\s*+[／/]\s*+共\s*+\d{1,4}\s*+頁\s*$|內容雜湊")
_ENTRY = re.compile(
    r"^【\s*+(\d{1,3})\s*+年\s*+第\s*+([1-4一二三四])\s*+季\s*+(?:\(([^()]{1,30})\))?\s*+】$"
)
_QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}


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


def name_key(name: str) -> str:
    """A name as compared with another: numbering (一、 (一) 1.), spaces and full-width forms
    aside, so that 「（一）公私協力」 and 「公私協力」 are the same item."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _NUMBERING.sub("", _MAX.sub("", text.translate(_FULL_WIDTH)))
    return re.sub(r"\s+", "", text)


def _paragraphs(text: str | None) -> str:
    """A narrative or findings cell: one paragraph a line, bullets as 「- 」, 「無」 as empty."""
    lines = [_BULLET.sub("- ", line.strip()) for line in _text(text).splitlines()]
    value = "\n".join(line for line in lines if line)
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
    return name_key(_LABEL_SEPARATORS.sub("", _NUMBERING.sub("", _one_line(text))))


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class _Header:
    """A header row: which kind of table follows, which column holds what, and the columns'
    titles (for messages that name the column as the user sees it)."""

    kind: str
    columns: dict[str, int | None]
    titles: list[str] = field(default_factory=list)
    sheet: str = ""

    def index(self, name: str) -> int | None:
        return self.columns.get(name)


@dataclass
class _Row:
    header: _Header
    cells: list[str | None]  # as read: a merged cell's text in its first row and column only
    filled: list[str | None]  # with each merged cell's text in every position it covers
    where: str  # 「第 2 張表第 5 列」 or 「『評分表』工作表第 5 列」
    is_header: bool = False

    def get(self, name: str) -> str:
        index = self.header.index(name)
        if index is None or index >= len(self.cells):
            return ""
        return _text(self.cells[index])

    def at(self, name: str) -> str:
        """Where column `name` of this row is: 「第 2 張表第 5 列『自評』欄」."""
        index = self.header.index(name)
        return self.where if index is None else self.column_at(index)

    def source(self) -> list[tuple[str, str]]:
        """The row's filled cells, each with where it stands: what the preview shows beside
        what was read. A merged cell stands at its first row only, so that the preview shows
        each cell of the file once (a hostile merge can't make it repeat a text per row)."""
        return [
            (self.column_at(index), _text(text))
            for index, text in enumerate(self.cells)
            if _text(text)
        ]

    def column_at(self, index: int) -> str:
        title = self.header.titles[index] if index < len(self.header.titles) else ""
        column = f"『{title}』欄" if title else f"第 {index + 1} 欄"
        if self.header.sheet:
            return f"{self.where}{column}（{_column_letter(index)} 欄）"
        return f"{self.where}{column}"


def _header(row: list[str | None], table: Table, index: int) -> _Header | None:
    texts = [_one_line(c) for c in row]

    def col(*words: str, exclude: tuple[str, ...] = ()) -> int | None:
        for i, t in enumerate(texts):
            if len(t) <= 30 and any(w in t for w in words) and not any(x in t for x in exclude):
                return i
        return None

    def made(kind: str, columns: dict[str, int | None]) -> _Header:
        return _Header(kind, columns, texts, table.sheet)

    if col("執行構面") is not None and col("評核項目") is not None:
        return made(
            "score",
            {
                "dimension": col("執行構面"),
                "item": col("評核項目"),
                "max": col("配分", "滿分"),
                "narrative": col(
                    "評分重點", "執行情形", "辦理情形", "說明", "內容", exclude=("改善",)
                ),
                "score": col("自評", "得分", "分數"),
                # The data exports carry each cell's findings on its row.
                "strengths": col("優點"),
                "weaknesses": col("缺點"),
                "recommendation": col("建議改善事項", exclude=("辦理情形",)),
                "improvement": col("改善事項辦理情形", "改善辦理情形"),
                "remarks": col("備註"),
            },
        )
    if col("面向") is not None and col("具體作法") is not None:
        practice = [i for i, t in enumerate(texts) if "具體作法" in t]
        measure = col("子策略", "作法標題")
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
        return made(
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
        return made(
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
        return made(
            "follow_up",
            {
                "label": col("考核項目"),
                "recommendation": col("建議改善事項", exclude=("辦理情形",)),
                "progress": col("辦理情形"),
                "remarks": col("備註"),
            },
        )
    label, score = col("考核項目"), col("分數", "得分", "自評")
    if label is not None and score is not None:
        # 「考核項目(總成績 1000 分)」 over two columns: the dimension, then its items.
        span = table.spans.get((index, label), (1, 1))[1]
        items: int | None = label + 1
        if items == score or items >= len(texts) or (span == 1 and texts[items]):
            items = None
        return made("summary", {"label": label, "items": items, "score": score})
    return None


def _signature_row(row: list[str | None]) -> bool:
    """The roles heading a signature block, each in its own cell (「經辦：王小明」 too)."""
    texts = [t for t in (_one_line(c) for c in row) if t]
    return bool(texts) and all(t in SIGNER_ROLES or _SIGNER.match(t) for t in texts)


def _lone_text(row: list[str | None]) -> str | None:
    """The text of a row with one filled cell (a title merged across the table's first row)."""
    texts = [c for c in row if _text(c)]
    return _text(texts[0]) if len(texts) == 1 else None


def furniture(text: str) -> bool:
    """A page's running footer (page numbers, the content hash line): not the document's text."""
    return bool(_FURNITURE.search(_one_line(text)))


def _title(paragraphs: list[str]) -> tuple[str, re.Match] | None:
    for text in paragraphs:
        line = _one_line(text)
        if "年度" not in line or "執行計畫" not in line:
            continue
        match = _TITLE.match(line)
        if match and clean(match.group("office")):
            return line, match
    return None


def _rows(blocks: list[Block]) -> tuple[list[_Row], list[str]]:
    """Every table row under a header, each with where it stands as its user sees it; and
    the paragraphs, in order: the document's own and a table's rows of one text above its
    header row (a title merged across the first row)."""
    rows: list[_Row] = []
    paragraphs: list[str] = []
    current: _Header | None = None
    number = 0
    for block in blocks:
        if not isinstance(block, Table):
            if not furniture(block.text):
                paragraphs.append(block.text)
            continue
        if not block.sheet:
            number += 1
        filled = block.filled()
        headers = [_header(row, block, i) for i, row in enumerate(block.rows)]
        first = next((i for i, h in enumerate(headers) if h is not None), None)
        for index, row in enumerate(block.rows):
            lone = _lone_text(row)
            if lone is not None and first is not None and index < first:
                paragraphs.append(lone)
                continue
            if block.sheet:
                where = f"『{block.sheet}』工作表第 {block.row_number(index)} 列"
            else:
                where = f"第 {number} 張表第 {block.row_number(index)} 列"
            if _signature_row(row):
                # A signature block (經辦 課長 … 處長) closes the table: the names under the
                # roles are not rows of it.
                current = None
                continue
            header = headers[index]
            if header is not None:
                current = header
                rows.append(_Row(header, row, filled[index], where, is_header=True))
                continue
            if current is not None and any(_text(c) for c in row):
                rows.append(_Row(current, row, filled[index], where))
    return rows, paragraphs


def interpret(blocks: list[Block]) -> ReadDocument:
    """The form in `blocks`: a score sheet (with summary and findings) or a plan."""
    rows, paragraphs = _rows(blocks)
    kinds = {r.header.kind for r in rows}
    if kinds & {"score", "summary", "findings", "follow_up"}:
        return _assessment(paragraphs, rows)
    if "plan" in kinds:
        from servplan.imports.plan import read_plan

        plan_rows = []
        for r in rows:
            if r.header.kind != "plan" or r.is_header:
                continue
            practice = r.header.index("practice")
            # Merged cells mean the same facet, strategy, departments … in each row they
            # cover; a practice merged down is still one practice.
            cells = list(r.filled)
            if practice is not None and practice < len(cells):
                cells[practice] = r.cells[practice]
            place = {
                "at": r.where,
                "columns": {name: r.at(name) for name in ("practice", "departments", "period")},
                "source": r.source(),
            }
            plan_rows.append((r.header.columns, cells, place))
        return read_plan(blocks, paragraphs, plan_rows)
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


class _Reading:
    """One assessment being read: its dimensions by name, in the document's order."""

    def __init__(self, doc: ReadAssessment) -> None:
        self.doc = doc
        self.dimensions: dict[str, ReadDimension] = {}
        self.current: ReadDimension | None = None
        self.scored = False  # a score sheet's row gave a cell

    def dimension(self, name: str, maximum: Decimal | None) -> ReadDimension:
        found = self.dimensions.get(name_key(name))
        if found is None:
            found = self.dimensions[name_key(name)] = ReadDimension(name=name, stated_max=maximum)
        elif found.stated_max is None:
            found.stated_max = maximum
        return found


def _assessment(paragraphs: list[str], rows: list[_Row]) -> ReadAssessment:
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
        _statement_line(doc, line, f"文件段落「{line[:30]}」")
    reading = _Reading(doc)
    # Score rows first: the summary and the findings refer to the score sheet's cells.
    for kind, read in (
        ("score", _score_row),
        ("summary", _summary_row),
        ("findings", _finding_row),
        ("follow_up", _follow_up_row),
    ):
        for row in rows:
            if row.header.kind != kind:
                continue
            if row.is_header:
                _header_statements(doc, row)
            else:
                read(row, reading)
    doc.dimensions = [d for d in reading.dimensions.values() if d.cells]
    if reading.scored:
        doc.forms.append("score-sheet")
    if any(r.header.kind in ("summary", "findings") for r in rows):
        doc.forms.append("summary")
    if any(r.header.kind == "follow_up" for r in rows):
        doc.forms.append("follow-up")
    if not doc.dimensions:
        _cells_from_labels(doc, reading)
    if not doc.dimensions:
        raise UnreadableFile("評分表沒有任何評核項目")
    _match_labels(doc)
    return doc


def _statement_line(doc: ReadAssessment, line: str, where: str) -> None:
    """A line that states the total maximum, the total score or the date of the assessment."""
    if (found := _TOTAL_MAX.search(line)) and doc.stated_total_max is None:
        doc.stated_total_max = Decimal(found.group(1))
        doc.total_max_at = where
    if (found := _TOTAL.search(line)) is not None:
        doc.total_statements.append((Decimal(found.group(1)), where))
    if line.startswith("考核日期") and re.search(r"\d", line):
        try:
            doc.assessed_on = parse_date(re.split(r"[:：]", line, maxsplit=1)[-1])
        except RocError:
            doc.assessed_on = None


def _header_statements(doc: ReadAssessment, row: _Row) -> None:
    """A header cell may state the total maximum: 「考核項目(總成績 1000 分)」."""
    for cell in row.cells:
        found = _TOTAL_MAX.search(_one_line(cell))
        if found and doc.stated_total_max is None:
            doc.stated_total_max = Decimal(found.group(1))
            doc.total_max_at = row.where


def _total_row(row: _Row, label: str, doc: ReadAssessment) -> None:
    """The 總分 row: the maximum from its 配分 column or its label, the score from its score
    column or its label (「總分：939 分」)."""
    line = _one_line(label)
    maximum = parse_number(row.get("max"))[0] if row.header.index("max") is not None else None
    at = row.at("max")
    if maximum is None and (found := _TOTAL_MAX.search(line)):
        maximum = Decimal(found.group(1))
        at = row.where
    if maximum is not None:
        doc.stated_total_max = maximum
        doc.total_max_at = at
    score = parse_number(row.get("score"))[0]
    if score is not None:
        doc.total_statements.append((score, row.at("score")))
    elif (found := _TOTAL.search(line)) is not None:
        doc.total_statements.append((Decimal(found.group(1)), row.where))


def _score_row(row: _Row, reading: _Reading) -> None:
    doc = reading.doc
    dim_text, item_text = row.get("dimension"), row.get("item")
    item_line = _one_line(item_text)
    # 「總分」 in the dimension or item column, or a label spanning the row's first columns.
    first = next((_one_line(c) for c in row.cells if _text(c)), "")
    label = next(
        (t for t in (_one_line(dim_text), item_line, first) if t.startswith(_TOTAL_LABELS)), ""
    )
    if label:
        _total_row(row, label, doc)
        return
    # 「小計」 in the item column, or in the dimension column of a row without an item.
    dim_line = _one_line(dim_text)
    subtotal_label = next(
        (
            t
            for t in (item_line, "" if item_line else dim_line)
            if any(w in t for w in _SUBTOTAL_LABELS)
        ),
        "",
    )
    subtotal = bool(subtotal_label)
    name, maximum = name_and_max(dim_text)
    if name and not any(w in name for w in _SUBTOTAL_LABELS):
        reading.current = reading.dimension(name, None if subtotal else maximum)
        if maximum is not None and not reading.current.max_at:
            reading.current.max_at = row.at("dimension")
    current = reading.current
    if current is None or not (item_line or subtotal):
        return
    stated_max = parse_number(row.get("max"))[0]
    if subtotal:
        if (found := _TOTAL_MAX.search(subtotal_label)) and stated_max is None:
            stated_max = Decimal(found.group(1))
        if current.stated_max is None and stated_max is not None:
            current.stated_max = stated_max
            current.max_at = row.at("max") if row.header.index("max") is not None else row.where
        score = parse_number(row.get("score"))[0]
        if score is not None:
            current.statements.append((score, row.at("score")))
        return
    item, item_max = name_and_max(item_text)
    score, raw = parse_number(row.get("score"))
    cell = ReadCell(
        dimension=current.name,
        item=item,
        max=stated_max if stated_max is not None else item_max,
        score=score,
        score_text=raw,
        narrative=_paragraphs(row.get("narrative")),
        at={
            "score": row.at("score"),
            "max": row.at("max") if row.header.index("max") is not None else row.at("item"),
            "item": row.at("item"),
            "narrative": row.at("narrative"),
        },
        source=row.source(),
    )
    current.cells.append(cell)
    reading.scored = True
    if row.header.index("strengths") is not None:
        doc.findings.append(
            ReadFinding(
                row=len(doc.findings) + 1,
                label=f"{current.name}-{item}",
                dimension=current.name,
                item=item,
                strengths=_paragraphs(row.get("strengths")),
                weaknesses=_paragraphs(row.get("weaknesses")),
                recommendation=_paragraphs(row.get("recommendation")),
                improvement=_paragraphs(row.get("improvement")),
                remarks=_paragraphs(row.get("remarks")),
                at=row.where,
                source=row.source(),
            )
        )


def _summary_row(row: _Row, reading: _Reading) -> None:
    """一、考核成績: a dimension (with its maximum), its items, its score; or the 總分 row."""
    doc = reading.doc
    label = row.get("label")
    first = next((_one_line(c) for c in row.cells if _text(c)), "")
    if first.startswith(_TOTAL_LABELS):  # 「總分：939 分」, wherever the row prints it
        _total_row(row, first, doc)
        return
    name, maximum = name_and_max(label)
    if not name:
        return
    known = name_key(name) in reading.dimensions
    dimension = reading.dimension(name, maximum)
    if maximum is not None and not dimension.max_at:
        dimension.max_at = row.at("label")
    score = parse_number(row.get("score"))[0]
    if score is not None:
        dimension.statements.append((score, row.at("score")))
    if known or reading.scored:
        return
    # A results summary on its own: its items, without maxima or scores of their own.
    # The row's cells stand beside its first item only (the preview shows each cell once).
    source = row.source()
    for line in row.get("items").splitlines():
        item, item_max = name_and_max(line)
        if item:
            dimension.cells.append(
                ReadCell(
                    dimension.name,
                    item,
                    item_max,
                    None,
                    "",
                    "",
                    {"item": row.at("items")},
                    source=source,
                )
            )
            source = []


def _finding_row(row: _Row, reading: _Reading) -> None:
    doc = reading.doc
    label = row.get("label")
    dim, item = _split_label(label)
    doc.findings.append(
        ReadFinding(
            row=len(doc.findings) + 1,
            label=_one_line(label),
            dimension=dim,
            item=item,
            strengths=_paragraphs(row.get("strengths")),
            weaknesses=_paragraphs(row.get("weaknesses")),
            recommendation=_paragraphs(row.get("recommendation")),
            improvement=_paragraphs(row.get("improvement")),
            remarks=_paragraphs(row.get("remarks")),
            at=row.at("label"),
            source=row.source(),
        )
    )


def entries(text: str) -> list[ReadEntry]:
    """A 改善辦理情形 cell → its entries: each 「【114 年第 2 季（114 年 6 月 30 日）】」 heads the
    paragraphs under it; text without a heading is one entry of no stated quarter."""
    found: list[ReadEntry] = []
    lines: list[str] = []
    heading: tuple[int | None, int | None, object] = (None, None, None)

    def close() -> None:
        progress = "\n".join(lines)
        if progress or heading[0] is not None:
            found.append(ReadEntry(heading[0], heading[1], heading[2], progress))

    for line in _paragraphs(text).splitlines():
        mark = _ENTRY.match(_one_line(line))
        if mark is None:
            lines.append(line)
            continue
        close()
        lines = []
        try:
            recorded = parse_date(mark.group(3)) if mark.group(3) else None
        except RocError:
            recorded = None
        heading = (int(mark.group(1)), _QUARTERS[mark.group(2)], recorded)
    close()
    return found


def _follow_up_row(row: _Row, reading: _Reading) -> None:
    doc = reading.doc
    label = row.get("label")
    dim, item = _split_label(label)
    doc.follow_up.append(
        ReadFollowUp(
            row=len(doc.follow_up) + 1,
            label=_one_line(label),
            dimension=dim,
            item=item,
            recommendation=_paragraphs(row.get("recommendation")),
            entries=entries(row.get("progress")),
            remarks=_paragraphs(row.get("remarks")),
            at=row.at("label"),
            source=row.source(),
        )
    )


def _cells_from_labels(doc: ReadAssessment, reading: _Reading) -> None:
    """A follow-up table on its own names its cells only in its labels (「1. 創新性-公私協力」)."""
    for row in [*doc.findings, *doc.follow_up]:
        if row.dimension is None:
            continue
        dimension = reading.dimension(row.dimension, None)
        if all(name_key(c.item) != name_key(row.item) for c in dimension.cells):
            dimension.cells.append(ReadCell(dimension.name, row.item, None, None, "", ""))
    doc.dimensions = [d for d in reading.dimensions.values() if d.cells]


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
