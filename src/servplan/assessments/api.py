"""Assessment endpoints."""

from ninja import Router

from servplan.assessments.access import get_assessment_for_user, visible_assessments
from servplan.assessments.sheet import assessment_to_dict, sheet_queryset

router = Router(tags=["assessments"])


@router.get("/assessments/")
def list_assessments(request):
    return [assessment_to_dict(a) for a in visible_assessments(request.user, sheet_queryset())]


@router.get("/assessments/{assessment_id}/")
def get_assessment(request, assessment_id: int):
    return assessment_to_dict(
        get_assessment_for_user(request.user, assessment_id, sheet_queryset())
    )
