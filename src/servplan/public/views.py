"""Public pages: no login, read only, from the frozen publications (servplan.public.models)."""

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from servplan.documents.export import CONTENT_TYPES
from servplan.public.access import get_published_document, get_published_plan, published_plans


@require_safe
def plan_index(request):
    """Every published plan, by year (latest first), then by office."""
    publications = (
        published_plans()
        .select_related("plan__office")
        .only(
            "published_at",
            "plan__roc_year",
            "plan__title",
            "plan__approved_on",
            "plan__office__name",
            "plan__office__code",
            "plan__office__position",
        )
        .order_by("-plan__roc_year", "plan__office__position", "plan__office__name")
    )
    return render(request, "public/plan_index.html", {"publications": publications})


@require_safe
def plan_page(request, office_code: str, roc_year: int):
    publication = get_published_plan(office_code, roc_year)
    content = publication.content
    approved = content["approved_on"]
    return render(
        request,
        "public/plan_detail.html",
        {
            "publication": publication,
            "plan": content,
            "approved_on": dt.date.fromisoformat(approved) if approved else None,
            "documents": publication.documents.only("publication_id", "format", "sha256", "size"),
        },
    )


@require_safe
def plan_document(request, office_code: str, roc_year: int, fmt: str):
    """The bytes stored at publication; ETag is their SHA-256, so a cached copy is checked
    with a 304 and never sent twice."""
    document = get_published_document(office_code, roc_year, fmt)
    plan = document.publication.plan
    response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    response["ETag"] = quote_etag(document.sha256)
    response["Last-Modified"] = http_date(document.publication.published_at.timestamp())
    # Cached copies ask again each time: a plan taken down must not stay readable from caches.
    response["Cache-Control"] = "public, no-cache"
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="{plan.office.code}-{plan.roc_year}-plan.{fmt}"'
    )
    answer = get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=int(document.publication.published_at.timestamp()),
        response=response,
    )
    if answer is not response:
        return answer
    response.content = bytes(document.content)
    return response
