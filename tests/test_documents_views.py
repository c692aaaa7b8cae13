"""Download buttons on the assessment and plan pages, and the downloads behind them."""

import pytest
from django.urls import reverse

from servplan.offices.models import Office, Role
from servplan.plans.models import OfficePlan
from tests.factories import PASSWORD


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_assessment_page_offers_every_download(taitung, make, client):
    _login(client, make.user(office=taitung.office))
    page = client.get(reverse("assessment-detail", args=[taitung.pk])).content.decode()
    for fmt in ("pdf", "odt", "docx", "xlsx", "ods", "csv", "json", "xml"):
        assert reverse("assessment-export", args=[taitung.pk, fmt]) in page
    for form in ("score-sheet", "summary", "follow-up", "all"):
        assert f"?form={form}" in page
    response = client.get(reverse("assessment-export", args=[taitung.pk, "pdf"]) + "?form=summary")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="taitung-114-1-6-summary.pdf"'


def test_assessment_download_access(taitung, make, client):
    url = reverse("assessment-export", args=[taitung.pk, "csv"])
    _login(client, make.user(role=Role.DIRECTOR, office=taitung.office))
    assert client.get(url).status_code == 200
    _login(client, make.user(office=make.office()))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_unknown_format_on_a_page_is_400(taitung, make, client):
    _login(client, make.user(office=taitung.office))
    response = client.get(reverse("assessment-export", args=[taitung.pk, "rtf"]))
    assert response.status_code == 400 and "不支援的格式" in response.content.decode()


def test_plan_page_offers_downloads(sample, make, client):
    miaoli = Office.objects.get(name="苗栗區營業處")
    plan = OfficePlan.objects.get(office=miaoli)
    _login(client, make.user(office=miaoli))
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    for fmt in ("pdf", "odt", "docx"):
        assert reverse("plan-export", args=[plan.pk, fmt]) in page
    assert client.get(reverse("plan-export", args=[plan.pk, "odt"])).status_code == 200
    _login(client, make.user(office=make.office()))
    assert client.get(reverse("plan-export", args=[plan.pk, "odt"])).status_code == 404


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_queries_do_not_grow_with_the_rubric(db, make, client, fmt):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (1, 3):
        assessment = make.assessment(rubric_=make.rubric(dimensions=size, items=size))
        _login(client, make.user(office=assessment.office))
        url = reverse("assessment-export", args=[assessment.pk, fmt]) + "?form=all"
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
