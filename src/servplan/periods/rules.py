"""What a period allows and how a submission stands against it.

Read by HQ's review (review.domain), the reopen (assessments.domain.workflow), the board, the
home page and the API, so that every one of them tells late, overdue and accepted alike.
This module changes nothing; periods.domain does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Q, QuerySet
from django.utils import timezone

from servplan.assessments.domain.errors import Conflict
from servplan.assessments.domain.workflow import current_round
from servplan.assessments.models import LOCKED_STATUSES, Assessment, SignOff
from servplan.core.roc import Period
from servplan.core.sample import HQ_USERNAME as SAMPLE_HQ
from servplan.core.sample import sample_offices
from servplan.offices.models import Office
from servplan.periods.models import Acceptance, AssessmentPeriod, PeriodStatus


def active_offices(period: AssessmentPeriod | None = None) -> QuerySet[Office]:
    """The offices that take part in `period`: each gets its draft and a row on the board.

    The sample's offices (servplan sample) and the real ones never share a period: a period
    the sample opened has the sample's offices only, any other (or a period yet to open) the
    real ones only. One query."""
    opened_by_sample = Exists(
        AssessmentPeriod.objects.filter(
            pk=period.pk if period else None, opened_by__username=SAMPLE_HQ
        )
    )
    is_sample = Q(pk__in=sample_offices().values("pk"))
    return (
        Office.objects.filter(active=True)
        .filter((is_sample & Q(opened_by_sample)) | (~is_sample & ~Q(opened_by_sample)))
        .order_by("position", "name")
    )


def period_row(period: Period) -> AssessmentPeriod | None:
    """The period as HQ opened it, or None (periods from before HQ opened them in the app)."""
    return AssessmentPeriod.objects.filter(**period.as_dict()).first()


def refuse_if_closed(period: Period, *, where: str) -> None:
    """Conflict when HQ closed `period`: a closed period is frozen."""
    if AssessmentPeriod.objects.filter(**period.as_dict(), status=PeriodStatus.CLOSED).exists():
        raise Conflict(f"{period} 已關閉，不能再變更", where=where)


def acceptance_of(assessment: Assessment, signoffs: list[SignOff]) -> Acceptance | None:
    """HQ's 受理 of the current submission, if any (pass sign-offs with `acceptance` joined)."""
    if assessment.status not in LOCKED_STATUSES:
        return None
    rows = current_round(assessment, signoffs)
    return getattr(rows[0], "acceptance", None) if rows else None


@dataclass(frozen=True)
class Gate:
    """What stands between HQ and reviewing one assessment: its period and HQ's 受理."""

    period: AssessmentPeriod | None  # None: a period from before HQ opened them in the app
    acceptance: Acceptance | None

    @property
    def frozen(self) -> bool:
        return self.period is not None and self.period.is_closed

    @property
    def needs_acceptance(self) -> bool:
        return self.period is not None and self.acceptance is None


def gate(assessment: Assessment) -> Gate:
    """The assessment's period row and current acceptance (two queries)."""
    row = period_row(assessment.period)
    signoffs = list(assessment.signoffs.select_related("acceptance")) if row else []
    return Gate(row, acceptance_of(assessment, signoffs) if row else None)


def check_reviewable(assessment: Assessment, *, where: str) -> None:
    """HQ may review the assessment: its period is not closed and, in a period HQ opened,
    HQ has accepted (受理) the submission first. Periods from before (no AssessmentPeriod)
    are reviewed as they always were."""
    g = gate(assessment)
    if g.frozen:
        raise Conflict(f"{g.period.period} 已關閉，不能再變更複評", where=where)
    if g.needs_acceptance:
        raise Conflict(f"{where}：此自行考核尚未受理，請先受理再複評", where=where)


def reached_hq_at(assessment: Assessment, signoffs: list[SignOff]) -> dt.datetime | None:
    """When the current submission reached HQ (the round's last signature), or None while
    it has not: a draft, or still in the office's chain."""
    if assessment.status not in LOCKED_STATUSES:
        return None
    rows = current_round(assessment, signoffs)
    return rows[-1].at if rows else None


@dataclass(frozen=True)
class Marks:
    """A submission against its deadline: late (arrived after it), overdue (not arrived and
    the deadline has passed). Never both."""

    deadline: dt.date
    submitted_at: dt.datetime | None
    late: bool
    overdue: bool


def marks(
    assessment: Assessment | None,
    signoffs: list[SignOff],
    *,
    deadline: dt.date,
    today: dt.date | None = None,
) -> Marks:
    """Late and overdue by the day in the site's time zone: a submission on the deadline day
    is on time. No assessment at all counts as not arrived."""
    today = today or timezone.localdate()
    arrived = reached_hq_at(assessment, signoffs) if assessment is not None else None
    if arrived is not None:
        late = timezone.localdate(arrived) > deadline
        return Marks(deadline, arrived, late=late, overdue=False)
    return Marks(deadline, None, late=False, overdue=today > deadline)
