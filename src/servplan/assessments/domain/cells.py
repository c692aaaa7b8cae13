"""Scoring a cell: 自評 score and narrative, versioned so that no edit is silently lost."""

from __future__ import annotations

from django.db import transaction

from servplan.assessments.access import can_edit
from servplan.assessments.domain.errors import Conflict, NotAllowed
from servplan.assessments.models import Assessment, CellScore, Status
from servplan.audit.domain import record_changes
from servplan.core.errors import DomainError
from servplan.core.narrative import normalize
from servplan.core.parsing import parse_whole
from servplan.core.scores import ScoreError, parse_score, to_json_number
from servplan.programs.models import RubricCell

# "Leave this field as it is" for partial updates (None means "clear the score").
KEEP = object()


def cell_label(cell: RubricCell) -> str:
    """「創新性／提供在地化及客製化關懷服務」: how messages name a cell."""
    return f"{cell.dimension.name}／{cell.item.name}"


def cell_values(cell_score: CellScore) -> dict:
    """What a conflict shows: the newer values and the version to edit them from."""
    return {
        "score": to_json_number(cell_score.score),
        "narrative": cell_score.narrative,
        "version": cell_score.version,
    }


def ensure_editable(assessment: Assessment, where: str) -> None:
    """Refuse (409) any office edit once the assessment has left the draft stage."""
    if assessment.status == Status.IN_SIGNOFF:
        raise Conflict(f"{where}：自行考核核章中，退回後才能修改", where=where)
    if assessment.is_locked:
        raise Conflict(f"{where}：自行考核已送出，不可修改", where=where)


@transaction.atomic
def score_cell(
    *,
    cell_score: CellScore,
    score: object = KEEP,
    narrative: str | None = None,
    expected_version: int | None = None,
    user=None,
) -> CellScore:
    """Set a cell's 自評 score (whole or half points, 0..max) and, when given, its narrative.

    `expected_version` is the version the editor started from: a different current version
    means someone else saved in between and the edit is refused (Conflict, with the newer
    values). `user` None is the system (loading a data file): no permission check.
    Side effects: locks the assessment row, saves the CellScore with its version bumped and
    records each changed field in the audit trail. Refuses assessments not in draft.
    """
    where = cell_label(cell_score.cell)
    expected = parse_whole(expected_version, label="version 欄位", where="version")
    assessment = Assessment.objects.select_for_update().get(pk=cell_score.assessment_id)
    if user is not None and not can_edit(user, assessment):
        raise NotAllowed(f"{where}：只有{assessment.office.name}的經辦可以修改", where=where)
    ensure_editable(assessment, where)
    current = CellScore.objects.select_for_update().get(pk=cell_score.pk)
    if expected is not None and expected != current.version:
        raise Conflict(
            f"{where}：此格已被他人修改（目前為第 {current.version} 版，分數 "
            f"{to_json_number(current.score) if current.score is not None else '未填'}），"
            "請重新載入後再修改",
            where=where,
            current=cell_values(current),
        )
    before = {"score": current.score, "narrative": current.narrative}
    if score is not KEEP:
        try:
            current.score = parse_score(score, maximum=current.max_score, where=where)
        except ScoreError as exc:
            raise DomainError(str(exc), where=where) from exc
    if narrative is not None:
        current.narrative = normalize(narrative)
    changes = record_changes(
        user=user,
        obj=current,
        before=before,
        fields=["score", "narrative"],
        assessment_id=assessment.id,
    )
    if changes:
        current.version += 1
        current.save(update_fields=["score", "narrative", "version"])
    for field in ("score", "narrative", "version"):
        setattr(cell_score, field, getattr(current, field))
    return cell_score
