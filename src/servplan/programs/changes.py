"""What changed in a program against an earlier one: strategies and practices added, removed,
reworded or moved, followed through the items' `origin` links (each copy points to the item
it was copied from), so a rewording is told from a removal plus an addition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Model

from servplan.core.roc import cjk_number
from servplan.programs.models import Outline, Practice, Program, Strategy
from servplan.programs.serializers import outline_prefetch

# Versions and years between two programs compared; far more than a program ever has.
MAX_GENERATIONS = 200


@dataclass
class Change:
    """One strategy or practice: `kind` added, removed or changed (`details` say how)."""

    kind: str
    place: str
    old: str = ""
    new: str = ""
    reworded: bool = False
    details: list[str] = field(default_factory=list)


@dataclass
class ProgramChanges:
    program: Program
    against: Program | None
    strategies: list[Change]
    practices: list[Change]

    @property
    def counts(self) -> dict[str, int]:
        """Practices added, removed and changed (the page's one-line summary)."""
        found = {"added": 0, "removed": 0, "changed": 0}
        for c in self.practices:
            found[c.kind] += 1
        return found

    @property
    def empty(self) -> bool:
        return not (self.strategies or self.practices)


@dataclass
class _Item:
    node: Model
    place: str
    facet: str
    strategy_id: int
    measure: str = ""
    departments: str = ""


def _load(outline_id: int) -> Outline:
    return Outline.objects.prefetch_related(*outline_prefetch()).get(pk=outline_id)


def _flatten(outline: Outline) -> tuple[dict[int, _Item], dict[int, _Item]]:
    strategies, practices = {}, {}
    for f_pos, facet in enumerate(outline.facets.all(), start=1):
        facet_place = f"{cjk_number(f_pos)}、{facet.name}"
        for s_pos, strategy in enumerate(facet.strategies.all(), start=1):
            s_place = f"{facet_place}／（{cjk_number(s_pos)}）{strategy.name}"
            strategies[strategy.pk] = _Item(strategy, s_place, facet.name, strategy.pk)
            for m_pos, measure in enumerate(strategy.measures.all(), start=1):
                m_place = f"{s_place}／{m_pos}. {measure.name}" if measure.name else s_place
                for practice in measure.practices.all():
                    number = f"（{practice.number}）" if practice.number else ""
                    practices[practice.pk] = _Item(
                        practice,
                        m_place + number,
                        facet.name,
                        strategy.pk,
                        measure.name,
                        "、".join(link.department.name for link in practice.department_links.all()),
                    )
    return strategies, practices


def _ancestors(model: type[Model], items: dict[int, _Item], old_ids: set[int]) -> dict[int, int]:
    """For each item, the item of `old_ids` its chain of `origin` links reaches (one query
    per generation in between; none when the older program is the one copied from)."""
    found: dict[int, int] = {}
    frontier = {pk: item.node.origin_id for pk, item in items.items() if item.node.origin_id}
    for _ in range(MAX_GENERATIONS):
        for pk, origin in list(frontier.items()):
            if origin in old_ids:
                found[pk] = origin
                del frontier[pk]
        if not frontier:
            break
        parents = dict(
            model.objects.filter(pk__in=set(frontier.values())).values_list("pk", "origin_id")
        )
        frontier = {pk: parents[o] for pk, o in frontier.items() if parents.get(o)}
    return found


def compare_programs(program: Program, against: Program | None) -> ProgramChanges:
    """`program`'s strategies and practices against `against`'s (None: everything is new)."""
    new_strategies, new_practices = _flatten(_load(program.outline_id))
    old_strategies, old_practices = (
        ({}, {}) if against is None else _flatten(_load(against.outline_id))
    )
    strategy_of = _ancestors(Strategy, new_strategies, set(old_strategies))
    practice_of = _ancestors(Practice, new_practices, set(old_practices))

    strategies: list[Change] = []
    for pk, item in new_strategies.items():
        old = old_strategies.get(strategy_of.get(pk))
        if old is None:
            strategies.append(Change("added", item.place, new=item.node.name))
            continue
        change = Change("changed", item.place, old=old.node.name, new=item.node.name)
        change.reworded = old.node.name != item.node.name
        if old.facet != item.facet:
            change.details.append(f"面向：{old.facet} → {item.facet}")
        if change.reworded or change.details:
            strategies.append(change)
    kept = set(strategy_of.values())
    strategies += [
        Change("removed", o.place, old=o.node.name)
        for pk, o in old_strategies.items()
        if pk not in kept
    ]

    practices: list[Change] = []
    for pk, item in new_practices.items():
        old = old_practices.get(practice_of.get(pk))
        if old is None:
            practices.append(Change("added", item.place, new=item.node.text))
            continue
        change = Change("changed", item.place, old=old.node.text, new=item.node.text)
        change.reworded = old.node.text != item.node.text
        if strategy_of.get(item.strategy_id) != old.strategy_id:
            change.details.append(f"移自：{old.place}")
        elif old.measure != item.measure:
            change.details.append(f"子策略：{old.measure or '（無）'} → {item.measure or '（無）'}")
        if old.departments != item.departments:
            change.details.append(
                f"承辦部門：{old.departments or '（無）'} → {item.departments or '（無）'}"
            )
        if old.node.period != item.node.period:
            change.details.append(
                f"執行期間：{old.node.period or '（無）'} → {item.node.period or '（無）'}"
            )
        if change.reworded or change.details:
            practices.append(change)
    kept = set(practice_of.values())
    practices += [
        Change("removed", o.place, old=o.node.text)
        for pk, o in old_practices.items()
        if pk not in kept
    ]
    return ProgramChanges(program, against, strategies, practices)
