"""GET /api/offices/: the offices, a page at a time, as the offices page lists them (every
signed-in user sees every office; its people and records stay on their own endpoints)."""

from ninja import Router
from pydantic import Field

from servplan.api_schemas import Out, answers
from servplan.core.listing import paginate
from servplan.offices.lookups import listed_offices
from servplan.offices.models import Office

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
    """In the offices' order; `limit`/`offset` page, `region` filters."""
    rows = listed_offices()
    if region:
        rows = rows.filter(region=region)
    return paginate(request, rows, office_summary)
