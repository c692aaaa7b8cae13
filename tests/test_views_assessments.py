import pytest
from django.urls import reverse

from servplan.assessments.models import Status
from servplan.offices.models import Role


def detail(a):
    return reverse("assessment-detail", args=[a.pk])


def test_own_office_clerk_sees_the_score_sheet(db, make, as_user):
    a = make.assessment()
    response = as_user(make.user(office=a.office)).get(detail(a))
    assert response.status_code == 200
    assert "考核項目及評分表" in response.text and "構面1" in response.text


def test_same_office_other_role_sees_it_too(db, make, as_user):
    a = make.assessment()
    assert as_user(make.user(office=a.office, role=Role.DIRECTOR)).get(detail(a)).status_code == 200


def test_another_offices_clerk_gets_404(db, make, as_user):
    a = make.assessment()
    assert as_user(make.user(office=make.office())).get(detail(a)).status_code == 404


def test_hq_sees_only_submitted_work(db, make, as_user):
    a = make.assessment()
    client = as_user(make.user(role=Role.HQ_REVIEWER))
    assert client.get(detail(a)).status_code == 404
    a.status = Status.SUBMITTED
    a.save()
    assert client.get(detail(a)).status_code == 200


def test_anonymous_is_sent_to_login(db, make, client):
    response = client.get(detail(make.assessment()))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_seed_sheet_shows_subtotals_and_total(taitung, make, as_user):
    response = as_user(make.user(office=taitung.office, role=Role.DIRECTOR)).get(detail(taitung))
    text = response.text
    for number in ["285", "381", "136", "137", "939"]:
        assert f">{number}<" in text
    assert "台東區營業處 114 年度 1 月至 6 月提升服務效能執行計畫考核項目及評分表" in text
    assert "<li>(1)開放多元管道" in text


def test_list_shows_only_own_office(db, make, as_user):
    mine, theirs = make.assessment(), make.assessment()
    response = as_user(make.user(office=mine.office)).get(reverse("assessment-list"))
    assert mine.office.name in response.text
    assert theirs.office.name not in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_list_queries_do_not_grow_with_rows(db, make, as_user, django_assert_num_queries, count):
    office = make.office()
    for year in range(count):
        make.assessment(office=office, period=(110 + year, 1, 6))
    client = as_user(make.user(office=office))
    # session, user, membership, the member's office (header), the count (for the page
    # links), the page, its sign-offs and approval chains (for the status labels), the steps
    # the user stands in for as a deputy, the periods to filter by, the rubrics to pick
    with django_assert_num_queries(11):
        response = client.get(reverse("assessment-list"))
    assert response.text.count('<td><a href="/assessments/') == count


@pytest.mark.parametrize(("dimensions", "items"), [(1, 1), (4, 3), (6, 5)])
def test_sheet_queries_do_not_grow_with_the_rubric(
    db, make, as_user, django_assert_num_queries, dimensions, items
):
    a = make.assessment(rubric_=make.rubric(dimensions=dimensions, items=items))
    client = as_user(make.user(office=a.office))
    # session, user, membership, assessment, dimensions, cells, findings, sign-offs,
    # evidence, the office's approval chain, the member's office (header), the version of
    # 考核日期 (for the clerk's editing form); the pre-submit checks add none
    with django_assert_num_queries(12):
        response = client.get(detail(a))
    assert response.text.count('id="cell-') == dimensions * items
    assert response.text.count('name="score"') == dimensions * items


@pytest.mark.parametrize(("dimensions", "items"), [(1, 1), (6, 5)])
def test_a_locked_sheet_with_released_review_scores_keeps_its_queries_too(
    db, make, as_user, django_assert_num_queries, dimensions, items
):
    from servplan.core.roc import Period
    from servplan.review.domain import release_reviews

    a = make.submitted(make.assessment(rubric_=make.rubric(dimensions=dimensions, items=items)))
    make.reviewed(make.assessment())  # another office's: the period can be released
    release_reviews(period=Period(114, 1, 6), user=make.user(role=Role.HQ_REVIEWER))
    client = as_user(make.user(office=a.office, role=Role.DIRECTOR))
    # as above (sign-offs come with their signers), plus whether the period's review is released
    with django_assert_num_queries(12):
        response = client.get(detail(a))
    assert response.text.count('id="cell-') == dimensions * items
    assert "已送業務處，內容已鎖定" in response.text and "複評" in response.text
