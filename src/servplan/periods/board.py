"""What HQ watches in a period (the submission board) and what an office sees of its deadlines.

Each is read in a fixed number of queries whatever the number of offices: the offices with
their chains, the period's assessments with their sign-offs (and HQ's acceptances), the
deadline overrides. Late, overdue and accepted come from periods.rules, as everywhere else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from servplan.assessments.models import LOCKED_STATUSES, Assessment, SignOff, Status
from servplan.assessments.standing import Standing, standing
from servplan.core.roc import Period
from servplan.offices.models import Office, Role
from servplan.periods.models import Acceptance, AssessmentPeriod, DeadlineOverride, PeriodStatus
from servplan.periods.rules import Marks, acceptance_of, active_offices, marks

# An active office with no assessment of the period (it joined after HQ opened it).
MISSING = "missing"
STATUSES = [*Status.choices, (MISSING, pgettext_lazy("assessment status", "尚未建立"))]


@dataclass
class BoardRow:
    office: Office
    assessment: Assessment | None
    standing: Standing | None  # its label and whom it waits on since when (None: missing)
    override: DeadlineOverride | None
    acceptance: Acceptance | None
    marks: Marks

    @property
    def status(self) -> str:
        return self.assessment.status if self.assessment else MISSING

    @property
    def label(self) -> str:
        return self.standing.label if self.standing else str(dict(STATUSES)[MISSING])

    @property
    def waiting_on(self) -> Role | None:
        return self.standing.role if self.standing else None

    @property
    def since(self) -> dt.datetime | None:
        return self.standing.since if self.standing else None


@dataclass
class Board:
    period: AssessmentPeriod
    rows: list[BoardRow]  # the page of the filtered rows, overdue first, then in offices' order
    counts: list[tuple[str, str, int]]  # (status, label, rows) in the chosen region
    offices: list[Office]  # every active office, whatever the filters
    regions: list[str]
    status: str  # the filters applied ("" when none)
    region: str
    total: int = 0  # the filtered rows, on every page
    overdue: int = 0  # of those, not arrived after the deadline
    late: int = 0  # of those, arrived after the deadline


def _assessments(period: Period):
    return Assessment.objects.filter(**period.as_dict()).select_related("reopened_by")


def _signoffs() -> Prefetch:
    return Prefetch("signoffs", queryset=SignOff.objects.select_related("user", "acceptance"))


@dataclass
class _Light:
    """What ordering, counting and filtering the board needs of an office's row, read
    without its sign-offs: arrival is the latest signature of a locked record (a locked
    record's current round ends with it), as periods.rules.reached_hq_at reads it."""

    office: Office
    assessment_id: int | None
    status: str
    override: DeadlineOverride | None
    overdue: bool
    late: bool


def build_board(
    period: AssessmentPeriod,
    *,
    user,
    status: str = "",
    region: str = "",
    today=None,
    limit: int | None = None,
    offset: int = 0,
) -> Board:
    """Every active office's row for `period` (with `limit`, the rows from `offset` on), in
    six queries: the offices, the period's assessments' statuses and latest signatures, the
    deadline overrides, then for the rows shown their assessments, sign-offs (with HQ's
    acceptances) and the offices' chains. Counts, overdue and late are of every filtered row.
    A filter value that names nothing is ignored (全部), never an error."""
    today = today or timezone.localdate()
    offices = list(active_offices(period))
    regions = sorted({o.region for o in offices if o.region})
    region = region if region in regions else ""
    status = status if status in dict(STATUSES) else ""
    found = {
        a["office_id"]: a
        for a in Assessment.objects.filter(**period.period.as_dict())
        .order_by()
        .values("id", "office_id", "status")
        .annotate(arrived=Max("signoffs__at"))
    }
    overrides = {o.office_id: o for o in DeadlineOverride.objects.filter(period=period)}
    light = []
    for office in offices:
        if region and office.region != region:
            continue
        a = found.get(office.id)
        override = overrides.get(office.id)
        deadline = override.deadline if override else period.deadline
        arrived = a["arrived"] if a and a["status"] in LOCKED_STATUSES else None
        light.append(
            _Light(
                office=office,
                assessment_id=a["id"] if a else None,
                status=a["status"] if a else MISSING,
                override=override,
                overdue=arrived is None and today > deadline,
                late=arrived is not None and timezone.localdate(arrived) > deadline,
            )
        )
    counts = [(value, label, sum(r.status == value for r in light)) for value, label in STATUSES]
    if status:
        light = [r for r in light if r.status == status]
    light.sort(key=lambda r: not r.overdue)  # stable: the offices' order within each
    shown = light[offset : offset + limit] if limit is not None else light[offset:]
    ids = [r.assessment_id for r in shown if r.assessment_id]
    by_id = {}
    if ids:
        by_id = {
            a.pk: a
            for a in _assessments(period.period).filter(pk__in=ids).prefetch_related(_signoffs())
        }
        prefetch_related_objects([r.office for r in shown], "chain_steps")
    rows = []
    for r in shown:
        a = by_id.get(r.assessment_id)
        signoffs = list(a.signoffs.all()) if a else []
        if a is not None:
            a.office = r.office  # its chain steps are prefetched there
        deadline = r.override.deadline if r.override else period.deadline
        rows.append(
            BoardRow(
                office=r.office,
                assessment=a,
                standing=standing(a, user) if a else None,
                override=r.override,
                acceptance=acceptance_of(a, signoffs) if a else None,
                marks=marks(a, signoffs, deadline=deadline, today=today),
            )
        )
    return Board(
        period,
        rows,
        counts,
        offices,
        regions,
        status,
        region,
        total=len(light),
        overdue=sum(r.overdue for r in light),
        late=sum(r.late for r in light),
    )


@dataclass
class OfficeDeadline:
    """One open period as an office sees it: its own deadline and where its record stands."""

    period: AssessmentPeriod
    extended: bool  # HQ gave this office a deadline of its own
    assessment: Assessment | None
    marks: Marks

    @property
    def days_left(self) -> int:
        return (self.marks.deadline - timezone.localdate()).days


def office_deadlines(office: Office, today=None) -> list[OfficeDeadline]:
    """The open periods with `office`'s deadline in each (its own, or the period's), in one
    query, plus two when there are any (the office's assessments and their sign-offs)."""
    own = DeadlineOverride.objects.filter(period=OuterRef("pk"), office=office)
    periods = list(
        AssessmentPeriod.objects.filter(status=PeriodStatus.OPEN)
        .annotate(own_deadline=Subquery(own.values("deadline")[:1]))
        .order_by("deadline", "roc_year", "start_month")
    )
    if not periods:
        return []
    months = Q()
    for p in periods:
        months |= Q(**p.period.as_dict())
    mine = {
        a.period: a
        for a in Assessment.objects.filter(months, office=office).prefetch_related(_signoffs())
    }
    result = []
    for p in periods:
        a = mine.get(p.period)
        deadline = p.own_deadline or p.deadline
        result.append(
            OfficeDeadline(
                period=p,
                extended=p.own_deadline is not None,
                assessment=a,
                marks=marks(a, list(a.signoffs.all()) if a else [], deadline=deadline, today=today),
            )
        )
    return result
