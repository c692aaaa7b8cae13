"""The rubric edit form: a grid of dimensions × items, read into a RubricSpec.

Fields: title, total_max; item-I-name (I = 1 … items, the last row blank to add one) and
item-I-remove; dim-D-name, dim-D-max, dim-D-focus, dim-D-remove; cell-D-I-max and
cell-D-I-focus (a blank maximum: the dimension has no cell for that item). The grid the
template draws is the same dict whether it comes from a stored rubric or from what was typed.
"""

from __future__ import annotations

import re
from decimal import Decimal

from servplan.core.errors import DomainError
from servplan.core.parsing import parse_whole
from servplan.core.scores import format_score
from servplan.programs.domain import CellSpec, DimensionSpec, RubricSpec

# Far more rows than any rubric has; bounds what a posted count can make the view loop over.
MAX_ROWS = 30
_POINTS_RE = re.compile(r"[0-9]{1,6}(?:\.[0-9])?")


def grid_of(spec: RubricSpec) -> dict:
    """The form's values for a stored rubric, with one blank item and one blank dimension."""
    items = [*spec.items, ""]
    dims = []
    for d in [*spec.dimensions, DimensionSpec("", Decimal(0), [])]:
        by_item = {c.item: c for c in d.cells}
        dims.append(
            {
                "name": d.name,
                "max": format_score(d.max) if d.name else "",
                "focus": d.scoring_focus,
                "cells": [
                    {
                        "max": format_score(by_item[i].max) if i in by_item else "",
                        "focus": by_item[i].scoring_focus if i in by_item else "",
                    }
                    for i in items
                ],
            }
        )
    return {
        "title": spec.title,
        "total_max": format_score(spec.total_max),
        "items": items,
        "dimensions": dims,
    }


def _count(post, name: str) -> int:
    n = parse_whole(post.get(name), label=f"{name} 欄位", where=name) or 0
    if n > MAX_ROWS:
        raise DomainError(f"{name} 欄位過大（上限 {MAX_ROWS}）", where=name)
    return n


def _points(text: str, *, where: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    if not _POINTS_RE.fullmatch(text):
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise DomainError(f"{where}：配分「{shown}」不是數字", where=where)
    return Decimal(text)


def typed_grid(post) -> dict:
    """What was typed, as a grid (to show it again when the save is refused)."""
    n_items, n_dims = _count(post, "items"), _count(post, "dimensions")
    items = [post.get(f"item-{i}-name", "") for i in range(1, n_items + 1)]
    return {
        "title": post.get("title", ""),
        "total_max": post.get("total_max", ""),
        "items": items,
        "removed_items": [i for i in range(1, n_items + 1) if post.get(f"item-{i}-remove")],
        "dimensions": [
            {
                "name": post.get(f"dim-{d}-name", ""),
                "max": post.get(f"dim-{d}-max", ""),
                "focus": post.get(f"dim-{d}-focus", ""),
                "remove": bool(post.get(f"dim-{d}-remove")),
                "cells": [
                    {
                        "max": post.get(f"cell-{d}-{i}-max", ""),
                        "focus": post.get(f"cell-{d}-{i}-focus", ""),
                    }
                    for i in range(1, n_items + 1)
                ],
            }
            for d in range(1, n_dims + 1)
        ],
    }


def spec_from_grid(grid: dict, *, roc_year: int) -> RubricSpec:
    """The rubric the grid describes: blank and removed rows left out. DomainError naming the
    field for a maximum that is not a number; the sums are validate_rubric's to check."""
    removed = set(grid.get("removed_items", []))
    kept = [
        (i, " ".join(name.split()))
        for i, name in enumerate(grid["items"], start=1)
        if name.strip() and i not in removed
    ]
    total = _points(grid["total_max"], where="總分")
    dimensions = []
    for d in grid["dimensions"]:
        name = " ".join(d["name"].split())
        if not name or d.get("remove"):
            continue
        cells = []
        for i, item in kept:
            cell = d["cells"][i - 1]
            points = _points(cell["max"], where=f"{name}／{item}")
            if points is not None:
                cells.append(CellSpec(item, points, cell["focus"]))
        maximum = _points(d["max"], where=f"{name}配分")
        if maximum is None:
            raise DomainError(f"{name}：請填寫構面配分", where=name)
        dimensions.append(DimensionSpec(name, maximum, cells, d["focus"]))
    if total is None:
        raise DomainError("請填寫總分", where="總分")
    return RubricSpec(
        roc_year=roc_year,
        title=grid["title"],
        total_max=total,
        items=[name for _, name in kept],
        dimensions=dimensions,
    )
