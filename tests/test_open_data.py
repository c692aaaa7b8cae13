"""public/datasets.py: the open data catalogue page and GET /api/public/datasets/ — every
published file with DCAT-style fields, stable URLs, the licence; nothing unpublished."""

import pytest
from django.urls import reverse

from servplan.offices.models import Role
from servplan.plans.publication import publish_plan, unpublish_plan
from servplan.public.datasets import LICENCE
from servplan.public.domain import publish_results, unpublish_results
from servplan.public.models import PlanPublication, ResultsPublication

pytestmark = pytest.mark.django_db

KEYS = {"title", "office", "period", "format", "url", "modified", "licence"}


@pytest.fixture(autouse=True)
def small_files(monkeypatch):
    """Stand-in files (the catalogue lists them; rendering is the documents tests' concern)."""
    monkeypatch.setattr(
        "servplan.public.domain.render_files",
        lambda sheet, content: {
            f: f"{f} of {content['office']}".encode() for f in ("pdf", "odt", "csv", "ods", "json")
        },
    )
    monkeypatch.setattr(
        "servplan.plans.publication.render_document",
        lambda document, fmt, timestamp=None: f"{fmt} {document['title']}".encode(),
    )


@pytest.fixture
def hq(make):
    return make.user(role=Role.HQ_REVIEWER)


def results(make, hq, *, period=(114, 1, 6)):
    a = make.released(
        make.assessment(rubric_=make.rubric(dimensions=1, items=2), period=period), hq
    )
    publish_results(assessment=a, user=hq)
    return a


def items(client):
    response = client.get("/api/public/datasets/")
    assert response.status_code == 200
    return response.json()["items"]


def test_every_published_file_is_a_dataset_with_its_fields(make, hq, client):
    plan = make.approved_plan(roc_year=114)
    publish_plan(plan=plan, user=None)
    a = results(make, hq)
    listed = items(client)
    assert {i["format"] for i in listed} == {"pdf", "odt", "csv", "ods", "json"}
    assert len(listed) == 2 + 5
    for item in listed:
        assert set(item) == KEYS and item["licence"] == LICENCE == "政府資料開放授權條款－第 1 版"
        assert item["url"].startswith("http://testserver/public/")
    by_office = {(i["office"], i["format"]): i for i in listed}
    plan_pdf = by_office[(plan.office.name, "pdf")]
    assert plan_pdf["title"] == plan.title and plan_pdf["period"] == "2025-01/2025-12"
    data = by_office[(a.office.name, "csv")]
    assert data["period"] == "2025-01/2025-06" and data["title"].endswith("（資料）")
    published = ResultsPublication.objects.get().published_at
    assert data["modified"] == published.isoformat()
    where = [a.office.code, 114, 1, 6]
    assert data["url"] == "http://testserver" + reverse("public-results-csv", args=where)


def test_the_urls_answer_with_the_published_bytes(make, hq, client):
    publish_plan(plan=make.approved_plan(roc_year=114), user=None)
    results(make, hq)
    for item in items(client):
        response = client.get(item["url"].removeprefix("http://testserver"))
        assert response.status_code == 200 and response["ETag"], item["url"]


def test_a_dataset_keeps_its_url_when_published_again(make, hq, client):
    a = results(make, hq)
    before = sorted(i["url"] for i in items(client))
    unpublish_results(assessment=a, user=hq, reason="更正")
    assert items(client) == []
    publish_results(assessment=a, user=hq)
    assert sorted(i["url"] for i in items(client)) == before


def test_nothing_unpublished_is_listed(make, hq, client):
    plan = make.approved_plan(roc_year=114)
    publish_plan(plan=plan, user=None)
    a = results(make, hq)
    make.approved_plan(roc_year=113)  # approved, never published
    make.released(make.assessment(rubric_=make.rubric(dimensions=1, items=2)), hq)  # not published
    unpublish_plan(plan=plan, user=None, reason="撤下")
    unpublish_results(assessment=a, user=hq, reason="撤下")
    assert items(client) == []
    html = client.get(reverse("public-datasets")).content.decode()
    assert "目前沒有公開的資料集" in html and plan.title not in html


def test_the_catalogue_page_links_every_file_and_the_licence(make, hq, client):
    plan = make.approved_plan(roc_year=114)
    publish_plan(plan=plan, user=None)
    a = results(make, hq)
    response = client.get(reverse("public-datasets"))
    html = response.content.decode()
    assert response.status_code == 200 and not response.cookies
    assert "政府資料開放授權條款－第 1 版" in html and "https://data.gov.tw/license" in html
    assert reverse("public-plan-odt", args=[plan.office.code, 114]) in html
    assert reverse("public-results-json", args=[a.office.code, 114, 1, 6]) in html
    assert "114 年度 1 月至 6 月" in html and "/api/public/datasets/" in html


def test_no_token_is_needed(client, make, hq):
    results(make, hq)
    assert client.get("/api/public/datasets/", HTTP_AUTHORIZATION="Bearer wrong").status_code == 200


def test_the_catalogue_asks_a_fixed_number_of_queries(make, hq, client, django_assert_num_queries):
    for n in (1, 3):
        for i in range(n):
            publish_plan(plan=make.approved_plan(roc_year=100 + i), user=None)
            results(make, hq, period=(100 + i, 1, 6))
        with django_assert_num_queries(2):  # plans' files, results' files
            assert len(items(client)) == n * 7
        with django_assert_num_queries(2):
            assert client.get(reverse("public-datasets")).status_code == 200
        ResultsPublication.objects.all().delete()
        PlanPublication.objects.all().delete()
        from servplan.plans.models import OfficePlan

        OfficePlan.objects.update(status="approved")
