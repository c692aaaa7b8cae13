"""HQ's review (複評): review scores and comments per cell, marking reviewed, releasing a period."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from servplan.assessments.access import can_review, visible_assessments
from servplan.assessments.domain import Conflict, NotAllowed, cell_label
from servplan.assessments.models import Assessment, CellScore, Status
from servplan.audit.domain import record, record_changes
from servplan.core.errors import DomainError
from servplan.core.narrative import normalize
from servplan.core.parsing import parse_whole
from servplan.core.roc import Period
from servplan.core.scores import ScoreError, parse_score, to_json_number
from servplan.offices.models import Office
from servplan.periods.rules import check_reviewable, refuse_if_closed
from servplan.review.models import ReviewRelease

# The cell fields HQ writes; they (and their audit entries) stay hidden until release.
REVIEW_FIELDS = ("review_score", "review_comment")


def _reviewable(user, assessment_id: int, where: str) -> Assessment:
    if not can_review(user):
        raise NotAllowed(f"{where}：只有總處業務處可以複評", where=where)
    assessment = visible_assessments(user).select_for_update().get(pk=assessment_id)
    if assessment.status != Status.SUBMITTED:
        raise Conflict(
            f"{where}：自行考核目前為「{assessment.get_status_display()}」，不能複評", where=where
        )
    check_reviewable(assessment, where=where)
    return assessment


@transaction.atomic
def review_cell(
    *,
    cell_score: CellScore,
    user,
    score: object,
    comment: str | None = None,
    expected_version: int | None = None,
) -> CellScore:
    """Enter HQ's 複評 score (whole/half points, 0..max) and comment for one cell.

    Only while the assessment is submitted (not yet marked reviewed) and, in a period HQ
    opened, accepted (periods.rules.check_reviewable). Side effects: saves the
    cell's review fields with its review version bumped (the office's `version` stays, so
    nothing shows the office a review before the release), audit entries for changed fields.
    """
    where = cell_label(cell_score.cell)
    expected = parse_whole(expected_version, label="version 欄位", where="version")
    assessment = _reviewable(user, cell_score.assessment_id, where)
    current = CellScore.objects.select_for_update().get(pk=cell_score.pk)
    if expected is not None and expected != current.review_version:
        raise Conflict(
            f"{where}：此格已被他人修改，請重新載入後再修改",
            where=where,
            current={
                "review_score": to_json_number(current.review_score),
                "review_comment": current.review_comment,
                "version": current.review_version,
            },
        )
    before = {f: getattr(current, f) for f in REVIEW_FIELDS}
    try:
        current.review_score = parse_score(score, maximum=current.max_score, where=where)
    except ScoreError as exc:
        raise DomainError(str(exc), where=where) from exc
    if comment is not None:
        current.review_comment = normalize(comment)
    if record_changes(
        user=user, obj=current, before=before, fields=before, assessment_id=assessment.pk
    ):
        current.review_version += 1
        current.save(update_fields=[*REVIEW_FIELDS, "review_version"])
    for field in (*REVIEW_FIELDS, "review_version"):
        setattr(cell_score, field, getattr(current, field))
    return cell_score


@transaction.atomic
def mark_reviewed(*, assessment: Assessment, user) -> Assessment:
    """HQ has reviewed every cell: status submitted → reviewed.

    Refused while a cell has no review score. Side effects: the status, an audit entry.
    """
    locked = _reviewable(user, assessment.pk, "複評")
    missing = [
        cell_label(c.cell)
        for c in locked.cells.select_related("cell__dimension", "cell__item")
        if c.review_score is None
    ]
    if missing:
        # Every missing cell at once: HQ fills them all in one pass, not one refusal each.
        raise DomainError(
            f"尚有 {len(missing)} 格未填複評分數：{'、'.join(missing)}", where=missing[0]
        )
    record(
        user=user,
        obj=locked,
        field="status",
        old=locked.status,
        new=Status.REVIEWED,
        assessment_id=locked.pk,
    )
    locked.status = assessment.status = Status.REVIEWED
    locked.save(update_fields=["status", "updated_at"])
    return assessment


@dataclass(frozen=True)
class ReleaseSummary:
    """Where a period's review stands: what releasing it would show, and to how many."""

    period: Period
    offices: int  # every district office
    reviewed: int  # offices whose assessment HQ marked reviewed
    pending: int  # offices whose assessment waits for HQ's review
    release: ReviewRelease | None

    def __str__(self) -> str:
        text = f"{self.offices} 個區營業處中 {self.reviewed} 個已完成複評"
        return text + (f"，{self.pending} 個尚待複評" if self.pending else "")


def release_summary(period: Period) -> ReleaseSummary:
    """The counts HQ reads before releasing or withdrawing `period` (「25 個區營業處中 12 個已完成複評」)."""
    in_period = Assessment.objects.filter(
        roc_year=period.roc_year, start_month=period.start_month, end_month=period.end_month
    )

    def offices_with(status: str) -> int:
        return in_period.filter(status=status).values("office").distinct().count()

    return ReleaseSummary(
        period=period,
        offices=Office.objects.count(),
        reviewed=offices_with(Status.REVIEWED),
        pending=offices_with(Status.SUBMITTED),
        release=ReviewRelease.objects.filter(
            roc_year=period.roc_year, start_month=period.start_month, end_month=period.end_month
        ).first(),
    )


@transaction.atomic
def release_reviews(*, period: Period, user) -> ReviewRelease:
    """Let the offices see the review scores of `period`.

    Refused before HQ has finished reviewing any office's assessment of the period, and once
    released. Side effects: a ReviewRelease row (once per period), an audit entry on it.
    """
    if not can_review(user):
        raise NotAllowed("只有總處業務處可以公布複評", where="release")
    if not release_summary(period).reviewed:
        raise DomainError(f"{period}：尚無完成複評的區營業處，不能公布", where="period")
    release, created = ReviewRelease.objects.get_or_create(
        roc_year=period.roc_year,
        start_month=period.start_month,
        end_month=period.end_month,
        defaults={"released_by": user},
    )
    if not created:
        raise DomainError(f"{period} 的複評已公布", where="period")
    record(user=user, obj=release, field="released", new=str(period))
    return release


@transaction.atomic
def withdraw_release(*, period: Period, user, reason: str) -> None:
    """Take back the release of `period`: the offices no longer see its review scores.

    HQ may release it again later; not once the period is closed (409). Side effects: deletes the ReviewRelease row, an audit entry
    (on the release, field "withdrawn") with the reason.
    """
    if not can_review(user):
        raise NotAllowed("只有總處業務處可以撤回公布", where="release")
    refuse_if_closed(period, where="period")
    reason = normalize(reason)
    if not reason:
        raise DomainError("撤回公布須填寫原因", where="reason")
    release = (
        ReviewRelease.objects.select_for_update()
        .filter(
            roc_year=period.roc_year, start_month=period.start_month, end_month=period.end_month
        )
        .first()
    )
    if release is None:
        raise Conflict(f"{period} 的複評尚未公布，不需撤回", where="period")
    record(user=user, obj=release, field="withdrawn", old=str(period), new=reason)
    release.delete()


def reviews_visible(user, assessment: Assessment, released: bool | None = None) -> bool:
    """HQ always; the office once HQ released the period (pass `released` if already known)."""
    if can_review(user):
        return True
    if released is None:
        released = ReviewRelease.objects.filter(
            roc_year=assessment.roc_year,
            start_month=assessment.start_month,
            end_month=assessment.end_month,
        ).exists()
    return released
