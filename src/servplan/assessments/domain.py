"""Changes to self-assessments. Views, the API and the CLI all come through here."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from servplan.assessments.models import (
    Assessment,
    CellScore,
    Finding,
    FollowUp,
    Improvement,
    ImprovementStatus,
)
from servplan.core.errors import DomainError
from servplan.core.narrative import normalize
from servplan.core.roc import Period
from servplan.core.scores import ScoreError, parse_score
from servplan.offices.domain import find_office
from servplan.offices.models import ChainStep, Form, Office, Role
from servplan.programs.models import Rubric, RubricCell

# What the paper forms write in an empty box.
NOTHING = "無"


def cell_label(cell: RubricCell) -> str:
    """「創新性／提供在地化及客製化關懷服務」: how messages name a cell."""
    return f"{cell.dimension.name}／{cell.item.name}"


def _blank_if_nothing(text: str | None) -> str:
    text = normalize(text or "")
    return "" if text == NOTHING else text


@transaction.atomic
def create_assessment(
    *, office: Office, rubric: Rubric, period: Period, assessed_on: dt.date | None = None
) -> Assessment:
    """Open an office's self-assessment for a period on a rubric.

    Side effects: creates the Assessment, one CellScore and one Finding per rubric cell; from
    then on the rubric is frozen (a change makes a new version).
    """
    if Assessment.objects.filter(
        office=office,
        roc_year=period.roc_year,
        start_month=period.start_month,
        end_month=period.end_month,
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
    cells = list(RubricCell.objects.filter(dimension__rubric=rubric))
    CellScore.objects.bulk_create(
        CellScore(assessment=assessment, cell=cell, max_score=cell.max_score) for cell in cells
    )
    Finding.objects.bulk_create(Finding(assessment=assessment, cell=cell) for cell in cells)
    return assessment


@transaction.atomic
def score_cell(*, cell_score: CellScore, score: object, narrative: str | None = None) -> CellScore:
    """Set a cell's 自評 score (whole or half points, 0..max) and, when given, its narrative.

    Side effects: saves the CellScore and bumps its version. Refuses locked assessments.
    """
    where = cell_label(cell_score.cell)
    if cell_score.assessment.is_locked:
        raise DomainError(f"{where}：自行考核已送出，不可修改", where=where)
    try:
        cell_score.score = parse_score(score, maximum=cell_score.max_score, where=where)
    except ScoreError as exc:
        raise DomainError(str(exc), where=where) from exc
    if narrative is not None:
        cell_score.narrative = normalize(narrative)
    cell_score.version += 1
    cell_score.save(update_fields=["score", "narrative", "version"])
    return cell_score


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
    read one improvement and its history keeps both texts.
    Side effects: creates the assessment, its scores, findings, improvements, follow-ups and the
    office's signature-block chains given in the file. Returns the existing one, untouched, if
    the office already has an assessment for the period.
    """
    office = find_office(data["office"])
    period = Period(**data["period"])
    existing = Assessment.objects.filter(
        office=office,
        roc_year=period.roc_year,
        start_month=period.start_month,
        end_month=period.end_month,
    ).first()
    if existing:
        return existing, False
    ref = data["rubric"]
    rubric = Rubric.objects.filter(roc_year=ref["roc_year"], version=ref.get("version", 1)).first()
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
        if reworded or (progress and (latest is None or latest.progress != progress)):
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
