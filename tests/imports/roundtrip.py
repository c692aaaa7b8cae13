"""An assessment as its forms print it, from the record and from a document read back.

`record_view` reads a stored assessment, `doc_view` what `check` read from a file, in the same
shape; `FORM_PARTS` says which parts each export carries, so an export read back (or imported)
can be compared with the record it came from, part by part.
"""

from __future__ import annotations

from decimal import Decimal

from servplan.assessments.sheet import build_sheet, sheet_queryset
from servplan.core.narrative import blocks
from servplan.documents.export import export_assessment
from servplan.imports.document import ReadAssessment, ReadCell, ReadDimension
from servplan.imports.document import ReadFinding as Finding

# What each export prints. The data files (XLSX, ODS) carry the score sheet's cells and the
# summary's findings, but not the date of the assessment nor the follow-up history.
# "totals": the subtotals and totals the document prints, each equal to the cells' sums.
FORM_PARTS = {
    "score-sheet": ("rubric", "assessed_on", "cells", "totals"),
    "summary": ("dimensions", "totals", "findings"),
    "follow-up": ("follow_up",),
    "all": ("rubric", "assessed_on", "cells", "dimensions", "totals", "findings", "follow_up"),
    "data": ("rubric", "cells", "totals", "findings"),
}
# What an import stores of each part: no printed sums (a summary's scores are the cells' sums).
STORED_PARTS = {
    form: tuple(p for p in parts if p != "totals") for form, parts in FORM_PARTS.items()
}
EXPORTS = [
    (fmt, form)
    for fmt in ("docx", "odt", "pdf")
    for form in ("score-sheet", "summary", "follow-up", "all")
] + [("xlsx", "data"), ("ods", "data")]


def canonical(text: str) -> str:
    """A narrative as its paragraphs and bullets (what every format can print)."""
    return "\n".join(("- " if b.bullet else "") + b.text for b in blocks(text or ""))


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(value).normalize()


def record_view(assessment) -> dict:
    sheet = build_sheet(sheet_queryset().get(pk=assessment.pk))
    a = sheet.assessment
    return {
        "office": a.office.name,
        "period": a.period.as_dict(),
        "rubric": (
            _number(sheet.max_score),
            [
                (
                    d.name,
                    _number(d.max_score),
                    [(c.cell.item.name, _number(c.max_score)) for c in d.cells],
                )
                for d in sheet.dimensions
            ],
        ),
        "assessed_on": a.assessed_on,
        "cells": [
            (d.name, c.cell.item.name, _number(c.score), canonical(c.narrative))
            for d in sheet.dimensions
            for c in d.cells
        ],
        "dimensions": [
            (d.name, _number(d.max_score), [c.cell.item.name for c in d.cells])
            for d in sheet.dimensions
        ],
        "totals": ([{_number(d.score)} for d in sheet.dimensions], {_number(sheet.score)}),
        "findings": [
            (
                f.cell.dimension.name,
                f.cell.item.name,
                canonical(f.strengths),
                canonical(f.weaknesses),
                canonical(f.recommendation),
                canonical(f.progress),
                canonical(f.remarks),
            )
            for f in sheet.findings
        ],
        "follow_up": [
            (
                f.cell.dimension.name,
                f.cell.item.name,
                canonical(f.recommendation),
                [
                    (e.roc_year, e.quarter, e.recorded_on, canonical(e.progress))
                    for e in f.follow_up_entries
                ],
                canonical(f.improvement_remarks if f.improvement else f.remarks),
            )
            for f in sheet.findings
        ],
    }


def doc_view(doc: ReadAssessment) -> dict:
    return {
        "office": doc.office_name,
        "period": doc.period.as_dict(),
        "rubric": (
            _number(doc.total_max),
            [
                (d.name, _number(d.max), [(c.item, _number(c.max)) for c in d.cells])
                for d in doc.dimensions
            ],
        ),
        "assessed_on": doc.assessed_on,
        "cells": [(c.dimension, c.item, _number(c.score), c.narrative) for c in doc.cells],
        "dimensions": [(d.name, _number(d.max), [c.item for c in d.cells]) for d in doc.dimensions],
        "totals": (
            [{_number(value) for value, _ in d.statements} for d in doc.dimensions],
            {_number(value) for value, _ in doc.total_statements},
        ),
        "findings": [
            (
                f.dimension,
                f.item,
                f.strengths,
                f.weaknesses,
                f.recommendation,
                f.improvement,
                f.remarks,
            )
            for f in doc.findings
        ],
        "follow_up": [
            (
                f.dimension,
                f.item,
                f.recommendation,
                [(e.roc_year, e.quarter, e.recorded_on, e.progress) for e in f.entries],
                f.remarks,
            )
            for f in doc.follow_up
        ],
    }


def parts(view: dict, names: tuple[str, ...]) -> dict:
    return {name: view[name] for name in ("office", "period", *names)}


def as_read(assessment) -> ReadAssessment:
    """The record as if read from its own score sheet, for the checks it would get anyway
    (the same narrative copied into two cells is a warning about the record, not the file)."""
    view = record_view(assessment)
    doc = ReadAssessment(
        title="",
        office_name=view["office"],
        period=assessment.period,
        dimensions=[],
        forms=["score-sheet"],
    )
    for name, maximum, items in view["rubric"][1]:
        dimension = ReadDimension(name, maximum)
        for (dim, item, score, narrative), (_, item_max) in zip(
            [c for c in view["cells"] if c[0] == name], items, strict=True
        ):
            dimension.cells.append(ReadCell(dim, item, item_max, score, str(score), narrative))
        doc.dimensions.append(dimension)
    doc.findings = [Finding(n, "", f[0], f[1]) for n, f in enumerate(view["findings"], 1)]
    return doc


def export(assessment, fmt: str, form: str) -> tuple[str, bytes]:
    exported = export_assessment(
        sheet_queryset().get(pk=assessment.pk), fmt=fmt, form="all" if form == "data" else form
    )
    return exported.filename, exported.content
