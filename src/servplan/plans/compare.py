"""What changed in a plan against the office's plan of last year or HQ's program (pure: reads only).

Practices are paired first by `origin` (HQ's items: the program item they were copied from),
then, within the same strategy, by their text: the same text (spacing and full-width forms
aside), else the most similar one above SIMILAR (difflib on characters, which suits Chinese).
Strategies pair by origin, else by their facet's and their own name. What stays unpaired was
added (only in the plan) or removed (only in the other tree).
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field

from servplan.core.errors import DomainError
from servplan.plans.models import OfficePlan
from servplan.plans.serializers import plans_for_export
from servplan.programs.models import Outline
from servplan.programs.serializers import outline_prefetch

AGAINST = ("last-year", "program")
AGAINST_LABELS = {"last-year": "去年計畫", "program": "總處計畫"}
# Below this share of common characters two texts are different practices, not a rewording.
SIMILAR = 0.5
ADDED, REMOVED, REWORDED, CHANGED, UNCHANGED = (
    "added",
    "removed",
    "reworded",
    "changed",
    "unchanged",
)
CHANGE_LABELS = {
    ADDED: "新增",
    REMOVED: "刪除",
    REWORDED: "文字修改",
    CHANGED: "部門或期間調整",
    UNCHANGED: "未變更",
}


def comparable(text: str) -> str:
    """A text as compared: full-width forms folded (NFKC), spacing ignored."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


@dataclass
class Segment:
    text: str
    changed: bool


@dataclass
class Side:
    """One practice as one of the two trees has it."""

    number: int | None
    text: str
    departments: list[str]
    period: str
    not_applicable: bool = False
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Row:
    change: str
    facet: str
    strategy: str
    measure: str
    new: Side | None
    old: Side | None
    practice_id: int | None = None  # the plan's practice (None: removed)
    from_hq: bool = False
    departments_changed: bool = False
    period_changed: bool = False
    applicability_changed: bool = False

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self.change]


@dataclass
class Comparison:
    against: str
    base_title: str  # "" when there is nothing to compare against
    rows: list[Row]

    @property
    def label(self) -> str:
        return AGAINST_LABELS[self.against]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(CHANGE_LABELS, 0)
        for row in self.rows:
            counts[row.change] += 1
        return counts


@dataclass
class _Item:
    facet: str
    strategy_id: int
    strategy: str
    strategy_origin: int | None
    measure: str
    practice: object  # programs.models.Practice, with its department links prefetched
    key: str = ""

    def side(self) -> Side:
        p = self.practice
        return Side(
            number=p.number,
            text=p.text,
            departments=[link.department.name for link in p.department_links.all()],
            period=p.period,
            not_applicable=p.not_applicable,
        )


def _items(outline: Outline) -> list[_Item]:
    return [
        _Item(
            facet=facet.name,
            strategy_id=strategy.id,
            strategy=strategy.name,
            strategy_origin=strategy.origin_id,
            measure=measure.name,
            practice=practice,
            key=comparable(practice.text),
        )
        for facet in outline.facets.all()
        for strategy in facet.strategies.all()
        for measure in strategy.measures.all()
        for practice in measure.practices.all()
    ]


def check_against(value: str | None) -> str:
    against = (value or "program").strip()
    if against not in AGAINST:
        raise DomainError(
            f"比較對象「{against}」不正確（可用：last-year 去年計畫、program 總處計畫）",
            where="against",
        )
    return against


def base_outline(plan: OfficePlan, against: str) -> tuple[Outline | None, str]:
    """The tree to compare `plan` with, loaded whole, and its title ("" when there is none)."""
    if against == "program":
        outline = Outline.objects.prefetch_related(*outline_prefetch()).get(
            pk=plan.program.outline_id
        )
        return outline, plan.program.title
    last = plans_for_export().filter(office_id=plan.office_id, roc_year=plan.roc_year - 1).first()
    return (last.outline, last.title) if last else (None, "")


def compare_plan(plan: OfficePlan, *, against: str) -> Comparison:
    """Every practice of `plan` (loaded with plans_for_export()) and of the other tree, paired,
    with what changed; a fixed number of queries whatever the trees' size."""
    against = check_against(against)
    outline, title = base_outline(plan, against)
    new = _items(plan.outline)
    old = _items(outline) if outline is not None else []
    pairs = _pair(new, old, by_program=against == "program")
    return Comparison(against=against, base_title=title, rows=_rows(new, old, pairs))


def _strategy_pairs(new: list[_Item], old: list[_Item], *, by_program: bool) -> dict[int, int]:
    """The plan's strategies → the other tree's: by origin, else by facet and name."""
    old_by_id = {i.strategy_id: i for i in old}
    old_by_origin = {i.strategy_origin: i.strategy_id for i in old if i.strategy_origin}
    old_by_name = {}
    for i in old:
        old_by_name.setdefault((comparable(i.facet), comparable(i.strategy)), i.strategy_id)
    pairs: dict[int, int] = {}
    for i in new:
        if i.strategy_id in pairs:
            continue
        origin = i.strategy_origin
        if origin and by_program and origin in old_by_id:
            pairs[i.strategy_id] = origin
        elif origin and not by_program and origin in old_by_origin:
            pairs[i.strategy_id] = old_by_origin[origin]
        elif (found := old_by_name.get((comparable(i.facet), comparable(i.strategy)))) is not None:
            pairs[i.strategy_id] = found
    return pairs


def _pair(new: list[_Item], old: list[_Item], *, by_program: bool) -> dict[int, int]:
    """Index in `new` → index in `old` of the same practice."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    # HQ's items: the program item a practice was copied from, in either tree.
    if by_program:
        index = {item.practice.id: n for n, item in enumerate(old)}
    else:
        index = {
            item.practice.origin_id: n for n, item in enumerate(old) if item.practice.origin_id
        }
    for n, item in enumerate(new):
        found = index.get(item.practice.origin_id) if item.practice.origin_id else None
        if found is not None and found not in taken:
            pairs[n] = found
            taken.add(found)
    # The rest by text, within the same strategy: equal first, then the most similar.
    strategies = _strategy_pairs(new, old, by_program=by_program)
    candidates = []
    for n, item in enumerate(new):
        if n in pairs or item.strategy_id not in strategies:
            continue
        for m, other in enumerate(old):
            if m in taken or other.strategy_id != strategies[item.strategy_id]:
                continue
            if item.key == other.key:
                ratio = 2.0
            else:
                matcher = difflib.SequenceMatcher(None, other.key, item.key, autojunk=False)
                if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                    continue
                ratio = matcher.ratio()
            if ratio >= SIMILAR:
                candidates.append((-ratio, n, m))
    for _, n, m in sorted(candidates):
        if n not in pairs and m not in taken:
            pairs[n] = m
            taken.add(m)
    return pairs


def segments(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """Each text as runs of characters, those the other text lacks marked changed."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    before: list[Segment] = []
    after: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        _add(before, old[i1:i2], tag != "equal")
        _add(after, new[j1:j2], tag != "equal")
    return before, after


def _add(runs: list[Segment], text: str, changed: bool) -> None:
    if not text:
        return
    if runs and runs[-1].changed == changed:
        runs[-1].text += text
    else:
        runs.append(Segment(text, changed))


def _row(item: _Item | None, other: _Item | None) -> Row:
    shown = item or other
    new = item.side() if item else None
    old = other.side() if other else None
    row = Row(
        change=ADDED if other is None else REMOVED if item is None else UNCHANGED,
        facet=shown.facet,
        strategy=shown.strategy,
        measure=shown.measure,
        new=new,
        old=old,
        practice_id=item.practice.id if item else None,
        from_hq=bool(item and item.practice.origin_id),
    )
    if new and old:
        row.departments_changed = new.departments != old.departments
        row.period_changed = comparable(new.period) != comparable(old.period)
        row.applicability_changed = new.not_applicable != old.not_applicable
        if item.key != other.key:
            row.change = REWORDED
            old.segments, new.segments = segments(old.text, new.text)
        elif row.departments_changed or row.period_changed or row.applicability_changed:
            row.change = CHANGED
    return row


def _rows(new: list[_Item], old: list[_Item], pairs: dict[int, int]) -> list[Row]:
    """The plan's order; a removed practice follows the strategy it stood in (paired with one
    of the plan's), else closes its facet, else the table."""
    paired_old = set(pairs.values())
    strategies = {}
    for n, m in pairs.items():
        strategies.setdefault(new[n].strategy_id, old[m].strategy_id)
    removed = [m for m in range(len(old)) if m not in paired_old]
    rows: list[Row] = []
    placed: set[int] = set()

    def place(wanted) -> None:
        for m in removed:
            if m not in placed and wanted(old[m]):
                rows.append(_row(None, old[m]))
                placed.add(m)

    for n, item in enumerate(new):
        rows.append(_row(item, old[pairs[n]] if n in pairs else None))
        following = new[n + 1] if n + 1 < len(new) else None
        if item.strategy_id in strategies and (
            following is None or following.strategy_id != item.strategy_id
        ):
            strategy = strategies[item.strategy_id]
            place(lambda o, s=strategy: o.strategy_id == s)
        if following is None or following.facet != item.facet:
            facet = comparable(item.facet)
            place(lambda o, f=facet: comparable(o.facet) == f)
    place(lambda o: True)
    return rows


def comparison_to_dict(comparison: Comparison) -> dict:
    """The API's shape of a comparison."""

    def side(s: Side | None) -> dict | None:
        if s is None:
            return None
        return {
            "number": s.number,
            "text": s.text,
            "departments": s.departments,
            "period": s.period,
            "not_applicable": s.not_applicable,
            "segments": [{"text": g.text, "changed": g.changed} for g in s.segments],
        }

    return {
        "against": comparison.against,
        "base": comparison.base_title or None,
        "counts": comparison.counts,
        "rows": [
            {
                "change": r.change,
                "facet": r.facet,
                "strategy": r.strategy,
                "measure": r.measure,
                "practice_id": r.practice_id,
                "from_hq": r.from_hq,
                "departments_changed": r.departments_changed,
                "period_changed": r.period_changed,
                "applicability_changed": r.applicability_changed,
                "old": side(r.old),
                "new": side(r.new),
            }
            for r in comparison.rows
        ],
    }
