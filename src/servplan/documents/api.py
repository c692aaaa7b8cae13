"""Export endpoints: GET /api/assessments/{id}/export/?format=F&form=X, /api/plans/{id}/export/,
and the forms as signed: /api/assessments/{id}/signoffs/{signoff_id}/pdf/."""

from django.http import Http404
from ninja import Router

from servplan.api_schemas import answers, binary
from servplan.assessments.access import get_assessment_for_user
from servplan.assessments.sheet import sheet_queryset
from servplan.documents.export import (
    ASSESSMENT_FORMATS,
    CONTENT_TYPES,
    PLAN_FORMATS,
    export_assessment,
    export_plan,
    export_signed_copy,
)
from servplan.documents.views import file_response
from servplan.plans.access import get_plan_for_user
from servplan.plans.serializers import plans_for_export

router = Router(tags=["documents"])


def _files(formats) -> dict:
    return binary(*(CONTENT_TYPES[f] for f in formats))


@router.get(
    "/assessments/{assessment_id}/export/",
    response=answers({200: None}, 400, 404),
    openapi_extra=_files(ASSESSMENT_FORMATS),
    summary="The assessment as a form (pdf, odt, docx) or as data (xlsx, ods, csv, json, xml)",
)
def assessment_export(request, assessment_id: int, format: str = "pdf", form: str = "all"):
    """The assessment as pdf/odt/docx (form score-sheet, summary, follow-up or all) or as
    xlsx/ods/csv/json/xml. 404 when not visible; 400 for an unknown format or form."""
    assessment = get_assessment_for_user(request.user, assessment_id, sheet_queryset())
    return file_response(export_assessment(assessment, fmt=format, form=form))


@router.get(
    "/assessments/{assessment_id}/signoffs/{signoff_id}/pdf/",
    response=answers({200: None}, 400, 404),
    openapi_extra=_files(["pdf"]),
    summary="The forms as one PDF, as the signer of that step approved them",
)
def signed_copy(request, assessment_id: int, signoff_id: int):
    """The three forms as one PDF, byte for byte as the signer of that step approved them."""
    result = export_signed_copy(get_assessment_for_user(request.user, assessment_id), signoff_id)
    if result is None:
        raise Http404
    return file_response(result)


@router.get(
    "/plans/{plan_id}/export/",
    response=answers({200: None}, 400, 404),
    openapi_extra=_files(PLAN_FORMATS),
    summary="The office plan as pdf, odt or docx",
)
def plan_export(request, plan_id: int, format: str = "pdf"):
    """The office plan as pdf, odt or docx."""
    plan = get_plan_for_user(request.user, plan_id, plans_for_export())
    return file_response(export_plan(plan, fmt=format))
