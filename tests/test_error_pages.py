"""Error pages (400/403/404/500): zh-Hant, the site's layout, and the reason the code gave."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory, override_settings
from django.urls import get_resolver, reverse

from tests.conftest import Client

pytestmark = pytest.mark.usefixtures("no_debug")


@pytest.fixture
def no_debug():
    with override_settings(DEBUG=False):
        yield


def page(response) -> str:
    return response.content.decode()


def assert_site_page(html: str) -> None:
    assert '<html lang="zh-Hant-TW">' in html
    assert "servplan.css" in html and "提升服務效能執行計畫" in html
    for english in ("Not Found", "Forbidden", "Bad Request", "Server Error"):
        assert english not in html


def test_an_unknown_address_is_404_with_the_menu(db, make, as_user):
    client = as_user(make.user(office=make.office()))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = page(response)
    assert_site_page(html)
    assert "找不到這個頁面" in html
    assert f'href="{reverse("assessment-list")}"' in html  # the menu is there
    assert "Resolver404" not in html


def test_404_says_what_was_not_found(taitung, make, as_user):
    outsider = as_user(make.user(office=make.office()))
    response = outsider.get(reverse("assessment-detail", args=[taitung.pk]))
    assert response.status_code == 404
    assert_site_page(page(response))
    assert "找不到此自行考核" in page(response)


def test_django_s_own_english_404_messages_are_not_shown(taitung, make, as_user):
    clerk = as_user(make.user(office=taitung.office))
    response = clerk.get(reverse("assessment-evidence", args=[taitung.pk, 999999]))
    assert response.status_code == 404
    assert "matches the given query" not in page(response)
    assert "找不到此佐證資料" in page(response)


def test_403_shows_the_reason(db):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = get_resolver().resolve_error_handler(403)(
        request, PermissionDenied("只有總處業務處可以公布複評")
    )
    assert response.status_code == 403
    assert_site_page(page(response))
    assert "只有總處業務處可以公布複評" in page(response)


def test_a_form_without_its_csrf_token_is_explained(db, make):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make.user(office=make.office()))
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert_site_page(page(response))
    assert "重新載入" in page(response)


def test_malformed_input_is_a_400_page_with_the_reason(taitung, make, as_user):
    clerk = as_user(make.user(office=taitung.office))
    response = clerk.get(reverse("assessment-export", args=[taitung.pk, "rtf"]))
    assert response.status_code == 400
    assert_site_page(page(response))
    assert "不支援的格式" in page(response)


def test_a_bad_request_anywhere_is_a_400_page(db):
    from django.core.exceptions import SuspiciousOperation

    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = get_resolver().resolve_error_handler(400)(request, SuspiciousOperation("x"))
    assert response.status_code == 400
    assert_site_page(page(response))
    assert "請求無法處理" in page(response)


def test_500_renders_without_a_request_or_the_database():
    """The database may be what failed: the page needs neither it nor a request context
    (this test has no database access: any query would fail it)."""
    response = get_resolver().resolve_error_handler(500)(RequestFactory().get("/"))
    assert response.status_code == 500
    assert_site_page(page(response))
    assert "系統發生錯誤" in page(response)


def test_an_exception_in_a_view_answers_the_500_page(db, make, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("servplan.core.views.todo_for", broken)
    client = Client(raise_request_exception=False)
    client.force_login(make.user(office=make.office()))
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "系統發生錯誤" in page(response) and "boom" not in page(response)


def test_an_unknown_api_address_answers_json(db, client):
    response = client.get("/api/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json() == {"detail": "找不到資料"}
