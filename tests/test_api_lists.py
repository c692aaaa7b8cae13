"""Every JSON list: {"items", "count", "next"}, summaries only, `limit`/`offset` paging,
the shared filters, and a fixed number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servplan.offices.models import Role


@pytest.fixture
def admin(make, api):
    return api(make.user(role=Role.ADMIN))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen)


def test_assessments_page_by_page_with_next_keeping_the_filters(db, make, admin):
    rubric = make.rubric()
    made = [make.assessment(rubric_=rubric) for _ in range(3)]
    first = admin.get("/api/assessments/?limit=2&period=114-1-6").json()
    assert set(first) == {"items", "count", "next"} and first["count"] == 3
    assert [a["id"] for a in first["items"]] == [a.pk for a in made[:2]]
    assert "period=114-1-6" in first["next"] and "offset=2" in first["next"]
    second = admin.get(first["next"]).json()
    assert [a["id"] for a in second["items"]] == [made[2].pk] and second["next"] is None


def test_an_assessment_summary_has_totals_and_links_but_no_sheet(db, make, admin):
    a = make.fill(make.assessment(rubric_=make.rubric(dimensions=1, items=2, cell_max=10)))
    [row] = admin.get("/api/assessments/").json()["items"]
    assert row["total"] == {"max": 20, "score": 10}
    assert row["status"] == "draft" and row["period"] == {
        "roc_year": 114,
        "start_month": 1,
        "end_month": 6,
    }
    assert not {"dimensions", "findings", "cells"} & set(row)
    assert row["links"]["self"] == f"/api/assessments/{a.pk}/"
    assert admin.get(row["links"]["self"]).json()["dimensions"]


def test_assessments_filter_by_period_status_office_and_region(db, make, admin):
    rubric = make.rubric()
    east, west = make.office(), make.office()
    east.region = "東區"
    east.save()
    a = make.assessment(office=east, rubric_=rubric)
    b = make.assessment(office=west, rubric_=rubric, period=(114, 7, 12))

    def ids(query):
        return [row["id"] for row in admin.get(f"/api/assessments/?{query}").json()["items"]]

    assert ids("period=114-7-12") == [b.pk]
    assert ids(f"office={east.code}") == [a.pk]
    assert ids("region=東區") == [a.pk]
    assert ids("status=draft") == [b.pk, a.pk]
    assert ids("status=submitted") == []


@pytest.mark.parametrize(
    "query, where",
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("status=lost", "status"),
        ("period=someday", "period"),
        ("office=nowhere", "office"),
    ],
)
def test_a_bad_parameter_is_400_naming_it(db, admin, query, where):
    for url in ("/api/assessments/", "/api/plans/"):
        if url == "/api/plans/" and where == "period":
            continue
        response = admin.get(f"{url}?{query}")
        assert response.status_code == 400, (url, query)
        assert response.json()["where"] == where


def test_the_limit_goes_up_to_200(db, make, admin):
    make.assessment()
    assert admin.get("/api/assessments/?limit=200").json()["count"] == 1


def test_office_staff_list_only_their_own_office(db, make, api):
    rubric = make.rubric()
    a, b = make.assessment(rubric_=rubric), make.assessment(rubric_=rubric)
    clerk = api(make.user(office=a.office))
    body = clerk.get(f"/api/assessments/?office={b.office.code}").json()
    assert body == {"items": [], "count": 0, "next": None}


def test_plans_are_summaries_filtered_by_year_and_status(db, make, admin):
    plan = make.plan(roc_year=114)
    make.plan(roc_year=115)
    [row] = admin.get("/api/plans/?roc_year=114&status=draft").json()["items"]
    assert row["id"] == plan.pk and row["status"] == "draft"
    assert "facets" not in row and row["links"]["self"] == f"/api/plans/{plan.pk}/"
    assert admin.get("/api/plans/?limit=1").json()["next"].endswith("limit=1&offset=1")


def test_history_is_paged(db, make, api):
    a = make.fill(make.assessment(rubric_=make.rubric(dimensions=1, items=3)))
    clerk = api(make.user(office=a.office))
    full = clerk.get(f"/api/assessments/{a.pk}/history/").json()
    assert full["count"] == len(full["items"]) >= 3
    page = clerk.get(f"/api/assessments/{a.pk}/history/?limit=1&offset=1").json()
    assert page["items"] == full["items"][1:2] and page["count"] == full["count"]


@pytest.mark.parametrize("url", ["/api/assessments/", "/api/plans/"])
def test_a_list_costs_the_same_queries_for_one_row_or_three(
    db, make, admin, url, django_assert_num_queries
):
    rubric = make.rubric()
    year = iter(range(110, 120))

    def add():
        if url == "/api/plans/":
            make.plan(roc_year=next(year))
        else:
            make.fill(make.assessment(rubric_=rubric))

    add()
    one = _queries(admin, url)
    add()
    add()
    with django_assert_num_queries(one):
        assert admin.get(url).json()["count"] == 3


def test_offices_page_by_page_filtered_by_region_in_fixed_queries(
    shipped, make, admin, django_assert_num_queries
):
    full = admin.get("/api/offices/?limit=200").json()
    assert full["count"] == 25 and full["next"] is None
    first = full["items"][0]
    assert set(first) == {"code", "name", "region", "active", "departments", "members"}
    page = admin.get("/api/offices/?limit=10").json()
    assert [o["code"] for o in page["items"]] == [o["code"] for o in full["items"][:10]]
    assert "offset=10" in page["next"]
    east = admin.get("/api/offices/?region=東部").json()
    assert east["count"] and {o["region"] for o in east["items"]} == {"東部"}
    one = _queries(admin, "/api/offices/?limit=1")
    with django_assert_num_queries(one):
        admin.get("/api/offices/?limit=3")
