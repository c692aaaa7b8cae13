"""The notice on a plan whose program HQ has since replaced (programs/_newer_version.html)."""

from django import template

from servplan.programs.lookups import newer_programs

register = template.Library()


@register.simple_tag
def newer_program(plan):
    """HQ's program for the plan's year when it is newer than the plan's own, else None (one
    query). A list of plans should use lookups.newer_programs once and pass `newer` instead."""
    return newer_programs([plan]).get(plan.pk)
