"""Matching Chinese text without words: folding, query terms and highlighted snippets.

Chinese has no spaces, so a term is matched as a substring (trigram indexes find those of
three characters or more; shorter ones an index of single characters, then LIKE). Text and terms are folded the
same way, character by character (NFKC, then case folding), so 「ＡＰＰ」 finds 「app」 and a
full-width digit its half-width form; folding per character keeps a map back to the text as
written, for marking the match in it.
"""

from __future__ import annotations

import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from servplan.core.errors import DomainError

QUERY_MAX = 100  # characters of a query
TERMS_MAX = 5  # terms of a query (separated by spaces)
SNIPPET = 90  # characters of text shown around the first match


def _fold_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).casefold()


def fold(text: str) -> str:
    """`text` as the index stores it and a query is compared with it."""
    return "".join(_fold_char(ch) for ch in text)


def _folded_with_origins(text: str) -> tuple[str, list[int]]:
    """fold(text), and for each of its characters the index of the character it came from."""
    out, origins = [], []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        out.append(folded)
        origins.extend([i] * len(folded))
    return "".join(out), origins


def terms(query: str | None, *, where: str = "q") -> list[str]:
    """The folded terms of a query (separated by spaces, full-width ones too), each once.

    An empty query is []; one longer than QUERY_MAX characters or with more than TERMS_MAX
    terms is refused, naming the field.
    """
    text = (query or "").strip()
    if len(text) > QUERY_MAX:
        raise DomainError(f"搜尋字詞過長（{len(text)} 字，上限 {QUERY_MAX} 字）", where=where)
    found: list[str] = []
    for term in fold(text).split():
        # Characters no one types (controls, NUL) would only make the database refuse.
        term = "".join(ch for ch in term if unicodedata.category(ch)[0] != "C")
        if term and term not in found:
            found.append(term)
    if len(found) > TERMS_MAX:
        raise DomainError(f"搜尋字詞最多 {TERMS_MAX} 個（以空白分隔）", where=where)
    return found


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the folded words occur in `text`, as (start, end) of the text as written, merged."""
    folded, origins = _folded_with_origins(text)
    spans = []
    for word in words:
        start = folded.find(word)
        while start != -1:
            end = start + len(word)
            spans.append((origins[start], origins[end - 1] + 1))
            start = folded.find(word, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, words: list[str], *, width: int = SNIPPET) -> SafeString:
    """A piece of `text` around its first match, every match in it wrapped in <mark>, the
    rest escaped; lines joined by spaces, 「…」 where the text goes on."""
    text = " ".join(text.split())
    spans = _spans(text, words)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 3, len(text) - width))
    end = min(len(text), start + width)
    out, at = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[at:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        at = e
    out.append(escape(text[at:end]))
    return mark_safe(  # noqa: S308 - every piece of the text is escaped above
        ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")
    )
