"""Template filters and tags every page uses: ROC dates, scores, narratives, the menu."""

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.html import format_html

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


@register.simple_tag(takes_context=True)
def menu_link(context, url_name: str, label: str):
    """A menu entry, marked for screen readers as the current page (aria-current="page") on
    its own page and as current ("true") on the pages under it (assessment-* under
    assessment-list)."""
    match = getattr(context.get("request"), "resolver_match", None)
    here = (match.url_name or "") if match else ""
    if here == url_name:
        current = "page"
    elif here and here.split("-")[0] == url_name.split("-")[0]:
        current = "true"
    else:
        current = ""
    if current:
        return format_html(
            '<a href="{}" aria-current="{}">{}</a>', reverse(url_name), current, label
        )
    return format_html('<a href="{}">{}</a>', reverse(url_name), label)
