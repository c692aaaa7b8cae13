"""The assessment API: every status code, office isolation, stale versions."""

import pytest

from servplan.assessments.models import SignOff, Status
from servplan.offices.models import Role

CHAIN = [Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR, Role.DIRECTOR]


@pytest.fixture
def office_a(db, make):
    a = make.assessment(rubric_=make.rubric(cell_max=10))
    return a, make.staff(a.office)


def cell_url(a, cell_id=None):
    cell_id = cell_id or a.cells.order_by("id").first().pk
    return f"/api/assessments/{a.pk}/cells/{cell_id}/"


def test_detail_adds_cells_with_versions(office_a, api):
    a, people = office_a
    body = api(people[Role.CLERK]).get(f"/api/assessments/{a.pk}/").json()
    assert body["kind"] == "assessment" and body["status"] == "draft"
    assert set(body["cells"][0]) == {
        "id",
        "dimension",
        "item",
        "max",
        "score",
        "narrative",
        "version",
    }
    assert body["cells"][0]["max"] == 10 and body["cells"][0]["version"] == 1
    assert "dimensions" in body and "findings" in body and "review" not in body


def test_patch_a_cell_returns_the_new_version(office_a, api):
    a, people = office_a
    response = api(people[Role.CLERK]).patch(
        cell_url(a), {"score": 9.5, "narrative": "1. 說明", "version": 1}
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2 and response.json()["score"] == 9.5


def test_patch_out_of_range_is_400_naming_the_maximum(office_a, api):
    a, people = office_a
    response = api(people[Role.CLERK]).patch(cell_url(a), {"score": 11, "version": 1})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "構面1／項目1：分數 11 超過最高分 10 分",
        "where": "構面1／項目1",
    }


def test_patch_with_a_stale_version_is_409_with_the_newer_value(office_a, api):
    a, people = office_a
    clerk = api(people[Role.CLERK])
    assert clerk.patch(cell_url(a), {"score": 8, "version": 1}).status_code == 200
    response = clerk.patch(cell_url(a), {"score": 3, "version": 1})
    assert response.status_code == 409
    assert response.json()["current"] == {"score": 8, "narrative": "", "version": 2}
    assert "此格已被他人修改" in response.json()["detail"]
    assert a.cells.order_by("id").first().score == 8


def test_patch_on_a_locked_assessment_is_409(office_a, api):
    a, people = office_a
    a.status = Status.SUBMITTED
    a.save()
    response = api(people[Role.CLERK]).patch(cell_url(a), {"score": 3, "version": 1})
    assert response.status_code == 409 and "已送出" in response.json()["detail"]


def test_patch_needs_a_version(office_a, api):
    a, people = office_a
    assert api(people[Role.CLERK]).patch(cell_url(a), {"score": 3}).status_code == 400


def test_patch_by_a_signer_is_403_by_an_outsider_404(office_a, api, make):
    a, people = office_a
    assert (
        api(people[Role.DIRECTOR]).patch(cell_url(a), {"score": 3, "version": 1}).status_code == 403
    )
    outsider = api(make.user(office=make.office()))
    assert outsider.patch(cell_url(a), {"score": 3, "version": 1}).status_code == 404
    other = make.assessment()
    assert (
        api(people[Role.CLERK])
        .patch(cell_url(a, other.cells.first().pk), {"score": 1, "version": 1})
        .status_code
        == 404
    )


def test_no_token_is_401(office_a, client):
    a, _ = office_a
    assert (
        client.patch(
            cell_url(a), {"score": 1, "version": 1}, content_type="application/json"
        ).status_code
        == 401
    )


def test_the_whole_chain_over_the_api(office_a, api, make):
    a, people = office_a
    make.fill(a)
    clerk = api(people[Role.CLERK])
    assert api(people[Role.DIRECTOR]).post(f"/api/assessments/{a.pk}/submit/").status_code == 403
    response = clerk.post(f"/api/assessments/{a.pk}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "in_signoff"
    assert response.json()["current_signer"] == "section_chief"
    assert clerk.post(f"/api/assessments/{a.pk}/submit/").status_code == 409
    signoffs = f"/api/assessments/{a.pk}/signoffs/"
    assert api(people[Role.MANAGER]).post(signoffs, {"decision": "approve"}).status_code == 403
    response = api(people[Role.SECTION_CHIEF]).post(
        signoffs, {"decision": "return", "comment": "請補充"}
    )
    assert response.status_code == 201 and response.json()["status"] == "draft"
    assert clerk.post(f"/api/assessments/{a.pk}/submit/").status_code == 200
    for role in CHAIN:
        response = api(people[role]).post(signoffs, {"decision": "approve"})
        assert response.status_code == 201
    assert response.json()["status"] == "submitted"
    assert api(people[Role.DIRECTOR]).post(signoffs, {"decision": "approve"}).status_code == 409
    body = clerk.get(f"/api/assessments/{a.pk}/").json()
    assert body["status"] == "submitted"
    assert [(s["position"], s["role"], s["decision"]) for s in body["signoffs"]][-5:] == [
        (1, "clerk", "submit"),
        (2, "section_chief", "approve"),
        (3, "manager", "approve"),
        (4, "deputy_director", "approve"),
        (5, "director", "approve"),
    ]
    assert SignOff.objects.filter(assessment=a, decision="return", comment="請補充").exists()


def test_submit_with_missing_scores_is_400(office_a, api):
    a, people = office_a
    response = api(people[Role.CLERK]).post(f"/api/assessments/{a.pk}/submit/")
    assert response.status_code == 400 and "尚未填自評分數" in response.json()["detail"]


def test_a_bad_decision_is_400_and_outsiders_get_404(office_a, api, make):
    a, people = office_a
    make.fill(a)
    api(people[Role.CLERK]).post(f"/api/assessments/{a.pk}/submit/")
    url = f"/api/assessments/{a.pk}/signoffs/"
    assert api(people[Role.SECTION_CHIEF]).post(url, {"decision": "maybe"}).status_code == 400
    stranger = make.user(office=make.office(), role=Role.SECTION_CHIEF)
    assert api(stranger).post(url, {"decision": "approve"}).status_code == 404


def test_offices_are_isolated(db, make, api):
    a, b = make.assessment(), make.assessment()
    clerk_a, clerk_b = make.user(office=a.office), make.user(office=b.office)
    assert [row["id"] for row in api(clerk_a).get("/api/assessments/").json()["items"]] == [a.pk]
    assert [row["id"] for row in api(clerk_b).get("/api/assessments/").json()["items"]] == [b.pk]
    for path in ("", "history/", "checks/"):
        assert api(clerk_a).get(f"/api/assessments/{b.pk}/{path}").status_code == 404
    assert api(clerk_a).post(f"/api/assessments/{b.pk}/submit/").status_code == 404


def test_create(db, make, api):
    office, rubric = make.office(), make.rubric()
    clerk = api(make.user(office=office))
    body = {"office": office.name, "rubric": rubric.pk, "period": "114-1-6"}
    response = clerk.post("/api/assessments/", body)
    assert response.status_code == 201
    assert response.json()["period"] == {"roc_year": 114, "start_month": 1, "end_month": 6}
    assert len(response.json()["cells"]) == 4
    assert clerk.post("/api/assessments/", body).status_code == 400
    dict_period = {"roc_year": 114, "start_month": 7, "end_month": 12}
    response = clerk.post(
        "/api/assessments/", {**body, "period": dict_period, "copy_from_previous": True}
    )
    assert response.status_code == 201
    assert clerk.post("/api/assessments/", {**body, "period": "114-13-14"}).status_code == 400
    assert clerk.post("/api/assessments/", {**body, "office": "火星"}).status_code == 404
    outsider = api(make.user(office=make.office()))
    assert outsider.post("/api/assessments/", {**body, "period": "115-1-6"}).status_code == 404


def test_creating_for_another_office_reveals_nothing_of_its_records(db, make, api):
    """Another office (with or without earlier records) answers as a non-existent one does."""
    with_records = make.assessment(period=(113, 7, 12)).office
    without, rubric = make.office(), make.rubric()
    for user in (make.user(office=make.office()), make.user(role=Role.HQ_REVIEWER)):
        answers = []
        for office in (with_records.name, without.name, "火星"):
            for copy in (True, False):
                response = api(user).post(
                    "/api/assessments/",
                    {
                        "office": office,
                        "rubric": rubric.pk,
                        "period": "114-1-6",
                        "copy_from_previous": copy,
                    },
                )
                answers.append((response.status_code, response.json()))
        assert answers == [(404, {"detail": "找不到資料"})] * 6
    assert with_records.assessments.count() == 1 and without.assessments.count() == 0


def test_copy_previous_checks_the_role_before_looking_for_records(db, make, api):
    office, rubric = make.office(), make.rubric()
    director = api(make.user(office=office, role=Role.DIRECTOR))
    body = {"office": office.name, "rubric": rubric.pk, "period": "114-1-6"}
    response = director.post("/api/assessments/", {**body, "copy_from_previous": True})
    assert response.status_code == 403 and "經辦" in response.json()["detail"]
    clerk = api(make.user(office=office))
    response = clerk.post("/api/assessments/", {**body, "copy_from_previous": True})
    assert response.status_code == 400 and response.json()["where"] == "copy_from"


def test_history_lists_who_changed_what(office_a, api):
    a, people = office_a
    clerk = api(people[Role.CLERK])
    clerk.patch(cell_url(a), {"score": 7, "version": 1})
    clerk.patch(cell_url(a), {"score": 8, "version": 2})
    entries = clerk.get(f"/api/assessments/{a.pk}/history/").json()["items"]
    scores = [e for e in entries if e["field"] == "score"]
    assert [(e["user"], e["old"], e["new"]) for e in scores] == [
        (people[Role.CLERK].username, "", "7"),
        (people[Role.CLERK].username, "7", "8"),
    ]
    assert set(entries[0]) >= {"user", "at", "field", "old", "new"}


def test_reopen_needs_hq(office_a, api, make):
    a, people = office_a
    a.status = Status.SUBMITTED
    a.save()
    hq = api(make.user(role=Role.HQ_REVIEWER))
    url = f"/api/assessments/{a.pk}/reopen/"
    assert api(people[Role.DIRECTOR]).post(url, {"reason": "x"}).status_code == 403
    assert hq.post(url, {"reason": ""}).status_code == 400
    response = hq.post(url, {"reason": "誤植"})
    assert response.status_code == 200 and response.json()["status"] == "draft"
    assert hq.post(url, {"reason": "誤植"}).status_code == 404  # a draft is no longer HQ's to see
