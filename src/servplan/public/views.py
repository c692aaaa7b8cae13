"""Public pages: no login, read only, from the frozen publications (servplan.public.models)."""

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from servplan.core.errors import DomainError
from servplan.core.roc import Period, RocError
from servplan.documents.export import CONTENT_TYPES
from servplan.public.access import (
    get_published_document,
    get_published_plan,
    get_published_results,
    get_results_document,
    published_plans,
    published_results,
)
from servplan.public.datasets import LICENCE, LICENCE_URL, datasets
from servplan.public.models import SearchKind
from servplan.search import public as search

# File names of a results publication's downloads, by format.
RESULTS_FILES = {
    "pdf": "results.pdf",
    "odt": "results.odt",
    "csv": "data.csv",
    "ods": "data.ods",
    "json": "data.json",
}


def _plans():
    return (
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


@require_safe
def index(request):
    """Everything published, by year (latest first), then by office: its plan and results."""
    years: dict[int, dict] = {}

    def row(year: int, office) -> dict:
        offices = years.setdefault(year, {})
        return offices.setdefault(office.pk, {"office": office, "plan": None, "results": []})

    for publication in _plans():
        row(publication.plan.roc_year, publication.plan.office)["plan"] = publication
    results = (
        published_results()
        .select_related("assessment__office")
        .only(
            "published_at",
            "assessment__roc_year",
            "assessment__start_month",
            "assessment__end_month",
            "assessment__office__name",
            "assessment__office__code",
            "assessment__office__position",
        )
        .order_by("assessment__start_month")
    )
    for publication in results:
        a = publication.assessment
        row(a.roc_year, a.office)["results"].append(publication)
    shown = [
        {
            "year": year,
            "offices": sorted(
                offices.values(), key=lambda r: (r["office"].position, r["office"].name)
            ),
        }
        for year, offices in sorted(years.items(), reverse=True)
    ]
    return render(request, "public/index.html", {"years": shown})


@require_safe
def plan_index(request):
    """Every published plan, by year (latest first), then by office."""
    return render(request, "public/plan_index.html", {"publications": _plans()})


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


def _download(request, document, *, published_at, filename: str) -> HttpResponse:
    """The bytes stored at publication; ETag is their SHA-256, so a cached copy is checked
    with a 304 and never sent twice."""
    response = HttpResponse(content_type=CONTENT_TYPES[document.format])
    response["ETag"] = quote_etag(document.sha256)
    response["Last-Modified"] = http_date(published_at.timestamp())
    # Cached copies ask again each time: what is taken down must not stay readable from caches.
    response["Cache-Control"] = "public, no-cache"
    disposition = "inline" if document.format in ("pdf", "json", "csv") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    answer = get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=int(published_at.timestamp()),
        response=response,
    )
    if answer is not response:
        return answer
    response.content = bytes(document.content)
    return response


@require_safe
def plan_document(request, office_code: str, roc_year: int, fmt: str):
    document = get_published_document(office_code, roc_year, fmt)
    plan = document.publication.plan
    return _download(
        request,
        document,
        published_at=document.publication.published_at,
        filename=f"{plan.office.code}-{plan.roc_year}-plan.{fmt}",
    )


def _period(roc_year: int, start_month: int, end_month: int) -> Period:
    try:
        return Period(roc_year, start_month, end_month)
    except (RocError, DomainError):
        raise Http404("找不到此考核期間") from None


@require_safe
def results_page(request, office_code: str, roc_year: int, start_month: int, end_month: int):
    period = _period(roc_year, start_month, end_month)
    publication = get_published_results(office_code, period)
    content = publication.content
    documents = list(publication.documents.only("publication_id", "format", "sha256", "size"))
    for d in documents:
        d.url = reverse(
            f"public-results-{d.format}", args=[office_code, roc_year, start_month, end_month]
        )
    return render(
        request,
        "public/results_detail.html",
        {
            "publication": publication,
            "results": content,
            "assessed_on": (
                dt.date.fromisoformat(content["assessed_on"]) if content["assessed_on"] else None
            ),
            "released_on": dt.date.fromisoformat(content["released_on"]),
            "forms": [d for d in documents if d.format in ("pdf", "odt")],
            "data": [d for d in documents if d.format not in ("pdf", "odt")],
        },
    )


@require_safe
def results_document(
    request, office_code: str, roc_year: int, start_month: int, end_month: int, fmt: str
):
    period = _period(roc_year, start_month, end_month)
    document = get_results_document(office_code, period, fmt)
    return _download(
        request,
        document,
        published_at=document.publication.published_at,
        filename=f"{office_code}-{period.slug}-{RESULTS_FILES[fmt]}",
    )


@require_safe
def search_page(request):
    """The public search: every term of `q` in a passage of a published plan or results."""
    q = request.GET.get("q", "")
    status, error, results, chosen = 200, "", None, search.Filters()
    try:
        chosen = search.filters(
            office=request.GET.get("office"),
            year=request.GET.get("year"),
            kind=request.GET.get("kind"),
            facet=request.GET.get("facet"),
            dimension=request.GET.get("dimension"),
        )
        page = search.parse_page(request.GET.get("page"))
        results = search.search(q, chosen, limit=search.LIMIT, offset=(page - 1) * search.LIMIT)
    except DomainError as exc:
        status, error = 400, exc.message
    return render(
        request,
        "public/search.html",
        {
            "q": q,
            "chosen": chosen,
            "results": results,
            "error": error,
            "choices": search.choices(),
            "kinds": SearchKind.choices,
            "pages": search.pages(results, request.GET) if results else None,
        },
        status=status,
    )


@require_safe
def dataset_page(request):
    """The open data catalogue: every published file, its stable address and the licence."""
    return render(
        request,
        "public/datasets.html",
        {"datasets": datasets(), "licence": LICENCE, "licence_url": LICENCE_URL},
    )
