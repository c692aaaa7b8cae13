"""Variant characters and common typos in narratives (嫓熟 → 嫻熟, 問券 → 問卷), from HQ's
editable list (periods.TypoCorrection; the shipped entries in data/typos.yaml)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from servplan.periods.models import TypoCorrection

CONTEXT = 12  # characters shown on either side of a find


@dataclass(frozen=True)
class Find:
    wrong: str
    right: str
    note: str
    before: str
    after: str


def find_typos(text: str, entries: Iterable[TypoCorrection]) -> list[Find]:
    """Every occurrence in `text` of an entry's wrong form, with some text around it, in
    the order they appear."""
    found = []
    for e in entries:
        start = text.find(e.wrong)
        while start >= 0:
            end = start + len(e.wrong)
            before = text[max(0, start - CONTEXT) : start].replace("\n", " ")
            after = text[end : end + CONTEXT].replace("\n", " ")
            found.append((start, Find(e.wrong, e.right, e.note, before, after)))
            start = text.find(e.wrong, end)
    return [f for _, f in sorted(found, key=lambda x: x[0])]
