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
    def post(data, *, name="seed.txt", role=Role.CLERK, office="台東", override="", **fields):
        """As a new user of `role` in `office`; `override` is the form's office field."""
        user = make.user(role=role, office=find_office(office) if office else None)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}
        body = {"file": SimpleUploadedFile(name, data), **fields}
        if override:
            body["office"] = override
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
    assert post(SEED, role=Role.DIRECTOR, office="台東", dry_run="1").status_code == 403
    assert Assessment.objects.count() == 0


def test_admin_imports_any_office(post):
    response = post(to_ods(small_sheet().blocks()), name="m.ods", role=Role.ADMIN, office=None)
    assert response.status_code == 201
    assert response.json()["office"] == "苗栗區營業處"


def test_no_token_is_401(client, shipped):
    response = client.post(URL, {"file": SimpleUploadedFile("seed.txt", SEED)})
    assert response.status_code == 401


def test_the_same_bytes_in_another_office_make_its_own_record(post):
    first = post(SEED)
    assert first.status_code == 201
    # 苗栗 imports the very same file for itself: a new record, nothing of 台東's shown.
    second = post(SEED, office="苗栗", override="苗栗")
    assert second.status_code == 201, second.json()
    body = second.json()
    assert body["import"]["created"] is True and body["office"] == "苗栗區營業處"
    assert body["id"] != first.json()["id"]
    assert body["import"]["id"] != first.json()["import"]["id"]
    assert ImportRecord.objects.count() == 2
    assert sorted(Assessment.objects.values_list("office__name", flat=True)) == [
        "台東區營業處",
        "苗栗區營業處",
    ]
    again = post(SEED, office="苗栗", override="苗栗")
    assert again.status_code == 200 and again.json()["id"] == body["id"]


@pytest.mark.parametrize("role", [Role.SECTION_CHIEF, Role.MANAGER, Role.DIRECTOR])
def test_only_the_clerk_imports_an_assessment(post, role):
    for dry_run in ("true", "false"):
        response = post(SEED, role=role, dry_run=dry_run)
        assert response.status_code == 403
        assert response.json()["detail"] == "只有台東區營業處的經辦可以建立自行考核"
    assert Assessment.objects.count() == 0 and ImportRecord.objects.count() == 0
    assert post(SEED).status_code == 201


def test_only_hq_brings_in_a_new_rubric(post):
    from servplan.programs.models import Rubric

    data = to_ods(small_sheet().blocks())  # a 113 form no stored rubric matches
    rubrics = Rubric.objects.count()
    for dry_run in ("true", "false"):
        response = post(data, name="m.ods", office="苗栗", dry_run=dry_run)
        assert response.status_code == 403
        detail = response.json()["detail"]
        assert "評分表「113年度" in detail and "總處業務處" in detail
    assert (Rubric.objects.count(), Assessment.objects.count()) == (rubrics, 0)
    response = post(data, name="m.ods", role=Role.ADMIN, office=None)
    assert response.status_code == 201 and Rubric.objects.count() == rubrics + 1


def test_plans_only_by_the_clerk_and_new_programs_only_by_hq(post):
    from tests.imports.forms import WRITERS, plan_blocks

    plan = WRITERS[".docx"](plan_blocks(year=112))
    assert post(plan, name="p.docx", role=Role.MANAGER, office="新竹").status_code == 403
    assert post(plan, name="p.docx", office="新竹").status_code == 201
    # 111 is before every program (115 would follow 112's): the import would make HQ's.
    unknown_year = WRITERS[".docx"](plan_blocks(year=111, office="苗栗區營業處"))
    response = post(unknown_year, name="p.docx", office="苗栗")
    assert response.status_code == 403 and "111 年度" in response.json()["detail"]
    assert post(unknown_year, name="p.docx", role=Role.ADMIN, office=None).status_code == 201
