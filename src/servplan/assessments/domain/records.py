"""Creating assessments, loading them from data files, and the offices' sign-off chains."""

from __future__ import annotations

import datetime as dt

from django.core.files import File
from django.db import transaction
from django.db.models import Q

from servplan.assessments.access import can_create
from servplan.assessments.domain.cells import score_cell
from servplan.assessments.domain.errors import NotAllowed
from servplan.assessments.models import (
    Assessment,
    CellScore,
    Evidence,
    Finding,
    FollowUp,
    Improvement,
    ImprovementStatus,
)
from servplan.audit.domain import record
from servplan.core.errors import DomainError
from servplan.core.narrative import normalize
from servplan.core.roc import Period
from servplan.offices.domain import find_office
from servplan.offices.models import ChainStep, Form, Office, Role
from servplan.programs.models import Rubric, RubricCell

# What the paper forms write in an empty box.
NOTHING = "無"


def _blank_if_nothing(text: str | None) -> str:
    text = normalize(text or "")
    return "" if text == NOTHING else text


def previous_assessment(*, office: Office, period: Period) -> Assessment | None:
    """The office's latest assessment of a period that ended before `period` starts."""
    return (
        Assessment.objects.filter(office=office)
        .filter(
            Q(roc_year__lt=period.roc_year)
            | Q(roc_year=period.roc_year, end_month__lt=period.start_month)
        )
        .order_by("-roc_year", "-end_month")
        .first()
    )


@transaction.atomic
def create_assessment(
    *,
    office: Office,
    rubric: Rubric,
    period: Period,
    assessed_on: dt.date | None = None,
    user=None,
    copy_from: Assessment | None = None,
    copy_previous: bool = False,
) -> Assessment:
    """Open an office's self-assessment for a period on a rubric.

    With `copy_from` (the office's previous assessment) each cell of the same dimension and
    item starts with its narrative and evidence; scores, statuses and sign-offs start empty.
    `copy_previous` copies from the office's latest earlier one (refused when it has none).
    The office's improvements that are not done carry over to the matching findings either way.
    Side effects: creates the Assessment, one CellScore and one Finding per rubric cell, copies
    evidence files, records "created" in the audit trail; from then on the rubric is frozen
    (a change makes a new version). Refused on a rubric HQ has not published.
    """
    if user is not None and not can_create(user, office):
        raise NotAllowed(f"只有{office.name}的經辦可以建立自行考核", where="office")
    if rubric.is_draft:
        raise DomainError(f"評分表「{rubric}」尚未發布，不能用來建立自行考核", where="rubric")
    # Looked up only after the access check, so the answer never tells whether records exist.
    if copy_previous:
        copy_from = previous_assessment(office=office, period=period)
        if copy_from is None:
            raise DomainError(f"{office.name}沒有 {period} 之前的自行考核可沿用", where="copy_from")
    if copy_from is not None and copy_from.office_id != office.id:
        raise DomainError("只能沿用同一區營業處的前期自行考核", where="copy_from")
    if Assessment.objects.filter(
        office=office,
        **period.as_dict(),
    ).exists():
        raise DomainError(f"{office.name} {period} 的自行考核已存在", where="period")
    assessment = Assessment.objects.create(
        office=office,
        rubric=rubric,
        roc_year=period.roc_year,
        start_month=period.start_month,
        end_month=period.end_month,
        assessed_on=assessed_on,
    )
    cells = list(
        RubricCell.objects.filter(dimension__rubric=rubric).select_related("dimension", "item")
    )
    key = {cell.id: (cell.dimension.name, cell.item.name) for cell in cells}
    old_cells = {}
    if copy_from is not None:
        old_cells = {
            (c.cell.dimension.name, c.cell.item.name): c
            for c in copy_from.cells.select_related(
                "cell__dimension", "cell__item"
            ).prefetch_related("evidence")
        }
    CellScore.objects.bulk_create(
        CellScore(
            assessment=assessment,
            cell=cell,
            max_score=cell.max_score,
            narrative=old_cells[key[cell.id]].narrative if key[cell.id] in old_cells else "",
        )
        for cell in cells
    )
    carried = _open_improvements_by_cell(office)
    Finding.objects.bulk_create(
        Finding(assessment=assessment, cell=cell, improvement=carried.get(key[cell.id]))
        for cell in cells
    )
    if old_cells:
        _copy_evidence(assessment, old_cells, user)
    record(
        user=user,
        obj=assessment,
        field="created",
        new=f"{period}（沿用 {copy_from.period}）" if copy_from else str(period),
        assessment_id=assessment.id,
    )
    return assessment


def _open_improvements_by_cell(office: Office) -> dict[tuple[str, str], Improvement]:
    """The office's not-done improvements keyed by the cell of the finding that last carried them."""
    rows = (
        Finding.objects.filter(improvement__office=office)
        .exclude(improvement__status=ImprovementStatus.DONE)
        .select_related("improvement", "cell__dimension", "cell__item", "assessment")
        .order_by("assessment__roc_year", "assessment__end_month")
    )
    return {(f.cell.dimension.name, f.cell.item.name): f.improvement for f in rows}


def _copy_evidence(assessment: Assessment, old_cells: dict, user) -> None:
    new_cells = {
        (c.cell.dimension.name, c.cell.item.name): c
        for c in assessment.cells.select_related("cell__dimension", "cell__item")
    }
    for key, old in old_cells.items():
        for evidence in old.evidence.all():
            if key not in new_cells:
                continue
            copy = Evidence(
                cell_score=new_cells[key],
                name=evidence.name,
                content_type=evidence.content_type,
                size=evidence.size,
                sha256=evidence.sha256,
                uploaded_by=evidence.uploaded_by,
            )
            with evidence.file.open("rb") as src:
                copy.file.save(evidence.name, File(src), save=False)
            copy.save()


def _cell_index(assessment: Assessment) -> dict[tuple[str, str], RubricCell]:
    return {
        (c.dimension.name, c.item.name): c
        for c in RubricCell.objects.filter(dimension__rubric=assessment.rubric).select_related(
            "dimension", "item"
        )
    }


def _find_cell(index: dict, dimension: str, item: str) -> RubricCell:
    try:
        return index[(dimension, item)]
    except KeyError:
        raise DomainError(
            f"評分表沒有「{dimension}／{item}」這一格", where=f"{dimension}／{item}"
        ) from None


@transaction.atomic
def load_assessment(*, data: dict) -> tuple[Assessment, bool]:
    """A filled-in assessment from a data file (data/samples/assessment-*.yaml).

    The summary table's recommendation opens an improvement; where the follow-up table words
    it differently, that is recorded as a later follow-up that rewords it, so both documents
    read one improvement and its history keeps both texts. A follow-up row may list its
    dated `entries` ({roc_year, quarter, recorded_on, progress}) instead of one `progress`.
    Side effects: creates the assessment, its scores, findings, improvements, follow-ups and the
    office's signature-block chains given in the file. Returns the existing one, untouched, if
    the office already has an assessment for the period.
    """
    office = find_office(data["office"])
    period = Period(**data["period"])
    existing = Assessment.objects.filter(
        office=office,
        **period.as_dict(),
    ).first()
    if existing:
        return existing, False
    ref = data["rubric"]
    # An import names the rubric it found or created by id; data files by year and version.
    rubrics = (
        Rubric.objects.filter(pk=ref["id"])
        if "id" in ref
        else Rubric.objects.filter(roc_year=ref["roc_year"], version=ref.get("version", 1))
    )
    rubric = rubrics.first()
    if rubric is None:
        raise DomainError(f"找不到 {ref['roc_year']} 年度評分表", where="rubric")
    assessment = create_assessment(
        office=office, rubric=rubric, period=period, assessed_on=data.get("assessed_on")
    )
    index = _cell_index(assessment)
    scores = {s.cell_id: s for s in assessment.cells.all()}
    for row in data.get("cells", []):
        cell = _find_cell(index, row["dimension"], row["item"])
        score_cell(
            cell_score=scores[cell.id], score=row.get("score"), narrative=row.get("narrative", "")
        )

    findings = {f.cell_id: f for f in assessment.findings.all()}
    quarter = (period.end_month - 1) // 3 + 1
    for row in data.get("findings", []):
        finding = findings[_find_cell(index, row["dimension"], row["item"]).id]
        finding.strengths = _blank_if_nothing(row.get("strengths"))
        finding.weaknesses = _blank_if_nothing(row.get("weaknesses"))
        finding.remarks = _blank_if_nothing(row.get("remarks"))
        recommendation = _blank_if_nothing(row.get("recommendation"))
        progress = _blank_if_nothing(row.get("improvement"))
        if recommendation:
            finding.improvement = Improvement.objects.create(
                office=office,
                opened_in=assessment,
                recommendation=recommendation,
                status=ImprovementStatus.IN_PROGRESS if progress else ImprovementStatus.OPEN,
            )
            if progress:
                FollowUp.objects.create(
                    improvement=finding.improvement,
                    roc_year=period.roc_year,
                    quarter=quarter,
                    progress=progress,
                )
        finding.save()

    for row in data.get("follow_up", []):
        finding = findings[_find_cell(index, row["dimension"], row["item"]).id]
        recommendation = _blank_if_nothing(row.get("recommendation"))
        progress = _blank_if_nothing(row.get("progress"))
        improvement = finding.improvement
        if improvement is None or not recommendation:
            continue
        latest = improvement.follow_ups.last()
        reworded = recommendation != improvement.recommendation
        if "entries" in row:
            _load_entries(improvement, row["entries"], recommendation if reworded else "")
        elif reworded or (progress and (latest is None or latest.progress != progress)):
            FollowUp.objects.create(
                improvement=improvement,
                roc_year=period.roc_year,
                quarter=quarter,
                progress=progress or (latest.progress if latest else ""),
                recommendation=recommendation if reworded else "",
            )
        if reworded:
            improvement.recommendation = recommendation
        improvement.remarks = _blank_if_nothing(row.get("remarks"))
        improvement.save()

    for form, roles in (data.get("signature_blocks") or {}).items():
        set_chain(office=office, form=Form(form.replace("_", "-")), roles=roles)
    return assessment, True


def _load_entries(improvement: Improvement, entries: list[dict], reworded: str) -> None:
    """A follow-up table's entries as they are dated (an import of the app's own table,
    「【114 年第 2 季（114 年 6 月 30 日）】」 …); the last carries a rewording."""
    for n, entry in enumerate(entries, start=1):
        FollowUp.objects.create(
            improvement=improvement,
            roc_year=entry["roc_year"],
            quarter=entry["quarter"],
            recorded_on=entry.get("recorded_on"),
            progress=normalize(entry["progress"]),
            recommendation=reworded if n == len(entries) else "",
        )
    if entries and improvement.status == ImprovementStatus.OPEN:
        improvement.status = ImprovementStatus.IN_PROGRESS


@transaction.atomic
def set_chain(*, office: Office, form: Form, roles: list[Role | str]) -> None:
    """Set the order in which `roles` sign `form` for `office`.

    Side effects: replaces the office's ChainStep rows for that form.
    """
    roles = [Role(r) for r in roles]
    if len(set(roles)) != len(roles):
        raise DomainError("核章順序中同一角色只能出現一次", where="roles")
    ChainStep.objects.filter(office=office, form=form).delete()
    ChainStep.objects.bulk_create(
        ChainStep(office=office, form=form, position=i, role=role)
        for i, role in enumerate(roles, start=1)
    )
