from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from servplan.assessments.access import get_assessment_for_user, visible_assessments
from servplan.assessments.sheet import build_sheet, sheet_queryset


@login_required
def assessment_list(request):
    assessments = visible_assessments(request.user).select_related("office", "rubric")
    return render(request, "assessments/assessment_list.html", {"assessments": assessments})


@login_required
def assessment_detail(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk, sheet_queryset())
    return render(
        request,
        "assessments/assessment_detail.html",
        {"a": assessment, "sheet": build_sheet(assessment)},
    )
