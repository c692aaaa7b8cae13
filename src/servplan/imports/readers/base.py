"""What every reader produces: the document's paragraphs and tables, in order.

Readers only say what the file contains: the same neutral grid whatever the format (a table's
cells, one paragraph a line, with the spans of merged cells); reading it as a score sheet or a
plan happens once, in `interpret`. docs/imports.md describes the design.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Limits on what one upload may cost. A real form is well under a megabyte, a few hundred
# table cells and some tens of thousands of characters; each limit is far above that and far
# below what would hold a worker for minutes or fill its memory.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Zip containers (docx, xlsx, odt, ods) are checked before any XML is parsed.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
# Any member, since a package names by content type, not by file name, which part is XML.
MAX_MEMBER_BYTES = 10 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000
MAX_COMPRESSION_RATIO = 200
# What the file expands to, counting every repeat of a merged or repeated cell.
MAX_CHARACTERS = 1_000_000
MAX_CELLS = 200_000
MAX_ROWS = 50_000
MAX_COLUMNS = 500
# Merged ranges a sheet lists apart from its cells (XLSX); a form merges some tens.
MAX_MERGES = 10_000
# Runs of spaces collapse to one (`clean`), so an ODF 「<text:s text:c="…"/>」 needs no more.
MAX_SPACES = 100


class UnreadableFile(Exception):
    """The file can't be read as a form; the message says why, in Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Paragraph:
    text: str


@dataclass
class Table:
    """Rows of cell texts (one paragraph a line). A merged cell's text stands in its first row
    and column, the positions it covers are None, and `spans` gives (rows, columns) for each
    merged cell by its position, where the format records it (DOCX, ODF, tagged PDF).

    `sheet` is the worksheet's name (spreadsheets), `row_numbers` each row's number as its
    user sees it (the sheet's row number; in a document, empty: the row's place in the table).
    """

    rows: list[list[str | None]] = field(default_factory=list)
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    sheet: str = ""
    row_numbers: list[int] = field(default_factory=list)

    def row_number(self, index: int) -> int:
        return self.row_numbers[index] if index < len(self.row_numbers) else index + 1

    def filled(self) -> list[list[str | None]]:
        """The rows with each merged cell's text in every position it covers (a column
        merged down reads the same in each of its rows)."""
        rows = [list(row) for row in self.rows]
        for (r, c), (down, across) in self.spans.items():
            if r >= len(rows) or c >= len(rows[r]):
                continue
            text = rows[r][c] or ""
            # A merge covers only empty positions: stop at the first filled one, so that each
            # position is filled once however many (hostile) spans claim it.
            for rr in range(r, min(r + down, len(rows))):
                row = rows[rr]
                if rr > r and (c >= len(row) or row[c] is not None):
                    break
                for cc in range(c if rr > r else c + 1, min(c + across, len(row))):
                    if row[cc] is not None:
                        break
                    row[cc] = text
        return rows


Block = Paragraph | Table


class Budget:
    """What one file has expanded to so far. Readers charge it as they go, so a small hostile
    file stops at the first limit it passes instead of after it has filled the memory."""

    def __init__(self) -> None:
        self.characters = 0
        self.cells = 0
        self.rows = 0

    def text(self, text: str, times: int = 1) -> str:
        self.characters += len(text) * times
        if self.characters > MAX_CHARACTERS:
            raise UnreadableFile(f"檔案內容過多：文字超過 {MAX_CHARACTERS:,} 字的上限")
        return text

    def blank_cells(self, count: int) -> None:
        self.cells += count
        if self.cells > MAX_CELLS:
            raise UnreadableFile(f"檔案內容過多：表格儲存格超過 {MAX_CELLS:,} 格的上限")

    def width(self, columns: int) -> None:
        """Refuse a row of more than MAX_COLUMNS cells (checked while it is being built, too)."""
        if columns > MAX_COLUMNS:
            raise UnreadableFile(
                f"檔案內容過多：表格第 {self.rows + 1:,} 列超過 {MAX_COLUMNS} 欄的上限"
            )

    def row(self, cells: list[str | None], times: int = 1) -> list[str | None]:
        """Charge `times` copies of a table row; returns the row."""
        self.width(len(cells))
        self.rows += times
        if self.rows > MAX_ROWS:
            raise UnreadableFile(f"檔案內容過多：表格超過 {MAX_ROWS:,} 列的上限")
        self.blank_cells(len(cells) * times)
        for cell in cells:
            if cell:
                self.text(cell, times)
        return cells


def check_size(data: bytes) -> None:
    if not data:
        raise UnreadableFile("檔案是空的（0 位元組）")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"檔案過大（{len(data) // (1024 * 1024)} MB），上限為 {MAX_FILE_BYTES // (1024 * 1024)} MB"
        )


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """The container of an Office/ODF file, refused when it is damaged or a zip bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(f"檔案已損毀，無法以 {kind} 開啟") from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnreadableFile(f"{kind} 檔案內含 {len(members)} 個成員，疑為惡意壓縮檔")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO and member.file_size > 1024 * 1024:
            raise UnreadableFile(
                f"{kind} 檔案成員「{member.filename}」壓縮比異常（{ratio:.0f} 倍），疑為壓縮炸彈"
            )
        if member.file_size > MAX_MEMBER_BYTES:
            raise UnreadableFile(
                f"{kind} 檔案成員「{member.filename}」解壓縮後達 {member.file_size // (1024 * 1024)} MB，"
                f"超過單一成員 {MAX_MEMBER_BYTES // (1024 * 1024)} MB 的上限"
            )
    if total > MAX_UNZIPPED_BYTES:
        raise UnreadableFile(
            f"{kind} 檔案解壓縮後達 {total // (1024 * 1024)} MB，超過上限，疑為壓縮炸彈"
        )
    return archive


# Every space but the line break (full-width, no-break, en/em spaces too), so that no run of
# spaces reaches the patterns below.
_SPACES = re.compile(r"[^\S\n]+")
# A number that starts a paragraph in text that lost its line breaks: 「… 2.持續辦理」.
# Only from the start of a run of spaces, taken whole: trying from inside a long run again
# and again would take time quadratic in its length.
_RUN_IN_NUMBER = re.compile(r"(?<!\s)\s++(?=(?:\d{1,2}\s*+[.．、](?!\d)|[(（]\d{1,2}[)）]))")


def clean(text: str | None) -> str:
    """One line of cell or paragraph text with its spacing tidied."""
    return _SPACES.sub(" ", text or "").strip()


def split_run_in(text: str) -> str:
    """Put each numbered paragraph of a run-together text on its own line."""
    return "\n".join(
        clean(part) for line in text.splitlines() for part in _RUN_IN_NUMBER.split(line)
    ).strip()


class _NarrativeParser(HTMLParser):
    """HTML fragments as narratives: <p> a line, <ol><li> 「1. …」, <ul><li> 「- …」."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.lists: list[list] = []  # [ordered, counter] per open list

    def _flush(self) -> None:
        line = clean("".join(self.current))
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "div", "br", "tr", "h1", "h2", "h3", "h4"):
            self._flush()
        elif tag in ("ol", "ul"):
            self._flush()
            self.lists.append([tag == "ol", 0])
        elif tag == "li":
            self._flush()
            if self.lists:
                self.lists[-1][1] += 1
                ordered, n = self.lists[-1]
                self.current.append(f"{n}. " if ordered else "- ")
            else:
                self.current.append("- ")

    def handle_endtag(self, tag):
        if tag in ("p", "div", "li", "tr", "h1", "h2", "h3", "h4"):
            self._flush()
        elif tag in ("ol", "ul"):
            self._flush()
            if self.lists:
                self.lists.pop()

    def handle_data(self, data):
        self.current.append(data)

    def text(self) -> str:
        self._flush()
        return "\n".join(self.lines)


# Linear: a tag ends at the next 「<」 too, so 「<a<a<a…」 is not rescanned from every 「<」.
_TAG = re.compile(r"<\s*+(?:/\s*+)?[a-zA-Z][^<>]*+>")


def html_to_text(fragment: str) -> str:
    """A cell of the extracted-text form as plain narrative text (no HTML kept)."""
    if not _TAG.search(fragment):
        return split_run_in(fragment)
    parser = _NarrativeParser()
    parser.feed(fragment)
    parser.close()
    text = parser.text()
    # Text outside any tag (the seed's 可持續性／公私協力) still runs its paragraphs together.
    return "\n".join(
        line if line.startswith("- ") else split_run_in(line) for line in text.splitlines()
    )


# A PDF without paragraph tags: a line this long or longer may have been wrapped.
MIN_WRAPPED_LINE = 8
_STARTS_PARAGRAPH = re.compile(
    r"^(?:\d{1,2}\s*[.、．](?!\d)|[(（]\d{1,2}[)）]|[-•‧]\s|[一二三四五六七八九十]+、)"
)
_ASCII_END = re.compile(r"[A-Za-z0-9,.;:]$")
_ASCII_START = re.compile(r"^[A-Za-z0-9(]")


def unwrap(text: str | None) -> str | None:
    """A PDF cell's lines as typeset → its paragraphs, where the PDF does not say: a full line
    wraps onto the next unless that starts a numbered paragraph."""
    if text is None:
        return None
    lines: list[str] = []
    previous = ""
    for raw in text.split("\n"):
        line = clean(raw)
        if not line:
            continue
        # Only a full line wraps; short lines (「業務組」「人資組」) are separate entries.
        wrapped = len(previous) >= MIN_WRAPPED_LINE
        previous = line
        if lines and wrapped and not _STARTS_PARAGRAPH.match(line):
            joint = " " if _ASCII_END.search(lines[-1]) and _ASCII_START.match(line) else ""
            lines[-1] = f"{lines[-1]}{joint}{line}"
        else:
            lines.append(line)
    return "\n".join(lines)
