"""Publication and comparison endpoints of a plan: POST /api/plans/{id}/publish/,
POST /api/plans/{id}/unpublish/ ({"reason"}), GET /api/plans/{id}/compare/?against=….

The plan's access rule (get_plan_for_user: 404 when not visible) and the domain functions of
the pages; refusals as for the other plan endpoints (400 naming the field, 403, 409).
"""

from django.urls import reverse
from ninja import Router, Schema, Status

from servplan.api_schemas import answers, example
from servplan.assessments.api import refusals
from servplan.plans.access import get_plan_for_user
from servplan.plans.api_schemas import ComparisonOut, PublicationOut
from servplan.plans.compare import compare_plan, comparison_to_dict
from servplan.plans.publication import publish_plan, unpublish_plan
from servplan.plans.serializers import plans_for_export
from servplan.public.models import PlanPublication

router = Router(tags=["plans"])


def publication_to_dict(publication: PlanPublication) -> dict:
    plan = publication.plan
    where = (plan.office.code, plan.roc_year)
    return {
        "plan": plan.id,
        "status": plan.status,
        "published_at": publication.published_at.isoformat(),
        "unpublished_at": (
            publication.unpublished_at.isoformat() if publication.unpublished_at else None
        ),
        "unpublish_reason": publication.unpublish_reason,
        "url": reverse("public-plan-detail", args=where),
        "documents": [
            {
                "format": d.format,
                "sha256": d.sha256,
                "size": d.size,
                "url": reverse(f"public-plan-{d.format}", args=where),
            }
            for d in publication.documents.only("publication_id", "format", "sha256", "size")
        ],
    }


@router.post(
    "/plans/{plan_id}/publish/",
    response=answers({201: PublicationOut}, 400, 403, 404, 409),
    summary="Publish the approved plan on the public site",
)
@refusals
def publish(request, plan_id: int):
    """Put the approved plan on the public site (201 with its public URLs and SHA-256s)."""
    plan = get_plan_for_user(request.user, plan_id)
    publication = publish_plan(plan=plan, user=request.user)
    return Status(201, publication_to_dict(publication))


class UnpublishIn(Schema):
    model_config = example({"reason": "內容更新"})

    reason: str = ""


@router.post(
    "/plans/{plan_id}/unpublish/",
    response=answers({200: PublicationOut}, 400, 403, 404, 409),
    summary="Take the plan off the public site, with the reason",
)
@refusals
def unpublish(request, plan_id: int, payload: UnpublishIn):
    """Take the plan off the public site, with the reason."""
    plan = get_plan_for_user(request.user, plan_id)
    publication = unpublish_plan(plan=plan, user=request.user, reason=payload.reason)
    return publication_to_dict(publication)


@router.get(
    "/plans/{plan_id}/compare/",
    response=answers({200: ComparisonOut}, 400, 404),
    summary="Compare the plan with last year's plan or HQ's program",
)
def compare(request, plan_id: int, against: str = "program"):
    """Every practice against last year's plan ("last-year") or HQ's program ("program"):
    added, removed, reworded (with the changed characters), departments and period."""
    plan = get_plan_for_user(request.user, plan_id, plans_for_export())
    return comparison_to_dict(compare_plan(plan, against=against))
