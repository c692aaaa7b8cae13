"""The extracted-text form (seed 000): tab-separated table rows whose cells hold HTML fragments."""

from __future__ import annotations

from servplan.imports.readers.base import (
    MAX_CHARACTERS,
    Block,
    Budget,
    Paragraph,
    Table,
    UnreadableFile,
    clean,
    html_to_text,
)


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("cp950")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("文字檔的編碼無法辨識（請存成 UTF-8）") from exc


def read_text(data: bytes, budget: Budget) -> list[Block]:
    """A line with a tab is a table row; consecutive rows form one table; other lines are paragraphs."""
    text = decode(data)
    if "\x00" in text:
        raise UnreadableFile("這不是文字檔（含有二進位資料）")
    if len(text) > MAX_CHARACTERS:
        raise UnreadableFile(f"檔案內容過多：文字超過 {MAX_CHARACTERS:,} 字的上限")
    blocks: list[Block] = []
    table: Table | None = None
    for raw in text.splitlines():
        if "\t" in raw:
            if table is None:
                table = Table()
                blocks.append(table)
            table.rows.append(budget.row([html_to_text(cell) for cell in raw.split("\t")]))
            continue
        table = None
        line = clean(html_to_text(raw).replace("\n", " ")).replace("**", "")
        if line:
            blocks.append(Paragraph(budget.text(line)))
    return blocks
