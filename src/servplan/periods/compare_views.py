"""HQ's comparison pages: a period's offices × dimensions/items/cells with its heat map, one
office's trend, one unit across offices; each table as XLSX/CSV and each chart as SVG.

HQ's and admins' only, like the board: everyone else gets 404 (an office's own figures stay on
its own pages). They read; nothing here changes a record.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe

from servplan.core.errors import DomainError
from servplan.core.listing import page_of
from servplan.documents.views import file_response
from servplan.offices.models import Office
from servplan.periods import tables
from servplan.periods.comparison import (
    LEVELS,
    MEASURES,
    SELF,
    build_comparison,
    build_trend,
    build_unit,
)
from servplan.periods.views import _hq_only, period_for

UNIT_TABLES = {"offices": "各區營業處", "periods": "各期分布"}


def _choice(request, name: str, allowed, default: str) -> str:
    try:
        return tables.check_choice(request.GET.get(name, ""), allowed, where=name, default=default)
    except DomainError as exc:
        raise BadRequest(exc.message) from exc


def _file(make):
    try:
        return file_response(make())
    except DomainError as exc:
        raise BadRequest(exc.message) from exc


def _comparison(request, slug: str):
    _hq_only(request)
    period = period_for(slug)
    level = _choice(request, "level", LEVELS, "dimension")
    measure = _choice(request, "measure", MEASURES, SELF)
    return build_comparison(period, user=request.user), level, measure


@login_required
def comparison(request, slug: str):
    c, level, measure = _comparison(request, slug)
    units = c.level(level)
    # A page of offices; their ranks, the medians and the heat map's shades stay over all.
    page = page_of(request, c.rows)
    c.show([*page, *c.incomplete])
    return render(
        request,
        "periods/comparison.html",
        {
            "c": c,
            "p": c.period,
            "level": level,
            "measure": measure,
            "measure_label": MEASURES[measure],
            "levels": LEVELS,
            "measures": MEASURES,
            "units": units,
            "page": page,
            "rows": [(r, [r.entry(u, measure) for u in units]) for r in page],
            "summaries": [c.summary(u, measure) for u in units],
            "heatmap": mark_safe(tables.heatmap_svg(c, level, measure, list(page))),  # noqa: S308 (texts escaped)
        },
    )


@login_required
def comparison_export(request, slug: str, fmt: str):
    c, level, measure = _comparison(request, slug)
    name = f"{c.period.slug}-comparison-{level}-{measure}"
    title = f"{c.period.period} 各區營業處{MEASURES[measure]}比較（{LEVELS[level]}）"
    return _file(
        lambda: tables.table_export(
            tables.comparison_rows(c, level, measure), title=title, name=name, fmt=fmt
        )
    )


@login_required
def comparison_chart(request, slug: str):
    c, level, measure = _comparison(request, slug)
    svg = tables.heatmap_svg(c, level, measure)
    return file_response(tables.svg_export(svg, name=f"{c.period.slug}-heatmap-{level}-{measure}"))


def _trend(request, code: str):
    _hq_only(request)
    office = Office.objects.filter(code=code).first()
    if office is None:
        raise Http404("找不到區營業處")
    trend = build_trend(office, user=request.user)
    keys = [u.key for u in trend.units] or ["total"]
    key = _choice(request, "unit", keys, "total")
    return trend, (trend.unit(key) if trend.units else None)


@login_required
def trend(request, code: str):
    t, unit = _trend(request, code)
    return render(
        request,
        "periods/trend.html",
        {
            "t": t,
            "unit": unit,
            "reference": t.points[-1].assessment.rubric if t.points else None,
            "chart": mark_safe(tables.trend_svg(t, unit)) if unit else "",  # noqa: S308
            "table": tables.trend_rows(t),
            "partial": [p for p in t.points if not p.projection.complete],
        },
    )


@login_required
def trend_export(request, code: str, fmt: str):
    t, _ = _trend(request, code)
    return _file(
        lambda: tables.table_export(
            tables.trend_rows(t),
            title=f"{t.office.name} 歷期趨勢",
            name=f"{t.office.code}-trend",
            fmt=fmt,
        )
    )


@login_required
def trend_chart(request, code: str):
    t, unit = _trend(request, code)
    if unit is None:
        raise Http404("尚無可繪製的資料")
    name = f"{t.office.code}-trend-{unit.key}"
    return file_response(tables.svg_export(tables.trend_svg(t, unit), name=name))


def _unit(request, slug: str, key: str):
    _hq_only(request)
    return build_unit(period_for(slug), key, user=request.user)


@login_required
def unit(request, slug: str, key: str):
    u = _unit(request, slug, key)
    c = u.comparison
    return render(
        request,
        "periods/unit.html",
        {
            "u": u,
            "c": c,
            "p": c.period,
            "rows": [(r, [r.entry(u.unit, m) for m in MEASURES]) for r in c.rows],
            "summaries": [c.summary(u.unit, m) for m in MEASURES],
            "measures": MEASURES,
            "offices_chart": mark_safe(tables.unit_offices_svg(u)),  # noqa: S308
            "history_chart": mark_safe(tables.unit_history_svg(u)),  # noqa: S308
            "history": [(h, [h.summaries[m] for m in MEASURES]) for h in u.history],
            "others": [x for x in c.units if x.key != u.unit.key],
        },
    )


@login_required
def unit_export(request, slug: str, key: str, fmt: str):
    u = _unit(request, slug, key)
    which = _choice(request, "table", UNIT_TABLES, "offices")
    rows = tables.unit_office_rows(u) if which == "offices" else tables.unit_history_rows(u)
    title = f"{u.comparison.period.period} {u.unit.label}（{UNIT_TABLES[which]}）"
    name = f"{u.comparison.period.slug}-{u.unit.key}-{which}"
    return _file(lambda: tables.table_export(rows, title=title, name=name, fmt=fmt))


@login_required
def unit_chart(request, slug: str, key: str):
    u = _unit(request, slug, key)
    which = _choice(request, "chart", UNIT_TABLES, "offices")
    svg = tables.unit_offices_svg(u) if which == "offices" else tables.unit_history_svg(u)
    name = f"{u.comparison.period.slug}-{u.unit.key}-{which}"
    return file_response(tables.svg_export(svg, name=name))
