"""Every office's forms for one period in one ZIP, for HQ (`servplan export period`)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from servplan.assessments.sheet import sheet_queryset
from servplan.core.errors import DomainError
from servplan.core.roc import Period
from servplan.documents import forms, pdf
from servplan.documents.export import (
    ASSESSMENT_FORMATS,
    DOCUMENT_FORMATS,
    check_format,
    export_assessment,
    prepare_document,
)

Progress = Callable[[int, int, str], None]


def export_period(
    period: Period, *, fmt: str, progress: Progress | None = None, workers: int = 1
) -> bytes:
    """A ZIP with, per office, its three forms (pdf/odt/docx) or its data file.

    `progress(done, total, name)` is called after each file, in order. PDFs go through one
    reused Typst compiler (fonts load once; layouts of text the offices share come from its
    cache), or through `workers` worker processes with one compiler each (pdf.Batch).
    """
    fmt = check_format(fmt, ASSESSMENT_FORMATS)
    assessments = list(
        sheet_queryset()
        .filter(
            **period.as_dict(),
        )
        .order_by("office__position", "office__name")
    )
    if not assessments:
        raise DomainError(f"{period}沒有任何區營業處的自行考核", where="period")
    per_office = forms.ASSESSMENT_FORMS if fmt in DOCUMENT_FORMATS else ("data",)
    jobs = []  # (file name in the ZIP, progress label, Future or bytes), in office order
    size = len(assessments) * len(per_office) if fmt == "pdf" else 0
    with pdf.Batch(size=size, workers=workers) as batch:
        for assessment in assessments:
            office = assessment.office.name
            for form in per_office:
                label = forms.FORM_TITLES.get(form, "資料")
                name = f"{period.slug}/{office}/{office} {period} {label}.{fmt}"
                if fmt == "pdf":
                    document, timestamp, _ = prepare_document(assessment, form)
                    content = batch.submit(document, timestamp=timestamp)
                else:
                    content = export_assessment(
                        assessment, fmt=fmt, form=form if form != "data" else "all"
                    ).content
                jobs.append((name, f"{office} {label}", content))
        return _zip(jobs, packed=fmt in ("csv", "json", "xml"), progress=progress)


def _zip(jobs, *, packed: bool, progress: Progress | None) -> bytes:
    # PDF and the office formats are compressed already: storing them is faster.
    compression = zipfile.ZIP_DEFLATED if packed else zipfile.ZIP_STORED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for done, (name, label, content) in enumerate(jobs, 1):
            archive.writestr(name, content if isinstance(content, bytes) else content.result())
            if progress:
                progress(done, len(jobs), label)
    return buffer.getvalue()
