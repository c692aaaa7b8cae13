import pytest

from servplan.offices.models import ApiToken, Role


@pytest.fixture
def call(client):
    def _call(user, method, url, data=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}
        return getattr(client, method)(url, data or {}, content_type="application/json", **headers)

    return _call


def test_review_release_and_what_the_office_sees(db, make, call):
    a = make.submitted(make.assessment(rubric_=make.rubric(dimensions=1, items=1, cell_max=10)))
    hq, clerk = make.user(role=Role.HQ_REVIEWER), make.user(office=a.office)
    cell = a.cells.get()
    url = f"/api/review/assessments/{a.pk}/cells/{cell.pk}/"
    assert call(clerk, "patch", url, {"score": 4}).status_code == 403
    assert call(hq, "patch", url, {"score": 40}).status_code == 400
    response = call(
        hq, "patch", url, {"score": 4, "comment": "佐證不足", "version": cell.review_version}
    )
    assert response.status_code == 200 and response.json()["review_score"] == 4
    assert call(hq, "patch", url, {"score": 3, "version": cell.review_version}).status_code == 409
    assert "review" not in call(clerk, "get", f"/api/assessments/{a.pk}/").json()
    assert (
        call(hq, "get", f"/api/assessments/{a.pk}/").json()["review"]["cells"][0]["difference"]
        == -1
    )
    assert (
        call(hq, "post", f"/api/review/assessments/{a.pk}/reviewed/").json()["status"] == "reviewed"
    )
    assert call(clerk, "post", "/api/review/releases/", {"period": "114-1-6"}).status_code == 403
    assert call(hq, "post", "/api/review/releases/", {"period": "114-1-6"}).status_code == 201
    review = call(clerk, "get", f"/api/assessments/{a.pk}/").json()["review"]
    assert review["cells"][0]["review_score"] == 4 and review["total"] == 4


def test_other_offices_work_is_404_to_the_office(db, make, call):
    a = make.submitted(make.assessment())
    outsider = make.user(office=make.office())
    url = f"/api/review/assessments/{a.pk}/reviewed/"
    assert call(outsider, "post", url).status_code == 404


def test_the_history_hides_the_review_until_release(db, make, call):
    from servplan.review.domain import mark_reviewed, release_reviews, review_cell

    a = make.submitted(make.assessment(rubric_=make.rubric(dimensions=1, items=2, cell_max=10)))
    hq = make.user(role=Role.HQ_REVIEWER)
    for cell in a.cells.all():
        review_cell(cell_score=cell, user=hq, score="4", comment="複評意見祕密")
    mark_reviewed(assessment=a, user=hq)
    url = f"/api/assessments/{a.pk}/history/"
    full = call(hq, "get", url).json()["items"]
    review_fields = {"review_score", "review_comment"}
    assert sum(e["field"] in review_fields for e in full) == 4
    for user in (make.user(office=a.office), make.user(office=a.office, role=Role.MANAGER)):
        shown = call(user, "get", url).json()["items"]
        assert not [e for e in shown if e["field"] in review_fields]
        assert "複評意見祕密" not in str(shown)
        assert len(shown) == len(full) - 4  # not even the count of the hidden entries
    assert call(make.user(office=make.office()), "get", url).status_code == 404
    release_reviews(period=a.period, user=hq)
    assert call(make.user(office=a.office), "get", url).json()["items"] == full


def test_a_release_is_withdrawn_with_a_reason(db, make, call):
    from servplan.review.models import ReviewRelease

    a = make.reviewed(make.assessment())
    hq = make.user(role=Role.HQ_REVIEWER)
    url = "/api/review/releases/withdraw/"
    assert call(hq, "post", url, {"period": "114-1-6", "reason": "誤按"}).status_code == 409
    assert call(hq, "post", "/api/review/releases/", {"period": "114-1-6"}).status_code == 201
    clerk = make.user(office=a.office)
    assert call(clerk, "post", url, {"period": "114-1-6", "reason": "x"}).status_code == 403
    response = call(hq, "post", url, {"period": "114-1-6", "reason": ""})
    assert response.status_code == 400 and response.json()["where"] == "reason"
    response = call(hq, "post", url, {"period": "114-1-6", "reason": "分數誤植"})
    assert response.status_code == 200
    assert response.json() == {
        "period": {"roc_year": 114, "start_month": 1, "end_month": 6},
        "released": False,
    }
    assert not ReviewRelease.objects.exists()
    assert "review" not in call(clerk, "get", f"/api/assessments/{a.pk}/").json()


def test_nothing_reviewed_nothing_to_release(db, make, call):
    make.submitted(make.assessment())
    response = call(
        make.user(role=Role.HQ_REVIEWER), "post", "/api/review/releases/", {"period": "114-1-6"}
    )
    assert response.status_code == 400 and "尚無完成複評的區營業處" in response.json()["detail"]


def test_reviewing_moves_no_version_the_office_sees(db, make, call):
    """HQ's review has its own version: the office's cell versions (and so nothing it can
    read) change when HQ reviews before the release."""
    a = make.submitted(make.assessment(rubric_=make.rubric(dimensions=1, items=1, cell_max=10)))
    hq, clerk = make.user(role=Role.HQ_REVIEWER), make.user(office=a.office)
    cell = a.cells.get()
    office_version = cell.version
    before = call(clerk, "get", f"/api/assessments/{a.pk}/").json()
    url = f"/api/review/assessments/{a.pk}/cells/{cell.pk}/"
    response = call(hq, "patch", url, {"score": 4, "version": cell.review_version})
    assert response.status_code == 200 and response.json()["version"] == cell.review_version + 1
    stale = call(hq, "patch", url, {"score": 3, "version": cell.review_version})
    assert stale.status_code == 409
    assert call(clerk, "get", f"/api/assessments/{a.pk}/").json() == before
    cell.refresh_from_db()
    assert cell.version == office_version and cell.review_version == 2
