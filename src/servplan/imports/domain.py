"""Bringing existing documents in: check a file without writing, import it in one transaction.

The CLI (`servplan check|import`), the API (POST /api/imports/) and the upload pages all call
these functions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from servplan.assessments.domain import load_assessment
from servplan.assessments.models import Assessment
from servplan.assessments.sheet import assessment_to_dict, sheet_queryset
from servplan.audit.domain import record
from servplan.core.errors import DomainError
from servplan.core.narrative import clean_text, normalize
from servplan.core.roc import format_date
from servplan.imports.access import check_import, visible_imports
from servplan.imports.checks import check_document, resolve_office
from servplan.imports.document import ERROR, Issue, ReadAssessment, ReadDocument, ReadPlan
from servplan.imports.models import ImportKind, ImportRecord, PendingUpload
from servplan.imports.readers.base import MAX_FILE_BYTES, UnreadableFile
from servplan.imports.sandbox import read_sandboxed
from servplan.offices.models import Office
from servplan.plans.domain import create_imported_plan, program_for_year
from servplan.plans.models import OfficePlan
from servplan.plans.serializers import plan_to_dict, plans_for_export
from servplan.programs.domain import (
    CellSpec,
    DimensionSpec,
    RubricError,
    RubricSpec,
    create_rubric,
    load_program,
    rubric_spec,
)
from servplan.programs.lookups import published_rubrics
from servplan.programs.models import Rubric


class ImportRefused(DomainError):
    """The file has errors (or can't be read): nothing was stored. `issues` lists them all."""

    def __init__(self, result: CheckResult) -> None:
        errors = result.errors
        first = errors[0] if errors else Issue(ERROR, "unreadable", "無法匯入")
        super().__init__(f"{first.message}（共 {len(errors)} 項錯誤，未匯入）", where=first.where)
        self.result = result


@dataclass
class CheckResult:
    """A file as read, with what is wrong with it; `doc` is None when it couldn't be read."""

    filename: str
    sha256: str
    doc: ReadDocument | None
    office: Office | None
    rubric: Rubric | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity != ERROR]

    @property
    def unreadable(self) -> bool:
        return self.doc is None

    @property
    def rubric_title(self) -> str:
        """The matching stored rubric's title, or the title of the one an import would create."""
        if self.rubric is not None:
            return self.rubric.title
        return rubric_spec_for(self.doc).title if isinstance(self.doc, ReadAssessment) else ""

    @property
    def office_name(self) -> str:
        if self.office is not None:
            return self.office.name
        return self.doc.office_name if self.doc else ""

    def as_dict(self) -> dict:
        """The record's shape without "id", with what the document states and the issues."""
        issues = [i.as_dict() for i in self.issues]
        if self.doc is None:
            return {"kind": None, "file": self.filename, "issues": issues}
        if isinstance(self.doc, ReadPlan):
            data = self.doc.as_dict(office=self.office_name)
        else:
            data = self.doc.as_dict(
                office=self.office_name,
                rubric={
                    "id": self.rubric.id if self.rubric else None,
                    "title": self.rubric_title,
                    "version": self.rubric.version if self.rubric else None,
                },
            )
        return {**data, "issues": issues}


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rubric_spec_for(doc: ReadAssessment) -> RubricSpec:
    """The rubric the form is filled in on, as the document states it."""
    title = doc.title
    year = str(doc.period.roc_year)
    # 「台東區營業處 114 年度 1 月至 6 月提升服務效能執行計畫考核項目及評分表」 → the rubric's own title.
    rest = title.split("月", 2)[-1] if "月" in title else title
    return RubricSpec(
        roc_year=doc.period.roc_year,
        title=f"{year}年度{rest.strip()}" if "執行計畫" in rest else f"{year}年度考核項目及評分表",
        total_max=doc.total_max,
        items=doc.items,
        dimensions=[
            DimensionSpec(
                name=d.name,
                max=d.max,
                cells=[CellSpec(c.item, c.max) for c in d.cells if c.max is not None],
            )
            for d in doc.dimensions
        ],
    )


def _shape(spec: RubricSpec) -> tuple:
    return (
        spec.total_max,
        tuple(
            (d.name, d.max, tuple(sorted((c.item, c.max) for c in d.cells)))
            for d in spec.dimensions
        ),
    )


def matching_rubric(spec: RubricSpec) -> Rubric | None:
    """A stored rubric with the same dimensions, items and maxima (the title may differ)."""
    wanted = _shape(spec)
    for rubric in published_rubrics().filter(roc_year=spec.roc_year).order_by("version", "id"):
        if _shape(rubric_spec(rubric)) == wanted:
            return rubric
    return None


def check_file(*, filename: str, data: bytes, office: str | None = None) -> CheckResult:
    """Read `data` and report every problem; writes nothing."""
    digest = sha256_of(data)
    try:
        doc = read_sandboxed(filename, data)
    except UnreadableFile as exc:
        return CheckResult(
            filename,
            digest,
            None,
            None,
            issues=[Issue(ERROR, "unreadable", f"無法讀取「{filename}」：{exc.reason}", "file")],
        )
    found, office_issues = resolve_office(doc, office)
    result = CheckResult(
        filename, digest, doc, found, issues=[*office_issues, *check_document(doc)]
    )
    if isinstance(doc, ReadAssessment):
        result.rubric = matching_rubric(rubric_spec_for(doc))
    return result


def oversized(*, filename: str, size: int | None) -> CheckResult | None:
    """The refusal of a file too large to read at all (checked before reading it)."""
    if size is None or size <= MAX_FILE_BYTES:
        return None
    limit = MAX_FILE_BYTES // (1024 * 1024)
    message = f"無法讀取「{filename}」：檔案過大（{size // (1024 * 1024)} MB），上限為 {limit} MB"
    return CheckResult(
        filename, "", None, None, issues=[Issue(ERROR, "unreadable", message, "file")]
    )


def existing_import(result: CheckResult, user=None) -> ImportRecord | None:
    """The earlier import of the same bytes for the same office, among those `user` may see.

    Never another office's: that one is no reason to refuse, and must not even show it exists.
    """
    imports = ImportRecord.objects.all() if user is None else visible_imports(user)
    return imports.filter(sha256=result.sha256, office=result.office).first()


def record_as_dict(entry: ImportRecord) -> dict:
    """The stored record (assessment or plan shape, with "id") the import became."""
    if entry.kind == ImportKind.PLAN:
        return plan_to_dict(plans_for_export().get(pk=entry.plan_id))
    return assessment_to_dict(sheet_queryset().get(pk=entry.assessment_id))


@transaction.atomic
def import_file(
    *, filename: str, data: bytes, office: str | None = None, user=None
) -> tuple[ImportRecord, bool, CheckResult | None]:
    """Check the file and store what it holds, all or nothing.

    Returns (record, created, check result). The same file (by SHA-256) a second time for the
    same office returns that import's record, untouched. With `user` (pages, API), what they
    may not import is refused first (imports.access.check_import); without (the CLI), the
    operator may import anything. Raises ImportRefused when the check finds errors and
    DomainError when the office already has the record the file holds.
    Side effects: creates the rubric when no stored one matches, the assessment with its scores,
    findings, improvements and follow-ups (or the plan with its strategy tree, and the year's
    program when missing), an ImportRecord, and an audit entry.
    """
    filename = clean_text(filename)
    result = check_file(filename=filename, data=data, office=office)
    if result.errors:
        raise ImportRefused(result)
    if user is not None:
        check_import(user, result)
    existing = existing_import(result, user)
    if existing is not None:
        return existing, False, None
    doc, found = result.doc, result.office
    if isinstance(doc, ReadPlan):
        plan = _store_plan(doc, found)
        entry = ImportRecord.objects.create(
            sha256=result.sha256,
            filename=filename[:255],
            size=len(data),
            kind=ImportKind.PLAN,
            office=found,
            plan=plan,
            user=user,
        )
        stated = f"（文件所載 {format_date(doc.approved_on)}陳准實施）" if doc.approved_on else ""
        record(user=user, obj=plan, field="imported", new=f"{filename}{stated}")
        return entry, True, result
    assessment = _store_assessment(doc, found, result.rubric)
    entry = ImportRecord.objects.create(
        sha256=result.sha256,
        filename=filename[:255],
        size=len(data),
        kind=ImportKind.ASSESSMENT,
        office=found,
        assessment=assessment,
        user=user,
    )
    record(user=user, obj=assessment, field="imported", new=filename, assessment_id=assessment.id)
    return entry, True, result


def _new_rubric(spec: RubricSpec, office: Office) -> Rubric:
    """A rubric the system doesn't have yet, named so it can't clash with another of the year."""
    taken = Rubric.objects.filter(roc_year=spec.roc_year, title=spec.title)
    if taken.exists():
        spec.title = f"{spec.title}（{office.name}）"
    version = (
        Rubric.objects.filter(roc_year=spec.roc_year, title=spec.title).aggregate(v=Max("version"))[
            "v"
        ]
        or 0
    ) + 1
    try:
        return create_rubric(spec=spec, office=office, version=version)
    except RubricError as exc:
        raise DomainError(exc.message, where=exc.where) from exc


def _store_assessment(doc: ReadAssessment, office: Office, rubric: Rubric | None) -> Assessment:
    period = doc.period
    if Assessment.objects.filter(
        office=office,
        **period.as_dict(),
    ).exists():
        raise DomainError(f"{office.name} {period} 的自行考核已存在，未匯入", where="period")
    rubric = rubric or _new_rubric(rubric_spec_for(doc), office)
    assessment, _ = load_assessment(
        data={
            "office": office.name,
            "rubric": {"id": rubric.id, "roc_year": rubric.roc_year, "version": rubric.version},
            "period": period.as_dict(),
            "assessed_on": doc.assessed_on,
            "cells": [
                {
                    "dimension": c.dimension,
                    "item": c.item,
                    "score": c.score,
                    "narrative": normalize(c.narrative),
                }
                for c in doc.cells
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
                for f in doc.findings
                if f.dimension is not None
            ],
            "follow_up": [
                {
                    "dimension": f.dimension,
                    "item": f.item,
                    "recommendation": f.recommendation,
                    "progress": f.progress,
                    "remarks": f.remarks,
                }
                for f in doc.follow_up
                if f.dimension is not None
            ],
        }
    )
    return assessment


def _store_plan(doc: ReadPlan, office: Office) -> OfficePlan:
    """The document's plan as an editable draft (plans.domain.create_imported_plan)."""
    program = program_for_year(doc.roc_year)
    if program is None:
        # No program of the year or before it: the imported plan's tree stands in for it.
        program, _ = load_program(
            data={
                "roc_year": doc.roc_year,
                "title": f"{doc.roc_year}年度提升服務效能執行計畫",
                "facets": doc.outline(),
            }
        )
    return create_imported_plan(
        office=office,
        program=program,
        roc_year=doc.roc_year,
        title=doc.title,
        facets=doc.outline(),
        basis=doc.basis,
        goals=doc.goals,
        targets=doc.targets,
        steps=doc.steps,
        supplementary=doc.supplementary,
    )


@transaction.atomic
def stage_upload(*, user, filename: str, data: bytes, office: str = "") -> PendingUpload:
    """Keep an uploaded file until its uploader confirms or cancels the preview.

    Side effects: creates a PendingUpload (the user's older pending uploads are dropped).
    """
    PendingUpload.objects.filter(user=user).delete()
    return PendingUpload.objects.create(
        user=user, filename=clean_text(filename)[:255], content=data, office_override=office
    )


@transaction.atomic
def confirm_upload(*, upload: PendingUpload, user) -> tuple[ImportRecord, bool]:
    """Import a previewed upload. Side effects: those of import_file; deletes the upload."""
    entry, created, _ = import_file(
        filename=upload.filename,
        data=bytes(upload.content),
        office=upload.office_override or None,
        user=user,
    )
    upload.delete()
    return entry, created


@transaction.atomic
def cancel_upload(*, upload: PendingUpload) -> None:
    """Drop a previewed upload. Side effects: deletes it; nothing else was stored."""
    upload.delete()
