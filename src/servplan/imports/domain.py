"""Bringing existing documents in: check a file without writing, import it in one transaction.

The CLI (`servplan check|import`), the API (POST /api/imports/) and the upload pages all call
these functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q

from servplan.assessments.domain import load_assessment
from servplan.assessments.models import Assessment
from servplan.assessments.sheet import assessment_to_dict, sheet_queryset
from servplan.audit.domain import record
from servplan.core.errors import DomainError
from servplan.core.narrative import clean_text, normalize
from servplan.core.roc import format_date
from servplan.core.scores import format_score
from servplan.imports.access import check_import, visible_imports
from servplan.imports.checks import check_document, resolve_office
from servplan.imports.document import ERROR, Issue, ReadAssessment, ReadDocument, ReadPlan
from servplan.imports.interpret import name_key
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
from servplan.programs.models import Publication, Rubric


class ImportRefused(DomainError):
    """The file has errors (or can't be read): nothing was stored. `issues` lists them all."""

    def __init__(self, result: CheckResult) -> None:
        errors = result.errors
        first = errors[0] if errors else Issue(ERROR, "unreadable", "無法匯入")
        super().__init__(f"{first.message}（共 {len(errors)} 項錯誤，未匯入）", where=first.where)
        self.result = result


@dataclass
class RubricMatch:
    """Which stored rubric a form is on, or what its import would create.

    `names` maps each cell the document names, by (dimension, item) keys (interpret.name_key),
    to the rubric's own names, so the import stores them as the rubric spells them.
    """

    rubric: Rubric | None
    names: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # The rubric the import would create: the year's (no rubric of the year yet) or, when
    # HQ's rubric of the year differs, one for the office only.
    title: str = ""
    office_specific: bool = False
    differences: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.rubric is not None:
            return "office" if self.rubric.office_id else "existing"
        return "new-office" if self.office_specific else "new"


@dataclass
class CheckResult:
    """A file as read, with what is wrong with it; `doc` is None when it couldn't be read."""

    filename: str
    sha256: str
    doc: ReadDocument | None
    office: Office | None
    rubric: Rubric | None = None
    issues: list[Issue] = field(default_factory=list)
    match: RubricMatch | None = None

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
        return self.match.title if self.match is not None else ""

    @property
    def rubric_report(self) -> str:
        """One sentence on the rubric, for the check report and the preview."""
        match = self.match
        if match is None:
            return ""
        if match.rubric is not None:
            return f"評分表：沿用系統中的「{match.rubric}」"
        year = self.doc.period.roc_year
        if match.office_specific:
            return (
                f"評分表：與總處 {year} 年度評分表不同（{'；'.join(match.differences)}），"
                f"匯入會建立{self.office_name}專用的評分表「{match.title}」；只有總處業務處可以接受"
            )
        return (
            f"評分表：系統中沒有 {year} 年度評分表，匯入會建立「{match.title}」；"
            "只有總處業務處可以建立評分表"
        )

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
            match = self.match
            data = self.doc.as_dict(
                office=self.office_name,
                rubric={
                    "id": self.rubric.id if self.rubric else None,
                    "title": self.rubric_title,
                    "version": self.rubric.version if self.rubric else None,
                    "status": match.status if match else None,
                    "differences": match.differences if match else [],
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


# Enough differences to say how a rubric differs; the rest are summed up.
MAX_DIFFERENCES = 5


def _stored_shape(rubric: Rubric) -> tuple[dict, Decimal]:
    """dimension key → (name, maximum, item key → (name, maximum)), and the total."""
    spec = rubric_spec(rubric)
    return (
        {
            name_key(d.name): (d.name, d.max, {name_key(c.item): (c.item, c.max) for c in d.cells})
            for d in spec.dimensions
        },
        spec.total_max,
    )


def _differences(doc: ReadAssessment, rubric: Rubric) -> list[str]:
    """How the form's dimensions, items and maxima differ from `rubric` (what the form states
    only: a results summary states no item maxima). Empty: the form is on this rubric."""
    stored, total = _stored_shape(rubric)
    found: list[str] = []
    read = {name_key(d.name): d for d in doc.dimensions}
    # A follow-up table on its own names only the cells it lists.
    whole = doc.has_scores or "summary" in doc.forms
    for key, (name, _, _) in stored.items():
        if key not in read and whole:
            found.append(f"文件沒有構面「{name}」")
    for key, d in read.items():
        if key not in stored:
            found.append(f"文件多了構面「{d.name}」")
            continue
        name, maximum, items = stored[key]
        if d.stated_max is not None and d.stated_max != maximum:
            found.append(
                f"「{name}」配分：評分表 {format_score(maximum)} 分，文件 {format_score(d.stated_max)} 分"
            )
        cells = {name_key(c.item): c for c in d.cells}
        for item_key, (item, _) in items.items():
            if item_key not in cells and whole:
                found.append(f"文件的「{name}」沒有評核項目「{item}」")
        for item_key, c in cells.items():
            if item_key not in items:
                found.append(f"文件的「{name}」多了評核項目「{c.item}」")
            elif c.max is not None and c.max != items[item_key][1]:
                found.append(
                    f"「{name}／{items[item_key][0]}」配分：評分表 "
                    f"{format_score(items[item_key][1])} 分，文件 {format_score(c.max)} 分"
                )
    stated_max = doc.stated_total_max
    if stated_max is not None and stated_max != total:
        found.append(f"總分：評分表 {format_score(total)} 分，文件 {format_score(stated_max)} 分")
    if len(found) > MAX_DIFFERENCES:
        found = [*found[:MAX_DIFFERENCES], f"另有 {len(found) - MAX_DIFFERENCES} 處不同"]
    return found


def _names(rubric: Rubric) -> dict[tuple[str, str], tuple[str, str]]:
    """(dimension key, item key) → the rubric's own names."""
    stored, _ = _stored_shape(rubric)
    return {
        (dim_key, item_key): (name, item)
        for dim_key, (name, _, items) in stored.items()
        for item_key, (item, _) in items.items()
    }


def match_rubric(doc: ReadAssessment, office: Office | None) -> RubricMatch:
    """The rubric of the form's year the form agrees with (dimensions, items and the maxima it
    states; names compared by interpret.name_key), HQ's first, then the office's own; else
    what the import would create: the year's rubric when the year has none of HQ's, else one
    for the office, with how it differs from HQ's."""
    year = doc.period.roc_year
    # HQ's drafts are not rubrics yet: an import is never filed under one.
    candidates = Rubric.objects.filter(roc_year=year, status=Publication.PUBLISHED).filter(
        Q(office__isnull=True) | Q(office=office) if office is not None else Q(office__isnull=True)
    )
    ordered = sorted(candidates, key=lambda r: (r.office_id is not None, r.version, r.id))
    for rubric in ordered:
        if not _differences(doc, rubric):
            return RubricMatch(rubric, _names(rubric))
    spec = rubric_spec_for(doc)
    hq = max(
        (r for r in ordered if r.office_id is None), key=lambda r: (r.version, r.id), default=None
    )
    if hq is None:
        return RubricMatch(None, title=spec.title)
    office_name = office.name if office is not None else doc.office_name
    return RubricMatch(
        None,
        title=f"{spec.title}（{office_name}）",
        office_specific=True,
        differences=_differences(doc, hq),
    )


def _rubric_issues(doc: ReadAssessment, match: RubricMatch) -> list[Issue]:
    """A form without the items' maxima (a results summary or follow-up table on its own) can
    only be on a rubric the system has."""
    if match.rubric is not None or doc.has_scores:
        return []
    differs = f"（{'；'.join(match.differences)}）" if match.differences else ""
    return [
        Issue(
            ERROR,
            "rubric-unknown",
            f"文件沒有評分表（各評核項目的配分），系統中也沒有相符的 {doc.period.roc_year} "
            f"年度評分表{differs}：請匯入含考核項目及評分表的文件",
            "rubric",
        )
    ]


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
        result.match = match_rubric(doc, found)
        result.rubric = result.match.rubric
        result.issues += _rubric_issues(doc, result.match)
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
    Side effects: creates the rubric when no stored one matches (match_rubric: the year's, or
    the office's own when HQ's differs), the assessment with its scores,
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
    assessment = _store_assessment(doc, found, result.match)
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


def _new_rubric(doc: ReadAssessment, office: Office, match: RubricMatch) -> Rubric:
    """The rubric the form is on, which the system doesn't have yet: the year's rubric, or the
    office's own when HQ's rubric of the year differs (match_rubric)."""
    spec = rubric_spec_for(doc)
    spec.title = match.title
    version = (
        Rubric.objects.filter(roc_year=spec.roc_year, title=spec.title).aggregate(v=Max("version"))[
            "v"
        ]
        or 0
    ) + 1
    try:
        return create_rubric(
            spec=spec, office=office if match.office_specific else None, version=version
        )
    except RubricError as exc:
        raise DomainError(exc.message, where=exc.where) from exc


def _keyed(dimension: str, item: str) -> tuple[str, str]:
    return name_key(dimension), name_key(item)


def _findings_data(
    doc: ReadAssessment, name: Callable[[tuple[str, str]], tuple[str, str]]
) -> tuple[list[dict], list[dict]]:
    """The results summary's and the follow-up table's rows of each cell, as load_assessment
    takes them: the summary's row opens the improvement, the follow-up table's entries (each
    quarter under its heading) are its follow-ups, and its wording, if different, rewords it."""
    quarter = (doc.period.end_month - 1) // 3 + 1
    summary = {_keyed(f.dimension, f.item): f for f in doc.findings if f.dimension is not None}
    follow = {_keyed(f.dimension, f.item): f for f in doc.follow_up if f.dimension is not None}
    findings: list[dict] = []
    follow_up: list[dict] = []
    for key in dict.fromkeys([*summary, *follow]):
        s, u = summary.get(key), follow.get(key)
        dimension, item = name(key)
        recommendation = (s.recommendation if s else "") or (u.recommendation if u else "")
        row = {
            "dimension": dimension,
            "item": item,
            "strengths": s.strengths if s else "",
            "weaknesses": s.weaknesses if s else "",
            "recommendation": recommendation,
            "improvement": s.improvement if s else "",
            # Without an improvement the follow-up table prints the row's own remarks.
            "remarks": s.remarks if s else ("" if recommendation else u.remarks),
        }
        findings.append(row)
        if u is None or not recommendation:
            continue
        entries = [
            {
                "roc_year": e.roc_year or doc.period.roc_year,
                "quarter": e.quarter or quarter,
                "recorded_on": e.recorded_on,
                "progress": e.progress,
            }
            for e in u.entries
        ]
        progress, row["improvement"] = row["improvement"], ""
        if progress and progress not in [e["progress"] for e in entries]:
            # The summary reports a step the follow-up table doesn't list: it came first.
            entries.insert(
                0,
                {
                    "roc_year": doc.period.roc_year,
                    "quarter": quarter,
                    "recorded_on": None,
                    "progress": progress,
                },
            )
        follow_up.append(
            {
                "dimension": dimension,
                "item": item,
                "recommendation": u.recommendation or recommendation,
                "entries": entries,
                "remarks": u.remarks,
            }
        )
    return findings, follow_up


def _store_assessment(doc: ReadAssessment, office: Office, match: RubricMatch) -> Assessment:
    period = doc.period
    if Assessment.objects.filter(
        office=office,
        **period.as_dict(),
    ).exists():
        raise DomainError(f"{office.name} {period} 的自行考核已存在，未匯入", where="period")
    rubric = match.rubric or _new_rubric(doc, office, match)
    # Every cell the document names is on the rubric (match_rubric found no difference).
    name = (match.names if match.rubric is not None else _names(rubric)).__getitem__
    findings, follow_up = _findings_data(doc, name)
    assessment, _ = load_assessment(
        data={
            "office": office.name,
            "rubric": {"id": rubric.id, "roc_year": rubric.roc_year, "version": rubric.version},
            "period": period.as_dict(),
            "assessed_on": doc.assessed_on,
            # A results summary or follow-up table on its own leaves the cells to be filled in.
            "cells": [
                {
                    "dimension": name(_keyed(c.dimension, c.item))[0],
                    "item": name(_keyed(c.dimension, c.item))[1],
                    "score": c.score,
                    "narrative": normalize(c.narrative),
                }
                for c in doc.cells
            ]
            if doc.has_scores
            else [],
            "findings": findings,
            "follow_up": follow_up,
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
