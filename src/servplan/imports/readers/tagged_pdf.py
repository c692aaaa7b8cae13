"""A tagged PDF read through its structure tree: the producer's own paragraphs and tables.

A PDF that carries tags (servplan's Typst exports, Word's and LibreOffice's "accessible" PDFs)
says which text is a paragraph (P), a table (Table → TR → TH/TD with RowSpan/ColSpan) and what
is page furniture (artifacts: running headers, footers, repeated header rows, which belong to
no element). Reading that instead of the page's geometry gives the same neutral grid the
DOCX and ODF readers give, with paragraphs exactly as written: geometry can't tell a wrapped
line from a new paragraph.
"""

from __future__ import annotations

import re
from collections import defaultdict

from servplan.imports.readers.base import (
    MAX_COLUMNS,
    Block,
    Budget,
    Paragraph,
    Table,
    UnreadableFile,
    clean,
    unwrap,
)

# The tree of a real form has some thousands of elements; deeper or larger is refused.
MAX_ELEMENTS = 100_000
MAX_DEPTH = 100
_PARAGRAPHS = {"P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "Caption", "TOCI"}
_CELLS = {"TH", "TD"}
_ROW_GROUPS = {"THead", "TBody", "TFoot"}
# Typst writes an explicit space glyph between words; a gap this wide between two Latin
# characters without one is a space all the same (producers that only move the pen).
_WORD_GAP = 0.3
_LATIN = re.compile(r"[\x21-\x7e]")


class _Element:
    __slots__ = ("kind", "page", "parts", "attributes")

    def __init__(self, kind: str, page: int | None, attributes: dict) -> None:
        self.kind = kind
        self.page = page
        self.attributes = attributes
        # In reading order: child elements and marked content (page, mcid).
        self.parts: list[_Element | tuple[int, int]] = []


class _Tree:
    """The structure tree, built once (every element and content reference visited once)."""

    def __init__(self, pdf) -> None:
        from pdfminer.pdftypes import resolve1

        self.resolve = resolve1
        self.pages = {page.page_obj.pageid: page.page_number for page in pdf.pages}
        self.count = 0
        self.seen: set[int] = set()
        root = resolve1(pdf.doc.catalog.get("StructTreeRoot"))
        role_map = resolve1(root.get("RoleMap")) if isinstance(root, dict) else None
        self.role_map = role_map if isinstance(role_map, dict) else {}
        self.root = _Element("Root", None, {})
        if isinstance(root, dict):
            self._kids(root.get("K"), self.root, 0)

    def _name(self, value) -> str:
        name = getattr(value, "name", value)
        if isinstance(name, bytes):
            name = name.decode("latin-1")
        name = str(name or "")
        mapped = getattr(self.role_map.get(name), "name", None)
        return str(mapped) if mapped else name

    def _page(self, obj: dict, inherited: int | None) -> int | None:
        ref = obj.get("Pg")
        objid = getattr(ref, "objid", None)
        return self.pages.get(objid, inherited) if objid is not None else inherited

    def _kids(self, kids, parent: _Element, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise UnreadableFile("PDF 的結構標記層數過多，疑為惡意檔案")
        resolved = self.resolve(kids)
        if not isinstance(resolved, list):
            # One kid: kept as the reference it is, so that the loop guard sees its number.
            resolved = [] if resolved is None else [kids]
        for kid in resolved:
            self.count += 1
            if self.count > MAX_ELEMENTS:
                raise UnreadableFile("PDF 的結構標記過多，疑為惡意檔案")
            objid = getattr(kid, "objid", None)
            obj = self.resolve(kid)
            if isinstance(obj, int) and not isinstance(obj, bool):
                if parent.page is not None:
                    parent.parts.append((parent.page, obj))
                continue
            if not isinstance(obj, dict) or "Obj" in obj:  # annotations, XObjects: no text here
                continue
            if "MCID" in obj:
                page = self._page(obj, parent.page)
                mcid = self.resolve(obj["MCID"])
                if page is not None and isinstance(mcid, int):
                    parent.parts.append((page, mcid))
                continue
            if objid is not None:
                if objid in self.seen:  # a tree that loops back (or shares a branch)
                    continue
                self.seen.add(objid)
            element = _Element(
                self._name(obj.get("S")), self._page(obj, parent.page), self._attributes(obj)
            )
            parent.parts.append(element)
            self._kids(obj.get("K"), element, depth + 1)

    def _attributes(self, obj: dict) -> dict:
        found: dict = {}
        attributes = self.resolve(obj.get("A"))
        for entry in attributes if isinstance(attributes, list) else [attributes]:
            entry = self.resolve(entry)
            if isinstance(entry, dict):
                for key in ("RowSpan", "ColSpan"):
                    value = self.resolve(entry.get(key))
                    if isinstance(value, int) and not isinstance(value, bool) and value > 1:
                        found[key] = value
        return found


class _Text:
    """The characters of each marked-content section, by (page, mcid)."""

    def __init__(self, pdf) -> None:
        self.chars: dict[tuple[int, int], list[dict]] = defaultdict(list)
        for page in pdf.pages:
            for char in page.chars:
                if char.get("mcid") is not None:
                    self.chars[(page.page_number, char["mcid"])].append(char)

    def lines(self, parts: list[tuple[int, int]]) -> list[str]:
        """The text of these sections, one string per printed line, as printed (a line broken
        at a space ends with it)."""
        lines: list[str] = []
        current: list[str] = []
        previous: dict | None = None
        for part in parts:
            for char in self.chars.get(part, ()):
                if previous is not None and _new_line(previous, char):
                    lines.append("".join(current))
                    current = []
                elif previous is not None and _gap(previous, char):
                    current.append(" ")
                current.append(char["text"])
                previous = char
        if current:
            lines.append("".join(current))
        return [line for line in lines if line.strip()]


def _new_line(previous: dict, char: dict) -> bool:
    if previous["page_number"] != char["page_number"]:
        return True
    return char["top"] >= previous["bottom"] - 0.3 * min(previous["size"], char["size"])


def _gap(previous: dict, char: dict) -> bool:
    if previous["text"] == " " or char["text"] == " ":
        return False
    if not (_LATIN.match(previous["text"]) and _LATIN.match(char["text"])):
        return False
    return char["x0"] - previous["x1"] > _WORD_GAP * min(previous["size"], char["size"])


def join_lines(lines: list[str]) -> str:
    """One paragraph's printed lines → its text. A line broken at a space ends with it (Typst
    and Word print it); a producer that drops it broke between two Latin words; anywhere else
    (Chinese wraps between any two characters) nothing was lost."""
    text = ""
    for line in lines:
        line = line.lstrip()
        if text and not text[-1].isspace() and _LATIN.match(text[-1]) and _LATIN.match(line[0]):
            text += " "
        text += line
    return clean(text)


def _marked(element: _Element) -> list[tuple[int, int]]:
    """Every marked-content section under `element`, in reading order."""
    found: list[tuple[int, int]] = []
    stack: list = [iter(element.parts)]
    while stack:
        part = next(stack[-1], None)
        if part is None:
            stack.pop()
        elif isinstance(part, tuple):
            found.append(part)
        else:
            stack.append(iter(part.parts))
    return found


def _paragraphs(element: _Element, text: _Text) -> list[str]:
    """The paragraphs of a cell or a container: each P one paragraph; text outside any P
    (producers that don't tag paragraphs) by its lines, as an untagged PDF's (unwrap)."""
    found: list[str] = []
    loose: list[tuple[int, int]] = []

    def flush() -> None:
        if loose:
            found.extend(unwrap("\n".join(clean(line) for line in text.lines(loose))).splitlines())
        loose.clear()

    for part in element.parts:
        if isinstance(part, tuple):
            loose.append(part)
        elif part.kind in _PARAGRAPHS:
            flush()
            paragraph = join_lines(text.lines(_marked(part)))
            if paragraph:
                found.append(paragraph)
        elif part.kind != "Table":
            flush()
            found += _paragraphs(part, text)
    flush()
    return found


def _table(element: _Element, text: _Text, budget: Budget) -> Table:
    rows: list[_Element] = []
    for part in element.parts:
        if isinstance(part, _Element) and part.kind in _ROW_GROUPS:
            rows += [p for p in part.parts if isinstance(p, _Element) and p.kind == "TR"]
        elif isinstance(part, _Element) and part.kind == "TR":
            rows.append(part)
    grid: list[list[str | None]] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        cells: list[str | None] = []
        for cell in row.parts:
            if not isinstance(cell, _Element) or cell.kind not in _CELLS:
                continue
            while (r, len(cells)) in covered:
                cells.append(None)
            down = min(cell.attributes.get("RowSpan", 1), len(rows) - r)
            across = min(cell.attributes.get("ColSpan", 1), MAX_COLUMNS)
            budget.width(len(cells) + across)
            if down > 1 or across > 1:
                budget.blank_cells(down * across - 1)
                spans[(r, len(cells))] = (down, across)
                covered.update(
                    (r + dr, len(cells) + dc) for dr in range(1, down) for dc in range(across)
                )
            cells.append("\n".join(_paragraphs(cell, text)))
            cells += [None] * (across - 1)
        while (r, len(cells)) in covered:
            cells.append(None)
        grid.append(budget.row(cells))
    width = max((len(r) for r in grid), default=0)
    for row in grid:
        row += [None] * (width - len(row))
    return Table(grid, spans)


def read_tagged(pdf, budget: Budget) -> list[Block] | None:
    """The document's paragraphs and tables from its tags; None when it has no tagged table
    (an untagged PDF, or tags that say nothing useful): the page geometry is read instead."""
    if "StructTreeRoot" not in pdf.doc.catalog:
        return None
    tree = _Tree(pdf)
    text = _Text(pdf)
    blocks: list[Block] = []
    tables = 0

    def walk(element: _Element) -> None:
        nonlocal tables
        loose: list[tuple[int, int]] = []

        def flush() -> None:
            blocks.extend(Paragraph(budget.text(clean(line))) for line in text.lines(loose))
            loose.clear()

        for part in element.parts:
            if isinstance(part, tuple):
                loose.append(part)
                continue
            flush()
            if part.kind == "Table":
                tables += 1
                blocks.append(_table(part, text, budget))
            elif part.kind in _PARAGRAPHS:
                paragraph = join_lines(text.lines(_marked(part)))
                if paragraph:
                    blocks.append(Paragraph(budget.text(paragraph)))
            else:
                walk(part)
        flush()

    walk(tree.root)
    return blocks if tables else None
