"""Login throttling (django-axes): every login form, client addresses only from a trusted proxy."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD

PER_USERNAME = 5
PER_ADDRESS = 20
PROXY = {"SERVPLAN_TRUSTED_PROXY_HEADER": "HTTP_X_FORWARDED_FOR"}


def post_login(client, username, password, url=None, **headers):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, **headers
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_password_says_so_in_chinese(db, make, client):
    user = make.user(office=make.office())
    response = post_login(client, user.username, "wrong")
    assert response.status_code == 200
    assert "輸入正確的 使用者名稱 和密碼" in response.text


def test_repeated_failures_lock_the_username_even_with_the_right_password(db, make, client):
    user = make.user(office=make.office())
    for _ in range(PER_USERNAME):
        post_login(client, user.username, "wrong")
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "登入失敗次數過多，請 15 分鐘後再試" in response.text
    assert "提升服務效能執行計畫" in response.text  # the site's layout, not a bare message
    assert not logged_in(client)


def test_the_username_lock_ignores_case(db, make, client):
    user = make.user(office=make.office())
    for _ in range(PER_USERNAME):
        post_login(client, user.username.upper(), "wrong")
    assert post_login(client, user.username, PASSWORD).status_code == 429


def test_other_users_are_not_locked(db, make, client):
    victim, other = make.user(office=make.office()), make.user(office=make.office())
    for _ in range(PER_USERNAME):
        post_login(client, victim.username, "wrong")
    assert post_login(client, other.username, PASSWORD).status_code == 302


def test_a_success_before_the_limit_clears_the_count(db, make, client):
    user = make.user(office=make.office())
    for _ in range(PER_USERNAME - 1):
        post_login(client, user.username, "wrong")
    assert post_login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(PER_USERNAME - 1):
        post_login(client, user.username, "wrong")
    assert post_login(client, user.username, PASSWORD).status_code == 302


def test_one_accounts_success_does_not_clear_the_guesses_at_another(db, make, client):
    """An attacker with an account of his own can't reset the count against his target."""
    office = make.office()
    victim, attacker = make.user(office=office), make.user(office=office)
    for _ in range(PER_USERNAME - 1):
        post_login(client, victim.username, "wrong")
    assert post_login(client, attacker.username, PASSWORD).status_code == 302
    client.logout()
    post_login(client, victim.username, "wrong")
    assert post_login(client, victim.username, PASSWORD).status_code == 429


def test_one_address_trying_many_usernames_is_locked(db, make, client):
    user = make.user(office=make.office())
    for i in range(PER_ADDRESS):
        post_login(client, f"guess{i}", "wrong")
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 429 and not logged_in(client)


def test_fewer_failures_from_an_address_do_not_lock_it(db, make, client):
    user = make.user(office=make.office())
    for i in range(PER_ADDRESS - 1):
        post_login(client, f"guess{i}", "wrong")
    assert post_login(client, user.username, PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(db, make, client):
    admin = make.user(role="admin")
    url = reverse("admin:login")
    for _ in range(PER_USERNAME - 1):
        assert post_login(client, admin.username, "wrong", url=url).status_code == 200
    assert post_login(client, admin.username, "wrong", url=url).status_code == 429
    response = post_login(client, admin.username, PASSWORD, url=url)
    assert response.status_code == 429
    assert not logged_in(client)


def test_failures_on_the_admin_login_count_for_the_site_login(db, make, client):
    admin = make.user(role="admin")
    for _ in range(PER_USERNAME):
        post_login(client, admin.username, "wrong", url=reverse("admin:login"))
    assert post_login(client, admin.username, PASSWORD).status_code == 429


def test_a_forged_forwarded_for_is_ignored_without_a_trusted_proxy(db, make, client):
    """Without SERVPLAN_TRUSTED_PROXY_HEADER the socket's address counts, whatever the header says."""
    user = make.user(office=make.office())
    for i in range(PER_ADDRESS):
        post_login(client, f"guess{i}", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    response = post_login(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429


@override_settings(**PROXY)
def test_behind_the_proxy_clients_do_not_lock_each_other_out(db, make, client):
    user = make.user(office=make.office())
    for i in range(PER_ADDRESS):
        post_login(client, f"guess{i}", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert (
        post_login(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code
        == 429
    )
    response = post_login(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert response.status_code == 302 and logged_in(client)


@override_settings(**PROXY)
def test_behind_the_proxy_only_the_address_the_proxy_added_counts(db, make, client):
    """The proxy appends the address it saw; what the client put before it is not believed."""
    user = make.user(office=make.office())
    for i in range(PER_ADDRESS):
        post_login(client, f"guess{i}", "wrong", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 203.0.113.5")
    response = post_login(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert response.status_code == 429


@override_settings(**PROXY, SERVPLAN_TRUSTED_PROXIES=["192.0.2.1"])
def test_the_header_is_not_believed_from_an_address_that_is_not_the_proxy(db, make, client):
    user = make.user(office=make.office())
    for i in range(PER_ADDRESS):
        post_login(client, f"guess{i}", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    response = post_login(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429


def test_the_lockout_is_kept_in_the_database(db, make, client):
    """Every server process sees the same count (not a per-process cache)."""
    from axes.models import AccessAttempt

    user = make.user(office=make.office())
    post_login(client, user.username, "wrong")
    assert AccessAttempt.objects.filter(username=user.username.lower()).exists()


@pytest.mark.parametrize("header", ["X-Forwarded-For", "HTTP_X_FORWARDED_FOR", "x_forwarded_for"])
def test_the_trusted_header_may_be_named_as_sent_or_as_django_names_it(header):
    from servplan.core.throttle import meta_key

    assert meta_key(header) == "HTTP_X_FORWARDED_FOR"
