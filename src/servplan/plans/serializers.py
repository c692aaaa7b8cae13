"""The plan shape the CLI and API print."""

from django.db.models import QuerySet

from servplan.plans.models import OfficePlan
from servplan.programs.serializers import outline_prefetch, outline_to_list


def plans_for_export() -> QuerySet[OfficePlan]:
    return OfficePlan.objects.select_related("office", "program", "outline").prefetch_related(
        *outline_prefetch("outline__")
    )


def plan_to_dict(plan: OfficePlan) -> dict:
    return {
        "id": plan.id,
        "kind": "plan",
        "office": plan.office.name,
        "roc_year": plan.program.roc_year,
        "title": plan.title,
        "status": plan.status,
        "approved_on": plan.approved_on.isoformat() if plan.approved_on else None,
        "basis": plan.basis,
        "goals": plan.goals,
        "targets": plan.targets,
        "steps": plan.step_list,
        "supplementary": plan.supplementary,
        "facets": outline_to_list(plan.outline),
    }
