"""Publishing results from HQ's review page: the same domain functions as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from servplan.assessments.access import can_review, get_assessment_for_user
from servplan.core.errors import DomainError
from servplan.public.domain import publish_results, unpublish_results


def _act(request, pk: int, action, done: str):
    if not can_review(request.user):
        raise Http404  # HQ's pages do not exist for anyone else
    assessment = get_assessment_for_user(request.user, pk)
    try:
        action(assessment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("review-detail", pk)


@login_required
@require_POST
def publish(request, pk: int):
    return _act(
        request,
        pk,
        lambda a: publish_results(assessment=a, user=request.user),
        "考核結果已公開於公開資訊網頁",
    )


@login_required
@require_POST
def unpublish(request, pk: int):
    return _act(
        request,
        pk,
        lambda a: unpublish_results(
            assessment=a, user=request.user, reason=request.POST.get("reason", "")
        ),
        "考核結果已自公開資訊網頁撤下",
    )
