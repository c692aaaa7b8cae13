"""GET /api/offices/: the offices, a page at a time, as the offices page lists them (every
signed-in user sees every office; its people and records stay on their own endpoints)."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from ninja import Router
from pydantic import Field

from servplan.api_schemas import Out, answers
from servplan.core.listing import paginate
from servplan.offices.models import Membership, Office

router = Router(tags=["offices"])


class OfficeSummaryOut(Out):
    code: str = Field(examples=["taitung"])
    name: str = Field(examples=["台東區營業處"])
    region: str = Field(examples=["東部"])
    active: bool
    departments: list[str] = Field(examples=[["業務組", "總務組"]])
    members: int


class OfficePage(Out):
    items: list[OfficeSummaryOut]
    count: int
    next: str | None


def office_summary(office: Office) -> dict:
    return {
        "code": office.code,
        "name": office.name,
        "region": office.region,
        "active": office.active,
        "departments": [d.name for d in office.departments.all()],
        "members": office.member_count,
    }


@router.get(
    "/offices/",
    response=answers({200: OfficePage}, 400),
    summary="The offices, a page at a time (summaries)",
)
def list_offices(request, region: str = ""):
    """In the offices' order; `limit`/`offset` page, `region` filters. The members are
    counted by a subquery, so counting the offices for the page sums nothing."""
    members = (
        Membership.objects.filter(office=OuterRef("pk"))
        .order_by()
        .values("office")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Office.objects.annotate(member_count=Coalesce(Subquery(members), 0))
        .order_by("position", "name")
        .prefetch_related("departments")
    )
    if region:
        rows = rows.filter(region=region)
    return paginate(request, rows, office_summary)
