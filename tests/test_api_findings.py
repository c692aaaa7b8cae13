"""The findings API: the results summary's rows, the improvements they track and their
quarterly follow-ups, with the pages' access rules, versions and refusals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servplan.assessments.domain import update_finding
from servplan.offices.models import Role


@pytest.fixture
def office_a(db, make):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=2))
    return a, make.staff(a.office)


def findings_url(a, finding=None):
    base = f"/api/assessments/{a.pk}/findings/"
    return f"{base}{finding.pk}/" if finding else base


def first_finding(a):
    return a.findings.order_by("id").first()


def tracked(a, people, text="加強同仁訓練"):
    """The first row with a recommendation (the improvement it opens), as the clerk typed it."""
    finding = first_finding(a)
    update_finding(finding=finding, user=people[Role.CLERK], recommendation=text)
    finding.refresh_from_db()
    return finding


def test_the_list_answers_every_row_with_its_version(office_a, api):
    a, people = office_a
    body = api(people[Role.CLERK]).get(findings_url(a)).json()
    assert body["count"] == 2 and body["next"] is None
    assert [row["item"] for row in body["items"]] == ["項目1", "項目2"]
    assert body["items"][0] == {
        "id": first_finding(a).pk,
        "dimension": "構面1",
        "item": "項目1",
        "strengths": "",
        "weaknesses": "",
        "recommendation": "",
        "improvement": None,
        "improvement_status": None,
        "progress": "",
        "remarks": "",
        "version": 1,
    }


def test_a_patch_opens_the_improvement_and_moves_the_version(office_a, api):
    a, people = office_a
    finding = first_finding(a)
    response = api(people[Role.CLERK]).patch(
        findings_url(a, finding),
        {"strengths": "主動關懷", "recommendation": "加強同仁訓練", "version": 1},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["strengths"] == "主動關懷" and body["recommendation"] == "加強同仁訓練"
    assert body["improvement_status"] == "open" and body["version"] == 2
    finding.refresh_from_db()
    assert finding.improvement.recommendation == "加強同仁訓練"


def test_a_field_left_out_stays_as_it_is(office_a, api):
    a, people = office_a
    finding = tracked(a, people)
    api(people[Role.CLERK]).patch(
        findings_url(a, finding), {"remarks": "備註", "version": finding.version}
    )
    finding.refresh_from_db()
    assert finding.remarks == "備註" and finding.improvement.recommendation == "加強同仁訓練"


def test_a_stale_version_is_409_with_the_newer_row(office_a, api):
    a, people = office_a
    clerk = api(people[Role.CLERK])
    finding = first_finding(a)
    assert (
        clerk.patch(findings_url(a, finding), {"strengths": "甲", "version": 1}).status_code < 300
    )
    response = clerk.patch(findings_url(a, finding), {"strengths": "乙", "version": 1})
    assert response.status_code == 409
    assert response.json()["current"]["strengths"] == "甲"
    assert response.json()["current"]["version"] == 2


@pytest.mark.parametrize(
    "body, where",
    [
        ({"strengths": "甲"}, "version"),
        ({"strengths": "甲", "version": "abc"}, "version"),
        ({"improvement_status": "nonsense", "version": 1}, "構面1／項目1"),
    ],
)
def test_bad_input_is_400_naming_the_field(office_a, api, body, where):
    a, people = office_a
    finding = first_finding(a)
    if "improvement_status" in body:
        finding = tracked(a, people)
        body = {**body, "version": finding.version}
    response = api(people[Role.CLERK]).patch(findings_url(a, finding), body)
    assert response.status_code == 400 and response.json()["where"] == where


def test_a_status_for_a_row_without_a_recommendation_is_400(office_a, api):
    a, people = office_a
    response = api(people[Role.CLERK]).patch(
        findings_url(a, first_finding(a)), {"improvement_status": "done", "version": 1}
    )
    assert response.status_code == 400
    assert "沒有建議改善事項的列不能設定改善狀態" in response.json()["detail"]


def test_who_may_edit(office_a, api, make):
    """Own-office clerk: 200; the same office's section chief: 403; another office's clerk
    and HQ (a draft): 404, as for the assessment."""
    a, people = office_a
    url = findings_url(a, first_finding(a))
    body = {"strengths": "甲", "version": 1}
    assert api(people[Role.SECTION_CHIEF]).patch(url, body).status_code == 403
    assert api(make.user(office=make.office())).patch(url, body).status_code == 404
    assert api(make.user(role=Role.HQ_REVIEWER)).get(url).status_code == 404
    assert api(people[Role.CLERK]).patch(url, body).status_code == 200


def test_a_submitted_record_is_409_and_shows_what_it_showed(make, api, db):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=1))
    people = make.staff(a.office)
    finding = tracked(a, people)
    make.submitted(a)
    # the improvement lives on (a later period rewords it): the submitted row does not change
    improvement = finding.improvement
    improvement.recommendation = "改寫後的建議"
    improvement.save()
    clerk = api(people[Role.CLERK])
    row = clerk.get(findings_url(a, finding)).json()
    assert row["recommendation"] == "加強同仁訓練"
    response = clerk.patch(findings_url(a, finding), {"strengths": "甲", "version": row["version"]})
    assert response.status_code == 409 and "已送出" in response.json()["detail"]
    assert api(make.user(role=Role.HQ_REVIEWER)).get(findings_url(a)).json()["count"] == 1


def test_the_list_asks_the_same_queries_for_1_and_3_rows(make, api, db):
    counts = []
    for items in (1, 3):
        a = make.assessment(rubric_=make.rubric(dimensions=1, items=items))
        people = make.staff(a.office)
        for finding in a.findings.all():
            update_finding(finding=finding, user=people[Role.CLERK], recommendation="建議")
        client = api(people[Role.CLERK])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(findings_url(a)).json()["count"] == items
        counts.append(len(queries))
    assert counts[0] == counts[1]


# ---- improvements and follow-ups ------------------------------------------------------------


def improvements_url(a, improvement_id=None):
    base = f"/api/assessments/{a.pk}/improvements/"
    return f"{base}{improvement_id}/" if improvement_id else base


def follow_up_url(a, improvement_id):
    return f"{improvements_url(a, improvement_id)}follow-ups/"


def entry(version=1, **changes):
    return {"roc_year": 114, "quarter": 2, "progress": "已辦理訓練 2 場", "version": version} | (
        changes
    )


def test_the_follow_up_table_lists_the_tracked_rows(office_a, api):
    a, people = office_a
    finding = tracked(a, people)
    body = api(people[Role.CLERK]).get(improvements_url(a)).json()
    assert body["count"] == 1 and body["next"] is None
    row = body["items"][0]
    assert row["id"] == finding.improvement_id and row["finding"] == finding.pk
    assert row["recommendation"] == "加強同仁訓練" and row["status"] == "open"
    assert row["carried_over"] is False and row["follow_ups"] == [] and row["version"] == 1
    assert row["opened_in"] == {"id": a.pk, "roc_year": 114, "start_month": 1, "end_month": 6}


def test_a_follow_up_is_201_and_shows_in_both_tables(office_a, api):
    a, people = office_a
    finding = tracked(a, people)
    clerk = api(people[Role.CLERK])
    response = clerk.post(
        follow_up_url(a, finding.improvement_id),
        entry(status="in_progress", recommendation="加強同仁訓練並考核"),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["progress"] == "已辦理訓練 2 場" and body["quarter"] == 2
    assert body["recommendation"] == "加強同仁訓練並考核"
    assert body["improvement"]["status"] == "in_progress" and body["improvement"]["version"] == 3
    row = clerk.get(improvements_url(a, finding.improvement_id)).json()
    assert [e["progress"] for e in row["follow_ups"]] == ["已辦理訓練 2 場"]
    summary = clerk.get(findings_url(a, finding)).json()
    assert summary["progress"] == "已辦理訓練 2 場"
    assert summary["recommendation"] == "加強同仁訓練並考核"


def test_a_follow_up_from_a_stale_table_is_409(office_a, api):
    a, people = office_a
    finding = tracked(a, people)
    clerk = api(people[Role.CLERK])
    assert (
        clerk.post(follow_up_url(a, finding.improvement_id), entry(status="done")).status_code < 300
    )
    response = clerk.post(follow_up_url(a, finding.improvement_id), entry(progress="再一次"))
    assert response.status_code == 409
    assert response.json()["current"] == {
        "recommendation": "加強同仁訓練",
        "status": "done",
        "version": 2,
    }


@pytest.mark.parametrize(
    "changes, where",
    [
        ({"quarter": 5}, "improvement"),
        ({"roc_year": 0}, "improvement"),
        ({"progress": "  "}, "improvement"),
        ({"quarter": "第二季"}, "quarter"),
        ({"version": None}, "version"),
    ],
)
def test_a_bad_follow_up_is_400(office_a, api, changes, where):
    a, people = office_a
    finding = tracked(a, people)
    response = api(people[Role.CLERK]).post(
        follow_up_url(a, finding.improvement_id), entry(**changes)
    )
    assert response.status_code == 400
    expected = where if where != "improvement" else "建議改善事項「加強同仁訓練」"
    assert response.json()["where"] == expected


def test_who_may_add_a_follow_up(office_a, api, make):
    a, people = office_a
    finding = tracked(a, people)
    url = follow_up_url(a, finding.improvement_id)
    assert api(people[Role.DIRECTOR]).post(url, entry()).status_code == 403
    assert api(make.user(office=make.office())).post(url, entry()).status_code == 404
    assert api(make.user(role=Role.HQ_REVIEWER)).post(url, entry()).status_code == 404
    assert api(people[Role.CLERK]).post(url, entry()).status_code == 201


def test_an_improvement_not_on_this_table_is_404(office_a, api, make):
    a, people = office_a
    other = make.assessment(office=a.office, period=(114, 7, 12))
    finding = tracked(other, people)
    clerk = api(people[Role.CLERK])
    assert clerk.get(improvements_url(a, finding.improvement_id)).status_code == 404
    assert clerk.post(follow_up_url(a, finding.improvement_id), entry()).status_code == 404


def test_a_submitted_table_refuses_follow_ups_naming_the_next(make, api, db):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=1))
    people = make.staff(a.office)
    finding = tracked(a, people)
    make.submitted(a)
    response = api(people[Role.CLERK]).post(follow_up_url(a, finding.improvement_id), entry())
    assert response.status_code == 409
    assert "請先建立下一期自行考核" in response.json()["detail"]
