"""A form as read from a file, before anything is stored: what `check` reports on and `import` stores."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from servplan.core.roc import Period
from servplan.core.scores import to_json_number

ERROR = "error"
WARNING = "warning"


@dataclass
class Issue:
    severity: str
    code: str
    message: str
    where: str = ""
    # Every cell the issue is about (a duplicate names two), to highlight them in the preview.
    cells: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "where": self.where,
        }


@dataclass
class ReadCell:
    dimension: str
    item: str
    max: Decimal | None
    score: Decimal | None
    score_text: str
    narrative: str
    # Where each value was read, as the user sees it: {"score": "第 1 張表第 3 列『自評』欄", …}.
    at: dict[str, str] = field(default_factory=dict)
    # The row's cells as the document holds them, each with where it stands (the preview
    # shows them beside what was read from them).
    source: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.dimension}／{self.item}"


@dataclass
class ReadDimension:
    name: str
    stated_max: Decimal | None
    cells: list[ReadCell] = field(default_factory=list)
    # Each subtotal the document prints (小計 row, results summary), with where it stands.
    statements: list[tuple[Decimal, str]] = field(default_factory=list)
    max_at: str = ""  # where the dimension's maximum is stated

    @property
    def stated(self) -> Decimal | None:
        """The subtotal the document prints (the last one read, when it prints several)."""
        return self.statements[-1][0] if self.statements else None

    @property
    def max(self) -> Decimal:
        if self.stated_max is not None:
            return self.stated_max
        return sum((c.max or Decimal(0) for c in self.cells), Decimal(0))

    @property
    def score(self) -> Decimal | None:
        scored = [c.score for c in self.cells if c.score is not None]
        return sum(scored, Decimal(0)) if scored else None


@dataclass
class ReadFinding:
    row: int
    label: str
    dimension: str | None
    item: str | None
    strengths: str = ""
    weaknesses: str = ""
    recommendation: str = ""
    improvement: str = ""
    remarks: str = ""
    at: str = ""  # its label, as the user sees it: 「第 3 張表第 2 列『考核項目』欄」
    source: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ReadEntry:
    """One quarter's 改善辦理情形 under its heading 「【114 年第 2 季（114 年 6 月 30 日）】」;
    year and quarter are None when the document prints no heading."""

    roc_year: int | None
    quarter: int | None
    recorded_on: dt.date | None
    progress: str


@dataclass
class ReadFollowUp:
    row: int
    label: str
    dimension: str | None
    item: str | None
    recommendation: str = ""
    entries: list[ReadEntry] = field(default_factory=list)
    remarks: str = ""
    at: str = ""
    source: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ReadAssessment:
    kind = "assessment"
    title: str
    office_name: str
    period: Period
    dimensions: list[ReadDimension]
    stated_total_max: Decimal | None = None
    total_max_at: str = ""  # where the total maximum is stated
    # Each total the document prints (a line under the title, the 總分 row), with where.
    total_statements: list[tuple[Decimal, str]] = field(default_factory=list)
    assessed_on: dt.date | None = None
    findings: list[ReadFinding] = field(default_factory=list)
    follow_up: list[ReadFollowUp] = field(default_factory=list)
    # The forms the document holds ("score-sheet", "summary", "follow-up"): a results summary
    # or follow-up table on its own has no scores or maxima per item, and that is no error.
    forms: list[str] = field(default_factory=list)

    @property
    def stated_total(self) -> Decimal | None:
        return self.total_statements[-1][0] if self.total_statements else None

    @property
    def has_scores(self) -> bool:
        return "score-sheet" in self.forms

    @property
    def cells(self) -> list[ReadCell]:
        return [c for d in self.dimensions for c in d.cells]

    @property
    def total_max(self) -> Decimal:
        if self.stated_total_max is not None:
            return self.stated_total_max
        return sum((d.max for d in self.dimensions), Decimal(0))

    @property
    def score(self) -> Decimal | None:
        scored = [d.score for d in self.dimensions if d.score is not None]
        return sum(scored, Decimal(0)) if scored else None

    @property
    def items(self) -> list[str]:
        names: list[str] = []
        for cell in self.cells:
            if cell.item not in names:
                names.append(cell.item)
        return names

    def as_dict(self, *, office: str, rubric: dict) -> dict:
        """The assessment shape (sheet_to_dict) without an id, with what the document states."""
        return {
            "kind": self.kind,
            "office": office,
            "period": self.period.as_dict(),
            "rubric": rubric,
            "status": "draft",
            "assessed_on": self.assessed_on.isoformat() if self.assessed_on else None,
            "total": {
                "max": to_json_number(self.total_max),
                "score": to_json_number(self.score),
                "stated": to_json_number(self.stated_total),
            },
            "dimensions": [
                {
                    "name": d.name,
                    "max": to_json_number(d.max),
                    "score": to_json_number(d.score),
                    "stated": to_json_number(d.stated),
                    "items": [
                        {
                            "name": c.item,
                            "max": to_json_number(c.max),
                            "score": to_json_number(c.score),
                            "narrative": c.narrative,
                        }
                        for c in d.cells
                    ],
                }
                for d in self.dimensions
            ],
            "findings": [
                {
                    "dimension": f.dimension,
                    "item": f.item,
                    "strengths": f.strengths,
                    "weaknesses": f.weaknesses,
                    "recommendation": f.recommendation,
                    "improvement": f.improvement,
                    "remarks": f.remarks,
                }
                for f in self.findings
            ],
            "follow_up": [
                {
                    "dimension": f.dimension,
                    "item": f.item,
                    "recommendation": f.recommendation,
                    "entries": [
                        {
                            "roc_year": e.roc_year,
                            "quarter": e.quarter,
                            "recorded_on": e.recorded_on.isoformat() if e.recorded_on else None,
                            "progress": e.progress,
                        }
                        for e in f.entries
                    ],
                    "remarks": f.remarks,
                }
                for f in self.follow_up
            ],
            "forms": list(self.forms),
        }


@dataclass
class ReadPractice:
    number: int | None
    text: str
    departments: list[str]
    period: str
    row: int
    # Where the practice stands (「第 1 張表第 3 列」) and where its columns are.
    at: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    # The row's cells, with the row's first practice (empty: the row of the one above).
    source: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ReadPlan:
    kind = "plan"
    title: str
    office_name: str
    roc_year: int
    facets: list[dict]  # the shape build_outline takes, practices as ReadPractice
    approved_on: dt.date | None = None
    basis: str = ""
    goals: str = ""
    targets: str = ""
    steps: list[str] = field(default_factory=list)
    supplementary: str = ""

    @property
    def practices(self) -> list[tuple[str, ReadPractice]]:
        """Every practice with where it sits (面向／執行策略／子策略)."""
        return [
            (f"{f['name']}／{s['name']}／{m['name'] or '—'}", p)
            for f in self.facets
            for s in f["strategies"]
            for m in s["measures"]
            for p in m["practices"]
        ]

    def outline(self) -> list[dict]:
        """The tree as build_outline takes it (and plan_to_dict prints it)."""
        return [
            {
                "name": f["name"],
                "strategies": [
                    {
                        "name": s["name"],
                        "measures": [
                            {
                                "name": m["name"],
                                "practices": [
                                    {
                                        "number": p.number,
                                        "text": p.text,
                                        "departments": p.departments,
                                        "period": p.period,
                                    }
                                    for p in m["practices"]
                                ],
                            }
                            for m in s["measures"]
                        ],
                    }
                    for s in f["strategies"]
                ],
            }
            for f in self.facets
        ]

    def as_dict(self, *, office: str) -> dict:
        return {
            "kind": self.kind,
            "office": office,
            "roc_year": self.roc_year,
            "title": self.title,
            # What the import stores: a draft for the app's own sign-off (the date the
            # document prints is reported, not taken over).
            "status": "draft",
            "approved_on": self.approved_on.isoformat() if self.approved_on else None,
            "basis": self.basis,
            "goals": self.goals,
            "targets": self.targets,
            "steps": self.steps,
            "supplementary": self.supplementary,
            "facets": self.outline(),
        }


ReadDocument = ReadAssessment | ReadPlan
