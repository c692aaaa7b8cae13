"""考核日期: the day the office assessed itself, set by the clerk on the draft.

Its version is derived from the audit trail (1 + how many times it changed), as the sign-off
state is: a stale page is refused without a second copy of the state to fall out of step.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone

from servplan.assessments.access import can_edit
from servplan.assessments.domain.cells import ensure_editable
from servplan.assessments.domain.errors import Conflict, NotAllowed
from servplan.assessments.models import Assessment
from servplan.audit.domain import record
from servplan.audit.models import AuditEntry
from servplan.core.errors import DomainError
from servplan.core.parsing import parse_whole
from servplan.core.roc import RocError, format_date, from_roc_year, parse_date

WHERE = "assessed_on"
_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_version(assessment: Assessment) -> int:
    """The version of the assessment's 考核日期: 1, then one more with every change."""
    return (
        1
        + AuditEntry.objects.filter(
            object_type=Assessment._meta.label_lower, object_id=assessment.pk, field=WHERE
        ).count()
    )


def parse_assessed_on(value: dt.date | str | None) -> dt.date | None:
    """A date, ISO text (the API) or ROC text (「114 年 7 月 1 日」, the page); blank clears it."""
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        if _ISO_RE.fullmatch(text):
            return dt.date.fromisoformat(text)
        return parse_date(text)
    except (RocError, ValueError):
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise DomainError(
            f"考核日期「{shown}」無法解讀：應為「114 年 7 月 1 日」格式", where=WHERE
        ) from None


def check_assessed_on(assessment: Assessment, day: dt.date) -> None:
    """From the first day of the period to today: an assessment is not made before its
    period starts, nor dated ahead."""
    first = dt.date(from_roc_year(assessment.roc_year), assessment.start_month, 1)
    if day < first:
        raise DomainError(
            f"考核日期 {format_date(day)} 早於考核期間（{assessment.period}）的第一天", where=WHERE
        )
    if day > timezone.localdate():
        raise DomainError(f"考核日期 {format_date(day)} 晚於今天", where=WHERE)


def _store(assessment: Assessment, user, day: dt.date | None) -> None:
    old = assessment.assessed_on
    assessment.assessed_on = day
    assessment.save(update_fields=["assessed_on", "updated_at"])
    record(user=user, obj=assessment, field=WHERE, old=old, new=day, assessment_id=assessment.pk)


@transaction.atomic
def set_assessed_on(
    *,
    assessment: Assessment,
    user,
    assessed_on: dt.date | str | None,
    expected_version: int | None,
) -> Assessment:
    """The office's clerk sets (or clears) the draft's 考核日期.

    Refused unless a draft (409), from anyone but the office's clerk or an admin (403), when
    `expected_version` is not the date's current version (409 with the current date), and
    for a day before the period or after today (400). Side effects: saves Assessment.assessed_on
    and records the change in the audit trail (which raises the version); nothing when unchanged.
    """
    expected = parse_whole(expected_version, label="version 欄位", where="version")
    locked = Assessment.objects.select_for_update().select_related("office").get(pk=assessment.pk)
    if not can_edit(user, locked):
        raise NotAllowed(f"考核日期：只有{locked.office.name}的經辦可以修改", where=WHERE)
    ensure_editable(locked, "考核日期")
    version = date_version(locked)
    if expected is not None and expected != version:
        shown = format_date(locked.assessed_on) or "未填"
        raise Conflict(
            f"考核日期已被他人修改（目前為第 {version} 版，{shown}），請重新載入後再修改",
            where=WHERE,
            current={
                "assessed_on": locked.assessed_on.isoformat() if locked.assessed_on else None,
                "version": version,
            },
        )
    day = parse_assessed_on(assessed_on)
    if day is not None:
        check_assessed_on(locked, day)
    if day != locked.assessed_on:
        _store(locked, user, day)
    assessment.assessed_on = locked.assessed_on
    return assessment


def date_at_submit(assessment: Assessment, user, given: dt.date | str | None = None) -> None:
    """At submit, the 考核日期 the clerk sent with it (checked as any), or else, for a draft
    without one, the day of the submit. Called by submit_assessment inside its transaction,
    before the freeze and the signed copy, so the forms as signed carry the date.
    Side effects: saves Assessment.assessed_on with an audit entry when it changes.
    """
    day = parse_assessed_on(given) if given not in (None, "") else None
    if day is not None:
        check_assessed_on(assessment, day)
    elif assessment.assessed_on is None:
        day = timezone.localdate()
    if day is not None and day != assessment.assessed_on:
        _store(assessment, user, day)
