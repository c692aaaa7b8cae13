"""The open data catalogue (政府資料開放): every published file with DCAT-style fields.

Each file of a publication that is up is one dataset: a plan as PDF and ODT, an office's
results of a period as PDF and ODT (the three forms) and as CSV, ODS and JSON (the data). Its
address is the public download's, which stays the same for as long as the record is published
(publishing it again after taking it down gives the new files the same address). Two queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models.fields.json import KeyTextTransform
from django.urls import reverse

from servplan.core.roc import Period
from servplan.public.access import published_plans, published_results
from servplan.public.models import PublishedDocument, ResultsDocument

LICENCE = "政府資料開放授權條款－第 1 版"
LICENCE_URL = "https://data.gov.tw/license"
FORMS_TITLE = "考核項目及評分表、自行考核結果彙整表、建議改善事項辦理情形表"


@dataclass(frozen=True)
class Dataset:
    title: str
    office: str
    period: Period | None  # None: a plan, which covers its whole year
    roc_year: int
    format: str
    url: str
    modified: dt.datetime
    size: int
    sha256: str
    position: int = 0  # the office's place in lists

    @property
    def iso_period(self) -> str:
        """The months covered, as an ISO 8601 interval (「2025-01/2025-06」)."""
        year = self.roc_year + 1911
        start, end = (self.period.start_month, self.period.end_month) if self.period else (1, 12)
        return f"{year}-{start:02d}/{year}-{end:02d}"

    @property
    def period_label(self) -> str:
        return str(self.period) if self.period else f"{self.roc_year} 年度"

    def as_dict(self, base: str = "") -> dict:
        return {
            "title": self.title,
            "office": self.office,
            "period": self.iso_period,
            "format": self.format,
            "url": base + self.url,
            "modified": self.modified.isoformat(),
            "licence": LICENCE,
        }


def datasets() -> list[Dataset]:
    """Every published file: the latest year first, then by office, plans before results."""
    out: list[Dataset] = []
    plan_files = (
        PublishedDocument.objects.filter(publication__in=published_plans())
        .select_related("publication__plan__office")
        .annotate(
            title=KeyTextTransform("title", "publication__content"),
            office=KeyTextTransform("office", "publication__content"),
        )
        .defer("content", "publication__content")
    )
    for d in plan_files:
        plan = d.publication.plan
        out.append(
            Dataset(
                title=d.title,
                office=d.office,
                period=None,
                roc_year=plan.roc_year,
                format=d.format,
                url=reverse(f"public-plan-{d.format}", args=[plan.office.code, plan.roc_year]),
                modified=d.publication.published_at,
                size=d.size,
                sha256=d.sha256,
                position=plan.office.position,
            )
        )
    results_files = (
        ResultsDocument.objects.filter(publication__in=published_results())
        .select_related("publication__assessment__office")
        .annotate(
            title=KeyTextTransform("title", "publication__content"),
            office=KeyTextTransform("office", "publication__content"),
        )
        .defer("content", "publication__content")
    )
    for d in results_files:
        a = d.publication.assessment
        kind = FORMS_TITLE if d.format in ("pdf", "odt") else "資料"
        out.append(
            Dataset(
                title=f"{d.title}（{kind}）",
                office=d.office,
                period=a.period,
                roc_year=a.roc_year,
                format=d.format,
                url=reverse(
                    f"public-results-{d.format}",
                    args=[a.office.code, a.roc_year, a.start_month, a.end_month],
                ),
                modified=d.publication.published_at,
                size=d.size,
                sha256=d.sha256,
                position=a.office.position,
            )
        )
    order = {"pdf": 0, "odt": 1, "csv": 2, "ods": 3, "json": 4}
    out.sort(
        key=lambda s: (
            -s.roc_year,
            s.position,
            s.office,
            s.period is not None,
            s.period.start_month if s.period else 0,
            order.get(s.format, 9),
        )
    )
    return out
