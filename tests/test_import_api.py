"""POST /api/imports/: dry run, import, the same file twice, 400 with issues, permissions."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servplan.assessments.models import Assessment
from servplan.imports.models import ImportRecord
from servplan.offices.domain import find_office
from servplan.offices.models import ApiToken, Role
from tests.imports.forms import small_sheet, to_ods

SEED = (Path(__file__).parent / "imports" / "fixtures" / "seed-000.txt").read_bytes()
URL = "/api/imports/"


@pytest.fixture
def post(client, make, shipped):
    def post(data, *, name="seed.txt", role=Role.CLERK, office="台東", **fields):
        user = make.user(role=role, office=find_office(office) if office else None)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}
        body = {"file": SimpleUploadedFile(name, data), **fields}
        return client.post(URL, body, **headers)

    return post


def test_dry_run_returns_the_check_and_stores_nothing(post):
    response = post(SEED, dry_run="true")
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "assessment" and "id" not in body
    assert body["total"] == {"max": 1000, "score": 939, "stated": 939}
    assert [i["code"] for i in body["issues"]] == ["duplicate-narrative"]
    assert Assessment.objects.count() == 0 and ImportRecord.objects.count() == 0


def test_import_then_the_same_file_again(post):
    first = post(SEED)
    assert first.status_code == 201
    body = first.json()
    assert body["id"] == Assessment.objects.get().id and body["import"]["created"] is True
    again = post(SEED)
    assert again.status_code == 200
    assert again.json()["id"] == body["id"] and again.json()["import"]["created"] is False
    assert Assessment.objects.count() == 1


def test_errors_are_400_with_the_issues_and_nothing_stored(post):
    sheet = small_sheet()
    sheet.dimensions[1].cells[0].score = -3
    response = post(to_ods(sheet.blocks()), name="bad.ods", office="苗栗")
    assert response.status_code == 400
    body = response.json()
    assert "創新服務／便民服務" in body["detail"]
    assert [i["code"] for i in body["issues"] if i["severity"] == "error"] == ["score-negative"]
    assert ImportRecord.objects.count() == 0 and Assessment.objects.count() == 0


def test_unreadable_is_400(post):
    response = post(b"", name="empty.pdf")
    assert response.status_code == 400
    assert response.json()["issues"][0]["code"] == "unreadable"


def test_another_offices_form_is_400_and_hq_is_403(post):
    response = post(to_ods(small_sheet().blocks()), name="miaoli.ods", office="台東")
    assert response.status_code == 400 and response.json()["where"] == "office"
    assert post(SEED, role=Role.HQ_REVIEWER, office=None).status_code == 403
    assert post(SEED, role=Role.DIRECTOR, office="台東", dry_run="1").status_code == 200
    assert Assessment.objects.count() == 0


def test_admin_imports_any_office(post):
    response = post(to_ods(small_sheet().blocks()), name="m.ods", role=Role.ADMIN, office=None)
    assert response.status_code == 201
    assert response.json()["office"] == "苗栗區營業處"


def test_no_token_is_401(client, shipped):
    response = client.post(URL, {"file": SimpleUploadedFile("seed.txt", SEED)})
    assert response.status_code == 401
