"""HQ's comparison of a period: offices × cells, dimensions, items and the total, with the
self-score and HQ's review score, each office's rank and gap to the median, and beside every
average the median and the spread. Also each office's trend over all its periods and one
unit (a cell, dimension, item or the total) across offices and periods.

Only records that reached HQ (submitted or reviewed) are compared, for HQ and admins alike.
Every figure comes from periods.stats; scores on another rubric are read through HQ's mapping
(periods.mapping), and what it does not reach is reported as not comparable. Each builder
asks a fixed number of queries whatever the number of offices or periods.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import pgettext_lazy

from servplan.assessments.access import visible_assessments
from servplan.assessments.models import LOCKED_STATUSES, Assessment, CellScore, Status
from servplan.core.roc import Period, cjk_number
from servplan.offices.models import Office
from servplan.periods import stats
from servplan.periods.mapping import (
    CellRef,
    Projection,
    cell_ref,
    mappings_onto,
    project,
    rubric_cells,
)
from servplan.periods.models import AssessmentPeriod
from servplan.periods.rules import active_offices
from servplan.programs.models import RubricCell
from servplan.review.models import ReviewRelease

SELF, REVIEW = "self", "review"
MEASURES = {SELF: pgettext_lazy("comparison", "自評"), REVIEW: pgettext_lazy("comparison", "複評")}
LEVELS = {
    "dimension": pgettext_lazy("comparison", "執行構面"),
    "item": pgettext_lazy("comparison", "評核項目"),
    "cell": pgettext_lazy("comparison", "評分項目"),
}
# Why a figure is missing.
NOT_COMPARABLE = "not_comparable"
PENDING = "pending"
MISSING_LABELS = {
    NOT_COMPARABLE: pgettext_lazy("comparison", "無法比較"),
    PENDING: pgettext_lazy("comparison", "尚未評分"),
}
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Unit:
    """What a column adds up: one cell, a dimension's cells, an item's cells, or all."""

    key: str  # "c2-1", "d2", "i1", "total": positions, stable across the pages and exports
    kind: str  # "cell", "dimension", "item", "total"
    label: str
    cells: tuple[CellRef, ...]

    @property
    def max(self) -> Decimal:
        return sum((c.max for c in self.cells), Decimal(0))


def units_of(cells: list[CellRef]) -> list[Unit]:
    """Cells, then dimensions, items and the total of a rubric (cells in rubric order)."""

    def item_label(c: CellRef) -> str:
        return f"{cjk_number(c.item_position)}、{c.item}"

    dims, items = defaultdict(list), defaultdict(list)
    for c in cells:
        dims[(c.dimension_position, c.dimension)].append(c)
        items[(c.item_position, c.item)].append(c)
    units = [
        Unit(
            f"c{c.dimension_position}-{c.item_position}",
            "cell",
            f"{c.dimension}／{item_label(c)}",
            (c,),
        )
        for c in cells
    ]
    units += [
        Unit(f"d{pos}", "dimension", name, tuple(cs)) for (pos, name), cs in sorted(dims.items())
    ]
    units += [
        Unit(f"i{pos}", "item", item_label(cs[0]), tuple(cs))
        for (pos, _), cs in sorted(items.items())
    ]
    units.append(Unit("total", "total", "總分", tuple(cells)))
    return units


def unit_value(p: Projection, unit: Unit, measure: str) -> tuple[Decimal | None, str]:
    """The unit's points for one measure, or None with the reason: a cell nothing maps onto
    (not comparable) or a score still missing (HQ has not reviewed it yet)."""
    # One pass, no generators: the comparison asks this for every office and column.
    scores = p.scores(measure)
    total, pending = Decimal(0), False
    for c in unit.cells:
        if c.id not in scores:
            return None, NOT_COMPARABLE
        value = scores[c.id]
        if value is None:
            pending = True
        elif not pending:
            total += value
    return (None, PENDING) if pending else (total, "")


def unit_percent(p: Projection, unit: Unit, measure: str) -> tuple[Decimal | None, Decimal]:
    """The unit's score as a percentage of the maximum of its cells that have a score, and
    that part of its maximum (coverage, 0 to 1): how periods on different rubrics compare."""
    scores = p.scores(measure)
    covered = [c for c in unit.cells if scores.get(c.id) is not None]
    if not covered:
        return None, Decimal(0)
    points = sum((c.max for c in covered), Decimal(0))
    value = sum((scores[c.id] for c in covered), Decimal(0))
    return value * HUNDRED / points, points / unit.max


# ---- loading ------------------------------------------------------------------------------


@dataclass
class Scored:
    """An assessment with its cells' scores (and narratives, for the reviewer aids)."""

    assessment: Assessment
    cells: list[CellRef] = field(default_factory=list)
    scores: dict[int, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)
    cell_scores: list[CellScore] = field(default_factory=list)


def load_scored(
    assessments: list[Assessment],
    *,
    cells: set[int] | None = None,
    narratives: bool = True,
    among: QuerySet | None = None,
) -> list[Scored]:
    """Each assessment with its cell scores (only `cells`, if given), in one query (two
    without `narratives`: then only the scores are read, not the CellScore rows, and the
    rubric cells once each; the comparison of thousands of offices needs no more).
    `among`, the query that listed `assessments`, selects their scores as a subquery: on
    PostgreSQL thousands of ids in an IN list take four times as long."""
    by_id = {a.pk: Scored(a) for a in assessments}
    if not by_id:
        return []
    ids = list(by_id) if among is None else among.order_by().values("pk")
    qs = CellScore.objects.filter(assessment_id__in=ids)
    if cells is not None:
        qs = qs.filter(cell_id__in=list(cells))
    if narratives:
        for cs in qs.select_related("cell__dimension", "cell__item"):
            s = by_id[cs.assessment_id]
            s.cells.append(cell_ref(cs.cell))
            s.scores[cs.cell_id] = (cs.score, cs.review_score)
            s.cell_scores.append(cs)
    else:
        rows = list(qs.order_by().values_list("assessment_id", "cell_id", "score", "review_score"))
        refs = {
            c.pk: cell_ref(c)
            for c in RubricCell.objects.filter(pk__in={r[1] for r in rows}).select_related(
                "dimension", "item"
            )
        }
        for assessment_id, cell_id, score, review in rows:
            if (s := by_id.get(assessment_id)) is None:
                continue  # reached HQ between the two queries
            s.cells.append(refs[cell_id])
            s.scores[cell_id] = (score, review)
    for s in by_id.values():
        s.cells.sort(key=lambda c: (c.dimension_position, c.item_position))
        s.cell_scores.sort(key=lambda cs: (cs.cell.dimension.position, cs.cell.item.position))
    return list(by_id.values())


def project_all(scored: list[Scored], target_rubric_id: int, target: list[CellRef]) -> dict:
    """assessment id → Projection onto the target rubric (one query for HQ's mappings)."""
    others = {s.assessment.rubric_id for s in scored} - {target_rubric_id}
    mapped = mappings_onto(target_rubric_id, others)
    return {
        s.assessment.pk: project(
            scores=s.scores,
            source=s.cells,
            target=target,
            mapping=None
            if s.assessment.rubric_id == target_rubric_id
            else mapped.get(s.assessment.rubric_id, {}),
        )
        for s in scored
    }


def reached_hq(user, **filters):
    """The assessments `user` may compare: those that reached HQ (submitted or reviewed)."""
    return (
        visible_assessments(user)
        .filter(status__in=LOCKED_STATUSES, **filters)
        .select_related("office", "rubric")
    )


# ---- one period ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One office's figure in one column: points, rank among the offices, gap to the median."""

    value: Decimal | None
    rank: int | None
    gap: Decimal | None
    missing: str = ""

    @property
    def missing_label(self) -> str:
        return str(MISSING_LABELS.get(self.missing, ""))


class Columns:
    """Each column's figures over every office compared, worked out the first time a page,
    the API or an export asks for that column: the values of all the rows (the summary and
    the ranks are over all of them), then an entry for each row shown."""

    def __init__(self, projections: list[Projection]) -> None:
        # The rows' projections, not the rows: rows point here, and a cycle would leave
        # thousands of them to the garbage collector's full passes (~90 ms a request).
        self.projections = projections
        self._done: dict[tuple[str, str], tuple[list, list, stats.Summary, dict[int, int]]] = {}

    def column(self, unit: Unit, measure: str) -> tuple[list, list, stats.Summary, dict]:
        """(values, why each missing one is, summary, ranks by row index)."""
        key = (unit.key, measure)
        if key not in self._done:
            # Two flat lists, not a (value, reason) pair per office: tens of thousands of
            # live tuples would set off the garbage collector's full passes.
            values, missing = [], []
            for p in self.projections:
                value, why = unit_value(p, unit, measure)
                values.append(value)
                missing.append(why)
            summary, ranked = stats.summarize_and_rank(dict(enumerate(values)))
            self._done[key] = (values, missing, summary, ranked)
        return self._done[key]

    def entry(self, index: int, unit: Unit, measure: str) -> Entry:
        values, missing, summary, ranked = self.column(unit, measure)
        value = values[index]
        return Entry(value, ranked.get(index), stats.gap(value, summary.median), missing[index])

    def summary(self, unit: Unit, measure: str) -> stats.Summary:
        return self.column(unit, measure)[2]


class Listed(NamedTuple):
    """What the statistics need of an assessment: thousands are read as these plain values."""

    pk: int
    rubric_id: int


class Records:
    """The rows' assessments with their office and rubric, read when first shown: a page
    reads its own rows (`read`), anything else asking for a row reads them all, in one
    query either way."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids
        self.loaded: dict[int, Assessment] = {}

    def read(self, ids: list[int]) -> None:
        wanted = [pk for pk in ids if pk not in self.loaded]
        if wanted:
            found = Assessment.objects.filter(pk__in=wanted).select_related("office", "rubric")
            self.loaded |= {a.pk: a for a in found.only(*ROW_FIELDS)}

    def get(self, pk: int) -> Assessment:
        if pk not in self.loaded:
            self.read(self.ids)
        return self.loaded[pk]


@dataclass
class Row:
    assessment_id: int
    projection: Projection
    index: int  # the row's place among all the rows compared
    columns: Columns
    records: Records

    @property
    def assessment(self) -> Assessment:
        return self.records.get(self.assessment_id)

    @property
    def office(self) -> Office:
        return self.assessment.office

    def entry(self, unit: Unit, measure: str) -> Entry:
        return self.columns.entry(self.index, unit, measure)


@dataclass
class Comparison:
    period: AssessmentPeriod
    target: list[CellRef]
    units: list[Unit]
    rows: list[Row]
    columns: Columns
    records: Records
    not_included: list[tuple[Office, str]]  # active offices whose record has not reached HQ
    released: bool

    def level(self, level: str) -> list[Unit]:
        """The columns of a level: its units, then the total."""
        kind = level if level in LEVELS else "dimension"
        return [u for u in self.units if u.kind == kind] + [self.unit("total")]

    def unit(self, key: str) -> Unit:
        for u in self.units:
            if u.key == key:
                return u
        raise Http404("找不到此評分項目")

    def summary(self, unit: Unit, measure: str) -> stats.Summary:
        return self.columns.summary(unit, measure)

    def show(self, rows: list[Row]) -> list[Row]:
        """`rows` with their assessments, offices and rubrics read (one query)."""
        self.records.read([r.assessment_id for r in rows])
        return rows

    @property
    def incomplete(self) -> list[Row]:
        """Rows on another rubric that the mapping does not fully cover."""
        return [r for r in self.rows if not r.projection.complete]


# What a row shows of its assessment, office and rubric: thousands of rows are read whole
# for the statistics, so nothing more (the pages, API and exports use no other field).
ROW_FIELDS = (
    "status",
    "office_id",
    "rubric_id",
    "roc_year",
    "start_month",
    "end_month",
    "office__name",
    "office__code",
    "office__position",
    "rubric__title",
    "rubric__status",
    "rubric__version",
)


def build_comparison(period: AssessmentPeriod, *, user) -> Comparison:
    """The period's comparison on its own rubric, in eight queries."""
    target = rubric_cells(period.rubric_id)
    units = units_of(target)
    # Plain values, sorted as the offices are listed; rows' records are read when shown.
    among = reached_hq(user, **period.period.as_dict())
    listed = sorted(among.values_list("office__position", "office__name", "pk", "rubric_id"))
    scored = load_scored(
        [Listed(pk, rubric) for *_, pk, rubric in listed], narratives=False, among=among
    )
    projections = project_all(scored, period.rubric_id, target)
    columns = Columns([projections[s.assessment.pk] for s in scored])
    records = Records([s.assessment.pk for s in scored])
    rows = [
        Row(s.assessment.pk, projections[s.assessment.pk], index, columns, records)
        for index, s in enumerate(scored)
    ]
    statuses = dict(
        Assessment.objects.filter(**period.period.as_dict()).values_list("office_id", "status")
    )
    # Only the offices left out are read as objects, not the thousands compared.
    compared = reached_hq(user, **period.period.as_dict()).values("office_id")
    not_included = [
        (o, Status(statuses[o.pk]).label if o.pk in statuses else "尚未建立")
        for o in active_offices(period).exclude(pk__in=compared)
    ]
    released = ReviewRelease.objects.filter(**period.period.as_dict()).exists()
    return Comparison(period, target, units, rows, columns, records, not_included, released)


# ---- one office over time -----------------------------------------------------------------


def short_period(period: Period) -> str:
    """「114年1–6月」: a chart's axis label."""
    return f"{period.roc_year}年{period.start_month}–{period.end_month}月"


@dataclass
class TrendPoint:
    assessment: Assessment
    projection: Projection

    @property
    def period(self) -> Period:
        return self.assessment.period

    def percent(self, unit: Unit, measure: str) -> tuple[Decimal | None, Decimal]:
        return unit_percent(self.projection, unit, measure)


@dataclass
class Trend:
    office: Office
    rubric_id: int | None  # the reference: the rubric of the office's latest period compared
    units: list[Unit]  # the total, then the dimensions
    points: list[TrendPoint]

    def unit(self, key: str) -> Unit:
        for u in self.units:
            if u.key == key:
                return u
        raise Http404("找不到此評分項目")


def build_trend(office: Office, *, user) -> Trend:
    """Every period of `office` that reached HQ, oldest first, on the rubric of its latest
    one (percentages of the comparable maximum), in four queries."""
    assessments = sorted(reached_hq(user, office=office), key=lambda a: a.period)
    if not assessments:
        return Trend(office, None, [], [])
    rubric_id = assessments[-1].rubric_id
    target = rubric_cells(rubric_id)
    units = units_of(target)
    scored = load_scored(assessments)
    projections = project_all(scored, rubric_id, target)
    chosen = [u for u in units if u.kind == "total"] + [u for u in units if u.kind == "dimension"]
    points = [TrendPoint(s.assessment, projections[s.assessment.pk]) for s in scored]
    points.sort(key=lambda p: p.period)
    return Trend(office, rubric_id, chosen, points)


# ---- one unit across offices and periods ----------------------------------------------------


@dataclass(frozen=True)
class PeriodFigures:
    """One period of a unit across offices: the percentages' summary per measure."""

    period: Period
    offices: int  # offices compared in the period
    summaries: dict[str, stats.Summary]  # measure → summary of the comparable percentages


@dataclass
class UnitAcross:
    comparison: Comparison
    unit: Unit
    history: list[PeriodFigures]


def build_unit(period: AssessmentPeriod, key: str, *, user) -> UnitAcross:
    """`key` (a cell, dimension, item or the total of the period's rubric) for every office in
    the period, and its median and spread in every period on record (percentages through
    the mapping), in eleven queries."""
    comparison = build_comparison(period, user=user)
    unit = comparison.unit(key)
    wanted = {c.id for c in unit.cells}
    mapped = mappings_onto(period.rubric_id)
    sources = {
        source for by_cell in mapped.values() for source, to in by_cell.items() if to in wanted
    }
    assessments = list(reached_hq(user))
    scored = load_scored(assessments, cells=wanted | sources)
    by_period = defaultdict(list)
    for s in scored:
        mapping = (
            None
            if s.assessment.rubric_id == period.rubric_id
            else mapped.get(s.assessment.rubric_id, {})
        )
        p = project(scores=s.scores, source=s.cells, target=list(unit.cells), mapping=mapping)
        by_period[s.assessment.period].append(p)
    history = []
    for when in sorted({a.period for a in assessments}):
        projections = by_period.get(when, [])
        summaries = {
            m: stats.summarize(unit_percent(p, unit, m)[0] for p in projections) for m in MEASURES
        }
        history.append(PeriodFigures(when, len(projections), summaries))
    return UnitAcross(comparison, unit, history)
