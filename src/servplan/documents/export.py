"""What every way out (pages, API, CLI) calls: a record + format (+ form) → file bytes and name.

Reading only: exports change nothing, so they live here rather than in a domain.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from servplan.assessments.models import Assessment
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
    if fmt == "pdf":
        from servplan.documents import pdf

        return pdf.render(document, timestamp=timestamp)
    if fmt == "odt":
        from servplan.documents import odt

        return odt.render(document)
    from servplan.documents import word

    return word.render(document)


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

    A published (submitted or reviewed) document is dated with the record's last change, so
    rendering it again gives the same bytes.
    """
    chosen = check_form(form)
    document = forms.assessment_document(assessment, chosen)
    timestamp = assessment.updated_at if assessment.is_locked else None
    return document, timestamp, chosen[0] if len(chosen) == 1 else "all"


def export_plan(plan: OfficePlan, *, fmt: str) -> Export:
    """An office plan (loaded with plans_for_export()) as PDF, ODT or DOCX."""
    fmt = check_format(fmt, PLAN_FORMATS)
    return Export(
        render_document(forms.plan_document(plan), fmt),
        f"{plan.office.code}-{plan.roc_year}-plan.{fmt}",
        CONTENT_TYPES[fmt],
    )
