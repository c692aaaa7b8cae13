"""The plan page's publication box (plans/_publication.html), with who may act on it."""

from django import template

from servplan.plans.access import can_publish
from servplan.plans.models import PlanStatus

register = template.Library()


@register.inclusion_tag("plans/_publication_box.html", takes_context=True)
def publication_box(context, plan):
    user = context["request"].user
    return {
        "plan": plan,
        "shown": plan.status in (PlanStatus.APPROVED, PlanStatus.PUBLISHED),
        "published": plan.status == PlanStatus.PUBLISHED,
        "may_act": can_publish(user, plan),
        "csrf_token": context.get("csrf_token"),
    }
