"""The plan's chain for the partial plans/_signoffs.html, whichever page includes it."""

from django import template

from servplan.plans.signing import chain_context

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_chain(context, plan) -> dict:
    """{% plan_chain plan as chain %}: the steps, whom it waits on, which forms the viewer gets."""
    return chain_context(plan, context["request"].user)
