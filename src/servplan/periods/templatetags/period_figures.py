"""Figures of the comparison pages: signed gaps, one-decimal means, shares as percentages."""

from decimal import Decimal

from django import template

from servplan.core.scores import format_score

register = template.Library()


def _one_decimal(value) -> str:
    d = Decimal(value).quantize(Decimal("0.1"))
    return format_score(d)


@register.filter
def signed(value):
    """+1.5, −2, 0: a gap to the median, rounded to one decimal."""
    if value is None:
        return ""
    d = Decimal(value).quantize(Decimal("0.1"))
    if d > 0:
        return f"+{format_score(d)}"
    if d < 0:
        return f"−{format_score(-d)}"
    return "0"


@register.filter
def decimal1(value):
    """A mean to one decimal (93.25 → 93.3); empty when there is none."""
    return "" if value is None else _one_decimal(value)


@register.filter
def percent(value):
    """A share from 0 to 1 as 「95%」 (one decimal when it has one)."""
    return "" if value is None else f"{_one_decimal(Decimal(value) * 100)}%"


@register.filter
def pct(value):
    """A percentage already from 0 to 100 as 「93.9%」."""
    return "" if value is None else f"{_one_decimal(value)}%"
