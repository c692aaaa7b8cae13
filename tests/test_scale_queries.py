"""HQ's board, comparison, lists, their API and the public search answer in the same number
of SQL queries for a small and a larger `servplan sample`: nothing grows with the offices,
periods or records (issue 12, "Lists that scale")."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from servplan.assessments.models import Assessment
from servplan.core.sample import generate_sample, sample_offices
from servplan.offices.models import Role
from servplan.plans.models import OfficePlan

PERIOD = "113-7-12"
PAGES = [
    f"/review/periods/{PERIOD}/",
    f"/review/periods/{PERIOD}/comparison/",
    "/review/periods/",
    "/review/",
    "/assessments/",
    "/plans/",
    "/offices/",
    "/public/search/?q=電子帳單",
    "/public/search/?q=帳單",
]
API = [
    "/api/assessments/",
    "/api/plans/",
    "/api/offices/",
    "/api/periods/",
    f"/api/periods/{PERIOD}/board/",
    f"/api/periods/{PERIOD}/comparison/",
    "/api/public/search/?q=無障礙",
]


def _count(get, url) -> int:
    with CaptureQueriesContext(connection) as seen:
        response = get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(seen)


def _history_urls() -> list[str]:
    first = sample_offices().order_by("code").first()
    a = Assessment.objects.filter(office=first).order_by("-roc_year", "-start_month").first()
    plan = OfficePlan.objects.get(office=first)
    return [
        f"/assessments/{a.pk}/history/",
        f"/plans/{plan.pk}/history/",
        f"/api/assessments/{a.pk}/history/",
    ]


def _counts(page, api) -> dict[str, int]:
    counts = {url: _count(page.get, url) for url in PAGES}
    counts |= {url: _count(api.get, url) for url in API}
    for n, url in enumerate(_history_urls()):
        counts[f"history {n}"] = _count(api.get if "/api/" in url else page.get, url)
    return counts


def test_the_same_queries_for_a_small_and_a_larger_sample(shipped, make, as_user, api):
    hq = make.user(role=Role.HQ_REVIEWER)
    page, token = as_user(hq), api(hq)
    generate_sample(offices=2, periods=1, seed=1)
    small = _counts(page, token)
    generate_sample(offices=6, periods=3, seed=1, replace=True)
    assert Assessment.objects.count() == 18
    assert _counts(page, token) == small
