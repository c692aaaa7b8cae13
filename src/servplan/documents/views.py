"""Download buttons: the same exports as the API and the CLI, behind the same access rules."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse

from servplan.assessments.access import get_assessment_for_user
from servplan.assessments.sheet import sheet_queryset
from servplan.core.errors import DomainError
from servplan.documents.export import Export, export_assessment, export_plan, export_signed_copy
from servplan.plans.access import get_plan_for_user
from servplan.plans.serializers import plans_for_export


def file_response(result: Export) -> HttpResponse:
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


@login_required
def assessment_export(request, pk: int, fmt: str):
    assessment = get_assessment_for_user(request.user, pk, sheet_queryset())
    try:
        return file_response(
            export_assessment(assessment, fmt=fmt, form=request.GET.get("form", "all"))
        )
    except DomainError as exc:
        raise BadRequest(exc.message) from exc


@login_required
def signed_copy(request, pk: int, signoff_id: int):
    """The forms as the signer of that step approved them (kept when they signed)."""
    result = export_signed_copy(get_assessment_for_user(request.user, pk), signoff_id)
    if result is None:
        raise Http404("找不到此核章紀錄的文件")
    return file_response(result)


@login_required
def plan_export(request, pk: int, fmt: str):
    plan = get_plan_for_user(request.user, pk, plans_for_export())
    try:
        return file_response(export_plan(plan, fmt=fmt))
    except DomainError as exc:
        raise BadRequest(exc.message) from exc
