"""What HQ watches in a period (the submission board) and what an office sees of its deadlines.

Each is read in a fixed number of queries whatever the number of offices: the offices with
their chains, the period's assessments with their sign-offs (and HQ's acceptances), the
deadline overrides. Late, overdue and accepted come from periods.rules, as everywhere else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from servplan.assessments.models import Assessment, SignOff, Status
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
    rows: list[BoardRow]  # the filtered rows, overdue first, then in the offices' order
    counts: list[tuple[str, str, int]]  # (status, label, rows) in the chosen region
    offices: list[Office]  # every active office, whatever the filters
    regions: list[str]
    status: str  # the filters applied ("" when none)
    region: str

    @property
    def overdue(self) -> int:
        return sum(r.marks.overdue for r in self.rows)

    @property
    def late(self) -> int:
        return sum(r.marks.late for r in self.rows)


def _assessments(period: Period):
    return Assessment.objects.filter(**period.as_dict()).select_related("reopened_by")


def _signoffs() -> Prefetch:
    return Prefetch("signoffs", queryset=SignOff.objects.select_related("user", "acceptance"))


def build_board(
    period: AssessmentPeriod, *, user, status: str = "", region: str = "", today=None
) -> Board:
    """Every active office's row for `period`, in five queries. A filter value that names
    nothing is ignored (全部), never an error."""
    offices = list(active_offices().prefetch_related("chain_steps"))
    regions = sorted({o.region for o in offices if o.region})
    region = region if region in regions else ""
    status = status if status in dict(STATUSES) else ""
    by_office = {a.office_id: a for a in _assessments(period.period).prefetch_related(_signoffs())}
    overrides = {o.office_id: o for o in DeadlineOverride.objects.filter(period=period)}
    rows = []
    for office in offices:
        if region and office.region != region:
            continue
        a = by_office.get(office.id)
        signoffs = list(a.signoffs.all()) if a else []
        if a is not None:
            a.office = office  # its chain steps are prefetched there
        override = overrides.get(office.id)
        deadline = override.deadline if override else period.deadline
        rows.append(
            BoardRow(
                office=office,
                assessment=a,
                standing=standing(a, user) if a else None,
                override=override,
                acceptance=acceptance_of(a, signoffs) if a else None,
                marks=marks(a, signoffs, deadline=deadline, today=today),
            )
        )
    counts = [(value, label, sum(r.status == value for r in rows)) for value, label in STATUSES]
    if status:
        rows = [r for r in rows if r.status == status]
    rows.sort(key=lambda r: not r.marks.overdue)  # stable: the offices' order within each
    return Board(period, rows, counts, offices, regions, status, region)


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
