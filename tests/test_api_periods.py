"""/api/periods/: the list for everyone signed in; opening, the board, deadlines, closing and
HQ's 受理 / 退回 for HQ (a period's board is 404 to office staff, as on the pages)."""

import datetime as dt

import pytest
from django.utils import timezone

from servplan.assessments.domain import waiting_on
from servplan.assessments.models import Assessment
from servplan.offices.models import Role
from servplan.periods.models import AssessmentPeriod, DeadlineOverride
from servplan.review.domain import mark_reviewed, review_cell

TODAY = timezone.localdate()


@pytest.fixture
def world(db, make):
    offices = [make.office(f"介面{n}區營業處") for n in range(3)]
    offices[0].region = "東部"
    offices[0].save()
    return {
        "offices": offices,
        "hq": make.user(role=Role.HQ_REVIEWER),
        "clerk": make.user(office=offices[0]),
        "rubric": make.rubric(dimensions=1, items=1, cell_max=10, roc_year=115),
    }


def open_115(api, world, deadline=None):
    return api(world["hq"]).post(
        "/api/periods/",
        {
            "period": "115-1-6",
            "rubric": world["rubric"].pk,
            "deadline": deadline or (TODAY + dt.timedelta(days=10)).isoformat(),
        },
    )


def draft(world, n=0) -> Assessment:
    return Assessment.objects.get(office=world["offices"][n], roc_year=115, start_month=1)


def test_hq_opens_a_period_and_everyone_signed_in_lists_it(world, api, client):
    response = open_115(api, world)
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "115-1-6" and body["status"] == "open"
    assert body["rubric"] == {"id": world["rubric"].pk, "title": str(world["rubric"])}
    assert len(body["created"]) == 3
    listed = api(world["clerk"]).get("/api/periods/").json()
    assert listed["count"] == 1 and listed["next"] is None
    (item,) = listed["items"]
    assert item["slug"] == "115-1-6" and item["deadline"] == body["deadline"]
    assert item["rubric"]["id"] == world["rubric"].pk and item["released_at"] is None
    assert item["office_deadline"] == body["deadline"]  # the clerk's own office
    assert "office_deadline" not in api(world["hq"]).get("/api/periods/").json()["items"][0]
    assert client.get("/api/periods/").status_code == 401


def test_opening_is_hqs_and_refusals_name_the_field(world, api):
    clerk = api(world["clerk"])
    data = {"period": "115-1-6", "rubric": world["rubric"].pk, "deadline": "2026-07-15"}
    assert clerk.post("/api/periods/", data).status_code == 403
    bad = api(world["hq"]).post("/api/periods/", {**data, "deadline": "2026-13-40"})
    assert bad.status_code == 400 and bad.json()["where"] == "deadline"
    bad = api(world["hq"]).post("/api/periods/", {**data, "rubric": 99999})
    assert bad.status_code == 400 and bad.json()["where"] == "rubric"
    bad = api(world["hq"]).post("/api/periods/", {**data, "period": "115-7-1"})
    assert bad.status_code == 400 and bad.json()["where"] == "period"
    assert not AssessmentPeriod.objects.exists()
    assert open_115(api, world).status_code == 201
    again = open_115(api, world)
    assert again.status_code == 409 and again.json()["where"] == "period"


def test_the_board_has_one_row_per_active_office(world, api, make):
    open_115(api, world)
    retired = make.office("已裁撤區營業處")
    retired.active = False
    retired.save()
    submitted = make.submitted(draft(world, 1))
    hq = api(world["hq"])
    body = hq.get("/api/periods/115-1-6/board/").json()
    assert body["count"] == 3 and len(body["items"]) == 3 and body["next"] is None
    assert body["counts"]["draft"] == 2 and body["counts"]["submitted"] == 1
    assert body["period"]["slug"] == "115-1-6"
    rows = {r["office"]: r for r in body["items"]}
    assert retired.name not in rows
    row = rows[submitted.office.name]
    role, since = waiting_on(submitted)
    assert row["status"] == "submitted" and row["waiting_on"] == role.value == "hq_reviewer"
    assert row["since"] == since.isoformat() and row["submitted_at"] == since.isoformat()
    assert row["overdue"] is False and row["late"] is False and row["accepted_at"] is None
    assert row["deadline"] == (TODAY + dt.timedelta(days=10)).isoformat()
    waiting = rows[world["offices"][0].name]
    assert waiting["waiting_on"] == "clerk" and waiting["region"] == "東部"
    east = hq.get("/api/periods/115-1-6/board/?region=東部").json()
    assert [r["office"] for r in east["items"]] == [world["offices"][0].name]
    assert east["counts"]["draft"] == 1
    drafts = hq.get("/api/periods/115-1-6/board/?status=submitted").json()
    assert [r["office"] for r in drafts["items"]] == [submitted.office.name]


def test_the_board_is_404_to_office_staff_and_for_unknown_periods(world, api, make, client):
    open_115(api, world)
    for user in (world["clerk"], make.user(office=world["offices"][0], role=Role.DIRECTOR)):
        assert api(user).get("/api/periods/115-1-6/board/").status_code == 404
        response = api(user).post(
            "/api/periods/115-1-6/deadline/", {"deadline": "2026-08-01", "reason": "延長"}
        )
        assert response.status_code == 404
    assert api(make.user(role=Role.ADMIN)).get("/api/periods/115-1-6/board/").status_code == 200
    for slug in ("114-1-6", "abc"):
        assert api(world["hq"]).get(f"/api/periods/{slug}/board/").status_code == 404
    assert client.get("/api/periods/115-1-6/board/").status_code == 401


def test_late_and_overdue_on_the_board(world, api, make):
    open_115(api, world)
    hq = api(world["hq"])
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    for n in (0, 1):
        response = hq.post(
            "/api/periods/115-1-6/deadline/",
            {"deadline": yesterday, "reason": "測試", "office": world["offices"][n].name},
        )
        assert response.status_code == 200 and response.json()["deadline"] == yesterday
    make.submitted(draft(world, 1))
    rows = {r["office"]: r for r in hq.get("/api/periods/115-1-6/board/").json()["items"]}
    overdue, late = rows[world["offices"][0].name], rows[world["offices"][1].name]
    assert overdue["overdue"] and not overdue["late"] and overdue["deadline"] == yesterday
    assert late["late"] and not late["overdue"] and late["deadline_reason"] == "測試"
    first = hq.get("/api/periods/115-1-6/board/").json()["items"][0]
    assert first["office"] == world["offices"][0].name  # overdue first
    listed = api(world["clerk"]).get("/api/periods/").json()["items"][0]
    assert listed["office_deadline"] == yesterday


def test_deadline_moves_need_a_reason_and_a_known_office(world, api):
    open_115(api, world)
    hq = api(world["hq"])
    url = "/api/periods/115-1-6/deadline/"
    no_reason = hq.post(url, {"deadline": "2026-08-01", "reason": ""})
    assert no_reason.status_code == 400 and no_reason.json()["where"] == "reason"
    unknown = hq.post(url, {"deadline": "2026-08-01", "reason": "r", "office": "不存在"})
    assert unknown.status_code == 400 and unknown.json()["where"] == "office"
    everyone = hq.post(url, {"deadline": "2026-08-01", "reason": "統一延後"})
    assert everyone.status_code == 200 and everyone.json()["period_deadline"] == "2026-08-01"
    assert AssessmentPeriod.objects.get().deadline == dt.date(2026, 8, 1)
    assert not DeadlineOverride.objects.exists()


def test_accept_then_review_or_return(world, api, make):
    open_115(api, world)
    a = make.submitted(draft(world, 0))
    hq, clerk = api(world["hq"]), api(world["clerk"])
    url = f"/api/review/assessments/{a.pk}/"
    assert clerk.post(url + "accept/").status_code == 403
    cell = a.cells.get()
    early = hq.patch(url + f"cells/{cell.pk}/", {"score": 4, "version": cell.review_version})
    assert early.status_code == 409
    accepted = hq.post(url + "accept/")
    assert accepted.status_code == 201 and accepted.json()["accepted_at"]
    assert hq.post(url + "accept/").status_code == 409
    row = hq.get("/api/periods/115-1-6/board/").json()["items"][0]
    assert row["accepted_at"] == accepted.json()["accepted_at"]
    assert hq.post(url + "return/", {"reason": ""}).status_code == 400
    returned = hq.post(url + "return/", {"reason": "佐證不足"})
    assert returned.status_code == 200 and returned.json()["status"] == "draft"
    assert hq.post(url + "accept/").status_code == 404  # a draft is not HQ's to see


def test_closing_after_the_release(world, api, make):
    open_115(api, world)
    a = make.submitted(draft(world, 0))
    hq = api(world["hq"])
    hq.post(f"/api/review/assessments/{a.pk}/accept/")
    for cell in a.cells.all():
        review_cell(cell_score=cell, user=world["hq"], score="4")
    mark_reviewed(assessment=a, user=world["hq"])
    assert hq.post("/api/periods/115-1-6/close/").status_code == 409
    assert hq.post("/api/review/releases/", {"period": "115-1-6"}).status_code == 201
    assert api(world["clerk"]).post("/api/periods/115-1-6/close/").status_code == 404
    closed = hq.post("/api/periods/115-1-6/close/")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    listed = hq.get("/api/periods/").json()["items"][0]
    assert listed["status"] == "closed" and listed["released_at"]
    withdraw = hq.post("/api/review/releases/withdraw/", {"period": "115-1-6", "reason": "更正"})
    assert withdraw.status_code == 409
