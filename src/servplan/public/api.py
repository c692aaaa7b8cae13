"""Public endpoints (no token): GET /api/public/search/ and GET /api/public/datasets/; and
HQ's POST /api/assessments/{id}/publish/ and …/unpublish/ ({"reason"}), with a token.

The same functions as the pages (search.public, public.datasets, public.domain); refusals as
for the other endpoints (400 naming the field, 403, 404, 409).
"""

from typing import Literal

from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field

from servplan.api_schemas import IsoDateTime, Out, answers, example
from servplan.assessments.access import get_assessment_for_user
from servplan.assessments.api import refusals
from servplan.public.datasets import datasets
from servplan.public.domain import publish_results, unpublish_results
from servplan.public.models import ResultsPublication
from servplan.search import public as search

router = Router(tags=["public"])


class SearchItem(Out):
    title: str
    office: str
    roc_year: int
    kind: str
    url: str
    snippet: str


class SearchOut(Out):
    items: list[SearchItem]
    count: int


@router.get(
    "/public/search/",
    auth=None,
    response=answers({200: SearchOut}, 400, public=True),
    summary="Search the published plans and results (no token)",
)
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


class DatasetItem(Out):
    title: str
    office: str
    period: str
    format: str
    url: str
    modified: str
    licence: str


class DatasetsOut(Out):
    items: list[DatasetItem]


@router.get(
    "/public/datasets/",
    auth=None,
    response=answers({200: DatasetsOut}, public=True),
    summary="The open data catalogue: every published file (no token)",
)
def public_datasets(request):
    """Every published file (DCAT-style): `period` the months covered as an ISO 8601 interval,
    `url` absolute and stable while published, `modified` when it was published."""
    base = request.build_absolute_uri("/").rstrip("/")
    return {"items": [d.as_dict(base) for d in datasets()]}


class ResultsDocumentOut(Out):
    format: Literal["pdf", "odt", "csv", "ods", "json"]
    sha256: str
    size: int
    url: str


class ResultsPublicationOut(Out):
    assessment: int
    published_at: IsoDateTime
    unpublished_at: IsoDateTime | None
    unpublish_reason: str
    content_hash: str
    url: str = Field(examples=["/public/results/taitung/114-1-6/"])
    documents: list[ResultsDocumentOut]


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


@router.post(
    "/assessments/{assessment_id}/publish/",
    response=answers({201: ResultsPublicationOut}, 400, 403, 404, 409),
    summary="Publish a reviewed office's released results on the public site (HQ)",
)
@refusals
def publish_assessment_results(request, assessment_id: int):
    """HQ puts a reviewed assessment of a released period on the public site (201 with its
    public URLs and SHA-256s)."""
    assessment = get_assessment_for_user(request.user, assessment_id)
    publication = publish_results(assessment=assessment, user=request.user)
    return Status(201, results_publication_to_dict(publication))


class ResultsUnpublishIn(Schema):
    model_config = example({"reason": "分數更正"})

    reason: str = ""


@router.post(
    "/assessments/{assessment_id}/unpublish/",
    response=answers({200: ResultsPublicationOut}, 400, 403, 404, 409),
    summary="Take an office's results off the public site, with the reason (HQ)",
)
@refusals
def unpublish_assessment_results(request, assessment_id: int, payload: ResultsUnpublishIn):
    """HQ takes the results off the public site, with the reason."""
    assessment = get_assessment_for_user(request.user, assessment_id)
    publication = unpublish_results(assessment=assessment, user=request.user, reason=payload.reason)
    return results_publication_to_dict(publication)
