"""Reading scores of one rubric on another's cells: HQ's explicit cell mapping (CellMapping).

A period compares on its own rubric. An assessment on that rubric projects one to one; one on
another rubric only through the cells HQ mapped. What no mapping reaches is not comparable
and is listed as such (Projection.unmatched_*), never silently dropped. Names that agree after
normalising are only suggested on HQ's mapping page: a suggestion counts once HQ saves it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from servplan.core.parsing import parse_whole
from servplan.periods.models import CellMapping
from servplan.programs.models import Rubric, RubricCell

# A projected score keeps two decimals when the maxima differ (95 of 100 onto 50 → 47.5).
CENT = Decimal("0.01")
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．])"
)
_POINTS = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]")


def normalise_name(text: str) -> str:
    """「一、提供在地化及客製化關懷服務 (100 分)」 → 「提供在地化及客製化關懷服務」: full-width
    forms folded, numbering, points and anything but letters and digits dropped."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    text = _POINTS.sub("", text)
    text = _NUMBERING.sub("", text.strip())
    return "".join(ch for ch in text if ch.isalnum()).lower()


@dataclass(frozen=True)
class CellRef:
    """A rubric cell as the comparison needs it (no further queries)."""

    id: int
    rubric_id: int
    dimension: str
    item: str
    dimension_position: int
    item_position: int
    max: Decimal

    @property
    def label(self) -> str:
        return f"{self.dimension}／{self.item}"


def cell_ref(cell: RubricCell) -> CellRef:
    """`cell` with its dimension and item loaded (select_related)."""
    return CellRef(
        id=cell.id,
        rubric_id=cell.dimension.rubric_id,
        dimension=cell.dimension.name,
        item=cell.item.name,
        dimension_position=cell.dimension.position,
        item_position=cell.item.position,
        max=cell.max_score,
    )


def rubric_cells(rubric: Rubric | int) -> list[CellRef]:
    """The rubric's cells in its order, in one query."""
    cells = RubricCell.objects.filter(dimension__rubric=rubric).select_related("dimension", "item")
    return sorted(
        (cell_ref(c) for c in cells), key=lambda c: (c.dimension_position, c.item_position)
    )


def suggest(source: Iterable[CellRef], target: Iterable[CellRef]) -> dict[int, int]:
    """Source cell id → the target cell whose dimension and item names agree with it after
    normalise_name (only where exactly one does)."""
    by_names = defaultdict(list)
    for t in target:
        by_names[(normalise_name(t.dimension), normalise_name(t.item))].append(t.id)
    found = {}
    for s in source:
        match = by_names.get((normalise_name(s.dimension), normalise_name(s.item)), [])
        if len(match) == 1:
            found[s.id] = match[0]
    return found


def mappings_onto(
    target: Rubric | int, sources: Iterable[int] | None = None
) -> dict[int, dict[int, int | None]]:
    """HQ's saved mappings onto `target` from the rubrics `sources` (None: from any), per
    source rubric: {rubric id: {cell id: target cell id, or None for 「無對應」}}, in one query."""
    found: dict[int, dict[int, int | None]] = defaultdict(dict)
    rows = CellMapping.objects.filter(target_rubric=target)
    if sources is not None:
        rows = rows.filter(source__dimension__rubric__in=list(sources))
    rows = rows.values_list("source__dimension__rubric_id", "source_id", "target_id")
    for rubric_id, source_id, target_id in rows:
        found[rubric_id][source_id] = target_id
    return found


@dataclass
class Projection:
    """One assessment's scores read on the target rubric's cells.

    `self_scores`/`review_scores` have a key for every target cell some source cell maps onto
    (the value None while that score is missing, e.g. HQ has not reviewed it yet); target
    cells without a key are not comparable."""

    same_rubric: bool
    self_scores: dict[int, Decimal | None] = field(default_factory=dict)
    review_scores: dict[int, Decimal | None] = field(default_factory=dict)
    unmatched_source: list[CellRef] = field(default_factory=list)  # mapped nowhere
    unmatched_target: list[CellRef] = field(default_factory=list)  # nothing maps onto it
    source_points: Decimal = Decimal(0)
    comparable_source_points: Decimal = Decimal(0)
    target_points: Decimal = Decimal(0)
    comparable_target_points: Decimal = Decimal(0)

    def scores(self, measure: str) -> dict[int, Decimal | None]:
        return self.review_scores if measure == "review" else self.self_scores

    @property
    def share(self) -> Decimal:
        """The part of the target rubric's points this assessment can be compared on."""
        if not self.target_points:
            return Decimal(0)
        return self.comparable_target_points / self.target_points

    @property
    def complete(self) -> bool:
        return not self.unmatched_source and not self.unmatched_target


def _sum_scaled(values: list[Decimal | None], source_max: Decimal, target_max: Decimal):
    if any(v is None for v in values):
        return None
    total = sum(values, Decimal(0))
    if source_max == target_max:
        return total
    return (total * target_max / source_max).quantize(CENT)


def _same_cells(
    scores: dict[int, tuple[Decimal | None, Decimal | None]], cells: list[CellRef]
) -> Projection:
    """`project` of an assessment scored on every cell of the target rubric: its own scores,
    all comparable (the comparison of thousands of offices is mostly these)."""
    points = sum((c.max for c in cells), Decimal(0))
    return Projection(
        same_rubric=True,
        self_scores={c.id: scores[c.id][0] for c in cells},
        review_scores={c.id: scores[c.id][1] for c in cells},
        source_points=points,
        comparable_source_points=points,
        target_points=points,
        comparable_target_points=points,
    )


def project(
    *,
    scores: dict[int, tuple[Decimal | None, Decimal | None]],
    source: list[CellRef],
    target: list[CellRef],
    mapping: dict[int, int | None] | None,
) -> Projection:
    """Read `scores` (source cell id → (self, HQ's review)) on the `target` cells.

    `mapping` None: the same rubric, cell for cell. Otherwise each source cell counts towards
    the target cell HQ mapped it onto; a target cell's score is the sum of its sources'
    scores rescaled to its own maximum (score × its max ÷ the sources' max), and missing as
    soon as one of them is."""
    if mapping is None:
        if [c.id for c in source] == [c.id for c in target]:
            return _same_cells(scores, target)
        mapping = {c.id: c.id for c in source}
    sources_of = defaultdict(list)
    result = Projection(same_rubric=all(mapping.get(c.id) == c.id for c in source))
    for s in source:
        result.source_points += s.max
        to = mapping.get(s.id)
        if to is None:
            result.unmatched_source.append(s)
            continue
        sources_of[to].append(s)
        result.comparable_source_points += s.max
    for t in target:
        result.target_points += t.max
        fed = sources_of.get(t.id)
        if not fed:
            result.unmatched_target.append(t)
            continue
        result.comparable_target_points += t.max
        fed_max = sum((s.max for s in fed), Decimal(0))
        for i, scores_of in enumerate((result.self_scores, result.review_scores)):
            values = [scores.get(s.id, (None, None))[i] for s in fed]
            scores_of[t.id] = _sum_scaled(values, fed_max, t.max)
    return result


NO_COUNTERPART = "none"


def parse_choices(data, source: list[CellRef]) -> tuple[dict[int, int | None], list[int]]:
    """What HQ's mapping form sent, per source cell (field `cell-<id>`): a target cell id,
    「none」 (no counterpart) or empty (not decided: forget it). Fields not sent are left
    alone. A malformed value is a DomainError naming its field."""
    choices: dict[int, int | None] = {}
    clear: list[int] = []
    for c in source:
        key = f"cell-{c.id}"
        if key not in data:
            continue
        raw = str(data.get(key) or "").strip()
        if not raw:
            clear.append(c.id)
        elif raw == NO_COUNTERPART:
            choices[c.id] = None
        else:
            choices[c.id] = parse_whole(raw, label=c.label, where=key)
    return choices, clear
