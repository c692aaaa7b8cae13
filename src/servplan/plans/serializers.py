"""The plan shape the CLI and API print."""

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from servplan.audit.models import AuditEntry
from servplan.plans.models import OfficePlan, PlanSignOff
from servplan.programs.models import Strategy
from servplan.programs.serializers import outline_prefetch

STRATEGIES = "outline__facets__strategies"


def _renames():
    """Audit entries of strategy renames; a strategy's version is one more than their number
    (the office's strategies have no version column of their own: see docs/decisions.md)."""
    return AuditEntry.objects.filter(
        object_type=Strategy._meta.label_lower, field="name"
    ).order_by()


def strategies_with_versions(queryset: QuerySet[Strategy] | None = None) -> QuerySet[Strategy]:
    """Strategies annotated with `renames`, in the same query."""
    counted = (
        _renames()
        .filter(object_id=OuterRef("pk"))
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = Strategy.objects.all() if queryset is None else queryset
    return qs.annotate(renames=Coalesce(Subquery(counted), Value(0)))


def strategy_version(strategy: Strategy) -> int:
    """1, then one more with every rename (read from the annotation when it was loaded)."""
    renames = getattr(strategy, "renames", None)
    if renames is None:
        renames = _renames().filter(object_id=strategy.pk).count()
    return 1 + renames


def _versioned(lookup):
    if isinstance(lookup, Prefetch) and lookup.prefetch_through == STRATEGIES:
        return Prefetch(STRATEGIES, queryset=strategies_with_versions(lookup.queryset))
    if lookup == STRATEGIES:
        return Prefetch(STRATEGIES, queryset=strategies_with_versions())
    return lookup


def plans_for_export() -> QuerySet[OfficePlan]:
    """Plans with their tree (strategies with their versions), their sign-offs and their
    office's chain steps (a fixed number of queries whatever the tree's size)."""
    return OfficePlan.objects.select_related(
        "office", "program", "outline", "reopened_by"
    ).prefetch_related(
        *(_versioned(lookup) for lookup in outline_prefetch("outline__")),
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


def strategy_to_dict(strategy: Strategy) -> dict:
    return {
        "id": strategy.id,
        "name": strategy.name,
        "from_hq": strategy.origin_id is not None,
        "version": strategy_version(strategy),
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
                    **strategy_to_dict(strategy),
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
