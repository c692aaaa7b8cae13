"""The form as read, with each issue placed at the cell or row it is about (for the preview page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from servplan.imports.checks import practice_key
from servplan.imports.document import Issue, ReadAssessment, ReadPlan
from servplan.imports.domain import CheckResult


@dataclass
class Marked:
    """Something shown in the preview (a cell, a dimension, a practice) and its issues."""

    obj: object
    issues: list[Issue] = field(default_factory=list)

    @property
    def severity(self) -> str:
        if any(i.severity == "error" for i in self.issues):
            return "error"
        return "warning" if self.issues else ""


def _at(issues: list[Issue], where: str) -> list[Issue]:
    return [i for i in issues if where == i.where or where in i.cells]


def preview(result: CheckResult) -> dict:
    doc, issues = result.doc, result.issues
    if isinstance(doc, ReadAssessment):
        return {
            "dimensions": [
                {
                    "dimension": Marked(d, _at(issues, d.name)),
                    "cells": [Marked(c, _at(issues, c.label)) for c in d.cells],
                }
                for d in doc.dimensions
            ],
            "total": Marked(doc, _at(issues, "total")),
            "findings": [
                Marked(f, _at(issues, f"考核結果彙整表第 {f.row} 列")) for f in doc.findings
            ],
            "follow_up": [
                Marked(f, _at(issues, f"建議改善事項辦理情形表第 {f.row} 列"))
                for f in doc.follow_up
            ],
        }
    if isinstance(doc, ReadPlan):
        return {
            "practices": [
                Marked(
                    {"where": where, "practice": p},
                    [i for i in issues if practice_key(where, p) in i.cells],
                )
                for where, p in doc.practices
            ]
        }
    return {}
