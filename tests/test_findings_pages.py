"""The results summary on the assessment page: inline editing of findings (HTMX rows)."""

import pytest
from django.urls import reverse

from servplan.assessments.domain import add_follow_up, create_assessment, update_finding
from servplan.assessments.models import Finding, Improvement, Status
from servplan.audit.models import AuditEntry
from servplan.core.roc import Period
from servplan.offices.models import Role


@pytest.fixture
def case(db, make):
    a = make.assessment(rubric_=make.rubric(dimensions=2, items=2, cell_max=10))
    return a, make.staff(a.office)


def first_finding(a) -> Finding:
    return a.findings.select_related("cell__dimension", "cell__item").order_by("id").first()


def row(**data):
    """Every field of a row as the HTMX request posts it (the status menu of a row without
    a recommendation is disabled, so it posts none)."""
    fields = {
        "strengths": "",
        "weaknesses": "",
        "recommendation": "",
        "remarks": "",
        "version": "1",
    }
    return {**fields, **data}


def save(client, a, finding, **data):
    return client.post(
        reverse("assessment-finding", args=[a.pk, finding.pk]), row(**data), HTTP_HX_REQUEST="true"
    )


def detail(a):
    return reverse("assessment-detail", args=[a.pk])


def test_the_clerk_edits_a_row_and_the_recommendation_becomes_an_improvement(case, as_user):
    a, people = case
    finding = first_finding(a)
    response = save(
        as_user(people[Role.CLERK]),
        a,
        finding,
        strengths="關懷服務到位",
        weaknesses="宣導不足",
        recommendation="加強宣導",
        improvement_status="in_progress",
        remarks="另案辦理",
    )
    assert response.status_code == 200
    assert "已儲存（第 2 版）" in response.text
    assert f'id="fversion-{finding.pk}" value="2" hx-swap-oob="true"' in response.text
    finding.refresh_from_db()
    assert (finding.strengths, finding.weaknesses, finding.remarks) == (
        "關懷服務到位",
        "宣導不足",
        "另案辦理",
    )
    assert finding.improvement.recommendation == "加強宣導"
    assert finding.improvement.status == "in_progress"
    assert finding.improvement.opened_in_id == a.pk
    fields = set(AuditEntry.objects.filter(assessment_id=a.pk).values_list("field", flat=True))
    assert {"strengths", "weaknesses", "remarks", "improvement", "recommendation", "status"} <= (
        fields
    )


def test_rewording_keeps_one_improvement_and_clearing_lets_go_of_it(case, as_user):
    a, people = case
    finding = first_finding(a)
    client = as_user(people[Role.CLERK])
    save(client, a, finding, recommendation="加強宣導")
    improvement = Improvement.objects.get()
    assert save(client, a, finding, recommendation="加強對外宣導", version="2").status_code == 200
    improvement.refresh_from_db()
    assert improvement.recommendation == "加強對外宣導" and Improvement.objects.count() == 1
    assert save(client, a, finding, recommendation="", version="3").status_code == 200
    finding.refresh_from_db()
    assert finding.improvement is None


def test_a_status_change_alone_moves_the_row_version(case, as_user):
    a, people = case
    finding = first_finding(a)
    client = as_user(people[Role.CLERK])
    save(client, a, finding, recommendation="加強宣導")
    response = save(
        client, a, finding, recommendation="加強宣導", improvement_status="done", version="2"
    )
    assert "已儲存（第 3 版）" in response.text
    assert Improvement.objects.get().status == "done"


def test_an_unknown_status_is_refused_naming_the_row(case, as_user):
    a, people = case
    finding = first_finding(a)
    response = save(
        as_user(people[Role.CLERK]), a, finding, recommendation="加強宣導", improvement_status="x"
    )
    assert response.status_code == 400
    assert "構面1／項目1：改善狀態「x」不存在" in response.text
    assert not Improvement.objects.exists()


def test_a_status_on_a_row_without_a_recommendation_is_refused_not_dropped(case, as_user):
    """已完成 on such a row answered 已儲存 and was gone after a reload."""
    a, people = case
    finding = first_finding(a)
    client = as_user(people[Role.CLERK])
    response = save(client, a, finding, strengths="關懷服務到位", improvement_status="done")
    assert response.status_code == 400
    assert "構面1／項目1：沒有建議改善事項的列不能設定改善狀態" in response.text
    assert "已儲存" not in response.text
    finding.refresh_from_db()
    assert finding.strengths == "" and finding.version == 1
    assert not Improvement.objects.exists()


def test_the_status_menu_is_offered_only_with_a_recommendation(case, as_user):
    a, people = case
    finding = first_finding(a)
    client = as_user(people[Role.CLERK])
    menu = f'<select name="improvement_status" id="fstatus-{finding.pk}"'
    page = client.get(detail(a)).text
    start = page.index(menu)
    assert "disabled" in page[start : page.index(">", start)]
    # typing a recommendation turns the menu on, at the new improvement's status
    response = save(client, a, finding, recommendation="加強宣導")
    assert "已儲存（第 2 版）" in response.text
    start = response.text.index(menu)
    tag = response.text[start : response.text.index(">", start)]
    assert 'hx-swap-oob="true"' in tag and "disabled" not in tag
    assert '<option value="open" selected>待辦理</option>' in response.text
    # a save that keeps the recommendation leaves the menu alone (focus stays where it is)
    response = save(client, a, finding, recommendation="加強宣導", strengths="優", version="2")
    assert menu not in response.text
    # clearing it lets go of the improvement, its status with it, and turns the menu off
    response = save(client, a, finding, recommendation="", improvement_status="open", version="3")
    assert response.status_code == 200 and "已儲存（第 4 版）" in response.text
    start = response.text.index(menu)
    assert "disabled" in response.text[start : response.text.index(">", start)]


def test_a_stale_save_shows_the_newer_value(case, as_user):
    a, people = case
    finding = first_finding(a)
    client = as_user(people[Role.CLERK])
    save(client, a, finding, strengths="第一版優點", recommendation="加強宣導")
    response = save(client, a, finding, strengths="舊的優點", version="1")
    assert response.status_code == 409
    assert "構面1／項目1：此列已被他人修改（目前為第 2 版）" in response.text
    assert "第一版優點" in response.text and "加強宣導" in response.text
    assert "待辦理" in response.text
    # the version is not moved forward: the editor must load the newer row before saving
    assert "載入最新內容" in response.text and f'id="fversion-{finding.pk}"' not in response.text
    finding.refresh_from_db()
    assert finding.strengths == "第一版優點"
    fresh = client.get(reverse("assessment-finding-row", args=[a.pk, finding.pk]))
    assert "第一版優點" in fresh.text and "舊的優點" not in fresh.text
    assert f'id="fversion-{finding.pk}" value="2"' in fresh.text


def test_same_office_signers_may_not_edit(case, as_user):
    a, people = case
    finding = first_finding(a)
    response = save(as_user(people[Role.SECTION_CHIEF]), a, finding, strengths="改")
    assert response.status_code == 403
    assert f"構面1／項目1：只有{a.office.name}的經辦可以修改" in response.text
    finding.refresh_from_db()
    assert finding.strengths == "" and finding.version == 1


def test_outsiders_and_hq_get_404_for_a_draft(case, as_user, make):
    a, _ = case
    finding = first_finding(a)
    for outsider in (make.user(office=make.office()), make.user(role=Role.HQ_REVIEWER)):
        client = as_user(outsider)
        assert save(client, a, finding, strengths="改").status_code == 404
        assert (
            client.get(reverse("assessment-finding-row", args=[a.pk, finding.pk])).status_code
            == 404
        )
    finding.refresh_from_db()
    assert finding.version == 1


def test_a_finding_of_another_assessment_is_404(case, as_user, make):
    a, people = case
    other = first_finding(make.assessment())
    assert save(as_user(people[Role.CLERK]), a, other, strengths="改").status_code == 404


def test_in_signoff_the_clerk_is_refused_naming_the_row(case, as_user, make):
    a, people = case
    make.fill(a)
    a.status = Status.IN_SIGNOFF
    a.save()
    response = save(as_user(people[Role.CLERK]), a, first_finding(a), strengths="改")
    assert response.status_code == 409
    assert "構面1／項目1：自行考核核章中，退回後才能修改" in response.text


def test_only_the_clerk_of_a_draft_gets_an_editable_table(case, as_user):
    a, people = case
    assert 'name="strengths"' in as_user(people[Role.CLERK]).get(detail(a)).text
    text = as_user(people[Role.MANAGER]).get(detail(a)).text
    assert 'name="strengths"' not in text and "自行考核結果彙整表" in text
    assert text.count("<td>無</td>") >= 2 * 4


def test_hq_sees_a_submitted_summary_read_only_and_may_not_edit(case, as_user, make):
    a, people = case
    finding = first_finding(a)
    update_finding(finding=finding, user=people[Role.CLERK], recommendation="加強宣導")
    make.submitted(a)
    client = as_user(make.user(role=Role.HQ_REVIEWER))
    text = client.get(detail(a)).text
    assert "加強宣導" in text and "（待辦理）" in text and 'name="strengths"' not in text
    response = save(client, a, finding, strengths="改", version="2")
    assert response.status_code == 403
    response = save(as_user(people[Role.CLERK]), a, finding, strengths="改", version="2")
    assert response.status_code == 409 and "構面1／項目1：自行考核已送出，不可修改" in response.text


def test_a_carried_over_improvement_shows_where_it_came_from(db, make, as_user):
    old = make.assessment(period=(113, 7, 12))
    clerk = make.user(office=old.office)
    update_finding(finding=first_finding(old), user=clerk, recommendation="加強宣導")
    new = create_assessment(
        office=old.office, rubric=old.rubric, period=Period(114, 1, 6), user=clerk
    )
    text = as_user(clerk).get(detail(new)).text
    assert "沿用自 113 年度 7 月至 12 月自行考核" in text
    assert "沿用自" not in as_user(clerk).get(detail(old)).text


@pytest.mark.parametrize("items", [1, 3])
def test_the_page_queries_do_not_grow_with_tracked_findings(
    db, make, as_user, django_assert_num_queries, items
):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=items))
    clerk = make.user(office=a.office)
    for finding in a.findings.select_related("cell__dimension", "cell__item"):
        update_finding(finding=finding, user=clerk, recommendation=f"建議 {finding.pk}")
        add_follow_up(
            improvement=Finding.objects.get(pk=finding.pk).improvement,
            user=clerk,
            roc_year=114,
            quarter=2,
            progress=f"辦理 {finding.pk}",
        )
    client = as_user(clerk)
    # the sheet's 12 (tests/test_views_assessments.py), plus one for the improvements'
    # follow-ups (the improvements and where they were opened come with the findings)
    with django_assert_num_queries(13):
        response = client.get(detail(a))
    assert response.text.count('name="recommendation"') == items
    assert response.text.count("辦理 ") == items
    finding = first_finding(a)
    with django_assert_num_queries(8):
        client.get(reverse("assessment-finding-row", args=[a.pk, finding.pk]))
