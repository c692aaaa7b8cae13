"""Small files that expand to gigabytes or minutes of work, one per kind, built from a good form."""

from __future__ import annotations

import io
import random
import re
import zipfile

from tests.imports.forms import WRITERS, small_sheet


def rewrite(data: bytes, member: str, change) -> bytes:
    """The zip `data` with `member`'s text replaced by change(text)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == member:
                content = change(content.decode()).encode()
            kind = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info.filename, content, kind)
    return out.getvalue()


def spaces_txt() -> bytes:
    """Lines of tens of thousands of spaces where patterns used to rescan every run."""
    spaces = " " * 15_000 + "\u2002" * 15_000
    return f"總分{spaces}x\n<a{spaces}\t評核項目{spaces}(1{spaces}\n".encode()


def odt_spaces() -> bytes:
    """A good form with 「<text:s text:c="1000000000"/>」 in its first narrative."""
    return rewrite(
        WRITERS[".odt"](small_sheet().blocks()),
        "content.xml",
        lambda xml: xml.replace("延長服務時間", '延長<text:s text:c="1000000000"/>服務時間', 1),
    )


def xlsx(*cells: tuple[str, str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for ref, value in cells:
        sheet[ref] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def far_xlsx() -> bytes:
    """A header and one cell at XFD1048576: a used range of 17 billion cells."""
    return xlsx(("A1", "執行構面"), ("B1", "評核項目"), ("XFD1048576", "x"))


def claiming_xlsx() -> bytes:
    """A good form whose sheet says it spans A1:XFD1048576."""
    return rewrite(
        WRITERS[".xlsx"](small_sheet().blocks()),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml),
    )


def repeated_ods() -> bytes:
    """200 rows of two cells, each repeated a million times across and down."""
    cell = (
        '<table:table-cell table:number-columns-repeated="1000000" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell>"
    )
    row = f'<table:table-row table:number-rows-repeated="1000000">{cell * 2}</table:table-row>'
    table = f'<table:table table:name="炸彈">{row * 200}</table:table>'
    return rewrite(
        WRITERS[".ods"](small_sheet().blocks()),
        "content.xml",
        lambda xml: xml.replace("</office:spreadsheet>", f"{table}</office:spreadsheet>"),
    )


def docx_body(body: str) -> bytes:
    """A good form's package with `body` as its document body."""
    return rewrite(
        WRITERS[".docx"](small_sheet().blocks()),
        "word/document.xml",
        lambda xml: re.sub(r"<w:body>.*</w:body>", body, xml, flags=re.S),
    )


def big_docx() -> bytes:
    """25 MB of XML, varied enough to compress only about twentyfold (no zip-bomb ratio)."""
    numbers = random.Random(1)
    paragraphs = "".join(
        f"<w:p><w:r><w:t>{numbers.randrange(10_000)}</w:t></w:r></w:p>" for _ in range(700_000)
    )
    return docx_body(f"<w:body>{paragraphs}</w:body>")


def wide_docx() -> bytes:
    """30 rows of one cell spanning 100,000 grid columns."""
    cell = (
        '<w:tc><w:tcPr><w:gridSpan w:val="100000"/></w:tcPr>'
        "<w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>"
    )
    return docx_body(f"<w:body><w:tbl>{f'<w:tr>{cell}</w:tr>' * 30}</w:tbl></w:body>")


def merged_docx() -> bytes:
    """A cell merged down 3,000 rows."""

    def row(merge: str) -> str:
        first = (
            f"<w:tc><w:tcPr><w:vMerge{merge}/></w:tcPr><w:p><w:r><w:t>構面</w:t></w:r></w:p></w:tc>"
        )
        return f"<w:tr>{first}<w:tc><w:p><w:r><w:t>項目</w:t></w:r></w:p></w:tc></w:tr>"

    rows = row(' w:val="restart"') + row("") * 3000
    return docx_body(f"<w:body><w:tbl>{rows}</w:tbl></w:body>")


def nested_docx() -> bytes:
    """Tables nested 400 deep."""
    nested = "<w:tbl><w:tr><w:tc>" * 400 + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * 400
    return docx_body(f"<w:body>{nested}</w:body>")


# What the server gets at once in the concurrency test: one of each kind that is refused.
REFUSED = {
    "spaces.txt": spaces_txt,
    "far.xlsx": far_xlsx,
    "repeat.ods": repeated_ods,
    "big.docx": big_docx,
    "wide.docx": wide_docx,
}


def tagged_pdf(shape: str) -> bytes:
    """A good tagged PDF form whose structure tree loops back on itself ("loop"), nests
    thousands deep ("deep"), or whose every table cell spans a million rows and columns ("span")."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        NameObject,
        NumberObject,
    )

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(WRITERS[".pdf"](small_sheet().blocks()))))
    tree = writer._root_object["/StructTreeRoot"].get_object()

    def element(kind: str) -> DictionaryObject:
        return DictionaryObject({NameObject("/S"): NameObject(kind)})

    if shape == "span":
        cell = element("/TD")
        cell[NameObject("/A")] = DictionaryObject(
            {
                NameObject("/O"): NameObject("/Table"),
                NameObject("/RowSpan"): NumberObject(1_000_000),
                NameObject("/ColSpan"): NumberObject(1_000_000),
            }
        )
        rows = []
        for _ in range(300):
            row = element("/TR")
            row[NameObject("/K")] = writer._add_object(DictionaryObject(cell))
            rows.append(writer._add_object(row))
        table = element("/Table")
        table[NameObject("/K")] = ArrayObject(rows)
        tree[NameObject("/K")] = ArrayObject([writer._add_object(table)])
    else:
        first = writer._add_object(element("/Div"))
        last = first
        for _ in range(1 if shape == "loop" else 5000):
            child = writer._add_object(element("/Div"))
            last.get_object()[NameObject("/K")] = child
            last = child
        last.get_object()[NameObject("/K")] = first if shape == "loop" else ArrayObject()
        tree[NameObject("/K")] = first
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def merging_xlsx(ranges: list[str]) -> bytes:
    """A good form whose sheet lists `ranges` as merged cells."""
    cells = "".join(f'<mergeCell ref="{r}"/>' for r in ranges)
    return rewrite(
        WRITERS[".xlsx"](small_sheet().blocks()),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(
            r"<mergeCells[^>]*>.*?</mergeCells>|(?<=</sheetData>)",
            f'<mergeCells count="{len(ranges)}">{cells}</mergeCells>',
            xml,
            count=1,
        ),
    )


def many_merges_xlsx() -> bytes:
    """Twenty thousand merged ranges, each somewhere else (so they hardly compress)."""
    rng = random.Random(14)
    ranges = []
    for _ in range(20_000):
        row, column = rng.randrange(1, 1_000_000), rng.randrange(1, 16_000)
        ranges.append(f"{_letters(column)}{row}:{_letters(column + 1)}{row + 1}")
    return merging_xlsx(ranges)


def _letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
