"""programs/api.py: /api/programs/ — published programs for everyone, drafts and writes for HQ."""

import pytest

from servplan.offices.models import Office, Role
from servplan.programs.domain.versions import start_program
from servplan.programs.lookups import hq_program
from servplan.programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def hq(make):
    return make.user(role=Role.HQ_REVIEWER)


@pytest.fixture
def clerk(shipped, make):
    return make.user(office=Office.objects.get(name="台東區營業處"))


def test_everyone_lists_the_published_programs_hq_the_drafts_too(shipped, hq, clerk, api):
    draft = start_program(user=hq, roc_year=115)
    page = api(clerk).get("/api/programs/").json()
    years = [(p["roc_year"], p["status"]) for p in page["items"]]
    assert years == [(114, "published"), (112, "published")] and page["count"] == 2
    body = api(hq).get("/api/programs/?limit=1").json()
    assert [(p["roc_year"], p["status"]) for p in body["items"]] == [(115, "draft")]
    assert body["items"][0]["copied_from"] == hq_program(114).pk
    assert body["count"] == 3 and "offset=1" in body["next"]
    assert api(hq).get("/api/programs/?limit=0").status_code == 400
    assert api(clerk).get(f"/api/programs/{draft.pk}/").status_code == 404
    assert api(hq).get(f"/api/programs/{draft.pk}/").status_code == 200


def test_a_programs_detail_has_its_tree_with_iso_dates(shipped, clerk, api):
    program = hq_program(112)
    body = api(clerk).get(f"/api/programs/{program.pk}/").json()
    assert (body["issued_on"], body["letter_number"], body["version"]) == (
        "2023-02-18",
        "電業字第1120005173號",
        1,
    )
    practice = body["facets"][0]["strategies"][0]["measures"][1]["practices"][0]
    assert practice["departments"] == ["業務組"] and practice["period"] == "1~12 月"
    assert body["published_at"].startswith("20")


def test_hq_starts_a_year_from_the_last_and_publishes_it(shipped, hq, api):
    client = api(hq)
    response = client.post(
        "/api/programs/",
        {"roc_year": 115, "letter_number": "電業字第1150001234號", "issued_on": "2026-02-10"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["roc_year"], body["issued_on"]) == ("draft", 115, "2026-02-10")
    assert body["copied_from"] == hq_program(114).pk and body["facets"]
    response = client.post(f"/api/programs/{body['id']}/publish/", {"revision": 9})
    assert response.status_code == 409 and response.json()["current"] == {"revision": 1}
    response = client.post(f"/api/programs/{body['id']}/publish/", {"revision": 1})
    assert response.status_code == 200 and response.json()["status"] == "published"
    response = client.post(f"/api/programs/{body['id']}/versions/")
    assert response.status_code == 201 and response.json()["version"] == 2
    v2 = response.json()["id"]
    response = client.post(f"/api/programs/{v2}/publish/", {"revision": 1})
    assert response.status_code == 400 and response.json()["where"] == "reason"
    response = client.post(f"/api/programs/{v2}/publish/", {"revision": 1, "reason": "修訂"})
    assert response.json()["supersedes"] == body["id"] and hq_program(115).pk == v2


def test_bad_input_is_400_naming_the_field(shipped, hq, api):
    client = api(hq)
    for body, where in [
        ({"roc_year": "abc"}, "roc_year"),
        ({"roc_year": 115, "issued_on": "2026-13-40"}, "issued_on"),
        ({"roc_year": 115, "source": 99999}, "source"),
        ({"roc_year": 115, "source": "x"}, "source"),
    ]:
        response = client.post("/api/programs/", body)
        assert response.status_code == 400 and response.json()["where"] == where, body
    assert not Program.objects.filter(roc_year=115).exists()


def test_office_staff_may_not_write(shipped, hq, clerk, api):
    response = api(clerk).post("/api/programs/", {"roc_year": 115})
    assert response.status_code == 403
    draft = start_program(user=hq, roc_year=115)
    assert api(clerk).post(f"/api/programs/{draft.pk}/publish/", {"revision": 1}).status_code == 404
    response = api(clerk).post(f"/api/programs/{hq_program(114).pk}/versions/")
    assert response.status_code == 403
    assert Program.objects.count() == 3
