"""Public endpoints (no token): GET /api/public/search/ and GET /api/public/datasets/; and
HQ's POST /api/assessments/{id}/publish/ and …/unpublish/ ({"reason"}), with a token.

The same functions as the pages (search.public, public.datasets, public.domain); refusals as
for the other endpoints (400 naming the field, 403, 404, 409).
"""

from django.urls import reverse
from ninja import Router, Schema

from servplan.assessments.access import get_assessment_for_user
from servplan.assessments.api import json, refusals
from servplan.public.datasets import datasets
from servplan.public.domain import publish_results, unpublish_results
from servplan.public.models import ResultsPublication
from servplan.search import public as search

router = Router(tags=["public"])


class SearchItem(Schema):
    title: str
    office: str
    roc_year: int
    kind: str
    url: str
    snippet: str


class SearchOut(Schema):
    items: list[SearchItem]
    count: int


@router.get("/public/search/", auth=None, response=SearchOut)
def public_search(
    request,
    q: str = "",
    office: str = "",
    year: int | None = None,
    kind: str = "",
    facet: str = "",
    dimension: str = "",
    limit: int | None = None,
    offset: int | None = None,
):
    """Published plans and results holding every term of `q` (2 characters are enough):
    `snippet` is HTML, the matches in <mark>, the rest escaped. At most 50 items a request
    (`limit`, default 20), from `offset`; `count` is how many match in all."""
    chosen = search.filters(office=office, year=year, kind=kind, facet=facet, dimension=dimension)
    size, start = search.page_bounds(limit, offset)
    results = search.search(q, chosen, limit=size, offset=start)
    return {"items": [hit.as_dict() for hit in results.hits], "count": results.count}


class DatasetItem(Schema):
    title: str
    office: str
    period: str
    format: str
    url: str
    modified: str
    licence: str


class DatasetsOut(Schema):
    items: list[DatasetItem]


@router.get("/public/datasets/", auth=None, response=DatasetsOut)
def public_datasets(request):
    """Every published file (DCAT-style): `period` the months covered as an ISO 8601 interval,
    `url` absolute and stable while published, `modified` when it was published."""
    base = request.build_absolute_uri("/").rstrip("/")
    return {"items": [d.as_dict(base) for d in datasets()]}


def results_publication_to_dict(publication: ResultsPublication) -> dict:
    a = publication.assessment
    where = (a.office.code, a.roc_year, a.start_month, a.end_month)
    return {
        "assessment": a.id,
        "published_at": publication.published_at.isoformat(),
        "unpublished_at": (
            publication.unpublished_at.isoformat() if publication.unpublished_at else None
        ),
        "unpublish_reason": publication.unpublish_reason,
        "content_hash": publication.content_hash,
        "url": reverse("public-results-detail", args=where),
        "documents": [
            {
                "format": d.format,
                "sha256": d.sha256,
                "size": d.size,
                "url": reverse(f"public-results-{d.format}", args=where),
            }
            for d in publication.documents.only("publication_id", "format", "sha256", "size")
        ],
    }


@router.post("/assessments/{assessment_id}/publish/")
@refusals
def publish_assessment_results(request, assessment_id: int):
    """HQ puts a reviewed assessment of a released period on the public site (201 with its
    public URLs and SHA-256s)."""
    assessment = get_assessment_for_user(request.user, assessment_id)
    publication = publish_results(assessment=assessment, user=request.user)
    return json(results_publication_to_dict(publication), 201)


class UnpublishIn(Schema):
    reason: str = ""


@router.post("/assessments/{assessment_id}/unpublish/")
@refusals
def unpublish_assessment_results(request, assessment_id: int, payload: UnpublishIn):
    """HQ takes the results off the public site, with the reason."""
    assessment = get_assessment_for_user(request.user, assessment_id)
    publication = unpublish_results(assessment=assessment, user=request.user, reason=payload.reason)
    return results_publication_to_dict(publication)
