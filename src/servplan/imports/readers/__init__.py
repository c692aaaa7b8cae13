"""Read a file into paragraphs and tables; one reader per format, all refusing hostile files early."""

from __future__ import annotations

from pathlib import PurePath

from servplan.imports.readers.base import Block, Budget, UnreadableFile, check_size

SUPPORTED = (".docx", ".odt", ".xlsx", ".ods", ".pdf", ".txt")


def read_blocks(name: str, data: bytes) -> list[Block]:
    """The file's paragraphs and tables. Raises UnreadableFile (and nothing else a file can cause)."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise UnreadableFile(
            f"不支援的檔案格式「{suffix or name}」（可用：{'、'.join(SUPPORTED)}）"
        )
    check_size(data)
    budget = Budget()
    if suffix == ".txt":
        from servplan.imports.readers.text import read_text

        return read_text(data, budget)
    if suffix == ".pdf":
        from servplan.imports.readers.pdf import read_pdf

        return read_pdf(data, budget)
    if suffix in (".docx", ".odt"):
        from servplan.imports.readers.office import read_docx, read_odt

        return read_docx(data, budget) if suffix == ".docx" else read_odt(data, budget)
    from servplan.imports.readers.sheets import read_ods, read_xlsx

    return read_xlsx(data, budget) if suffix == ".xlsx" else read_ods(data, budget)
