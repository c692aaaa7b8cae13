import pytest

from servplan.assessments.models import Status
from servplan.offices.models import ApiToken, Role


@pytest.fixture
def bearer(make):
    def _bearer(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}

    return _bearer


def test_no_token_is_401(db, client):
    assert client.get("/api/assessments/").status_code == 401
    assert client.get("/api/assessments/", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_an_expired_token_is_401(db, make, client):
    import datetime as dt

    from django.utils import timezone

    user = make.user(office=make.office())
    token = ApiToken.issue(user, days=1)
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get("/api/assessments/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_list_and_detail_follow_the_office(taitung, make, bearer, client):
    own = bearer(make.user(office=taitung.office))
    outsider = bearer(make.user(office=make.office()))
    [row] = client.get("/api/assessments/", **own).json()["items"]
    assert row["total"] == {"max": 1000, "score": 939}
    assert "dimensions" not in row and row["links"]["self"] == f"/api/assessments/{taitung.pk}/"
    assert client.get("/api/assessments/", **outsider).json() == {
        "items": [],
        "count": 0,
        "next": None,
    }
    assert client.get(f"/api/assessments/{taitung.pk}/", **own).json()["id"] == taitung.pk
    assert client.get(f"/api/assessments/{taitung.pk}/", **outsider).status_code == 404


def test_hq_sees_submitted_work_only(taitung, make, bearer, client):
    hq = bearer(make.user(role=Role.HQ_REVIEWER))
    assert client.get(f"/api/assessments/{taitung.pk}/", **hq).status_code == 404
    taitung.status = Status.SUBMITTED
    taitung.save()
    assert client.get(f"/api/assessments/{taitung.pk}/", **hq).json()["status"] == "submitted"


def test_plans(sample, make, bearer, client):
    from servplan.offices.models import Office

    own = bearer(make.user(office=Office.objects.get(name="苗栗區營業處")))
    [plan] = client.get("/api/plans/", **own).json()["items"]
    assert plan["status"] and plan["approved_on"] == "2023-03-21" and "facets" not in plan
    detail = client.get(plan["links"]["self"], **own).json()
    assert detail["kind"] == "plan" and detail["roc_year"] == 112 and detail["facets"]


def test_the_docs_page_loads_everything_from_this_site(db, client):
    """Swagger UI's script and style are our static files (the CSP allows no CDN, offices run
    offline), and no online validator is called."""
    import re

    html = client.get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    assert all(s.startswith("/") for s in sources), sources
    assert '"validatorUrl": null' in html
    for source in sources:
        assert client.get(source).status_code == 200, source
