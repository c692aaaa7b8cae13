"""An assessment read as the forms print it: dimensions, their cells, subtotals and total.

Pages, the JSON shape and the documents all read this, so the arithmetic lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Sum

from servplan.assessments.models import Assessment, CellScore, Finding, FollowUp
from servplan.core.scores import to_json_number
from servplan.programs.models import RubricDimension


def _sum(values) -> Decimal | None:
    scored = [v for v in values if v is not None]
    return sum(scored, Decimal(0)) if scored else None


@dataclass
class SheetDimension:
    dimension: RubricDimension
    cells: list[CellScore]

    @property
    def name(self) -> str:
        return self.dimension.name

    @property
    def max_score(self) -> Decimal:
        return self.dimension.max_score

    @property
    def score(self) -> Decimal | None:
        return _sum(c.score for c in self.cells)

    @property
    def review_score(self) -> Decimal | None:
        return _sum(c.review_score for c in self.cells)


@dataclass
class Sheet:
    assessment: Assessment
    dimensions: list[SheetDimension]
    findings: list[Finding]

    @property
    def max_score(self) -> Decimal:
        return self.assessment.rubric.total_max

    @property
    def score(self) -> Decimal | None:
        return _sum(d.score for d in self.dimensions)

    @property
    def review_score(self) -> Decimal | None:
        return _sum(d.review_score for d in self.dimensions)


def sheet_queryset() -> QuerySet[Assessment]:
    """Assessments with everything a sheet needs, in a fixed number of queries."""
    return Assessment.objects.select_related("office", "rubric").prefetch_related(
        Prefetch("rubric__dimensions", queryset=RubricDimension.objects.order_by("position")),
        Prefetch(
            "cells",
            queryset=CellScore.objects.select_related("cell__dimension", "cell__item").order_by(
                "cell__dimension__position", "cell__item__position"
            ),
        ),
        Prefetch(
            "findings",
            queryset=Finding.objects.select_related(
                "cell__dimension", "cell__item", "improvement__opened_in"
            )
            .prefetch_related(Prefetch("improvement__follow_ups", queryset=FollowUp.objects.all()))
            .order_by("cell__dimension__position", "cell__item__position"),
        ),
    )


def summary_queryset() -> QuerySet[Assessment]:
    """Assessments for a list: office and both totals in one query (no cells loaded).

    Sum skips unscored cells and gives None when none is scored, as the sheet's totals do.
    """

    # Subqueries, not a join with GROUP BY: counting the list then leaves them out, and only
    # the page's rows are summed (a join summed every record's cells to count them).
    def total(field: str):
        cells = CellScore.objects.filter(assessment=OuterRef("pk")).order_by()
        return Subquery(cells.values("assessment").annotate(t=Sum(field)).values("t")[:1])

    return (
        Assessment.objects.select_related("office")
        .annotate(total_max=total("max_score"), total_score=total("score"))
        .order_by("-roc_year", "-start_month", "office__position", "pk")
    )


def build_sheet(assessment: Assessment) -> Sheet:
    """Group an assessment's cells by dimension (use sheet_queryset() to load it)."""
    by_dimension: dict[int, list[CellScore]] = {}
    for cell in assessment.cells.all():
        by_dimension.setdefault(cell.cell.dimension_id, []).append(cell)
    return Sheet(
        assessment=assessment,
        dimensions=[
            SheetDimension(dimension=d, cells=by_dimension.get(d.id, []))
            for d in assessment.rubric.dimensions.all()
        ],
        findings=list(assessment.findings.all()),
    )


def sheet_to_dict(sheet: Sheet) -> dict:
    """The assessment shape every command and the API print."""
    a = sheet.assessment
    return {
        "id": a.id,
        "kind": "assessment",
        "office": a.office.name,
        "period": a.period.as_dict(),
        "rubric": {"id": a.rubric_id, "title": a.rubric.title, "version": a.rubric.version},
        "status": a.status,
        "assessed_on": a.assessed_on.isoformat() if a.assessed_on else None,
        "total": {"max": to_json_number(sheet.max_score), "score": to_json_number(sheet.score)},
        "dimensions": [
            {
                "name": d.name,
                "max": to_json_number(d.max_score),
                "score": to_json_number(d.score),
                "items": [
                    {
                        "name": c.cell.item.name,
                        "max": to_json_number(c.max_score),
                        "score": to_json_number(c.score),
                        "narrative": c.narrative,
                    }
                    for c in d.cells
                ],
            }
            for d in sheet.dimensions
        ],
        "findings": [
            {
                "dimension": f.cell.dimension.name,
                "item": f.cell.item.name,
                "strengths": f.strengths,
                "weaknesses": f.weaknesses,
                "recommendation": f.recommendation,
                "improvement": f.progress,
                "remarks": f.remarks,
            }
            for f in sheet.findings
        ],
    }


def assessment_to_dict(assessment: Assessment) -> dict:
    return sheet_to_dict(build_sheet(assessment))


def sheet_cells(sheet: Sheet) -> list[dict]:
    """Every cell with its id and version, for clients that edit cells."""
    return [
        {
            "id": c.id,
            "dimension": d.name,
            "item": c.cell.item.name,
            "max": to_json_number(c.max_score),
            "score": to_json_number(c.score),
            "narrative": c.narrative,
            "version": c.version,
        }
        for d in sheet.dimensions
        for c in d.cells
    ]


def sheet_review(sheet: Sheet) -> dict:
    """HQ's review beside the office's own scores (only for people allowed to see it)."""
    return {
        "total": to_json_number(sheet.review_score),
        "cells": [
            {
                "id": c.id,
                "score": to_json_number(c.score),
                "review_score": to_json_number(c.review_score),
                "difference": to_json_number(
                    c.review_score - c.score
                    if c.review_score is not None and c.score is not None
                    else None
                ),
                "review_comment": c.review_comment,
            }
            for d in sheet.dimensions
            for c in d.cells
        ],
    }
