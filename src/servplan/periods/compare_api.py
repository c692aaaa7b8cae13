"""The comparison and the reviewer aids of a period as JSON: the same builders and access
rules as the pages (HQ and admins; office staff get 404)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Router

from servplan.api_schemas import Out, answers
from servplan.core.listing import page_window, paginate
from servplan.core.scores import to_json_number
from servplan.periods.aids import EXPLAIN, build_aids
from servplan.periods.api import _hq_period
from servplan.periods.comparison import MEASURES, build_comparison

router = Router(tags=["periods"])


class PeriodComparisonOut(Out):
    """The offices × units table; `items` one row per office that reached HQ."""

    period: dict[str, Any]
    released: bool
    units: list[dict[str, Any]]
    stats: dict[str, dict[str, dict[str, Any]]]
    not_included: list[dict[str, Any]]
    items: list[dict[str, Any]]
    count: int
    next: str | None


class PeriodAidsOut(Out):
    """Each aid's findings, with the rule that found them in `explanations`."""

    period: dict[str, Any]
    explanations: dict[str, str]
    peers: list[dict[str, Any]]
    history: list[dict[str, Any]]
    gaps: list[dict[str, Any]]
    copies: list[dict[str, Any]]
    improvements: list[dict[str, Any]]
    typos: list[dict[str, Any]]


def _dec(value: Decimal | None, places: str = "0.01") -> int | float | None:
    if value is None:
        return None
    return to_json_number(Decimal(value).quantize(Decimal(places)).normalize())


def _summary(s) -> dict:
    return {
        "n": s.n,
        "mean": _dec(s.mean),
        "median": _dec(s.median),
        "min": _dec(s.minimum),
        "max": _dec(s.maximum),
        "spread": _dec(s.spread),
    }


def _entry(e) -> dict:
    return {
        "value": _dec(e.value),
        "rank": e.rank,
        "gap": _dec(e.gap),
        "missing": e.missing or None,
    }


def _period(p) -> dict:
    return {
        "slug": p.slug,
        "title": str(p.period),
        "rubric": {"id": p.rubric_id, "title": str(p.rubric)},
    }


def _comparable(projection) -> dict:
    return {
        "share": _dec(projection.share, "0.0001"),
        "target_points": to_json_number(projection.target_points),
        "comparable_target_points": to_json_number(projection.comparable_target_points),
        "source_points": to_json_number(projection.source_points),
        "comparable_source_points": to_json_number(projection.comparable_source_points),
        "unmatched_source": [c.label for c in projection.unmatched_source],
        "unmatched_target": [c.label for c in projection.unmatched_target],
    }


@router.get(
    "/periods/{slug}/comparison/",
    response=answers({200: PeriodComparisonOut}, 400, 404),
    summary="The comparison of a period: offices × cells, dimensions, items and total (HQ)",
)
def period_comparison(request, slug: str):
    """Offices × units (every cell `c<dimension>-<item>`, dimension `d<n>`, item `i<n>` and
    the `total`): each office's self-score and HQ's review, rank and gap to the median, how
    much of it was comparable; per unit and measure the mean, median and spread. `items` is
    a page of offices (`limit`, `offset`, `next` as every list); ranks, gaps and `stats` are
    over all the offices compared (`count`)."""
    c = build_comparison(_hq_period(request, slug), user=request.user)

    def item(r) -> dict:
        return {
            "office": r.office.name,
            "office_code": r.office.code,
            "assessment": r.assessment.pk,
            "status": r.assessment.status,
            "rubric": {"id": r.assessment.rubric_id, "title": str(r.assessment.rubric)},
            "comparable": _comparable(r.projection),
            "scores": {u.key: {m: _entry(r.entry(u, m)) for m in MEASURES} for u in c.units},
        }

    # A page of offices (`limit`, `offset`); ranks, gaps and `stats` stay over all of them.
    limit, offset = page_window(request)
    c.show(c.rows[offset : offset + limit])
    page = paginate(request, c.rows, item)
    return {
        "period": _period(c.period),
        "released": c.released,
        "units": [
            {"key": u.key, "kind": u.kind, "label": u.label, "max": to_json_number(u.max)}
            for u in c.units
        ],
        "stats": {u.key: {m: _summary(c.summary(u, m)) for m in MEASURES} for u in c.units},
        "not_included": [
            {"office": o.name, "office_code": o.code, "status": str(status)}
            for o, status in c.not_included
        ],
        **page,
    }


def _where(assessment, cell: str) -> dict:
    return {
        "office": assessment.office.name,
        "office_code": assessment.office.code,
        "assessment": assessment.pk,
        "period": assessment.period.slug,
        "cell": cell,
    }


def _outlier(o) -> dict:
    return {
        **_where(o.assessment, o.cell.label),
        "percent": _dec(o.percent),
        "median": _dec(o.median),
        "distance": _dec(o.distance),
        "compared_with": o.n,
    }


@router.get(
    "/periods/{slug}/aids/",
    response=answers({200: PeriodAidsOut}, 400, 404),
    summary="The reviewer aids of a period: outliers, gaps, copies, stale improvements, typos",
)
def period_aids(request, slug: str):
    """The reviewer aids, each list with the rule that found it (`explanations`)."""
    a = build_aids(_hq_period(request, slug), user=request.user)
    return {
        "period": _period(a.period),
        "explanations": EXPLAIN,
        "peers": [_outlier(o) for o in a.peers],
        "history": [_outlier(o) for o in a.history],
        "gaps": [
            {
                **_where(g.assessment, g.cell.label),
                "max": to_json_number(g.cell.max),
                "self": _dec(g.self_score),
                "review": _dec(g.review_score),
                "gap": _dec(g.gap),
                "share": _dec(g.share, "0.0001"),
            }
            for g in a.gaps
        ],
        "copies": [
            {
                "kind": c.kind,
                "a": {**_where(c.a.assessment, c.a.cell), "shared": c.match.shared_text},
                "b": {
                    **_where(c.b.assessment, c.b.cell),
                    "shared": [s.text for s in c.match.b_segments if s.shared],
                },
                "longest": c.match.longest,
                "containment": round(c.match.containment, 4),
                "jaccard": round(c.match.jaccard, 4),
            }
            for c in a.copies
        ],
        "improvements": [
            {
                **_where(i.assessment, i.cell),
                "improvement": i.finding.improvement_id,
                "recommendation": i.finding.improvement.recommendation,
                "status": i.finding.improvement.status,
                "last_follow_up": {
                    "roc_year": i.last.roc_year,
                    "quarter": i.last.quarter,
                    "progress": i.last.progress,
                }
                if i.last
                else None,
                "quarters_since": i.quarters,
                "stale": i.stale,
                "move": i.move,
            }
            for i in a.improvements
        ],
        "typos": [
            {
                **_where(t.assessment, t.cell),
                "field": t.field,
                "wrong": t.find.wrong,
                "right": t.find.right,
                "note": t.find.note,
                "context": f"{t.find.before}{t.find.wrong}{t.find.after}",
            }
            for t in a.typos
        ],
    }
