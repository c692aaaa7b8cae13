"""GET /api/assessments/{id}/export/ and /api/plans/{id}/export/: same rules as the rest of the API."""

import io
import json
import zipfile

import pytest

from servplan.assessments.models import Status
from servplan.offices.models import ApiToken, Office, Role
from servplan.plans.models import OfficePlan


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("odt", "application/vnd.oasis.opendocument.text", b"PK"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("ods", "application/vnd.oasis.opendocument.spreadsheet", b"PK"),
        ("csv", "text/csv; charset=utf-8", b"\xef\xbb\xbf"),
        ("json", "application/json", b"{"),
        ("xml", "application/xml", b"<?xml"),
    ],
)
def test_own_office_downloads_every_format(taitung, make, client, fmt, content_type, magic):
    own = _bearer(make.user(office=taitung.office))
    response = client.get(f"/api/assessments/{taitung.pk}/export/?format={fmt}&form=summary", **own)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    assert 'filename="taitung-114-1-6-' in response["Content-Disposition"]
    if fmt in ("odt", "docx", "xlsx", "ods"):
        assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None
    if fmt == "json":
        assert json.loads(response.content)["total"] == {"max": 1000, "score": 939}


def test_same_office_other_role_outsider_and_hq(taitung, make, client):
    url = f"/api/assessments/{taitung.pk}/export/?format=pdf&form=score-sheet"
    manager = _bearer(make.user(role=Role.MANAGER, office=taitung.office))
    outsider = _bearer(make.user(office=make.office()))
    hq = _bearer(make.user(role=Role.HQ_REVIEWER))
    assert client.get(url, **manager).status_code == 200
    assert client.get(url, **outsider).status_code == 404
    assert client.get(url, **hq).status_code == 404  # a draft is not HQ's to see
    taitung.status = Status.SUBMITTED
    taitung.save()
    assert client.get(url, **hq).status_code == 200
    assert client.get(url).status_code == 401


def test_unknown_format_or_form_is_400_in_chinese(taitung, make, client):
    own = _bearer(make.user(office=taitung.office))
    bad_format = client.get(f"/api/assessments/{taitung.pk}/export/?format=rtf", **own)
    assert bad_format.status_code == 400
    assert bad_format.json() == {
        "detail": "不支援的格式「rtf」：請使用 pdf、odt、docx、xlsx、ods、csv、json、xml",
        "where": "format",
    }
    bad_form = client.get(f"/api/assessments/{taitung.pk}/export/?format=pdf&form=x", **own)
    assert bad_form.status_code == 400 and "不支援的表單" in bad_form.json()["detail"]
    outsider = _bearer(make.user(office=make.office()))
    hidden = client.get(f"/api/assessments/{taitung.pk}/export/?format=rtf", **outsider)
    assert hidden.status_code == 404  # existence is not leaked by a format error
    assert client.get("/api/assessments/999999/export/?format=pdf", **own).status_code == 404


def test_plan_export(sample, make, client):
    miaoli = Office.objects.get(name="苗栗區營業處")
    plan = OfficePlan.objects.get(office=miaoli)
    own = _bearer(make.user(office=miaoli))
    outsider = _bearer(make.user(office=make.office()))
    for fmt in ("pdf", "odt", "docx"):
        response = client.get(f"/api/plans/{plan.pk}/export/?format={fmt}", **own)
        assert response.status_code == 200 and response["Content-Disposition"].endswith(
            f'miaoli-112-plan.{fmt}"'
        )
    assert client.get(f"/api/plans/{plan.pk}/export/?format=pdf", **outsider).status_code == 404
    bad = client.get(f"/api/plans/{plan.pk}/export/?format=xlsx", **own)
    assert bad.status_code == 400 and bad.json()["detail"].startswith("不支援的格式「xlsx」")
