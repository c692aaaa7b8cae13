"""Narratives are plain text, one paragraph a line; a line starting with "- " is a bullet.

Keeping them as text (not HTML) makes them safe to show anywhere and easy to put in
PDF, ODF and Word; numbered paragraphs keep the number the writer typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BULLET_PREFIXES = ("- ", "• ", "‧ ")


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


def normalize(text: str) -> str:
    """Tidy line endings and stray spaces so that equal narratives compare equal."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))


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
