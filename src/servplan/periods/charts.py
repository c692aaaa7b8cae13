"""The comparison's charts as SVG, drawn on the server: a heat map, line charts and bar charts.

Every mark carries its value as text, lines differ by dash and marker as well as colour, and
nothing needs a script, a web font or a CDN, so a chart reads the same on the page, printed in
black and white and as a downloaded file. Every text is escaped: office names and labels come
from the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from servplan.documents.data import text_width

FONT = "Noto Sans CJK TC, Noto Sans TC, Microsoft JhengHei, sans-serif"
INK, MUTED, GRID = "#1d2733", "#5b6776", "#d5dbe3"
# Self-scores solid blue with circles, HQ's dashed brown with squares, ranges dotted grey.
STYLES = {
    "solid": ("#0b5cad", "", "circle"),
    "dashed": ("#a3501c", "6 4", "square"),
    "dotted": ("#6b7785", "2 3", "none"),
}
SIZE = 12  # font size in px; a wide (CJK) character is about one size wide


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | float | None]
    style: str = "solid"  # a key of STYLES
    labels: Sequence[str] | None = None  # the text beside each point; default: the value
    labelled: bool = True  # False for a range's bounds: their values are in the table


def _t(text: object) -> str:
    return escape(str(text))


def _width(text: str, size: int = SIZE) -> float:
    return text_width(text) * size * 0.55


def number_text(value: Decimal | float) -> str:
    """A number as text: 93.5, 94, never 93.50000."""
    d = Decimal(str(value)).quantize(Decimal("0.1"))
    return str(d.quantize(Decimal(1))) if d == d.to_integral() else str(d)


def _text(x, y, text, *, size=SIZE, anchor="start", fill=INK, weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}">{_t(text)}</text>'
    )


def _lines(text: str, units: int) -> list[str]:
    """`text` cut into lines of at most `units` display units (a CJK character counts two)."""
    lines, line = [], ""
    for ch in text:
        if line and text_width(line + ch) > units:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label={quoteattr(title)} '
        f'font-family="{FONT}"><title>{_t(title)}</title>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    return ""


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    out = []
    for s in series:
        colour, dash, marker = STYLES[s.style]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 24:.1f}" y2="{y - 4:.1f}" '
            f'stroke="{colour}" stroke-width="2"{dashed}/>'
        )
        out.append(_marker(marker, x + 12, y - 4, colour))
        out.append(_text(x + 30, y, s.name))
        x += 30 + _width(s.name) + 24
    return out


def heatmap(
    *,
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[tuple[str, float | None]]],
    subtitles: Sequence[str] = (),
    note: str = "",
) -> str:
    """A grid of `rows` × `columns` (each header with an optional subtitle line, e.g. its
    points); each cell (its text, its shade from 0 to 1, or None for nothing to show) is
    filled from light to dark, with the text always written in it."""
    left = max([_width(r) for r in rows] + [60]) + 16
    col_w, row_h = 78, 26
    heads = [
        _lines(c, 12)[:2] + ([subtitles[i]] if i < len(subtitles) else [])
        for i, c in enumerate(columns)
    ]
    top = 40 + 15 * max([len(h) for h in heads] + [1])
    width = max(left + col_w * len(columns) + 10, _width(title, 14) + 24, _width(note, 11) + 24)
    height = top + row_h * len(rows) + (30 if note else 12)
    body = [_text(8, 20, title, size=14, weight="bold")]
    for i, head in enumerate(heads):
        x = left + col_w * i + col_w / 2
        for n, line in enumerate(head):
            body.append(_text(x, 42 + 15 * n, line, anchor="middle", weight="bold"))
    for r, name in enumerate(rows):
        y = top + row_h * r
        body.append(_text(8, y + row_h / 2 + 4, name))
        for c, (label, shade) in enumerate(cells[r]):
            x = left + col_w * c
            fill, ink = ("#eeeeee", MUTED) if shade is None else (_blue(shade), INK)
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w}" height="{row_h}" '
                f'fill="{fill}" stroke="#ffffff" stroke-width="1"/>'
            )
            body.append(
                _text(x + col_w / 2, y + row_h / 2 + 4, label or "—", anchor="middle", fill=ink)
            )
    if note:
        body.append(_text(8, height - 10, note, size=11, fill=MUTED))
    return _svg(width, height, title, body)


def _blue(shade: float) -> str:
    """From #eef4fb (0) to #6f93c2 (1): dark enough to tell apart, light enough that the
    dark text keeps a contrast of 4.5:1 or more on every shade."""
    shade = min(max(shade, 0.0), 1.0)
    low, high = (0xEE, 0xF4, 0xFB), (0x6F, 0x93, 0xC2)
    return "#" + "".join(
        f"{round(a + (b - a) * shade):02x}" for a, b in zip(low, high, strict=True)
    )


def line_chart(
    *,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    y_min: float = 0,
    y_max: float = 100,
    unit: str = "%",
    note: str = "",
) -> str:
    """Points per x label joined by lines (a missing value breaks the line), each labelled."""
    left, right, top, bottom = 52, 40, 58, 64
    step = max(90, max([_width(x) for x in x_labels] + [0]) + 16)
    if len(x_labels) > 1:
        step = max(step, 360 / (len(x_labels) - 1))
    plot_w = step * max(len(x_labels) - 1, 1) + 56
    plot_h = 240
    width = max(left + plot_w + right, _width(title, 14) + 24, _width(note, 11) + 24)
    height = top + plot_h + bottom + (16 if note else 0)
    span = (y_max - y_min) or 1

    pad = 28  # keeps the first and last points' labels clear of the axis and the edge

    def px(i: int) -> float:
        return left + pad + ((plot_w - 2 * pad) / 2 if len(x_labels) == 1 else step * i)

    def py(v: float) -> float:
        return top + plot_h - (float(v) - y_min) / span * plot_h

    body = [_text(8, 20, title, size=14, weight="bold"), *_legend(series, 8, 42)]
    tick = 10 if span > 30 else 5 if span > 10 else 1
    v = (int(y_min) // tick) * tick
    while v <= y_max:
        if v >= y_min:
            y = py(v)
            body.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
                f'stroke="{GRID}" stroke-width="1"/>'
            )
            body.append(_text(left - 6, y + 4, f"{v}{unit}", size=11, anchor="end", fill=MUTED))
        v += tick
    for i, label in enumerate(x_labels):
        body.append(_text(px(i), top + plot_h + 20, label, size=11, anchor="middle"))
    for n, s in enumerate(series):
        colour, dash, marker = STYLES[s.style]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[str] = []
        segments = []
        for i, value in enumerate(s.values):
            if value is None:
                segments.append(run)
                run = []
                continue
            run.append(f"{px(i):.1f},{py(value):.1f}")
        segments.append(run)
        for seg in segments:
            if len(seg) > 1:
                body.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dashed}/>'
                )
        for i, value in enumerate(s.values):
            if value is None:
                continue
            x, y = px(i), py(value)
            body.append(_marker(marker, x, y, colour))
            if not s.labelled:
                continue
            text = s.labels[i] if s.labels else f"{number_text(value)}{unit}"
            # Alternate above and below the point, so two series at one x stay legible.
            dy = -8 if n % 2 == 0 else 16
            body.append(_text(x, y + dy, text, size=11, anchor="middle", fill=colour))
    if note:
        body.append(_text(8, height - 8, note, size=11, fill=MUTED))
    return _svg(width, height, title, body)


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    maximum: float,
    references: Sequence[tuple[str, float]] = (),
    note: str = "",
) -> str:
    """Horizontal bars, one group per label (an office), one bar per series, each with its
    value written at its end; `references` (e.g. the median) as labelled vertical lines."""
    left = max([_width(x) for x in labels] + [60]) + 16
    plot_w, bar_h, gap = 420, 12, 10
    group_h = bar_h * len(series) + gap
    top = 58 + (16 if references else 0)
    height = top + group_h * len(labels) + 24 + (16 if note else 0)
    width = max(left + plot_w + 70, _width(title, 14) + 24, _width(note, 11) + 24)
    scale = plot_w / (float(maximum) or 1)
    body = [_text(8, 20, title, size=14, weight="bold"), *_legend(series, 8, 42)]
    for r, label in enumerate(labels):
        y = top + group_h * r
        body.append(_text(8, y + group_h / 2, label))
        for n, s in enumerate(series):
            value = s.values[r]
            colour, dash, _ = STYLES[s.style]
            by = y + bar_h * n
            if value is None:
                body.append(_text(left + 4, by + bar_h - 2, "—", size=11, fill=MUTED))
                continue
            w = float(value) * scale
            if dash:
                body.append(
                    f'<rect x="{left}" y="{by:.1f}" width="{w:.1f}" height="{bar_h - 2}" '
                    f'fill="#ffffff" stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}"/>'
                )
            else:
                body.append(
                    f'<rect x="{left}" y="{by:.1f}" width="{w:.1f}" height="{bar_h - 2}" fill="{colour}"/>'
                )
            text = s.labels[r] if s.labels else number_text(value)
            body.append(_text(left + w + 4, by + bar_h - 2, text, size=11, fill=colour))
    bottom = top + group_h * len(labels)
    for n, (name, value) in enumerate(references):
        x = left + float(value) * scale
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{INK}" '
            f'stroke-width="1" stroke-dasharray="4 3"/>'
        )
        body.append(
            _text(x, top - 10 - 14 * n, f"{name} {number_text(value)}", size=11, anchor="middle")
        )
    body.append(
        f'<line x1="{left}" y1="{bottom:.1f}" x2="{left + plot_w}" y2="{bottom:.1f}" stroke="{MUTED}"/>'
    )
    body.append(_text(left, bottom + 16, "0", size=11, anchor="middle", fill=MUTED))
    body.append(
        _text(
            left + plot_w, bottom + 16, number_text(maximum), size=11, anchor="middle", fill=MUTED
        )
    )
    if note:
        body.append(_text(8, height - 6, note, size=11, fill=MUTED))
    return _svg(width, height, title, body)
