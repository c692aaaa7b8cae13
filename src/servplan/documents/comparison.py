"""A plan's comparison (plans.compare) as a spreadsheet: XLSX or CSV, formulas kept out
(documents.data)."""

from __future__ import annotations

from servplan.documents.data import to_csv, to_xlsx
from servplan.documents.export import CONTENT_TYPES, Export, check_format
from servplan.plans.compare import Comparison, Side
from servplan.plans.models import OfficePlan

COMPARISON_FORMATS = ("xlsx", "csv")
HEADER = (
    "面向",
    "執行策略",
    "子策略",
    "變更",
    "原編號",
    "原具體作法",
    "原承辦部門",
    "原執行期間",
    "編號",
    "具體作法",
    "承辦部門",
    "執行期間",
    "不適用",
)
WIDTHS = (12, 18, 18, 10, 6, 50, 14, 12, 6, 50, 14, 12, 7)


def _side(side: Side | None) -> list:
    if side is None:
        return [None, "", "", ""]
    return [side.number, side.text, "、".join(side.departments), side.period]


def rows(comparison: Comparison) -> list[list]:
    """The header, then a row per practice of either tree."""
    out: list[list] = [list(HEADER)]
    for r in comparison.rows:
        out.append(
            [
                r.facet,
                r.strategy,
                r.measure,
                r.label,
                *_side(r.old),
                *_side(r.new),
                "是" if r.new and r.new.not_applicable else "",
            ]
        )
    return out


def export_comparison(plan: OfficePlan, comparison: Comparison, *, fmt: str) -> Export:
    fmt = check_format(fmt, COMPARISON_FORMATS)
    table = rows(comparison)
    base = comparison.base_title or f"（無{comparison.label}）"
    title = f"{plan.title}與{base}比較"
    if fmt == "csv":
        content = to_csv(table)
    else:
        content = to_xlsx(
            table, title, widths=WIDTHS, sheet="比較", numeric={4, 8}, bold=lambda row: False
        )
    name = f"{plan.office.code}-{plan.roc_year}-compare-{comparison.against}.{fmt}"
    return Export(content, name, CONTENT_TYPES[fmt])
