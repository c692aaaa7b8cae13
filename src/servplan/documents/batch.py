"""Every office's forms for one period in one ZIP, for HQ (`servplan export period`)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from servplan.assessments.sheet import sheet_queryset
from servplan.core.errors import DomainError
from servplan.core.roc import Period
from servplan.documents import forms
from servplan.documents.export import (
    ASSESSMENT_FORMATS,
    DOCUMENT_FORMATS,
    check_format,
    export_assessment,
)

Progress = Callable[[int, int, str], None]


def export_period(period: Period, *, fmt: str, progress: Progress | None = None) -> bytes:
    """A ZIP with, per office, its three forms (pdf/odt/docx) or its data file.

    `progress(done, total, name)` is called after each file. All PDFs go through the
    process's one Typst compiler: fonts load once, and layouts of text the offices share
    (rubric items, headings) come from its cache.
    """
    fmt = check_format(fmt, ASSESSMENT_FORMATS)
    assessments = list(
        sheet_queryset()
        .filter(
            roc_year=period.roc_year,
            start_month=period.start_month,
            end_month=period.end_month,
        )
        .order_by("office__position", "office__name")
    )
    if not assessments:
        raise DomainError(f"{period}沒有任何區營業處的自行考核", where="period")
    per_office = forms.ASSESSMENT_FORMS if fmt in DOCUMENT_FORMATS else ("data",)
    total = len(assessments) * len(per_office)
    # PDF and the office formats are compressed already: storing them is faster.
    packed = fmt in ("csv", "json", "xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(
        buffer, "w", compression=zipfile.ZIP_DEFLATED if packed else zipfile.ZIP_STORED
    ) as archive:
        done = 0
        for assessment in assessments:
            office = assessment.office.name
            for form in per_office:
                result = export_assessment(
                    assessment, fmt=fmt, form=form if form != "data" else "all"
                )
                label = forms.FORM_TITLES.get(form, "資料")
                archive.writestr(
                    f"{period.slug}/{office}/{office} {period} {label}.{fmt}", result.content
                )
                done += 1
                if progress:
                    progress(done, total, f"{office} {label}")
    return buffer.getvalue()
