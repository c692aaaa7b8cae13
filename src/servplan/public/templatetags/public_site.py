"""The public layout's menu, and HQ's publishing box on the review page."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from servplan.assessments.access import can_review
from servplan.assessments.models import Status
from servplan.public.domain import live_publication
from servplan.review.models import ReviewRelease

register = template.Library()


@register.simple_tag(takes_context=True)
def public_link(context, url_name: str, label: str, under: str = ""):
    """A menu entry of the public site: aria-current="page" on its own page, "true" on the
    pages whose name starts with `under` (public-plan- under the plans' index)."""
    match = getattr(context.get("request"), "resolver_match", None)
    here = (match.url_name or "") if match else ""
    current = "page" if here == url_name else "true" if under and here.startswith(under) else ""
    if current:
        return format_html(
            '<a href="{}" aria-current="{}">{}</a>', reverse(url_name), current, label
        )
    return format_html('<a href="{}">{}</a>', reverse(url_name), label)


@register.inclusion_tag("public/_results_publication_box.html", takes_context=True)
def results_publication_box(context, assessment):
    """Publishing a reviewed assessment's results, for HQ, once its period is released."""
    shown = assessment.status == Status.REVIEWED and can_review(context["request"].user)
    released = (
        shown
        and ReviewRelease.objects.filter(
            roc_year=assessment.roc_year,
            start_month=assessment.start_month,
            end_month=assessment.end_month,
        ).exists()
    )
    return {
        "a": assessment,
        "shown": shown,
        "released": released,
        "publication": live_publication(assessment) if released else None,
        "csrf_token": context.get("csrf_token"),
    }
