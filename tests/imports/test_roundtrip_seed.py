"""The seed 000 record (台東 114 年度 1 月至 6 月) exported in every form and format reads back
as the same record, and imports as it: no errors, no warnings the record doesn't have."""

import io
import zipfile

import pytest

from servplan.assessments.models import Assessment
from servplan.assessments.sheet import build_sheet, sheet_queryset
from servplan.documents.forms import content_hash
from servplan.imports.checks import check_document
from servplan.imports.domain import check_file, import_file
from servplan.imports.readers import read_blocks
from servplan.imports.readers.base import Table
from servplan.programs.models import Rubric
from tests.imports.roundtrip import (
    EXPORTS,
    FORM_PARTS,
    STORED_PARTS,
    as_read,
    doc_view,
    export,
    parts,
    record_view,
)

pytestmark = pytest.mark.django_db


def printed_text(fmt: str, content: bytes) -> str:
    """Everything the file prints, footers included."""
    if fmt == "pdf":
        import pdfplumber

        with pdfplumber.open(io.BytesIO(content)) as pdf:
            return "".join(page.extract_text() for page in pdf.pages)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return "".join(
            package.read(name).decode() for name in package.namelist() if name.endswith(".xml")
        )


def issues(found) -> list[tuple[str, str, str]]:
    return sorted((i.severity, i.code, i.where) for i in found)


@pytest.mark.parametrize(("fmt", "form"), EXPORTS)
def test_seed_000_reads_back_and_imports_as_the_same_record(taitung, fmt, form):
    original = record_view(taitung)
    expected = issues(check_document(as_read(taitung))) if "cells" in FORM_PARTS[form] else []
    filename, content = export(taitung, fmt, form)

    result = check_file(filename=filename, data=content)
    assert issues(result.issues) == expected, [i.message for i in result.issues]
    assert parts(doc_view(result.doc), FORM_PARTS[form]) == parts(original, FORM_PARTS[form])
    assert result.rubric == taitung.rubric

    rubrics = Rubric.objects.count()
    taitung.delete()
    entry, created, _ = import_file(filename=filename, data=content)
    assert created and Rubric.objects.count() == rubrics
    imported = Assessment.objects.get(pk=entry.assessment_id)
    assert imported.rubric_id == result.rubric.id
    assert parts(record_view(imported), STORED_PARTS[form]) == parts(original, STORED_PARTS[form])


@pytest.mark.parametrize("fmt", ["docx", "odt", "pdf"])
def test_signed_forms_read_back_without_their_signatures_and_footer(taitung, make, fmt):
    """Past the draft the forms print the signers' names and dates under the roles and the
    content hash in every page's footer: neither is read as a row or a paragraph."""
    from servplan.assessments.domain import decide, submit_assessment
    from servplan.offices.models import Role

    clerk = make.user(office=taitung.office, username="王小明")
    chief = make.user(role=Role.SECTION_CHIEF, office=taitung.office, username="李課長")
    submit_assessment(assessment=taitung, user=clerk)
    decide(assessment=taitung, user=chief, decision="approve")
    original = record_view(taitung)
    filename, content = export(taitung, fmt, "all")
    digest = content_hash(build_sheet(sheet_queryset().get(pk=taitung.pk)))
    assert digest in printed_text(fmt, content)
    tables = [b for b in read_blocks(filename, content) if isinstance(b, Table)]
    assert any("王小明" in (c or "") for t in tables for row in t.rows for c in row)

    result = check_file(filename=filename, data=content)
    assert issues(result.issues) == issues(check_document(as_read(taitung)))
    assert parts(doc_view(result.doc), FORM_PARTS["all"]) == parts(original, FORM_PARTS["all"])
