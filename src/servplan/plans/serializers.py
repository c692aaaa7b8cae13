"""The plan shape the CLI and API print."""

from django.db.models import Prefetch, QuerySet

from servplan.plans.models import OfficePlan, PlanSignOff
from servplan.programs.serializers import outline_prefetch


def plans_for_export() -> QuerySet[OfficePlan]:
    """Plans with their tree, their sign-offs and their office's chain steps (a fixed number
    of queries whatever the tree's size)."""
    return OfficePlan.objects.select_related(
        "office", "program", "outline", "reopened_by"
    ).prefetch_related(
        *outline_prefetch("outline__"),
        Prefetch("signoffs", queryset=PlanSignOff.objects.select_related("user", "on_behalf_of")),
        "office__chain_steps",
    )


def plan_sections(plan: OfficePlan) -> dict:
    """壹 to 陸 and the version that covers them (also what a stale save is shown)."""
    return {
        "basis": plan.basis,
        "goals": plan.goals,
        "targets": plan.targets,
        "steps": plan.step_list,
        "supplementary": plan.supplementary,
        "version": plan.version,
    }


def practice_to_dict(practice) -> dict:
    return {
        "id": practice.id,
        "number": practice.number,
        "text": practice.text,
        "departments": [link.department.name for link in practice.department_links.all()],
        "period": practice.period,
        "target": practice.target,
        "from_hq": practice.from_hq,
        "not_applicable": practice.not_applicable,
        "not_applicable_reason": practice.not_applicable_reason,
        "version": practice.version,
    }


def plan_facets(plan: OfficePlan) -> list[dict]:
    """The program tree's shape (programs.serializers) plus what editing a plan needs: ids,
    versions and which items came from HQ."""
    return [
        {
            "id": facet.id,
            "name": facet.name,
            "strategies": [
                {
                    "id": strategy.id,
                    "name": strategy.name,
                    "from_hq": strategy.origin_id is not None,
                    "measures": [
                        {
                            "id": measure.id,
                            "name": measure.name,
                            "practices": [practice_to_dict(p) for p in measure.practices.all()],
                        }
                        for measure in strategy.measures.all()
                    ],
                }
                for strategy in facet.strategies.all()
            ],
        }
        for facet in plan.outline.facets.all()
    ]


def plan_to_dict(plan: OfficePlan) -> dict:
    return {
        "id": plan.id,
        "kind": "plan",
        "office": plan.office.name,
        "roc_year": plan.roc_year,
        "program_year": plan.program.roc_year,
        "title": plan.title,
        "status": plan.status,
        "approved_on": plan.approved_on.isoformat() if plan.approved_on else None,
        **plan_sections(plan),
        "facets": plan_facets(plan),
    }
