"""Every office's forms for one period in one ZIP, for HQ (`servplan export period`, and the
period board's background job, periods.exports)."""

from __future__ import annotations

import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import BinaryIO

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

# Assessments read (with their sheets) at a time, and files made ahead of the one being
# written: what is in memory at once stays this size whatever the number of offices.
CHUNK = 50
AHEAD = 16


def export_period(
    period: Period,
    *,
    fmt: str,
    target: BinaryIO,
    progress: Progress | None = None,
    workers: int = 1,
) -> int:
    """Write a ZIP with, per office, its three forms (pdf/odt/docx) or its data file, to the
    binary file object `target` (a file on disk, or a response stream); returns the number
    of files in it. The archive is never held in memory: each file is written as it is made.

    `progress(done, total, name)` is called after each file, in order. PDFs go through one
    reused Typst compiler (fonts load once; layouts of text the offices share come from its
    cache), or through `workers` worker processes with one compiler each (pdf.Batch).
    DomainError (nothing written) for an unknown format or a period without assessments.
    """
    fmt = check_format(fmt, ASSESSMENT_FORMATS)
    ids = list(
        sheet_queryset()
        .filter(**period.as_dict())
        .order_by("office__position", "office__name")
        .values_list("pk", flat=True)
    )
    if not ids:
        raise DomainError(f"{period}沒有任何區營業處的自行考核", where="period")
    per_office = forms.ASSESSMENT_FORMS if fmt in DOCUMENT_FORMATS else ("data",)
    total = len(ids) * len(per_office)
    # PDF and the office formats are compressed already: storing them is faster.
    packed = fmt in ("csv", "json", "xml")
    compression = zipfile.ZIP_DEFLATED if packed else zipfile.ZIP_STORED
    with (
        pdf.Batch(size=total if fmt == "pdf" else 0, workers=workers) as batch,
        zipfile.ZipFile(target, "w", compression=compression) as archive,
    ):
        files = _files(period, ids, fmt=fmt, per_office=per_office, batch=batch)
        pending: deque[tuple[str, str, Future | bytes]] = deque()
        done = 0
        for job in files:
            pending.append(job)
            if len(pending) >= AHEAD:
                done = _write(archive, pending.popleft(), done, total, progress)
        while pending:
            done = _write(archive, pending.popleft(), done, total, progress)
    return total


def _files(
    period: Period, ids: list[int], *, fmt: str, per_office: tuple[str, ...], batch: pdf.Batch
) -> Iterator[tuple[str, str, Future | bytes]]:
    """(name in the ZIP, progress label, PDF future or bytes), in office order."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        by_id = {a.pk: a for a in sheet_queryset().filter(pk__in=chunk)}
        for pk in chunk:
            assessment = by_id[pk]
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
                yield name, f"{office} {label}", content


def _write(archive: zipfile.ZipFile, job, done: int, total: int, progress) -> int:
    name, label, content = job
    archive.writestr(name, content if isinstance(content, bytes) else content.result())
    done += 1
    if progress:
        progress(done, total, label)
    return done
