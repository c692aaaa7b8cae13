"""Template filters every page uses: ROC dates, scores, narratives."""

from decimal import Decimal

from django import template

from servplan.core import narrative, roc
from servplan.core.scores import format_score

register = template.Library()


@register.filter
def roc_date(value):
    return roc.format_date(value)


@register.filter
def score(value):
    return format_score(value)


@register.filter
def narrative_html(value):
    return narrative.to_html(value or "")


@register.filter
def subtract(a, b):
    if a is None or b is None:
        return None
    return Decimal(a) - Decimal(b)


@register.filter
def cjk(value):
    """1 → 一 (for 一、基礎服務 and （一）服務一致及正確性)."""
    return roc.cjk_number(int(value))


@register.filter
def roc_datetime(value):
    """A moment in local time: 「114 年 3 月 21 日 14:05」."""
    return roc.format_datetime(value)
