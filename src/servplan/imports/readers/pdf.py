"""Text-based PDF: pdfplumber finds the ruled tables; the text around them are paragraphs."""

from __future__ import annotations

import io
import re

from servplan.imports.readers.base import Block, Budget, Paragraph, Table, UnreadableFile, clean

# A form is a few pages; a limit keeps a hostile PDF from holding a worker for minutes.
MAX_PAGES = 100
MIN_WRAPPED_LINE = 8
_STARTS_PARAGRAPH = re.compile(
    r"^(?:\d{1,2}\s*[.、．](?!\d)|[(（]\d{1,2}[)）]|[-•‧]\s|[一二三四五六七八九十]+、)"
)
_ASCII_END = re.compile(r"[A-Za-z0-9,.;:]$")
_ASCII_START = re.compile(r"^[A-Za-z0-9(]")


def unwrap(text: str | None) -> str | None:
    """A cell's lines as typeset → its paragraphs: wrapped lines rejoin, numbered ones don't."""
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


def read_pdf(data: bytes, budget: Budget) -> list[Block]:
    if not data.startswith(b"%PDF-"):
        raise UnreadableFile("這不是 PDF 檔案")
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise UnreadableFile(f"PDF 有 {len(pdf.pages)} 頁，超過上限 {MAX_PAGES} 頁")
            placed: list[tuple[int, float, Block]] = []
            has_text = False
            for number, page in enumerate(pdf.pages):
                has_text = has_text or bool(page.chars)
                tables = page.find_tables()
                boxes = [t.bbox for t in tables]
                for table in tables:
                    rows = [budget.row([unwrap(c) for c in row]) for row in table.extract()]
                    placed.append((number, table.bbox[1], Table(rows)))

                def outside(obj, boxes=boxes) -> bool:
                    x = (obj["x0"] + obj["x1"]) / 2
                    y = (obj["top"] + obj["bottom"]) / 2
                    return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

                for line in page.filter(outside).extract_text_lines():
                    text = clean(line["text"])
                    if text:
                        placed.append((number, line["top"], Paragraph(budget.text(text))))
    except UnreadableFile:
        raise
    except Exception as exc:  # pdfminer raises many kinds on a damaged or hostile PDF
        raise UnreadableFile(f"PDF 檔案內容已損毀（{type(exc).__name__}）") from exc
    if not has_text:
        raise UnreadableFile("PDF 沒有文字（可能是掃描影像），請提供文字型 PDF 或原始檔")
    placed.sort(key=lambda p: (p[0], p[1]))
    return [block for _, _, block in placed]
