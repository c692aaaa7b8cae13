"""The assessment pages beyond the sheet: inline cell saves, sign-off buttons, history, creating."""

import pytest
from django.urls import reverse

from servplan.assessments.models import Status
from servplan.offices.models import Role


@pytest.fixture
def case(db, make):
    a = make.assessment(rubric_=make.rubric(dimensions=2, items=2, cell_max=10))
    return a, make.staff(a.office)


def save(client, a, cell, **data):
    return client.post(
        reverse("assessment-cell", args=[a.pk, cell.pk]), data, HTTP_HX_REQUEST="true"
    )


def test_saving_a_cell_answers_the_new_version_subtotal_and_total(case, as_user):
    a, people = case
    cell = a.cells.order_by("id").first()
    response = save(
        as_user(people[Role.CLERK]), a, cell, score="9.5", narrative="說明", version="1"
    )
    assert response.status_code == 200
    assert "已儲存（第 2 版）" in response.text
    assert f'id="version-{cell.pk}" value="2" hx-swap-oob="true"' in response.text
    assert '<span id="sheet-total" hx-swap-oob="true">9.5<' in response.text


def test_a_score_over_the_maximum_is_refused_naming_cell_and_maximum(case, as_user):
    a, people = case
    cell = a.cells.order_by("id").first()
    response = save(as_user(people[Role.CLERK]), a, cell, score="11", version="1")
    assert response.status_code == 400
    assert "構面1／項目1：分數 11 超過最高分 10 分" in response.text


def test_a_stale_save_shows_the_newer_value(case, as_user):
    a, people = case
    cell = a.cells.order_by("id").first()
    client = as_user(people[Role.CLERK])
    save(client, a, cell, score="7", narrative="第一版", version="1")
    response = save(client, a, cell, score="3", narrative="舊的", version="1")
    assert response.status_code == 409
    assert (
        "此格已被他人修改" in response.text
        and "分數 7" in response.text
        and "第一版" in response.text
    )
    # the version is not moved forward: the editor must load the newer text before saving
    assert "載入最新內容" in response.text and f'id="version-{cell.pk}"' not in response.text
    row = client.get(reverse("assessment-cell-row", args=[a.pk, cell.pk]))
    assert 'value="3"' not in row.text and f'id="version-{cell.pk}" value="2"' in row.text


def test_signers_and_outsiders_cannot_save(case, as_user, make):
    a, people = case
    cell = a.cells.first()
    assert save(as_user(people[Role.DIRECTOR]), a, cell, score="1", version="1").status_code == 403
    assert (
        save(as_user(make.user(office=make.office())), a, cell, score="1", version="1").status_code
        == 404
    )


def test_only_the_clerk_gets_an_editable_sheet(case, as_user):
    a, people = case
    url = reverse("assessment-detail", args=[a.pk])
    assert 'name="score"' in as_user(people[Role.CLERK]).get(url).text
    assert 'name="score"' not in as_user(people[Role.SECTION_CHIEF]).get(url).text


def test_the_page_lists_the_pre_submit_check(case, as_user):
    a, people = case
    text = as_user(people[Role.CLERK]).get(reverse("assessment-detail", args=[a.pk])).text
    assert "錯誤：構面1／項目1：尚未填自評分數" in text


def test_submit_return_and_approve_through_the_pages(case, as_user, make):
    a, people = case
    make.fill(a)
    detail = reverse("assessment-detail", args=[a.pk])
    as_user(people[Role.CLERK]).post(reverse("assessment-submit", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == Status.IN_SIGNOFF
    client = as_user(people[Role.MANAGER])
    assert 'id="approve"' not in client.get(detail).text
    response = client.post(
        reverse("assessment-signoff", args=[a.pk]), {"decision": "approve"}, follow=True
    )
    assert "目前應由「課長」核章" in response.text
    client = as_user(people[Role.SECTION_CHIEF])
    assert 'id="approve"' in client.get(detail).text
    client.post(
        reverse("assessment-signoff", args=[a.pk]), {"decision": "return", "comment": "請補佐證"}
    )
    a.refresh_from_db()
    assert a.status == Status.DRAFT
    assert "退回：請補佐證" in as_user(people[Role.CLERK]).get(detail).text


def test_history_page_shows_old_and_new(case, as_user, make):
    a, people = case
    client = as_user(people[Role.CLERK])
    save(client, a, a.cells.order_by("id").first(), score="4", version="1")
    text = client.get(reverse("assessment-history", args=[a.pk])).text
    assert "構面1／項目1" in text and "自評" in text and ">4<" in text
    outsider = as_user(make.user(office=make.office()))
    assert outsider.get(reverse("assessment-history", args=[a.pk])).status_code == 404


def test_creating_with_the_previous_period(db, make, as_user):
    old = make.fill(make.assessment(period=(113, 7, 12)))
    client = as_user(make.user(office=old.office))
    assert "新增自行考核" in client.get(reverse("assessment-list")).text
    response = client.post(
        reverse("assessment-create"),
        {"period": "114 年度 1 月至 6 月", "rubric": old.rubric_id, "copy_previous": "1"},
        follow=True,
    )
    assert "已建立 114 年度 1 月至 6 月 自行考核" in response.text
    new = old.office.assessments.get(roc_year=114)
    assert sorted(new.cells.values_list("narrative", flat=True)) == sorted(
        old.cells.values_list("narrative", flat=True)
    )


def test_copy_previous_checks_the_role_before_looking_for_records(db, make, as_user):
    office = make.office()
    client = as_user(make.user(office=office, role=Role.DIRECTOR))
    response = client.post(
        reverse("assessment-create"),
        {"period": "114 年度 1 月至 6 月", "rubric": make.rubric().pk, "copy_previous": "1"},
        follow=True,
    )
    assert "經辦可以建立自行考核" in response.text and "可沿用" not in response.text
    assert office.assessments.count() == 0


def test_a_bad_period_is_reported(db, make, as_user):
    client = as_user(make.user(office=make.office()))
    response = client.post(
        reverse("assessment-create"), {"period": "明年", "rubric": make.rubric().pk}, follow=True
    )
    assert "無法解讀期間「明年」" in response.text


def test_narratives_cannot_inject_html(case, as_user):
    a, people = case
    cell = a.cells.order_by("id").first()
    save(
        as_user(people[Role.CLERK]),
        a,
        cell,
        narrative="<script>alert(1)</script>\n- 條列",
        version="1",
    )
    text = as_user(people[Role.DIRECTOR]).get(reverse("assessment-detail", args=[a.pk])).text
    assert "<script>alert(1)" not in text and "&lt;script&gt;" in text and "<li>條列</li>" in text


def test_history_names_statuses_instead_of_codes(case, as_user):
    from servplan.assessments.domain import update_finding

    a, people = case
    finding = a.findings.order_by("id").first()
    update_finding(finding=finding, user=people[Role.CLERK], recommendation="加強宣導")
    finding.refresh_from_db()
    update_finding(finding=finding, user=people[Role.CLERK], improvement_status="done")
    text = as_user(people[Role.CLERK]).get(reverse("assessment-history", args=[a.pk])).text
    assert "已完成" in text
    assert ">done<" not in text
