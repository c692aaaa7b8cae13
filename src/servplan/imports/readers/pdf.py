"""Text-based PDF: its tags when it has them (readers/tagged_pdf.py); otherwise pdfplumber finds
the ruled tables on each page and the text around them are paragraphs."""

from __future__ import annotations

import io

from servplan.imports.readers.base import (
    Block,
    Budget,
    Paragraph,
    Table,
    UnreadableFile,
    clean,
    unwrap,
)
from servplan.imports.readers.tagged_pdf import read_tagged

# A form is a few pages; a limit keeps a hostile PDF from holding a worker for minutes.
MAX_PAGES = 100
NO_TEXT = (
    "PDF 沒有文字（可能是掃描影像）：需要有文字層的 PDF 才能讀取。"
    "請提供由 Word、LibreOffice 或本系統匯出的 PDF、原始檔，或先以文字辨識（OCR）加上文字層"
)


def read_pdf(data: bytes, budget: Budget) -> list[Block]:
    if not data.startswith(b"%PDF-"):
        raise UnreadableFile("這不是 PDF 檔案")
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise UnreadableFile(f"PDF 有 {len(pdf.pages)} 頁，超過上限 {MAX_PAGES} 頁")
            if not any(page.chars for page in pdf.pages):
                raise UnreadableFile(NO_TEXT)
            tagged = read_tagged(pdf, budget)
            if tagged is not None:
                return tagged
            placed: list[tuple[int, float, Block]] = []
            for number, page in enumerate(pdf.pages):
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
    placed.sort(key=lambda p: (p[0], p[1]))
    return [block for _, _, block in placed]
