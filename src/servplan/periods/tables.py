"""The comparison's tables as rows (header first) and as files: XLSX or CSV with formulas kept
out (documents.data), and the charts as SVG. The pages show the same figures."""

from __future__ import annotations

from decimal import Decimal

from servplan.core.errors import DomainError
from servplan.documents.data import to_csv, to_xlsx
from servplan.documents.export import CONTENT_TYPES, Export, check_format
from servplan.periods import charts
from servplan.periods.comparison import (
    MEASURES,
    REVIEW,
    SELF,
    Comparison,
    Trend,
    Unit,
    UnitAcross,
    short_period,
)

TABLE_FORMATS = ("xlsx", "csv")
STAT_ROWS = (("平均", "mean"), ("中位數", "median"), ("全距（最高－最低）", "spread"))


def number(value: Decimal | None, places: str = "0.01") -> int | float | None:
    """A spreadsheet number: whole when it is whole, else rounded to `places`."""
    if value is None:
        return None
    d = Decimal(value).quantize(Decimal(places))
    return int(d) if d == d.to_integral() else float(d)


def percent(value: Decimal | None) -> int | float | None:
    return number(value, "0.1")


def _summary_value(summary, key: str):
    return getattr(summary, key)


# ---- the period's table -------------------------------------------------------------------


def comparison_rows(c: Comparison, level: str, measure: str) -> list[list]:
    """區營業處, 評分表, 可比較比例, then per column its points, rank and gap to the median;
    then the mean, median and spread of every column."""
    units = c.level(level)
    name = MEASURES[measure]
    header = ["區營業處", "評分表", "可比較比例（%）"]
    for u in units:
        header += [f"{u.label}（{u.max.normalize():f} 分）{name}", "名次", "與中位數差"]
    out = [header]
    for r in c.rows:
        row = [r.office.name, str(r.assessment.rubric), percent(r.projection.share * 100)]
        for u in units:
            e = r.entry(u, measure)
            row += [
                number(e.value) if e.value is not None else e.missing_label,
                e.rank,
                number(e.gap),
            ]
        out.append(row)
    for label, key in STAT_ROWS:
        row = [label, "", None]
        for u in units:
            row += [number(_summary_value(c.summary(u, measure), key)), None, None]
        out.append(row)
    return out


def heatmap_svg(c: Comparison, level: str, measure: str, rows: list | None = None) -> str:
    """Offices (`rows`, or all) × the level's columns, each shaded from the column's lowest
    to its highest among all the offices."""
    rows = c.rows if rows is None else rows
    units = c.level(level)
    shades = []
    for u in units:
        s = c.summary(u, measure)
        low, high = s.minimum, s.maximum
        shades.append((low, high))
    cells = []
    for r in rows:
        line = []
        for u, (low, high) in zip(units, shades, strict=True):
            e = r.entry(u, measure)
            if e.value is None:
                line.append((e.missing_label, None))
                continue
            shade = 0.5 if high == low else float((e.value - low) / (high - low))
            line.append((charts.number_text(e.value), shade))
        cells.append(line)
    return charts.heatmap(
        title=f"{c.period.period} {MEASURES[measure]}分數熱度圖",
        rows=[r.office.name for r in rows],
        columns=[u.label for u in units],
        subtitles=[f"{u.max.normalize():f} 分" for u in units],
        cells=cells,
        note="顏色由同一欄的最低分（淺）到最高分（深）；格內為分數。",
    )


# ---- one office over time -----------------------------------------------------------------


def trend_rows(t: Trend) -> list[list]:
    header = ["期間", "評分表", "可比較比例（%）"]
    for u in t.units:
        header += [f"{u.label}自評（%）", f"{u.label}複評（%）"]
    out = [header]
    for p in t.points:
        row = [str(p.period), str(p.assessment.rubric), percent(p.projection.share * 100)]
        for u in t.units:
            row += [percent(p.percent(u, SELF)[0]), percent(p.percent(u, REVIEW)[0])]
        out.append(row)
    return out


def trend_svg(t: Trend, unit: Unit) -> str:
    labels = [short_period(p.period) for p in t.points]
    series = [
        charts.Series(
            f"{MEASURES[m]}",
            [p.percent(unit, m)[0] for p in t.points],
            style="solid" if m == SELF else "dashed",
        )
        for m in MEASURES
    ]
    partial = [short_period(p.period) for p in t.points if p.projection.share < 1]
    note = "占可比較配分的百分比。" + (
        f"只有部分可比較：{'、'.join(partial)}（見下表）。" if partial else ""
    )
    values = [v for s in series for v in s.values if v is not None]
    low = min([float(v) for v in values] + [100.0])
    return charts.line_chart(
        title=f"{t.office.name} {unit.label} 歷期趨勢",
        x_labels=labels,
        series=series,
        y_min=max(0, (int(low) // 10) * 10 - 10),
        y_max=100,
        note=note,
    )


# ---- one unit across offices and periods ----------------------------------------------------


def unit_office_rows(u: UnitAcross) -> list[list]:
    header = ["區營業處", "配分"]
    for m in MEASURES:
        header += [str(MEASURES[m]), f"{MEASURES[m]}名次", f"{MEASURES[m]}與中位數差"]
    out = [header]
    for r in u.comparison.rows:
        row = [r.office.name, number(u.unit.max)]
        for m in MEASURES:
            e = r.entry(u.unit, m)
            row += [
                number(e.value) if e.value is not None else e.missing_label,
                e.rank,
                number(e.gap),
            ]
        out.append(row)
    for label, key in STAT_ROWS:
        row = [label, None]
        for m in MEASURES:
            row += [number(_summary_value(u.comparison.summary(u.unit, m), key)), None, None]
        out.append(row)
    return out


def unit_history_rows(u: UnitAcross) -> list[list]:
    header = ["期間", "區營業處數"]
    for m in MEASURES:
        name = MEASURES[m]
        header += [
            f"{name}可比較處數",
            f"{name}平均（%）",
            f"{name}中位數（%）",
            f"{name}最低（%）",
            f"{name}最高（%）",
            f"{name}全距（%）",
        ]
    out = [header]
    for h in u.history:
        row = [str(h.period), h.offices]
        for m in MEASURES:
            s = h.summaries[m]
            row += [
                s.n,
                percent(s.mean),
                percent(s.median),
                percent(s.minimum),
                percent(s.maximum),
                percent(s.spread),
            ]
        out.append(row)
    return out


def unit_offices_svg(u: UnitAcross) -> str:
    rows = u.comparison.rows
    median = u.comparison.summary(u.unit, SELF).median
    return charts.bar_chart(
        title=f"{u.comparison.period.period} {u.unit.label}（{u.unit.max.normalize():f} 分）各區營業處",
        labels=[r.office.name for r in rows],
        series=[
            charts.Series(
                str(MEASURES[m]),
                [r.entry(u.unit, m).value for r in rows],
                style="solid" if m == SELF else "dashed",
            )
            for m in MEASURES
        ],
        maximum=float(u.unit.max),
        references=[("自評中位數", float(median))] if median is not None else [],
    )


def unit_history_svg(u: UnitAcross) -> str:
    h = u.history
    series = [
        charts.Series("自評中位數", [x.summaries[SELF].median for x in h]),
        charts.Series(
            "自評最高", [x.summaries[SELF].maximum for x in h], style="dotted", labelled=False
        ),
        charts.Series(
            "自評最低", [x.summaries[SELF].minimum for x in h], style="dotted", labelled=False
        ),
        charts.Series("複評中位數", [x.summaries[REVIEW].median for x in h], style="dashed"),
    ]
    values = [float(v) for s in series for v in s.values if v is not None]
    low = min(values + [100.0])
    return charts.line_chart(
        title=f"{u.unit.label} 各期各區營業處分布",
        x_labels=[short_period(x.period) for x in h],
        series=series,
        y_min=max(0, (int(low) // 10) * 10 - 10),
        y_max=100,
        note="占可比較配分的百分比；點線為最高與最低，其間即全距（數值見表）。",
    )


# ---- files --------------------------------------------------------------------------------


def table_export(table: list[list], *, title: str, name: str, fmt: str) -> Export:
    """`table` as XLSX or CSV (DomainError naming `format` for anything else)."""
    fmt = check_format(fmt, TABLE_FORMATS)
    if fmt == "csv":
        content = to_csv(table)
    else:
        widths = tuple(max(8, min(30, len(str(h)) * 2 + 2)) for h in table[0])
        numeric = set(range(1, len(table[0])))
        content = to_xlsx(
            table, title, widths=widths, sheet="比較", numeric=numeric, bold=lambda row: False
        )
    return Export(content, f"{name}.{fmt}", CONTENT_TYPES[fmt])


def svg_export(svg: str, *, name: str) -> Export:
    return Export(svg.encode("utf-8"), f"{name}.svg", "image/svg+xml")


def check_choice(value: str, allowed, *, where: str, default: str) -> str:
    """A page's choice (level, measure, table): empty means the default; anything else
    not allowed is a 400 naming the parameter."""
    value = (value or "").strip() or default
    if value not in allowed:
        shown = value if len(value) <= 20 else value[:20] + "…"
        raise DomainError(
            f"{where}「{shown}」不是可用的選項：請使用 {'、'.join(allowed)}", where=where
        )
    return value
