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
    Status,
)
from servplan.audit.domain import record, record_changes
from servplan.core.errors import DomainError
from servplan.core.narrative import normalize


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def improvement_label(improvement: Improvement) -> str:
    """「建議改善事項「加強同仁訓練…」」: how follow-up messages name a row."""
    text = improvement.recommendation
    return f"建議改善事項「{text[:20]}{'…' if len(text) > 20 else ''}」"


def finding_values(finding: Finding) -> dict:
    """What a conflict shows: the row's newer values and the version to edit them from."""
    improvement = finding.improvement
    return {
        "strengths": finding.strengths,
        "weaknesses": finding.weaknesses,
        "recommendation": improvement.recommendation if improvement else "",
        "improvement_status": improvement.status if improvement else "",
        "remarks": finding.remarks,
        "version": finding.version,
    }


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
    `expected_version` is the row's version the editor started from; a change of the row's
    improvement (wording, status) moves the row's version too, so no edit of it is lost.
    Side effects: saves the Finding (version bumped), creates/updates Improvement and FollowUp
    rows, audit entries for every changed field. Refuses stale versions (Conflict with the
    newer values), non-draft work, and a status or progress for a row left without a
    recommendation (it would be dropped).
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
        raise Conflict(
            f"{where}：此列已被他人修改（目前為第 {current.version} 版），請重新載入後再修改",
            where=where,
            current=finding_values(current),
        )
    before = {f: getattr(current, f) for f in ("strengths", "weaknesses", "remarks", "improvement")}
    for field, value in (
        ("strengths", strengths),
        ("weaknesses", weaknesses),
        ("remarks", remarks),
    ):
        if value is not None:
            setattr(current, field, normalize(value))
    improvement = current.improvement
    improvement_changed = False
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
            improvement_changed = True
    if improvement is None:
        _refuse_without_improvement(before["improvement"], improvement_status, progress, where)
    if improvement is not None and improvement_status is not None:
        improvement_changed |= _set_improvement_status(
            improvement, improvement_status, user, assessment.pk, where=where
        )
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
    changes = record_changes(
        user=user, obj=current, before=before, fields=before, assessment_id=assessment.pk
    )
    if changes or improvement_changed:
        current.version += 1
        current.save()
    return current


def _refuse_without_improvement(
    let_go: Improvement | None, status: str | None, progress: str | None, where: str
) -> None:
    """A status or progress for a row left without an improvement would be dropped: refused,
    so no save answers 已儲存 for it. The status of the improvement this save lets go of may
    come along unchanged (the row's form posts what it showed)."""
    if status not in (None, "") and not (let_go is not None and status == let_go.status):
        raise DomainError(f"{where}：沒有建議改善事項的列不能設定改善狀態", where=where)
    if progress is not None and normalize(progress):
        raise DomainError(f"{where}：沒有建議改善事項的列不能填寫改善辦理情形", where=where)


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
    improvement: Improvement, status: str, user, assessment_id: int, *, where: str
) -> bool:
    """Set the status; True when it changed."""
    try:
        status = ImprovementStatus(status)
    except ValueError:
        raise DomainError(f"{where}：改善狀態「{status}」不存在", where=where) from None
    if status == improvement.status:
        return False
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
    return True


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


def _whole(value: object, *, where: str, what: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise DomainError(f"{where}：{what}「{value}」不是整數", where=where) from None


def _ensure_draft(assessment: Assessment, improvement: Improvement, where: str) -> None:
    """Refuse a follow-up through a record past the draft, naming the table to use instead."""
    if assessment.status == Status.DRAFT:
        return
    later = (
        Assessment.objects.filter(findings__improvement=improvement, status=Status.DRAFT)
        .order_by("-roc_year", "-end_month")
        .first()
    )
    go = (
        f"請在 {later.period}自行考核的追蹤表填寫"
        if later
        else "請先建立下一期自行考核，再於其追蹤表填寫"
    )
    raise Conflict(
        f"{where}：{assessment.period}自行考核為「{assessment.get_status_display()}」，"
        f"內容維持送出時的樣子；之後的追蹤情形{go}",
        where=where,
    )


@transaction.atomic
def add_follow_up(
    *,
    improvement: Improvement,
    user,
    roc_year: int | str,
    quarter: int | str,
    progress: str,
    recommendation: str = "",
    status: str | None = None,
    assessment: Assessment | None = None,
    expected_version: int | str | None = None,
) -> FollowUp:
    """Record a quarter's 改善辦理情形 (逐季追蹤), optionally rewording or closing the improvement.

    `assessment` is the period whose follow-up table the entry was made on (it must carry the
    improvement; default: the one that opened it): its history shows the entry. It must be a
    draft: a submitted record shows what it showed when submitted, so later entries go on the
    next period's table (Conflict naming it).
    `expected_version` is the improvement's version the person started from: a rewording or
    status change in between refuses the entry (Conflict with the newer values).
    Side effects: a FollowUp row, the improvement's wording/status (version bumped), audit entries.
    """
    where = improvement_label(improvement)
    if not can_create(user, improvement.office):
        raise NotAllowed(f"{where}：只有本區營業處的經辦可以填寫追蹤情形", where=where)
    if assessment is None:
        assessment = improvement.opened_in
    elif not (
        assessment.pk == improvement.opened_in_id
        or assessment.findings.filter(improvement=improvement).exists()
    ):
        raise DomainError(f"{where}：不在 {assessment.period}的追蹤表上", where=where)
    _ensure_draft(Assessment.objects.select_for_update().get(pk=assessment.pk), improvement, where)
    current = Improvement.objects.select_for_update().get(pk=improvement.pk)
    if expected_version not in (None, "") and int(expected_version) != current.version:
        raise Conflict(
            f"{where}：此改善事項已被他人修改（目前為第 {current.version} 版），請重新載入後再填寫",
            where=where,
            current={
                "recommendation": current.recommendation,
                "status": current.status,
                "version": current.version,
            },
        )
    year = _whole(roc_year, where=where, what="年度")
    quarter = _whole(quarter, where=where, what="季別")
    if not 1 <= year <= 999:
        raise DomainError(f"{where}：年度 {year} 不正確（請填民國年）", where=where)
    if not 1 <= quarter <= 4:
        raise DomainError(f"{where}：季別 {quarter} 不正確（應為 1 至 4）", where=where)
    progress = normalize(progress)
    if not progress:
        raise DomainError(f"{where}：請填寫改善辦理情形", where=where)
    recommendation = normalize(recommendation)
    reworded = bool(recommendation) and recommendation != current.recommendation
    follow_up = _follow_up(
        current,
        user,
        roc_year=year,
        quarter=quarter,
        progress=progress,
        recommendation=recommendation if reworded else "",
        assessment_id=assessment.pk,
    )
    if reworded:
        _reword(current, recommendation, user, assessment)
    if status not in (None, ""):
        _set_improvement_status(current, status, user, assessment.pk, where=where)
    for field in ("recommendation", "status", "version"):
        setattr(improvement, field, getattr(current, field))
    return follow_up
