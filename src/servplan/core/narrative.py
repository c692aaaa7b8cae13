"""Narratives are plain text, one paragraph a line; a line starting with "- " is a bullet.

Keeping them as text (not HTML) makes them safe to show anywhere and easy to put in
PDF, ODF and Word; numbered paragraphs keep the number the writer typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BULLET_PREFIXES = ("- ", "• ", "‧ ")

# What some way out cannot carry: XML 1.0 (the XML export, ODF, OOXML) forbids C0 controls but
# tab and newline, lone surrogates and U+FFFE/U+FFFF; PostgreSQL refuses NUL. DEL, the C1
# controls and the other noncharacters go too: nobody types them, they only come pasted.
_UNWRITABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


@dataclass(frozen=True)
class Block:
    text: str
    bullet: bool


def blocks(text: str) -> list[Block]:
    """Split a narrative into its paragraphs and bullets, dropping blank lines."""
    result = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        bullet = line.startswith(BULLET_PREFIXES)
        result.append(Block(line[2:].strip() if bullet else line, bullet))
    return result


def clean_text(text: str) -> str:
    """Text as it may be stored: line ends as \\n, and nothing that some export can't write.

    Every text that enters the system passes here (through `normalize` for narratives), so no
    record is saved that the XLSX, XML, ODF or Word export, or PostgreSQL, would refuse.
    """
    return _UNWRITABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def normalize(text: str) -> str:
    """Clean, then tidy line endings and stray spaces so that equal narratives compare equal."""
    return "\n".join(line.rstrip() for line in clean_text(text).strip().split("\n"))


def to_html(text: str) -> SafeString:
    """Escaped HTML: <p> per paragraph, bullets as <ul> items. Nothing the writer typed is markup."""
    parts: list[SafeString] = []
    bullets: list[str] = []

    def flush() -> None:
        if bullets:
            parts.append(
                format_html(
                    "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((b,) for b in bullets))
                )
            )
            bullets.clear()

    for block in blocks(text):
        if block.bullet:
            bullets.append(block.text)
            continue
        flush()
        parts.append(format_html("<p>{}</p>", block.text))
    flush()
    return SafeString("".join(parts))
