"""HQ runs a period: opens it, moves deadlines, accepts or returns submissions, closes it;
and keeps what the comparison and the reviewer aids read: the rubric cell mappings and the
list of typos.

Pages and the API call these; the rules they share with HQ's review and the board are in
periods.rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from servplan.assessments.access import can_review, visible_assessments
from servplan.assessments.domain import (
    Conflict,
    NotAllowed,
    create_assessment,
    current_round,
    reopen_assessment,
)
from servplan.assessments.models import Assessment, Status
from servplan.audit.domain import record
from servplan.core.errors import DomainError
from servplan.core.narrative import normalize
from servplan.core.roc import (
    Period,
    RocError,
    check_roc_year,
    format_date,
    from_roc_year,
    parse_date,
    to_roc_year,
)
from servplan.offices.models import Office
from servplan.periods.models import (
    Acceptance,
    AssessmentPeriod,
    CellMapping,
    DeadlineOverride,
    PeriodStatus,
    TypoCorrection,
)
from servplan.periods.rules import acceptance_of, active_offices, refuse_if_closed
from servplan.programs.models import Rubric, RubricCell
from servplan.review.models import ReviewRelease

_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_deadline(value: dt.date | str | None, *, period: Period) -> dt.date:
    """A date, ISO text (the API) or ROC text (「115 年 7 月 15 日」, the pages), not before the
    period's first day; DomainError naming `deadline` otherwise."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        text = normalize(str(value or "")).strip()
        if not text:
            raise DomainError("請填寫繳交期限", where="deadline")
        try:
            value = dt.date.fromisoformat(text) if _ISO_RE.fullmatch(text) else parse_date(text)
        except (RocError, ValueError):
            shown = text if len(text) <= 20 else text[:20] + "…"
            raise DomainError(
                f"繳交期限「{shown}」無法解讀：應為「115 年 7 月 15 日」格式", where="deadline"
            ) from None
    try:
        check_roc_year(to_roc_year(value.year))
    except RocError as exc:
        raise DomainError(f"繳交期限：{exc}", where="deadline") from None
    first = dt.date(from_roc_year(period.roc_year), period.start_month, 1)
    if value < first:
        raise DomainError(f"繳交期限 {format_date(value)} 早於 {period} 的第一天", where="deadline")
    return value


def _hq(user, where: str, what: str) -> None:
    if not can_review(user):
        raise NotAllowed(f"只有總處業務處可以{what}", where=where)


def _overlapping(period: Period) -> AssessmentPeriod | None:
    return (
        AssessmentPeriod.objects.filter(
            roc_year=period.roc_year,
            start_month__lte=period.end_month,
            end_month__gte=period.start_month,
        )
        .exclude(**period.as_dict())
        .first()
    )


@transaction.atomic
def open_period(
    *, period: Period, rubric: Rubric, deadline: dt.date | str, user
) -> tuple[AssessmentPeriod, list[Assessment]]:
    """HQ opens `period` on `rubric` with a submission deadline, for every active office.

    Refused: to anyone but HQ (NotAllowed); an office's own rubric, a deadline before the
    period starts, months overlapping another opened period (400); a period already opened
    (409). Side effects: the AssessmentPeriod row (open) and an audit entry on it; for every
    active office without an assessment of the period, a draft through
    assessments.domain.create_assessment (so its open improvements carry over, as when a
    clerk opens one) and an audit entry on it naming the period. Offices that already have
    one keep it as it is. Returns the period and the drafts created.
    """
    _hq(user, "period", "開放考核期間")
    if rubric.office_id is not None:
        raise DomainError(
            f"「{rubric}」是{rubric.office}的評分表，請選擇全公司通用的評分表", where="rubric"
        )
    deadline = parse_deadline(deadline, period=period)
    if AssessmentPeriod.objects.filter(**period.as_dict()).exists():
        raise Conflict(f"{period} 已開放", where="period")
    other = _overlapping(period)
    if other is not None:
        raise DomainError(f"{period} 與已開放的 {other.period} 月份重疊", where="period")
    try:
        with transaction.atomic():
            row = AssessmentPeriod.objects.create(
                **period.as_dict(), rubric=rubric, deadline=deadline, opened_by=user
            )
    except IntegrityError:  # opened at the same moment by someone else
        raise Conflict(f"{period} 已開放", where="period") from None
    record(
        user=user,
        obj=row,
        field="opened",
        new=f"{period}，{rubric}，繳交期限 {format_date(deadline)}",
    )
    existing = set(
        Assessment.objects.filter(**period.as_dict()).values_list("office_id", flat=True)
    )
    created = []
    for office in active_offices():
        if office.id in existing:
            continue
        # No user: the clerk's access check does not apply to HQ opening the period; the
        # entry below says who did.
        assessment = create_assessment(office=office, rubric=rubric, period=period)
        record(
            user=user,
            obj=assessment,
            field="period_opened",
            new=f"{period}，繳交期限 {format_date(deadline)}",
            assessment_id=assessment.pk,
        )
        created.append(assessment)
    return row, created


def _locked_open(period: AssessmentPeriod, where: str) -> AssessmentPeriod:
    locked = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    if locked.is_closed:
        raise Conflict(f"{locked.period} 已關閉，不能再變更", where=where)
    return locked


@transaction.atomic
def move_deadline(
    *,
    period: AssessmentPeriod,
    deadline: dt.date | str,
    reason: str,
    user,
    office: Office | None = None,
) -> dt.date:
    """Move the period's deadline for every office, or (with `office`) for one office only.

    An office's own deadline stands until changed: moving everyone's leaves it as it is, and
    setting an office's back to the period's deadline removes it. Refused: anyone but HQ, a
    closed period (409), no reason, a bad date or the deadline it already has (400).
    Side effects: the period's deadline or the office's DeadlineOverride row; an audit entry
    with the old and new date and the reason (on the office's assessment too, so its history
    shows why). Returns the new deadline.
    """
    _hq(user, "deadline", "調整繳交期限")
    locked = _locked_open(period, "deadline")
    new = parse_deadline(deadline, period=locked.period)
    reason = normalize(reason or "").strip()
    if not reason:
        raise DomainError("調整繳交期限須填寫原因", where="reason")
    override = (
        DeadlineOverride.objects.filter(period=locked, office=office).first() if office else None
    )
    old = override.deadline if override else locked.deadline
    if new == old:
        raise DomainError(f"繳交期限已是 {format_date(new)}", where="deadline")
    change = {"old": format_date(old), "new": f"{format_date(new)}（原因：{reason}）"}
    if office is None:
        locked.deadline = period.deadline = new
        locked.save(update_fields=["deadline"])
        record(user=user, obj=locked, field="deadline", **change)
        return new
    assessment = Assessment.objects.filter(office=office, **locked.period.as_dict()).first()
    if new == locked.deadline:
        record(user=user, obj=override, field="deadline", **change)
        override.delete()
    else:
        override, _ = DeadlineOverride.objects.update_or_create(
            period=locked,
            office=office,
            defaults={"deadline": new, "reason": reason, "set_by": user},
        )
        record(user=user, obj=override, field="deadline", **change)
    if assessment is not None:
        record(user=user, obj=assessment, field="deadline", **change, assessment_id=assessment.pk)
    return new


def _submitted(assessment: Assessment, user, where: str, what: str) -> Assessment:
    _hq(user, where, what)
    if not visible_assessments(user).filter(pk=assessment.pk).exists():
        raise NotAllowed(f"只有總處業務處可以{what}", where=where)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    refuse_if_closed(locked.period, where=where)
    if locked.status != Status.SUBMITTED:
        raise Conflict(
            f"自行考核目前為「{locked.get_status_display()}」，不能{what}", where="status"
        )
    return locked


@transaction.atomic
def accept_submission(*, assessment: Assessment, user) -> Acceptance:
    """HQ takes a submitted assessment in (受理): in a period HQ opened, review starts only
    after this, and the record stays locked while HQ reviews (only HQ can return it).

    Refused: anyone but HQ, a record not submitted or already accepted, a closed period (409).
    Side effects: an Acceptance row on the submission's round; an audit entry on the
    assessment.
    """
    locked = _submitted(assessment, user, "accept", "受理")
    signoffs = list(locked.signoffs.select_related("acceptance"))
    if acceptance_of(locked, signoffs) is not None:
        raise Conflict("此自行考核已受理", where="accept")
    submission = current_round(locked, signoffs)
    if not submission:
        raise Conflict("此自行考核沒有送出紀錄，不能受理", where="accept")
    acceptance = Acceptance.objects.create(signoff=submission[0], accepted_by=user)
    record(user=user, obj=locked, field="accepted", new="受理", assessment_id=locked.pk)
    return acceptance


@transaction.atomic
def return_submission(*, assessment: Assessment, user, reason: str) -> Assessment:
    """HQ sends a submission back to the office (退回) with a reason, accepted or not.

    The reopen of assessments.domain.workflow does the work: a new round, whose submission
    HQ accepts afresh. A reviewed record is reopened there instead. Side effects: those of
    reopen_assessment (status → draft, reason, audit entries, a mail to the clerk).
    """
    locked = _submitted(assessment, user, "return", "退回")
    reopen_assessment(assessment=locked, user=user, reason=reason)
    assessment.status = locked.status
    return assessment


@transaction.atomic
def close_period(*, period: AssessmentPeriod, user) -> AssessmentPeriod:
    """HQ closes a released period: it is frozen (no review, acceptance, return, reopen,
    withdrawal or deadline change any more).

    Refused: anyone but HQ, a period closed already or whose review is not released (409).
    Side effects: status → closed with who and when; an audit entry.
    """
    _hq(user, "close", "關閉考核期間")
    locked = _locked_open(period, "close")
    if not ReviewRelease.objects.filter(**locked.period.as_dict()).exists():
        raise Conflict(f"{locked.period} 的複評尚未公布，不能關閉", where="close")
    locked.status, locked.closed_by, locked.closed_at = PeriodStatus.CLOSED, user, timezone.now()
    locked.save(update_fields=["status", "closed_by", "closed_at"])
    for field in ("status", "closed_by", "closed_at"):
        setattr(period, field, getattr(locked, field))
    record(user=user, obj=locked, field="status", old=PeriodStatus.OPEN, new=PeriodStatus.CLOSED)
    return period


def _label(cell: RubricCell | None) -> str:
    return "無對應" if cell is None else f"{cell.dimension.name}／{cell.item.name}"


@transaction.atomic
def set_cell_mappings(
    *,
    source: Rubric,
    target: Rubric,
    choices: dict[int, int | None],
    clear: Iterable[int] = (),
    user,
) -> int:
    """HQ says which cell of `target` each cell of `source` compares with (評分項目對應).

    `choices`: source cell id → target cell id, or None for 「無對應」 (HQ decided there is
    none); `clear`: source cells whose mapping is forgotten (not yet decided). Cells named in
    neither stay as they are. Refused: anyone but HQ (NotAllowed), a rubric mapped onto
    itself, a cell not of `source` or a target cell not of `target` (400 naming the field
    `cell-<id>`). Side effects: CellMapping rows created, changed or deleted, an audit entry
    on each change. Returns the number of changes.
    """
    _hq(user, "target", "設定評分項目對應")
    if source.pk == target.pk:
        raise DomainError("評分表不需對應到自己", where="target")
    cells = RubricCell.objects.select_related("dimension", "item")
    mine = {c.id: c for c in cells.filter(dimension__rubric=source)}
    theirs = {c.id: c for c in cells.filter(dimension__rubric=target)}
    for cell_id, to in choices.items():
        if cell_id not in mine:
            raise DomainError(f"評分項目 {cell_id} 不屬於「{source}」", where=f"cell-{cell_id}")
        if to is not None and to not in theirs:
            raise DomainError(
                f"{_label(mine[cell_id])}：對應項目不屬於「{target}」", where=f"cell-{cell_id}"
            )
    existing = {
        m.source_id: m
        for m in CellMapping.objects.select_for_update().filter(
            target_rubric=target, source_id__in=list(mine)
        )
    }
    changed = 0
    for cell_id, to in choices.items():
        row = existing.get(cell_id)
        if row is not None and row.target_id == to:
            continue
        old = _label(theirs.get(row.target_id)) if row is not None else "未設定"
        if row is None:
            row = CellMapping(source=mine[cell_id], target_rubric=target)
        row.target, row.set_by = (theirs[to] if to is not None else None), user
        row.save()
        record(user=user, obj=row, field="target", old=old, new=_label(row.target))
        changed += 1
    for cell_id in clear:
        row = existing.get(cell_id)
        if row is None or cell_id in choices:
            continue
        record(
            user=user, obj=row, field="target", old=_label(theirs.get(row.target_id)), new="未設定"
        )
        row.delete()
        changed += 1
    return changed


TYPO_LIMITS = {"wrong": ("誤用字詞", 20), "right": ("建議用字", 20), "note": ("說明", 100)}


def _typo_field(value: str, field: str, *, required: bool = True) -> str:
    label, limit = TYPO_LIMITS[field]
    text = normalize(value or "").strip()
    if required and not text:
        raise DomainError(f"請填寫{label}", where=field)
    if "\n" in text:
        raise DomainError(f"{label}只能有一行", where=field)
    if len(text) > limit:
        raise DomainError(f"{label}最多 {limit} 個字", where=field)
    return text


@transaction.atomic
def add_typo(*, wrong: str, right: str, note: str = "", user) -> TypoCorrection:
    """HQ adds an entry to the list of variant characters and typos the reviewer aids look
    for, or puts a retired entry back in use (with the correction given now).

    Refused: anyone but HQ (NotAllowed); an empty, multi-line or too long field, or the same
    text as its correction (400 naming the field); an entry in use already (409).
    Side effects: the TypoCorrection row and an audit entry on it.
    """
    _hq(user, "wrong", "編修常見錯別字")
    wrong = _typo_field(wrong, "wrong")
    right = _typo_field(right, "right")
    note = _typo_field(note, "note", required=False)
    if wrong == right:
        raise DomainError("建議用字與誤用字詞相同", where="right")
    entry = TypoCorrection.objects.select_for_update().filter(wrong=wrong).first()
    if entry is not None and entry.active:
        raise Conflict(f"「{wrong}」已在清單中（→ {entry.right}）", where="wrong")
    if entry is None:
        entry = TypoCorrection.objects.create(wrong=wrong, right=right, note=note)
        record(user=user, obj=entry, field="created", new=str(entry))
        return entry
    old = str(entry)
    entry.right, entry.note, entry.active = right, note, True
    entry.save(update_fields=["right", "note", "active"])
    record(user=user, obj=entry, field="active", old=f"{old}（停用）", new=str(entry))
    return entry


@transaction.atomic
def retire_typo(*, entry: TypoCorrection, user) -> TypoCorrection:
    """HQ takes an entry off the list: it is kept, retired, so that `servplan init` does not
    bring a shipped entry back. Refused: anyone but HQ, an entry retired already (409).
    Side effects: active → False, an audit entry."""
    _hq(user, "entry", "編修常見錯別字")
    locked = TypoCorrection.objects.select_for_update().get(pk=entry.pk)
    if not locked.active:
        raise Conflict(f"「{locked.wrong}」已停用", where="entry")
    locked.active = entry.active = False
    locked.save(update_fields=["active"])
    record(user=user, obj=locked, field="active", old=str(locked), new="停用")
    return entry


@transaction.atomic
def load_typos(*, data: list[dict]) -> int:
    """The shipped list of typos (data/typos.yaml), as `servplan init` loads it: adds the
    entries the table lacks and leaves HQ's changes and retired entries alone.
    Side effects: TypoCorrection rows. Returns the number added."""
    known = set(TypoCorrection.objects.values_list("wrong", flat=True))
    new = {}
    for row in data:
        wrong = normalize(str(row["wrong"])).strip()
        if wrong and wrong not in known:
            new.setdefault(
                wrong,
                TypoCorrection(
                    wrong=wrong,
                    right=normalize(str(row["right"])).strip(),
                    note=normalize(str(row.get("note", ""))).strip(),
                ),
            )
    TypoCorrection.objects.bulk_create(new.values())
    return len(new)
