"""The forms as plain data: titles, tables with merged cells, signature blocks.

Every format (Typst PDF, ODT, DOCX) renders this one description, so the forms read the
same whatever the format. It is JSON-ready because the Typst template reads it as JSON.

A table's rows list their cells left to right and leave out the positions a row- or
column-spanning cell above/left covers (as HTML does); `grid()` turns that into coordinates
for the formats that need them.
"""

from __future__ import annotations

from servplan.core.narrative import blocks as narrative_blocks


def paragraphs(text: str) -> list[dict]:
    """A narrative as the paragraphs and bullets every renderer prints (numbers kept as typed).

    A paragraph may also carry "indent": 1 to stand under the text of the one before it
    (甲、乙、丙 under a numbered practice).
    """
    return [{"text": b.text, "bullet": b.bullet} for b in narrative_blocks(text or "")]


def cell(
    content: str | list[dict] = "",
    *,
    colspan: int = 1,
    rowspan: int = 1,
    align: str = "left",
    valign: str = "middle",
    bold: bool = False,
) -> dict:
    """A table cell; `content` is plain text (one paragraph a line) or paragraphs().

    `align` is left/center/right, `valign` middle/top.
    """
    body = paragraphs(content) if isinstance(content, str) else content
    return {
        "body": body,
        "colspan": colspan,
        "rowspan": rowspan,
        "align": align,
        "valign": valign,
        "bold": bold,
    }


def table(*, widths: list[float], header: list[list[dict]], rows: list[list[dict]]) -> dict:
    """`widths` are relative column widths; `header` rows repeat on every page."""
    return {"kind": "table", "widths": widths, "header": header, "rows": rows}


def title(*lines: str) -> dict:
    return {"kind": "title", "lines": list(lines)}


def line(text: str, *, align: str = "left", bold: bool = False) -> dict:
    return {"kind": "line", "text": text, "align": align, "bold": bold}


def heading(text: str) -> dict:
    return {"kind": "heading", "text": text}


def narrative(body: list[dict]) -> dict:
    """Paragraphs under a heading (the plan's sections), indented as the form prints them."""
    return {"kind": "narrative", "body": body}


def signatures(slots: list[dict]) -> dict:
    """Signature blocks: [{"role": "經辦", "name": "王小明", "date": "114 年 7 月 3 日"}, …]."""
    return {"kind": "signatures", "slots": slots}


def signature_table(slots: list[dict]) -> dict:
    """Signature blocks as a table, for formats without a drawing of their own: roles on top,
    then the signer's name and ROC date under each with room for the seal."""
    return table(
        widths=[1] * len(slots),
        header=[[cell(s["role"], align="center", bold=True) for s in slots]],
        rows=[[cell(f"{s['name']}\n{s['date']}\n\u3000", align="center") for s in slots]],
    )


def grid(rows: list[list[dict]], columns: int) -> list[list[tuple[int, dict]]]:
    """Each row's cells with the column they start in, skipping positions covered by spans."""
    covered: set[tuple[int, int]] = set()
    placed: list[list[tuple[int, dict]]] = []
    for r, row in enumerate(rows):
        col = 0
        out = []
        for c in row:
            while (r, col) in covered:
                col += 1
            out.append((col, c))
            for dr in range(c["rowspan"]):
                for dc in range(c["colspan"]):
                    covered.add((r + dr, col + dc))
            col += c["colspan"]
        if col > columns:
            raise ValueError(f"row {r} has {col} columns, the table {columns}")
        placed.append(out)
    return placed
