"""建議改善事項辦理情形表: the follow-up page of an assessment and its form for quarterly entries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from servplan.assessments.domain import add_follow_up, create_assessment, update_finding
from servplan.assessments.models import Finding, FollowUp, Improvement
from servplan.audit.models import AuditEntry
from servplan.core.roc import Period, format_date
from servplan.offices.models import Role


def track(a, user, text="加強宣導") -> Improvement:
    """Give the assessment's first finding a recommendation; answer its improvement."""
    finding = a.findings.select_related("cell__dimension", "cell__item").order_by("id").first()
    return update_finding(finding=finding, user=user, recommendation=text).improvement


@pytest.fixture
def case(db, make):
    a = make.assessment(rubric_=make.rubric(dimensions=2, items=2, cell_max=10))
    people = make.staff(a.office)
    return a, people, track(a, people[Role.CLERK])


def page(a):
    return reverse("assessment-follow-ups", args=[a.pk])


def add(client, a, improvement, **data):
    fields = {"roc_year": "114", "quarter": "2", "progress": "已辦理說明會 2 場", "version": ""}
    return client.post(
        reverse("assessment-follow-up-add", args=[a.pk, improvement.pk]), {**fields, **data}
    )


def test_the_page_lists_improvements_with_dated_quarterly_entries(case, as_user):
    a, people, improvement = case
    clerk = people[Role.CLERK]
    add_follow_up(improvement=improvement, user=clerk, roc_year=114, quarter=1, progress="規劃中")
    add_follow_up(
        improvement=improvement,
        user=clerk,
        roc_year=114,
        quarter=2,
        progress="已辦理說明會",
        recommendation="加強對外宣導",
        status="in_progress",
    )
    response = as_user(clerk).get(page(a))
    assert response.status_code == 200
    text = response.text
    assert "建議改善事項辦理情形表" in text and "1. 構面1-項目1" in text
    assert text.index("114 年第 1 季") < text.index("114 年第 2 季")
    assert f"（{format_date(timezone.localdate())}填報，{clerk.username}）" in text
    assert "建議改善事項修正為「加強對外宣導」" in text and "辦理中" in text
    assert 'name="progress"' in text
    # the assessment page links here
    detail = as_user(clerk).get(reverse("assessment-detail", args=[a.pk])).text
    assert page(a) in detail


def test_the_clerk_adds_an_entry_recorded_in_the_assessment_history(case, as_user):
    a, people, improvement = case
    client = as_user(people[Role.CLERK])
    response = add(
        client,
        a,
        improvement,
        recommendation="加強對外宣導",
        status="done",
        version=str(improvement.version),
    )
    assert response.status_code == 302
    assert response.url.endswith(f"#improvement-{improvement.pk}")
    entry = FollowUp.objects.get()
    assert (entry.roc_year, entry.quarter, entry.progress) == (114, 2, "已辦理說明會 2 場")
    assert entry.author == people[Role.CLERK] and entry.recommendation == "加強對外宣導"
    improvement.refresh_from_db()
    assert improvement.recommendation == "加強對外宣導" and improvement.status == "done"
    assert AuditEntry.objects.filter(
        assessment_id=a.pk, field="progress", new="114 年第 2 季：已辦理說明會 2 場"
    ).exists()
    followed = client.get(response.url)
    assert "已新增追蹤情形" in followed.text and "已完成" in followed.text


def test_a_submitted_table_refuses_follow_ups_and_names_the_next_period(case, as_user, make):
    a, people, improvement = case
    make.submitted(a)
    client = as_user(people[Role.CLERK])
    response = add(client, a, improvement)
    assert response.status_code == 409
    assert "建議改善事項「加強宣導」：114 年度 1 月至 6 月自行考核為「已送業務處」" in response.text
    assert "請先建立下一期自行考核" in response.text
    assert 'name="progress"' not in client.get(page(a)).text
    later = create_assessment(
        office=a.office, rubric=a.rubric, period=Period(114, 7, 12), user=people[Role.CLERK]
    )
    response = add(client, a, improvement)
    assert response.status_code == 409
    assert "請在 114 年度 7 月至 12 月自行考核的追蹤表填寫" in response.text
    assert not FollowUp.objects.exists()
    assert add(client, later, improvement).status_code == 302
    assert FollowUp.objects.count() == 1


def test_an_empty_progress_is_refused_naming_the_row_and_keeping_the_text(case, as_user):
    a, people, improvement = case
    response = add(
        as_user(people[Role.CLERK]), a, improvement, progress="  ", recommendation="新的文字"
    )
    assert response.status_code == 400
    assert "建議改善事項「加強宣導」：請填寫改善辦理情形" in response.text
    assert "新的文字</textarea>" in response.text
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("quarter", "message"), [("5", "季別 5 不正確（應為 1 至 4）"), ("二", "季別「二」不是整數")]
)
def test_a_wrong_quarter_is_refused(case, as_user, quarter, message):
    a, people, improvement = case
    response = add(as_user(people[Role.CLERK]), a, improvement, quarter=quarter)
    assert response.status_code == 400
    assert f"建議改善事項「加強宣導」：{message}" in response.text
    assert not FollowUp.objects.exists()


def test_a_stale_form_is_refused_showing_the_newer_wording(case, as_user):
    a, people, improvement = case
    clerk = people[Role.CLERK]
    stale = improvement.version
    add_follow_up(
        improvement=improvement,
        user=clerk,
        roc_year=114,
        quarter=1,
        progress="規劃中",
        recommendation="加強對外宣導",
    )
    response = add(as_user(clerk), a, improvement, recommendation="舊的文字", version=str(stale))
    assert response.status_code == 409
    assert "此改善事項已被他人修改（目前為第 2 版）" in response.text
    assert "加強對外宣導" in response.text
    improvement.refresh_from_db()
    assert improvement.recommendation == "加強對外宣導" and FollowUp.objects.count() == 1


def test_same_office_signers_see_it_read_only_and_are_refused(case, as_user):
    a, people, improvement = case
    client = as_user(people[Role.MANAGER])
    text = client.get(page(a)).text
    assert "加強宣導" in text and 'name="progress"' not in text
    response = add(client, a, improvement)
    assert response.status_code == 403
    assert "建議改善事項「加強宣導」：只有本區營業處的經辦可以填寫追蹤情形" in response.text
    assert not FollowUp.objects.exists()


def test_outsiders_and_hq_before_submission_get_404(case, as_user, make):
    a, _, improvement = case
    for outsider in (make.user(office=make.office()), make.user(role=Role.HQ_REVIEWER)):
        client = as_user(outsider)
        assert client.get(page(a)).status_code == 404
        assert add(client, a, improvement).status_code == 404
    assert not FollowUp.objects.exists()


def test_hq_reads_a_submitted_follow_up_table_but_cannot_add(case, as_user, make):
    a, _, improvement = case
    make.submitted(a)
    client = as_user(make.user(role=Role.HQ_REVIEWER))
    text = client.get(page(a)).text
    assert "加強宣導" in text and 'name="progress"' not in text
    assert add(client, a, improvement).status_code == 403
    assert not FollowUp.objects.exists()


def test_an_improvement_not_on_this_table_is_404(case, as_user, make):
    a, people, _ = case
    elsewhere = make.assessment()
    other = track(elsewhere, make.user(office=elsewhere.office), "別處的建議")
    assert add(as_user(people[Role.CLERK]), a, other).status_code == 404
    assert not FollowUp.objects.exists()


def test_a_carried_over_improvement_shows_where_it_came_from(db, make, as_user):
    old = make.assessment(period=(113, 7, 12))
    clerk = make.user(office=old.office)
    improvement = track(old, clerk)
    new = create_assessment(
        office=old.office, rubric=old.rubric, period=Period(114, 1, 6), user=clerk
    )
    client = as_user(clerk)
    assert "沿用自 113 年度 7 月至 12 月自行考核" in client.get(page(new)).text
    assert "沿用自" not in client.get(page(old)).text
    # an entry made on this period's table belongs to this period's history
    assert add(client, new, improvement).status_code == 302
    assert AuditEntry.objects.filter(assessment_id=new.pk, field="progress").exists()


def test_without_recommendations_the_table_says_so(db, make, as_user):
    a = make.assessment()
    text = as_user(make.user(office=a.office)).get(page(a)).text
    assert "本期沒有建議改善事項" in text


@pytest.mark.parametrize("items", [1, 3])
def test_the_page_queries_do_not_grow_with_improvements(
    db, make, as_user, django_assert_num_queries, items
):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=items))
    clerk = make.user(office=a.office)
    for finding in a.findings.select_related("cell__dimension", "cell__item"):
        update_finding(finding=finding, user=clerk, recommendation=f"建議 {finding.pk}")
        for quarter in (1, 2):
            add_follow_up(
                improvement=Finding.objects.get(pk=finding.pk).improvement,
                user=clerk,
                roc_year=114,
                quarter=quarter,
                progress=f"辦理 {finding.pk}",
            )
    client = as_user(clerk)
    # session, user, membership, the member's office (header), the assessment, its tracked
    # findings (with improvements), their follow-ups (with authors)
    with django_assert_num_queries(7):
        response = client.get(page(a))
    assert response.text.count('id="improvement-') == items
    assert response.text.count("114 年第 2 季") == items
