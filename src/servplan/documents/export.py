"""What every way out (pages, API, CLI) calls: a record + format (+ form) → file bytes and name.

Reading only: exports change nothing, so they live here rather than in a domain.py.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.utils import timezone

from servplan.assessments.models import Assessment, SignedCopy, Status
from servplan.core.errors import DomainError
from servplan.documents import forms
from servplan.plans.models import OfficePlan

DOCUMENT_FORMATS = ("pdf", "odt", "docx")
DATA_FORMATS = ("xlsx", "ods", "csv", "json", "xml")
ASSESSMENT_FORMATS = DOCUMENT_FORMATS + DATA_FORMATS
PLAN_FORMATS = DOCUMENT_FORMATS
FORM_CHOICES = (*forms.ASSESSMENT_FORMS, "all")

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xml": "application/xml",
    "zip": "application/zip",
}


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    content_type: str


def check_format(fmt: str, allowed: tuple[str, ...]) -> str:
    fmt = (fmt or "").strip().lower()
    if fmt not in allowed:
        raise DomainError(f"不支援的格式「{fmt}」：請使用 {'、'.join(allowed)}", where="format")
    return fmt


def check_form(form: str) -> list[str]:
    """「all」 → the three forms in order; one form → [it]."""
    form = (form or "all").strip().lower()
    if form not in FORM_CHOICES:
        raise DomainError(f"不支援的表單「{form}」：請使用 {'、'.join(FORM_CHOICES)}", where="form")
    return list(forms.ASSESSMENT_FORMS) if form == "all" else [form]


def render_document(document: dict, fmt: str, *, timestamp=None) -> bytes:
    """The document's bytes; with a `timestamp`, the same bytes each time it is rendered."""
    if fmt == "pdf":
        from servplan.documents import pdf

        return pdf.render(document, timestamp=timestamp)
    if fmt == "odt":
        from servplan.documents import odt

        content = odt.render(document)
    else:
        from servplan.documents import word

        content = word.render(document)
    return content if timestamp is None else _dated_zip(content, timestamp)


def _dated_zip(content: bytes, timestamp) -> bytes:
    """The ZIP (ODT, DOCX) again with every member dated `timestamp` instead of the clock."""
    when = timezone.localtime(timestamp).timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():  # in order: ODF needs its mimetype first, stored
            dated = zipfile.ZipInfo(info.filename, when)
            dated.compress_type = info.compress_type
            dated.external_attr = info.external_attr
            out.writestr(dated, source.read(info))
    return buffer.getvalue()


def assessment_filename(assessment: Assessment, form: str, fmt: str) -> str:
    return f"{assessment.office.code}-{assessment.period.slug}-{form}.{fmt}"


def export_assessment(assessment: Assessment, *, fmt: str, form: str = "all") -> Export:
    """One assessment (loaded with sheet_queryset()) as a document or a data file."""
    fmt = check_format(fmt, ASSESSMENT_FORMATS)
    if fmt in DATA_FORMATS:
        from servplan.documents import data

        return Export(
            data.render(assessment, fmt),
            assessment_filename(assessment, "data", fmt),
            CONTENT_TYPES[fmt],
        )
    document, timestamp, name = prepare_document(assessment, form)
    return Export(
        render_document(document, fmt, timestamp=timestamp),
        assessment_filename(assessment, name, fmt),
        CONTENT_TYPES[fmt],
    )


def prepare_document(assessment: Assessment, form: str):
    """(document, its date, its name in file names) for `form` of the assessment.

    Past the draft, a document is dated with the latest signature (not the record's last
    change, which HQ's review moves), so rendering it again gives the same bytes: those the
    signer approved. A record past the draft without signatures (imported or loaded as such)
    is dated with its creation; only a draft carries the time of rendering.
    """
    chosen = check_form(form)
    signoffs = forms.round_signoffs(assessment)
    document = forms.assessment_document(assessment, chosen, signoffs)
    if signoffs:
        timestamp = signoffs[-1].at
    else:
        timestamp = None if assessment.status == Status.DRAFT else assessment.created_at
    return document, timestamp, chosen[0] if len(chosen) == 1 else "all"


def export_signed_copy(assessment: Assessment, signoff_id: int) -> Export | None:
    """The forms as one PDF exactly as a signer approved them; None if that sign-off has none."""
    copy = (
        SignedCopy.objects.select_related("signoff")
        .filter(signoff_id=signoff_id, signoff__assessment=assessment)
        .first()
    )
    if copy is None:
        return None
    s = copy.signoff
    return Export(
        bytes(copy.pdf),
        assessment_filename(assessment, f"signed-{s.position}-{s.role}-{s.pk}", "pdf"),
        CONTENT_TYPES["pdf"],
    )


def export_plan(plan: OfficePlan, *, fmt: str) -> Export:
    """An office plan (loaded with plans_for_export()) as PDF, ODT or DOCX."""
    fmt = check_format(fmt, PLAN_FORMATS)
    return Export(
        render_document(forms.plan_document(plan), fmt),
        f"{plan.office.code}-{plan.roc_year}-plan.{fmt}",
        CONTENT_TYPES[fmt],
    )
