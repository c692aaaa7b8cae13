"""Reviewer aids for one period: what HQ may want to look at first, each found by a rule the
page states in a sentence (EXPLAIN), so the reviewer can follow and check it.

(a) self-scores far from the other offices' or from the office's own history (robust
distance, periods.stats); (b) large gaps between the self-score and HQ's review; (c)
narratives copied between cells, between offices and from the office's previous period
(periods.copies); (d) improvements still open, those without a follow-up for more than two
quarters, and whose move each one is; (e) entries of HQ's list of typos.

Only records that reached HQ are read, as in the comparison; scores of earlier rubrics go
through HQ's mapping. Built in a fixed number of queries whatever the number of offices.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from servplan.assessments.models import Assessment, CellScore, Finding, FollowUp, ImprovementStatus
from servplan.audit.models import AuditEntry
from servplan.offices.models import Office
from servplan.periods import stats
from servplan.periods.comparison import HUNDRED, Scored, load_scored, project_all, reached_hq
from servplan.periods.copies import Match, find_copies, prepare
from servplan.periods.mapping import CellRef, Projection, rubric_cells
from servplan.periods.models import AssessmentPeriod, TypoCorrection
from servplan.periods.typos import Find, find_typos

OUTLIER_AT = Decimal(3)  # robust distance from which a self-score stands out
FLOOR = Decimal(2)  # percentage points: the smallest unit of that distance
MIN_PEERS = 3
MIN_HISTORY = 2  # earlier periods: against one alone, any change would look like a jump
GAP_SHARE = Decimal("0.10")  # of the cell's maximum
STALE_QUARTERS = 2

EXPLAIN = {
    "peers": "自評分數換算為占配分的百分比，與本期各區營業處同一評分項目的中位數比較；距離以"
    "「中位數絕對離差（MAD）× 1.4826」為一個單位（至少 2 個百分點），相差 3 個單位以上者列出"
    "（同一項目至少要有 3 個區營業處）。",
    "history": "自評百分比與該區營業處過去各期同一評分項目（其他評分表依總處設定的對應換算）的"
    "中位數比較，距離的單位同上，相差 3 個單位以上者列出（至少要有過去 2 期）。",
    "gaps": "同一格的自評與複評相差達該格配分 10% 以上者列出，差距大的在前（正數表示自評高於"
    "複評）。",
    "copies": "執行情形去除空白、標點、段落編號與評分重點原文後，以連續 5 個字為一組比對；兩段"
    "文字有一段 30 字以上相同，或較短一段有一半以上的字組出現在另一段時列出，相同的部分（15 字"
    "以上）以底色標示。比對範圍：同一份自行考核的不同格、本期不同區營業處之間，以及與該區營業處"
    "上一期的自行考核。",
    "improvements": "尚未完成的建議改善事項：距最後一次辦理情形（沒有辦理情形時自提出的那一期起）"
    "已超過 2 季者標示「逾 2 季未追蹤」，以本期最後一季為準。「輪到」看最後一筆紀錄：總處在該格的"
    "複評意見晚於最近一次辦理情形時，輪到區營業處填寫辦理情形；辦理情形較新時，輪到總處回覆意見。",
    "typos": "依總處維護的常見錯別字清單，檢查執行情形、優點、缺點、建議改善事項、改善事項辦理"
    "情形與備註。",
}
KINDS = {
    "same_assessment": "同一份自行考核的不同格",
    "between_offices": "不同區營業處之間",
    "previous_period": "與上一期相同",
}
MOVES = {"office": "輪到區營業處填寫辦理情形", "hq": "輪到總處回覆意見"}
FIELDS = {
    "narrative": "執行情形",
    "strengths": "優點",
    "weaknesses": "缺點",
    "recommendation": "建議改善事項",
    "progress": "改善事項辦理情形",
    "remarks": "備註",
}


def _pct(value: Decimal | None, cell: CellRef) -> Decimal | None:
    return None if value is None else value * HUNDRED / cell.max


@dataclass(frozen=True)
class Outlier:
    office: Office
    assessment: Assessment
    cell: CellRef
    percent: Decimal
    median: Decimal
    distance: Decimal
    n: int  # offices (or earlier periods) compared with

    @property
    def direction(self) -> str:
        return "偏高" if self.distance > 0 else "偏低"


@dataclass(frozen=True)
class Gap:
    office: Office
    assessment: Assessment
    cell: CellRef
    self_score: Decimal
    review_score: Decimal

    @property
    def gap(self) -> Decimal:
        return self.self_score - self.review_score

    @property
    def share(self) -> Decimal:
        return self.gap / self.cell.max


@dataclass(frozen=True)
class Place:
    """Where a narrative stands: which office, period and cell."""

    assessment: Assessment
    cell: str

    @property
    def office(self) -> Office:
        return self.assessment.office


@dataclass(frozen=True)
class Copy:
    kind: str
    a: Place
    b: Place
    match: Match

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class OpenImprovement:
    assessment: Assessment
    cell: str
    finding: Finding
    last: FollowUp | None  # the latest follow-up entry, if any
    quarters: int  # since it (or since the improvement was opened)
    move: str  # "office" or "hq"

    @property
    def stale(self) -> bool:
        return self.quarters > STALE_QUARTERS

    @property
    def move_label(self) -> str:
        return MOVES[self.move]


@dataclass(frozen=True)
class Typo:
    assessment: Assessment
    cell: str
    field: str
    find: Find

    @property
    def field_label(self) -> str:
        return FIELDS[self.field]


@dataclass
class Aids:
    period: AssessmentPeriod
    assessments: list[Assessment]
    peers: list[Outlier] = field(default_factory=list)
    history: list[Outlier] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    improvements: list[OpenImprovement] = field(default_factory=list)
    typos: list[Typo] = field(default_factory=list)

    @property
    def stale(self) -> list[OpenImprovement]:
        return [i for i in self.improvements if i.stale]


# ---- (a) outliers, (b) gaps -------------------------------------------------------------------


def peer_outliers(target: list[CellRef], current: list[tuple[Assessment, Projection]]):
    found = []
    for cell in target:
        values = {a.pk: _pct(p.self_scores.get(cell.id), cell) for a, p in current}
        present = [v for v in values.values() if v is not None]
        if len(present) < MIN_PEERS:
            continue
        centre = stats.median(present)
        for a, _ in current:
            d = stats.robust_distance(values[a.pk], present, floor=FLOOR)
            if d is not None and abs(d) >= OUTLIER_AT:
                found.append(Outlier(a.office, a, cell, values[a.pk], centre, d, len(present)))
    return sorted(found, key=lambda o: (-abs(o.distance), o.office.position))


def history_outliers(
    target: list[CellRef],
    current: list[tuple[Assessment, Projection]],
    earlier: dict[int, list[Projection]],
):
    found = []
    for a, p in current:
        for cell in target:
            mine = _pct(p.self_scores.get(cell.id), cell)
            past = [_pct(e.self_scores.get(cell.id), cell) for e in earlier.get(a.office_id, [])]
            past = [v for v in past if v is not None]
            if mine is None or len(past) < MIN_HISTORY:
                continue
            d = stats.robust_distance(mine, past, floor=FLOOR)
            if abs(d) >= OUTLIER_AT:
                found.append(Outlier(a.office, a, cell, mine, stats.median(past), d, len(past)))
    return sorted(found, key=lambda o: (-abs(o.distance), o.office.position))


def self_review_gaps(target: list[CellRef], current: list[tuple[Assessment, Projection]]):
    found = []
    for a, p in current:
        for cell in target:
            mine, theirs = p.self_scores.get(cell.id), p.review_scores.get(cell.id)
            if mine is None or theirs is None:
                continue
            g = Gap(a.office, a, cell, mine, theirs)
            if abs(g.share) >= GAP_SHARE:
                found.append(g)
    return sorted(found, key=lambda g: (-abs(g.share), g.office.position))


# ---- (c) copies ---------------------------------------------------------------------------------


def _label(cs: CellScore) -> str:
    return f"{cs.cell.dimension.name}／{cs.cell.item.name}"


def copied_narratives(current: list[Scored], previous: list[Scored]) -> list[Copy]:
    """Copies among the period's narratives and from each office's previous period."""
    places, texts, now = {}, [], set()
    boilerplate = {
        text
        for s in current + previous
        for cs in s.cell_scores
        for text in (cs.cell.scoring_focus, cs.cell.dimension.scoring_focus)
        if text
    }
    for group, is_now in ((current, True), (previous, False)):
        for s in group:
            for cs in s.cell_scores:
                if not cs.narrative.strip():
                    continue
                key = (s.assessment.pk, cs.cell_id)
                places[key] = Place(s.assessment, _label(cs))
                texts.append(prepare(key, cs.narrative, boilerplate=boilerplate))
                if is_now:
                    now.add(key)

    def kind(x, y) -> str | None:
        a, b = places[x.key].assessment, places[y.key].assessment
        if x.key in now and y.key in now:
            return "same_assessment" if a.pk == b.pk else "between_offices"
        if (x.key in now) != (y.key in now) and a.office_id == b.office_id:
            return "previous_period"
        return None

    return [
        Copy(kind(m.a, m.b), places[m.a.key], places[m.b.key], m)
        for m in find_copies(texts, pair=lambda x, y: kind(x, y) is not None)
    ]


# ---- (d) improvements -----------------------------------------------------------------------


def _quarter_index(roc_year: int, quarter: int) -> int:
    return roc_year * 4 + quarter - 1


def _hq_comments(improvement_ids: list[int]) -> dict[int, object]:
    """improvement id → when HQ last wrote a review comment on a cell carrying it, in any
    period (three queries)."""
    carriers = list(
        Finding.objects.filter(improvement_id__in=improvement_ids).values_list(
            "improvement_id", "assessment_id", "cell_id"
        )
    )
    by_place = defaultdict(set)
    for improvement_id, assessment_id, cell_id in carriers:
        by_place[(assessment_id, cell_id)].add(improvement_id)
    cells = {
        pk: by_place[(a, c)]
        for pk, a, c in CellScore.objects.filter(
            assessment_id__in={a for _, a, _ in carriers}
        ).values_list("pk", "assessment_id", "cell_id")
        if (a, c) in by_place
    }
    latest: dict[int, object] = {}
    comments = (
        AuditEntry.objects.filter(
            object_type="assessments.cellscore", field="review_comment", object_id__in=list(cells)
        )
        .exclude(new="")
        .values_list("object_id", "at")
    )
    for object_id, at in comments:
        for improvement_id in cells[object_id]:
            if improvement_id not in latest or at > latest[improvement_id]:
                latest[improvement_id] = at
    return latest


def open_improvements(period: AssessmentPeriod, findings: list[Finding]) -> list[OpenImprovement]:
    end = _quarter_index(period.roc_year, (period.end_month - 1) // 3 + 1)
    carried = [
        f for f in findings if f.improvement and f.improvement.status != ImprovementStatus.DONE
    ]
    hq_at = _hq_comments([f.improvement_id for f in carried])
    found = []
    for f in carried:
        entries = list(f.improvement.follow_ups.all())
        last = max(entries, key=lambda e: (e.roc_year, e.quarter, e.created_at), default=None)
        if last is not None:
            since = _quarter_index(last.roc_year, last.quarter)
        else:
            opened = f.improvement.opened_in
            since = _quarter_index(opened.roc_year, (opened.end_month - 1) // 3 + 1)
        office_at = max((e.created_at for e in entries), default=None)
        hq = hq_at.get(f.improvement_id)
        move = "hq" if office_at is not None and (hq is None or office_at > hq) else "office"
        found.append(OpenImprovement(f.assessment, _label(f), f, last, end - since, move))
    return sorted(found, key=lambda i: (not i.stale, -i.quarters, i.assessment.office.position))


# ---- (e) typos ------------------------------------------------------------------------------


def typos_in(current: list[Scored], findings: list[Finding]) -> list[Typo]:
    entries = list(TypoCorrection.objects.filter(active=True))
    if not entries:
        return []
    found = []
    for s in current:
        for cs in s.cell_scores:
            for hit in find_typos(cs.narrative, entries):
                found.append(Typo(s.assessment, _label(cs), "narrative", hit))
    for f in findings:
        for name in ("strengths", "weaknesses", "recommendation", "progress", "remarks"):
            for hit in find_typos(getattr(f, name) or "", entries):
                found.append(Typo(f.assessment, _label(f), name, hit))
    return found


# ---- all of them --------------------------------------------------------------------------


def _earlier(period: AssessmentPeriod) -> Q:
    p = period.period
    return Q(roc_year__lt=p.roc_year) | Q(roc_year=p.roc_year, end_month__lt=p.start_month)


def build_aids(period: AssessmentPeriod, *, user) -> Aids:
    """Every aid for `period`, in thirteen queries."""
    assessments = list(reached_hq(user, **period.period.as_dict()))
    assessments.sort(key=lambda a: (a.office.position, a.office.name))
    offices = {a.office_id for a in assessments}
    history = list(reached_hq(user, office_id__in=offices).filter(_earlier(period)))
    target = rubric_cells(period.rubric_id)
    current = load_scored(assessments)
    earlier = load_scored(history)
    projections = project_all(current + earlier, period.rubric_id, target)
    now = [(s.assessment, projections[s.assessment.pk]) for s in current]
    by_office = defaultdict(list)
    for s in sorted(earlier, key=lambda s: s.assessment.period):
        by_office[s.assessment.office_id].append(s)
    previous = [group[-1] for group in by_office.values()]
    findings = list(
        Finding.objects.filter(assessment__in=[a.pk for a in assessments])
        .select_related(
            "assessment__office", "improvement__opened_in", "cell__dimension", "cell__item"
        )
        .prefetch_related("improvement__follow_ups")
        .order_by(
            "assessment__office__position", "cell__dimension__position", "cell__item__position"
        )
    )
    by_pk = {a.pk: a for a in assessments}
    for f in findings:
        f.assessment = by_pk[f.assessment_id]
    aids = Aids(period, assessments)
    aids.peers = peer_outliers(target, now)
    aids.history = history_outliers(
        target,
        now,
        {o: [projections[s.assessment.pk] for s in group] for o, group in by_office.items()},
    )
    aids.gaps = self_review_gaps(target, now)
    aids.copies = copied_narratives(current, previous)
    aids.improvements = open_improvements(period, findings)
    aids.typos = typos_in(current, findings)
    return aids
