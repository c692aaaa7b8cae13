"""One shape for every JSON list: {"items", "count", "next"}, `?limit=` (1–200, default 50)
and `?offset=`; plus the filters lists share (period, status, office, region), and the pages
of HTML lists (`page_of`, shown by core/_pager.html).

A list must not grow with the data: callers hand over a queryset that loads a page's rows in
a fixed number of queries, and only the page is turned into items.
"""

from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from servplan.core.errors import DomainError
from servplan.core.roc import RocError, parse_period

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
PAGE_SIZE = 50


def _whole(request, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise DomainError(f"「{name}」應為整數", where=name) from None
    if value < low or (high is not None and value > high):
        bounds = f"{low} 至 {high}" if high is not None else f"至少 {low}"
        raise DomainError(f"「{name}」應為 {bounds}", where=name)
    return value


def page_window(request) -> tuple[int, int]:
    """(limit, offset) from the query string; a bad one is a DomainError naming it (400)."""
    limit = _whole(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _whole(request, "offset", 0, 0, None)
    return limit, offset


def paginate(request, rows: QuerySet | list, to_item: Callable[[object], dict]) -> dict:
    """The page of `rows` the request asks for as {"items", "count", "next"}; `next` is the
    same URL (filters kept) with the following offset, or None on the last page."""
    limit, offset = page_window(request)
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    page: Iterable = rows[offset : offset + limit]
    items = [to_item(row) for row in page]
    following = None
    if offset + limit < count:
        query = request.GET.copy()
        query["offset"] = str(offset + limit)
        query["limit"] = str(limit)
        following = f"{request.path}?{urlencode(sorted(query.items()))}"
    return {"items": items, "count": count, "next": following}


def filter_rows(
    queryset: QuerySet,
    request,
    *,
    statuses: Iterable[str],
    period: bool = True,
    office_field: str = "office",
) -> QuerySet:
    """Narrow `queryset` by `?period=114-1-6`, `?status=`, `?office=` (name, short name or
    code) and `?region=`; an unknown value is a DomainError naming its parameter."""
    from servplan.offices.domain import find_office

    params = request.GET
    if period and params.get("period"):
        try:
            p = parse_period(params["period"])
        except RocError as exc:
            raise DomainError(str(exc), where="period") from exc
        queryset = queryset.filter(
            roc_year=p.roc_year, start_month=p.start_month, end_month=p.end_month
        )
    elif not period and params.get("roc_year"):
        queryset = queryset.filter(roc_year=_whole(request, "roc_year", 0, 1, 999))
    if status := params.get("status"):
        if status not in set(statuses):
            raise DomainError(f"不明的狀態「{status}」", where="status")
        queryset = queryset.filter(status=status)
    if office := params.get("office"):
        queryset = queryset.filter(**{office_field: find_office(office)})
    if region := params.get("region"):
        queryset = queryset.filter(**{f"{office_field}__region": region})
    return queryset


def page_of(request, rows: QuerySet | list) -> Page:
    """The `?page=` of an HTML list (a page number that names nothing shows the nearest page,
    as the lists' filters ignore what they don't know); `page.keep` is the query string
    without `page`, so the page links keep the filters."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page.keep = query.urlencode()
    return page


def office_regions() -> list[str]:
    """The regions HQ filters lists by (the offices' 地區), in order."""
    from servplan.offices.models import Office

    regions = Office.objects.exclude(region="").values_list("region", flat=True)
    return list(regions.order_by("region").distinct())
