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
    response = client.post(url, {"review_score": "11", "version": first.version})
    assert response.status_code == 400 and "超過最高分 10 分" in response.text
    response = client.post(
        url, {"review_score": "4", "review_comment": "佐證不足", "version": first.version}
    )
    assert (
        response.status_code == 200
        and f'<span id="diff-{first.pk}" hx-swap-oob="true">-1<' in response.text
    )
    client.post(
        reverse("review-cell", args=[done.pk, second.pk]),
        {"review_score": "5", "version": second.version},
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
