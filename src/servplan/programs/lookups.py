"""Which program and rubrics count: the published ones. Every "HQ's program of year N" reads here.

Drafts are HQ's work in progress; offices, plans, imports and the public never see them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet

from servplan.programs.models import Program, Publication, Rubric


def published_programs() -> QuerySet[Program]:
    return Program.objects.filter(status=Publication.PUBLISHED)


def hq_program(roc_year: int, *, or_earlier: bool = False) -> Program | None:
    """HQ's program of `roc_year`: its latest published version. With `or_earlier`, when the
    year has none yet, the latest published program of the latest earlier year."""
    qs = published_programs()
    qs = qs.filter(roc_year__lte=roc_year) if or_earlier else qs.filter(roc_year=roc_year)
    return qs.order_by("-roc_year", "-version").first()


def is_newer(candidate: Program, program: Program) -> bool:
    return (candidate.roc_year, candidate.version) > (program.roc_year, program.version)


def newer_programs(plans: Iterable) -> dict[int, Program]:
    """For each plan (by id) whose program is older than HQ's program for the plan's year
    (hq_program with or_earlier), that newer program. One query whatever the number of plans;
    each plan's `program` should be loaded (select_related)."""
    plans = list(plans)
    if not plans:
        return {}
    latest: dict[int, Program] = {}
    for p in published_programs().filter(roc_year__lte=max(p.roc_year for p in plans)):
        if p.roc_year not in latest or p.version > latest[p.roc_year].version:
            latest[p.roc_year] = p
    found = {}
    for plan in plans:
        years = [y for y in latest if y <= plan.roc_year]
        if years:
            candidate = latest[max(years)]
            if is_newer(candidate, plan.program):
                found[plan.pk] = candidate
    return found


def published_rubrics() -> QuerySet[Rubric]:
    """The rubrics offices may assess with: published, and not superseded by a published
    later version."""
    newer = Rubric.objects.filter(supersedes=OuterRef("pk"), status=Publication.PUBLISHED)
    return Rubric.objects.filter(status=Publication.PUBLISHED).exclude(Exists(newer))
