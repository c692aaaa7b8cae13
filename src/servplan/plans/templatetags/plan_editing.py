"""Filters of the plan editor's templates."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from servplan.plans.domain import practice_label as _practice_label
from servplan.plans.serializers import strategy_version as _strategy_version

register = template.Library()


@dataclass(frozen=True)
class DepartmentOption:
    pk: int
    name: str
    order: int | None  # its place among the chosen (1, 2 …); None: not chosen
    listed: bool = True  # False: chosen before, but no longer one of the office's choices


@register.filter
def department_options(practice, choices) -> list[DepartmentOption]:
    """The 承辦部門 checkboxes of a practice: the chosen in their order, then the other choices.

    A department checked later joins the end of the list (plans.editor._departments_sent).
    """
    chosen = [link.department for link in practice.department_links.all()]
    listed = {d.pk for d in choices}
    return [
        DepartmentOption(d.pk, d.name, n, d.pk in listed) for n, d in enumerate(chosen, start=1)
    ] + [DepartmentOption(d.pk, d.name, None) for d in choices if d not in chosen]


@register.filter
def practice_label(practice) -> str:
    """「策略／子策略（3）」, as the domain's messages name the practice."""
    return _practice_label(practice)


@register.filter
def strategy_version(strategy) -> int:
    return _strategy_version(strategy)
