import pytest
from django.urls import reverse

from servplan.assessments.models import Status
from servplan.offices.models import Role


@pytest.fixture
def done(db, make):
    return make.submitted(make.assessment(rubric_=make.rubric(dimensions=1, items=2, cell_max=10)))


def test_review_pages_are_hq_only(done, make, as_user):
    for user in (
        make.user(office=done.office, role=Role.DIRECTOR),
        make.user(office=make.office()),
    ):
        client = as_user(user)
        assert client.get(reverse("review-list")).status_code == 404
        assert client.get(reverse("review-detail", args=[done.pk])).status_code == 404


def test_hq_reviews_side_by_side_then_releases(done, make, as_user):
    hq = make.user(role=Role.HQ_REVIEWER)
    client = as_user(hq)
    assert done.office.name in client.get(reverse("review-list")).text
    first, second = done.cells.order_by("id")
    url = reverse("review-cell", args=[done.pk, first.pk])
    response = client.post(url, {"review_score": "11", "version": first.review_version})
    assert response.status_code == 400 and "超過最高分 10 分" in response.text
    response = client.post(
        url, {"review_score": "4", "review_comment": "佐證不足", "version": first.review_version}
    )
    assert (
        response.status_code == 200
        and f'<span id="diff-{first.pk}" class="diff" hx-swap-oob="true">-1<' in response.text
    )
    client.post(
        reverse("review-cell", args=[done.pk, second.pk]),
        {"review_score": "5", "version": second.review_version},
    )
    client.post(reverse("review-mark", args=[done.pk]))
    done.refresh_from_db()
    assert done.status == Status.REVIEWED

    office_view = reverse("assessment-detail", args=[done.pk])
    director = make.user(office=done.office, role=Role.DIRECTOR)
    assert "佐證不足" not in as_user(director).get(office_view).text
    as_user(hq).post(reverse("review-release"), {"period": "114-1-6"})
    text = as_user(director).get(office_view).text
    assert "佐證不足" in text and "差異" in text


def _reviewed_with_a_comment(done, hq):
    from servplan.review.domain import mark_reviewed, review_cell

    for n, cell in enumerate(done.cells.order_by("id")):
        review_cell(cell_score=cell, user=hq, score=str(3 + n), comment=f"複評意見祕密{n}")
    mark_reviewed(assessment=done, user=hq)


def test_the_history_page_hides_the_review_until_release(done, make, as_user):
    hq = make.user(role=Role.HQ_REVIEWER)
    _reviewed_with_a_comment(done, hq)
    url = reverse("assessment-history", args=[done.pk])
    clerk = make.user(office=done.office)
    director = make.user(office=done.office, role=Role.DIRECTOR)
    for user in (clerk, director):
        text = as_user(user).get(url).text
        assert "複評意見祕密" not in text
        assert "<td>複評</td>" not in text and "<td>複評意見</td>" not in text
        assert "狀態" in text  # the rest of the trail is still there
    assert "複評意見祕密0" in as_user(hq).get(url).text
    assert as_user(make.user(office=make.office())).get(url).status_code == 404
    as_user(hq).post(reverse("review-release"), {"period": "114-1-6"})
    assert "複評意見祕密1" in as_user(clerk).get(url).text


def test_release_is_offered_only_once_an_office_is_reviewed(done, make, as_user):
    client = as_user(make.user(role=Role.HQ_REVIEWER))
    text = client.get(reverse("review-list")).text
    assert 'id="release-114-1-6"' not in text and "尚無完成複評的區營業處" in text
    make.reviewed(done)
    text = client.get(reverse("review-list")).text
    assert 'id="release-114-1-6"' in text
    assert reverse("review-release-confirm", args=["114-1-6"]) in text


def test_releasing_asks_first_saying_how_many_are_reviewed(db, make, as_user):
    from servplan.offices.models import Office
    from servplan.review.models import ReviewRelease

    make.reviewed(make.assessment())
    make.submitted(make.assessment())
    client = as_user(make.user(role=Role.HQ_REVIEWER))
    page = client.get(reverse("review-release-confirm", args=["114-1-6"]))
    offices = Office.objects.count()
    assert f"{offices} 個區營業處中 1 個已完成複評，1 個尚待複評" in page.text
    assert 'id="release-confirm"' in page.text
    assert not ReviewRelease.objects.exists()  # looking is not releasing
    response = client.post(reverse("review-release"), {"period": "114-1-6"}, follow=True)
    assert "已公布 114 年度 1 月至 6 月 的複評結果" in response.text
    assert ReviewRelease.objects.count() == 1
    assert 'id="withdraw-114-1-6"' in response.text


def test_hq_withdraws_a_release_giving_a_reason(done, make, as_user):
    from servplan.audit.models import AuditEntry
    from servplan.review.domain import release_reviews
    from servplan.review.models import ReviewRelease

    hq = make.user(role=Role.HQ_REVIEWER)
    make.reviewed(done, hq)
    release_reviews(period=done.period, user=hq)
    client = as_user(hq)
    page = client.get(reverse("review-withdraw-confirm", args=["114-1-6"]))
    assert "撤回原因" in page.text and 'id="withdraw-confirm"' in page.text
    response = client.post(reverse("review-withdraw"), {"period": "114-1-6", "reason": " "})
    assert response.status_code == 400 and "撤回公布須填寫原因" in response.text
    assert ReviewRelease.objects.exists()
    response = client.post(
        reverse("review-withdraw"), {"period": "114-1-6", "reason": "分數誤植"}, follow=True
    )
    assert "已撤回 114 年度 1 月至 6 月 的複評公布" in response.text
    assert not ReviewRelease.objects.exists()
    assert AuditEntry.objects.get(field="withdrawn").new == "分數誤植"
    assert 'id="release-114-1-6"' in response.text  # it may be released again
    response = client.post(reverse("review-withdraw"), {"period": "114-1-6", "reason": "再撤"})
    assert response.status_code == 409 and "尚未公布" in response.text


def test_an_unreadable_period_is_404(db, make, as_user):
    client = as_user(make.user(role=Role.HQ_REVIEWER))
    assert client.get(reverse("review-release-confirm", args=["nope"])).status_code == 404


def test_completing_a_review_names_every_missing_cell(db, make, as_user):
    a = make.submitted(make.assessment(rubric_=make.rubric(dimensions=3, items=4)))
    client = as_user(make.user(role=Role.HQ_REVIEWER))
    response = client.post(reverse("review-mark", args=[a.pk]), follow=True)
    assert "尚有 12 格未填複評分數" in response.text
    assert "構面1／項目1" in response.text and "構面3／項目4" in response.text


def test_only_a_lower_review_score_is_marked(done, make, as_user):
    """Red (.diff) says HQ gave less: an equal or higher review score is not marked."""
    import re

    from servplan.review.domain import review_cell

    hq = make.user(role=Role.HQ_REVIEWER)
    lower, same = done.cells.select_related("cell__dimension", "cell__item").order_by("id")
    review_cell(cell_score=lower, user=hq, score="4")  # self-assessed 5
    review_cell(cell_score=same, user=hq, score="5")
    client = as_user(hq)
    text = client.get(reverse("review-detail", args=[done.pk])).text
    assert re.search(rf'<span id="diff-{lower.pk}" class="diff">-1</span>', text)
    assert re.search(rf'<span id="diff-{same.pk}">0</span>', text)
    response = client.post(
        reverse("review-cell", args=[done.pk, same.pk]),
        {"review_score": "6", "version": same.review_version},
    )
    assert f'<span id="diff-{same.pk}" hx-swap-oob="true">1</span>' in response.text
    make.reviewed(done, hq)
    from servplan.review.domain import release_reviews

    release_reviews(period=done.period, user=hq)
    director = make.user(office=done.office, role=Role.DIRECTOR)
    office_page = as_user(director).get(reverse("assessment-detail", args=[done.pk])).text
    assert '<span class="diff">-1</span>' in office_page and "<span>0</span>" not in office_page


def link(assessment) -> str:
    return f'href="{reverse("review-detail", args=[assessment.pk])}"'


def test_the_list_shows_one_period_a_page_at_a_time(db, make, as_user, monkeypatch):
    from servplan.core import listing

    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    rubric = make.rubric(dimensions=1, items=1)
    made = [make.submitted(make.assessment(rubric_=rubric)) for _ in range(3)]
    older = make.submitted(make.assessment(rubric_=rubric, period=(113, 7, 12)))
    client = as_user(make.user(role=Role.HQ_REVIEWER))
    newest = client.get(reverse("review-list")).text
    assert link(made[0]) in newest and link(older) not in newest
    assert 'href="?page=2" rel="next">' in newest
    chosen = client.get(reverse("review-list"), {"period": "114-1-6", "status": "submitted"}).text
    assert 'href="?period=114-1-6&amp;status=submitted&amp;page=2" rel="next">' in chosen
    second = client.get(reverse("review-list"), {"period": "114-1-6", "page": "2"}).text
    assert link(made[2]) in second and link(made[0]) not in second
    past = client.get(reverse("review-list"), {"period": "113-7-12"}).text
    assert link(older) in past and link(made[0]) not in past
    assert "下一頁" not in past


def test_the_list_filters_by_status_and_region(db, make, as_user):
    east = make.office()
    east.region = "東區"
    east.save()
    a = make.reviewed(make.assessment(office=east))
    b = make.submitted(make.assessment())
    client = as_user(make.user(role=Role.HQ_REVIEWER))
    reviewed = client.get(reverse("review-list"), {"status": "reviewed"}).text
    assert link(a) in reviewed and link(b) not in reviewed
    west = client.get(reverse("review-list"), {"region": "東區", "status": "submitted"}).text
    assert link(a) not in west and "沒有符合篩選條件" in west


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_costs_the_same_queries_whatever_the_rows(
    db, make, as_user, django_assert_num_queries, count
):
    rubric = make.rubric(dimensions=1, items=1)
    for _ in range(count):
        make.submitted(make.assessment(rubric_=rubric))
    client = as_user(make.user(role=Role.HQ_REVIEWER))
    client.get(reverse("review-list"))  # the session's first request loads more
    with django_assert_num_queries(12):
        assert client.get(reverse("review-list")).status_code == 200
