"""Finding narratives copied from one another, with the shared passages to highlight.

Chinese has no spaces between words, so texts are compared as character 5-grams ("shingles")
after folding full-width forms and dropping spaces, punctuation, paragraph numbers and the
rubric's own wording (a narrative often repeats its 評分重點). Two texts count as copied when
they share a passage of at least MIN_PASSAGE characters, or when half of the shorter text's
shingles appear in the other (a reworded copy). Shared runs of HIGHLIGHT characters or more
are marked in both texts. Pure: the reviewer aids (periods.aids) give it the texts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

K = 5
MIN_PASSAGE = 30  # characters (after normalising) of one shared passage: about a sentence
HIGHLIGHT = 15  # shorter shared runs are chance phrases (「各項節約用電宣導會」), not marked
MIN_CONTAINMENT = 0.5
# A shingle found in more texts than this is shared wording (HQ's template, a slogan): it
# proposes no pairs by itself, which keeps the search fast whatever the number of offices.
COMMON = 50
_NUMBERING = re.compile(
    r"^\s*(?:[-•‧]\s*)?(?:\d+[.、．)]|[(（]\s*\d+\s*[)）]|[一二三四五六七八九十]+、|[甲乙丙丁戊己庚]、)\s*"
)


def fold(text: str) -> str:
    """What is compared of a line: full-width forms folded, only letters and digits kept."""
    return "".join(ch.lower() for ch in unicodedata.normalize("NFKC", text or "") if ch.isalnum())


@dataclass(frozen=True)
class Text:
    """A narrative ready to compare: the folded characters and where each came from."""

    key: Hashable
    original: str
    folded: str
    positions: tuple[int, ...]  # folded index → index in `original`
    shingles: frozenset[str]


def prepare(key: Hashable, text: str, *, boilerplate: Iterable[str] = ()) -> Text:
    """`text` folded line by line, without numbering and without lines that are (after
    folding) one of the `boilerplate` texts."""
    skip = {fold(b) for b in boilerplate if fold(b)}
    chars, positions = [], []
    offset = 0
    for line in (text or "").split("\n"):
        if fold(line) not in skip:
            numbering = _NUMBERING.match(line)
            start = numbering.end() if numbering else 0
            for i in range(start, len(line)):
                for ch in unicodedata.normalize("NFKC", line[i]):
                    if ch.isalnum():
                        chars.append(ch.lower())
                        positions.append(offset + i)
        offset += len(line) + 1
    folded = "".join(chars)
    shingles = frozenset(folded[i : i + K] for i in range(len(folded) - K + 1))
    return Text(key, text or "", folded, tuple(positions), shingles)


@dataclass(frozen=True)
class Segment:
    text: str
    shared: bool


@dataclass(frozen=True)
class Match:
    """Two texts and what they share."""

    a: Text
    b: Text
    shared: int  # shingles in common
    containment: float  # shared ÷ the shingles of the shorter text
    jaccard: float  # shared ÷ the shingles of both
    longest: int  # the longest shared run in `a`, in folded characters
    a_segments: tuple[Segment, ...]
    b_segments: tuple[Segment, ...]

    @property
    def is_copy(self) -> bool:
        return self.longest >= MIN_PASSAGE or (
            self.containment >= MIN_CONTAINMENT and self.longest >= HIGHLIGHT
        )

    @property
    def shared_text(self) -> list[str]:
        """The highlighted passages of `a`, as written there."""
        return [s.text for s in self.a_segments if s.shared]


def _runs(t: Text, shared: set[str]) -> list[tuple[int, int]]:
    """Folded ranges [start, end) covered by shared shingles."""
    marked = [False] * len(t.folded)
    for i in range(len(t.folded) - K + 1):
        if t.folded[i : i + K] in shared:
            for j in range(i, i + K):
                marked[j] = True
    runs, start = [], None
    for i, m in enumerate([*marked, False]):
        if m and start is None:
            start = i
        elif not m and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _segments(t: Text, runs: list[tuple[int, int]]) -> tuple[Segment, ...]:
    """`t.original` cut into plain and shared pieces (runs of HIGHLIGHT or more)."""
    out, at = [], 0
    for start, end in runs:
        if end - start < HIGHLIGHT:
            continue
        first, last = t.positions[start], t.positions[end - 1] + 1
        if first > at:
            out.append(Segment(t.original[at:first], False))
        out.append(Segment(t.original[first:last], True))
        at = last
    if at < len(t.original):
        out.append(Segment(t.original[at:], False))
    return tuple(out)


def compare(a: Text, b: Text) -> Match | None:
    """What `a` and `b` share, or None when not a single shingle."""
    shared = a.shingles & b.shingles
    if not shared:
        return None
    runs_a, runs_b = _runs(a, shared), _runs(b, shared)
    return Match(
        a=a,
        b=b,
        shared=len(shared),
        containment=len(shared) / min(len(a.shingles), len(b.shingles)),
        jaccard=len(shared) / len(a.shingles | b.shingles),
        longest=max(end - start for start, end in runs_a),
        a_segments=_segments(a, runs_a),
        b_segments=_segments(b, runs_b),
    )


def find_copies(texts: list[Text], *, pair: Callable[[Text, Text], bool]) -> list[Match]:
    """Every pair of `texts` that `pair` allows and that counts as copied, longest shared
    passage first. Candidates come from an index of shingles, so texts that share nothing
    (or only COMMON wording) are never compared."""
    index = defaultdict(list)
    for n, t in enumerate(texts):
        for s in t.shingles:
            index[s].append(n)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for postings in index.values():
        if len(postings) > COMMON:
            continue
        for i, x in enumerate(postings):
            for y in postings[i + 1 :]:
                counts[(x, y)] += 1
    needed = HIGHLIGHT - K + 1  # a shared run of HIGHLIGHT characters has this many shingles
    found = []
    for (x, y), n in counts.items():
        if n < needed or not pair(texts[x], texts[y]):
            continue
        match = compare(texts[x], texts[y])
        if match is not None and match.is_copy:
            found.append(match)
    found.sort(key=lambda m: (-m.longest, -m.containment, str(m.a.key), str(m.b.key)))
    return found
