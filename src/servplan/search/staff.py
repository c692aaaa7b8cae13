"""Signed-in search: the live records a person may see, and nothing more.

It reads through the records' own access rules (plans.access.visible_plans,
assessments.access.visible_assessments): office staff find their office's plans and
assessments, drafts included; HQ those submitted to it; admins all. HQ's review comments are
not searched (an office sees them only after the release). Matching is icontains on the live
tables (every term of the query), each kind bounded by LIMIT rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db.models import Q
from django.urls import reverse

from servplan.assessments.access import visible_assessments
from servplan.assessments.models import CellScore, Finding
from servplan.plans.access import visible_plans
from servplan.programs.models import Practice
from servplan.search.text import fold, snippet, terms

LIMIT = 30  # rows per kind (plan sections, practices, narratives, findings)

PLAN_SECTIONS = (
    ("basis", "壹、計畫依據"),
    ("goals", "貳、計畫目標"),
    ("targets", "參、實施對象"),
    ("steps", "伍、實施步驟"),
    ("supplementary", "陸、附則"),
)
FINDING_FIELDS = (("strengths", "優點"), ("weaknesses", "缺點"), ("remarks", "備註"))


@dataclass(frozen=True)
class StaffHit:
    kind: str  # "plan" or "assessment"
    title: str
    part: str
    status: str
    url: str
    snippet: str


def _word_in(word: str, fields: list[str]) -> Q:
    return reduce(or_, (Q(**{f"{f}__icontains": word}) for f in fields))


def _every(words: list[str], fields: list[str]) -> Q:
    """Every word in one of `fields`."""
    return reduce(and_, (_word_in(w, fields) for w in words))


def _has(text: str, words: list[str]) -> bool:
    folded = fold(text)
    return any(w in folded for w in words)


def _in_finding(word: str) -> Q:
    """The word in a row's texts or in its 建議改善事項 as the row shows it: frozen at submit,
    else its live improvement's (one of its own office's drafts)."""
    return (
        _word_in(word, [f for f, _ in FINDING_FIELDS])
        | Q(frozen__recommendation__icontains=word)
        | Q(frozen__isnull=True, improvement__recommendation__icontains=word)
    )


def search_staff(user, query: str | None) -> list[StaffHit]:
    """What `user` may see that holds every term of `query` (refused when malformed:
    where="q"): plans (sections, practices), then assessments (narratives, findings). Four
    queries, whatever the data."""
    words = terms(query)
    if not words:
        return []
    hits: list[StaffHit] = []
    plans = visible_plans(user).select_related("office")
    for plan in plans.filter(_every(words, [f for f, _ in PLAN_SECTIONS]))[:LIMIT]:
        url = reverse("plan-detail", args=[plan.pk])
        for field, label in PLAN_SECTIONS:
            text = getattr(plan, field)
            if _has(text, words):
                hits.append(
                    StaffHit(
                        "plan",
                        plan.title,
                        label,
                        plan.get_status_display(),
                        url,
                        snippet(text, words),
                    )
                )
    practices = (
        Practice.objects.filter(
            _every(words, ["text", "target"]),
            measure__strategy__facet__outline__plan__in=visible_plans(user),
        )
        .select_related("measure__strategy__facet__outline__plan")
        .order_by("-measure__strategy__facet__outline__plan__roc_year", "id")[:LIMIT]
    )
    for p in practices:
        plan = p.measure.strategy.facet.outline.plan
        number = f"({p.number})" if p.number else ""
        hits.append(
            StaffHit(
                "plan",
                plan.title,
                f"{p.measure.strategy.facet.name}・{p.measure.strategy.name}・{number}".rstrip(
                    "・"
                ),
                plan.get_status_display(),
                reverse("plan-detail", args=[plan.pk]),
                snippet(f"{p.text}\n{p.target}", words),
            )
        )
    mine = visible_assessments(user)
    cells = (
        CellScore.objects.filter(_every(words, ["narrative"]), assessment__in=mine)
        .select_related("assessment__office", "cell__dimension", "cell__item")
        .order_by("-assessment__roc_year", "-assessment__start_month", "id")[:LIMIT]
    )
    for c in cells:
        a = c.assessment
        hits.append(
            StaffHit(
                "assessment",
                f"{a.office.name} {a.period}",
                f"{c.cell.dimension.name}／{c.cell.item.name}・執行情形",
                a.get_status_display(),
                reverse("assessment-detail", args=[a.pk]) + f"#cell-{c.pk}",
                snippet(c.narrative, words),
            )
        )
    findings = (
        Finding.objects.filter(reduce(and_, map(_in_finding, words)), assessment__in=mine)
        .select_related("assessment__office", "cell__dimension", "cell__item", "improvement")
        .order_by("-assessment__roc_year", "-assessment__start_month", "id")[:LIMIT]
    )
    for f in findings:
        a = f.assessment
        text = "\n".join(
            f"{label}：{value}"
            for label, value in (
                *((label, getattr(f, field)) for field, label in FINDING_FIELDS),
                ("建議改善事項", f.recommendation),
            )
            if value
        )
        hits.append(
            StaffHit(
                "assessment",
                f"{a.office.name} {a.period}",
                f"{f.cell.dimension.name}／{f.cell.item.name}・自行考核結果彙整",
                a.get_status_display(),
                reverse("assessment-detail", args=[a.pk]) + f"#finding-{f.pk}",
                snippet(text, words),
            )
        )
    return hits
