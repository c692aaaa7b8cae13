"""The results summary's rows and the improvements they track, followed up quarter by quarter."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from servplan.assessments.access import can_create, can_edit
from servplan.assessments.domain.cells import cell_label, ensure_editable
from servplan.assessments.domain.errors import Conflict, NotAllowed
from servplan.assessments.models import (
    Assessment,
    Finding,
    FollowUp,
    Improvement,
    ImprovementStatus,
)
from servplan.audit.domain import record, record_changes
from servplan.core.errors import DomainError
from servplan.core.narrative import normalize


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


@transaction.atomic
def update_finding(
    *,
    finding: Finding,
    user,
    strengths: str | None = None,
    weaknesses: str | None = None,
    remarks: str | None = None,
    recommendation: str | None = None,
    progress: str | None = None,
    improvement_status: str | None = None,
    expected_version: int | None = None,
) -> Finding:
    """Edit one row of the results summary; None leaves a field as it is.

    A recommendation opens a tracked Improvement (or rewords the one the row carries; "" lets
    go of it); `progress` adds the quarter's follow-up entry unless it repeats the latest.
    Side effects: saves the Finding (version bumped), creates/updates Improvement and FollowUp
    rows, audit entries for every changed field. Refuses stale versions and non-draft work.
    """
    where = cell_label(finding.cell)
    assessment = Assessment.objects.select_for_update().get(pk=finding.assessment_id)
    if not can_edit(user, assessment):
        raise NotAllowed(f"{where}：只有{assessment.office.name}的經辦可以修改", where=where)
    ensure_editable(assessment, where)
    current = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("improvement")
        .get(pk=finding.pk)
    )
    if expected_version is not None and int(expected_version) != current.version:
        raise Conflict(f"{where}：此列已被他人修改，請重新載入後再修改", where=where)
    before = {f: getattr(current, f) for f in ("strengths", "weaknesses", "remarks", "improvement")}
    for field, value in (
        ("strengths", strengths),
        ("weaknesses", weaknesses),
        ("remarks", remarks),
    ):
        if value is not None:
            setattr(current, field, normalize(value))
    improvement = current.improvement
    if recommendation is not None:
        text = normalize(recommendation)
        if not text:
            current.improvement = improvement = None
        elif improvement is None:
            improvement = Improvement.objects.create(
                office=assessment.office, opened_in=assessment, recommendation=text
            )
            record(
                user=user,
                obj=improvement,
                field="recommendation",
                new=text,
                assessment_id=assessment.pk,
            )
            current.improvement = improvement
        elif text != improvement.recommendation:
            _reword(improvement, text, user, assessment)
    if improvement is not None and improvement_status is not None:
        _set_improvement_status(improvement, improvement_status, user, assessment.pk)
    if improvement is not None and progress is not None and normalize(progress):
        latest = improvement.follow_ups.last()
        if latest is None or latest.progress != normalize(progress):
            _follow_up(
                improvement,
                user,
                roc_year=assessment.roc_year,
                quarter=quarter_of(assessment.end_month),
                progress=normalize(progress),
                assessment_id=assessment.pk,
            )
    if record_changes(
        user=user, obj=current, before=before, fields=before, assessment_id=assessment.pk
    ):
        current.version += 1
        current.save()
    return current


def _reword(improvement: Improvement, text: str, user, assessment: Assessment) -> None:
    record(
        user=user,
        obj=improvement,
        field="recommendation",
        old=improvement.recommendation,
        new=text,
        assessment_id=assessment.pk,
    )
    improvement.recommendation = text
    improvement.version += 1
    improvement.save(update_fields=["recommendation", "version"])


def _set_improvement_status(
    improvement: Improvement, status: str, user, assessment_id: int
) -> None:
    try:
        status = ImprovementStatus(status)
    except ValueError:
        raise DomainError(f"改善狀態「{status}」不存在", where="improvement_status") from None
    if status != improvement.status:
        record(
            user=user,
            obj=improvement,
            field="status",
            old=improvement.status,
            new=status,
            assessment_id=assessment_id,
        )
        improvement.status = status
        improvement.version += 1
        improvement.save(update_fields=["status", "version"])


def _follow_up(
    improvement: Improvement,
    user,
    *,
    roc_year: int,
    quarter: int,
    progress: str,
    assessment_id: int,
    recommendation: str = "",
    recorded_on: dt.date | None = None,
) -> FollowUp:
    follow_up = FollowUp.objects.create(
        improvement=improvement,
        roc_year=roc_year,
        quarter=quarter,
        recorded_on=recorded_on or timezone.localdate(),
        progress=progress,
        recommendation=recommendation,
        author=user if user is not None and user.is_authenticated else None,
    )
    record(
        user=user,
        obj=follow_up,
        field="progress",
        new=f"{roc_year} 年第 {quarter} 季：{progress}",
        assessment_id=assessment_id,
    )
    return follow_up


@transaction.atomic
def add_follow_up(
    *,
    improvement: Improvement,
    user,
    roc_year: int,
    quarter: int,
    progress: str,
    recommendation: str = "",
    status: str | None = None,
) -> FollowUp:
    """Record a quarter's 改善辦理情形 (逐季追蹤), optionally rewording or closing the improvement.

    Improvements are followed up after the assessment is submitted, so this works in any status.
    Side effects: a FollowUp row, the improvement's wording/status, audit entries.
    """
    if not can_create(user, improvement.office):
        raise NotAllowed("只有本區營業處的經辦可以填寫追蹤情形", where="follow_up")
    if not 1 <= int(quarter) <= 4:
        raise DomainError(f"季別 {quarter} 不正確（應為 1 至 4）", where="quarter")
    progress = normalize(progress)
    if not progress:
        raise DomainError("請填寫改善辦理情形", where="progress")
    recommendation = normalize(recommendation)
    assessment = improvement.opened_in
    follow_up = _follow_up(
        improvement,
        user,
        roc_year=int(roc_year),
        quarter=int(quarter),
        progress=progress,
        recommendation=recommendation if recommendation != improvement.recommendation else "",
        assessment_id=assessment.pk,
    )
    if recommendation and recommendation != improvement.recommendation:
        _reword(improvement, recommendation, user, assessment)
    if status is not None:
        _set_improvement_status(improvement, status, user, assessment.pk)
    return follow_up
