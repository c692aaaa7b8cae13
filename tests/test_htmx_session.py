"""An HTMX save whose session is gone answers 401 with a fragment made for it, not the login page."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from servplan.assessments.domain import submit_assessment
from servplan.assessments.models import CellScore
from servplan.offices.models import Role
from tests.conftest import Client
from tests.factories import PASSWORD

EXPIRED = "登入已逾時，輸入的內容尚未儲存。"


@pytest.fixture
def case(db, make):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=2, cell_max=10))
    return a, make.staff(a.office), a.cells.order_by("id").first()


def cell_url(a, cell):
    return reverse("assessment-cell", args=[a.pk, cell.pk])


def hx_post(client, url, data, *, page="/"):
    return client.post(
        url, data, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{page}"
    )


def expire(client):
    """The session ends on the server (timed out, logged out elsewhere): its row is gone."""
    assert Session.objects.exists()
    Session.objects.all().delete()
    return client


def test_an_expired_session_answers_401_with_a_login_link_back_to_the_page(case, as_user):
    a, people, cell = case
    client = expire(as_user(people[Role.CLERK]))
    page = reverse("assessment-detail", args=[a.pk])
    response = hx_post(client, cell_url(a, cell), {"score": "7", "version": "1"}, page=page)
    assert response.status_code == 401
    assert response["X-Servplan-Unsaved"] == "session"
    assert response["HX-Reswap"] == "none"
    assert EXPIRED in response.text
    assert f'<a href="/login/?next={page}">重新登入</a>後再儲存。' in response.text
    # a fragment for the cell's message area, not the login page
    assert "<form" not in response.text and "<html" not in response.text
    assert CellScore.objects.get(pk=cell.pk).score is None


def test_the_link_comes_back_with_the_query_of_the_page(case, client):
    a, _, cell = case
    page = reverse("assessment-detail", args=[a.pk]) + "?tab=findings"
    response = hx_post(client, cell_url(a, cell), {"score": "7"}, page=page)
    assert response.status_code == 401
    assert f'href="/login/?next=/assessments/{a.pk}/%3Ftab%3Dfindings"' in response.text


@pytest.mark.parametrize("elsewhere", ["https://evil.example/x", "//evil.example/x"])
def test_the_link_never_leads_to_another_site(case, client, elsewhere):
    a, _, cell = case
    response = client.post(
        cell_url(a, cell), {"score": "7"}, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=elsewhere
    )
    assert response.status_code == 401
    assert 'href="/login/?next=/"' in response.text
    assert "evil" not in response.text


def test_every_htmx_save_and_reload_answers_the_same(case, make, client):
    a, _, cell = case
    finding = a.findings.first()
    urls = [
        reverse("assessment-cell", args=[a.pk, cell.pk]),
        reverse("assessment-finding", args=[a.pk, finding.pk]),
        reverse("review-cell", args=[a.pk, cell.pk]),
    ]
    for url in urls:
        response = hx_post(client, url, {"version": "1"})
        assert response.status_code == 401, url
        assert EXPIRED in response.text
    reload = reverse("assessment-cell-row", args=[a.pk, cell.pk])
    response = client.get(reload, HTTP_HX_REQUEST="true")
    assert response.status_code == 401 and EXPIRED in response.text


def test_without_htmx_the_login_page_still_comes(case, as_user):
    a, people, cell = case
    client = expire(as_user(people[Role.CLERK]))
    response = client.post(cell_url(a, cell), {"score": "7", "version": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={cell_url(a, cell)}"
    page = reverse("assessment-detail", args=[a.pk])
    assert client.get(page)["Location"] == f"/login/?next={page}"


def test_a_domain_refusal_stays_a_403_fragment_of_its_own(case, as_user):
    a, people, cell = case
    client = as_user(people[Role.SECTION_CHIEF])
    response = hx_post(client, cell_url(a, cell), {"score": "7", "version": "1"})
    assert response.status_code == 403
    assert "只有" in response.text and "的經辦可以修改" in response.text
    assert "X-Servplan-Unsaved" not in response


def test_a_logged_in_htmx_request_is_left_alone(case, as_user):
    a, people, cell = case
    client = as_user(people[Role.CLERK])
    response = hx_post(client, cell_url(a, cell), {"score": "7", "version": "1"})
    assert response.status_code == 200 and "已儲存（第 2 版）" in response.text
    # a view's own redirect of a logged-in user is not taken for the login page
    submit = reverse("assessment-submit", args=[a.pk])
    response = hx_post(client, submit, {})
    assert response.status_code == 302 and response["Location"] != "/login/"


def test_the_csrf_cookie_gone_with_the_session_is_the_same_401(case, make):
    """Cookies cleared (or a new browser session): the CSRF check fails before login_required
    is reached; an HTMX save still hears that the session is gone, not Django's CSRF page."""
    a, _, cell = case
    client = Client(enforce_csrf_checks=True)
    response = hx_post(client, cell_url(a, cell), {"score": "7", "version": "1"})
    assert response.status_code == 401
    assert response["X-Servplan-Unsaved"] == "session"
    assert EXPIRED in response.text


def test_a_stale_csrf_token_while_logged_in_says_to_reload(case):
    a, people, cell = case
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=people[Role.CLERK].username, password=PASSWORD)
    client.get(reverse("assessment-detail", args=[a.pk]))
    response = client.post(
        cell_url(a, cell),
        {"score": "7", "version": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN="x" * 32,
    )
    assert response.status_code == 403
    assert response["X-Servplan-Unsaved"] == "csrf"
    assert "輸入的內容尚未儲存" in response.text and "<html" not in response.text
    assert CellScore.objects.get(pk=cell.pk).score is None


def test_a_submitted_record_refuses_as_before(case, make, as_user):
    a, people, cell = case
    make.fill(a)
    submit_assessment(assessment=a, user=people[Role.CLERK])
    client = as_user(people[Role.CLERK])
    response = hx_post(client, cell_url(a, cell), {"score": "7", "version": "2"})
    assert response.status_code in (400, 409)
    assert "X-Servplan-Unsaved" not in response
