from django.urls import reverse

from servplan.core.throttle import MAX_PER_USERNAME
from tests.factories import PASSWORD


def post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_wrong_password_says_so_in_chinese(db, make, client):
    user = make.user(office=make.office())
    response = post_login(client, user.username, "wrong")
    assert response.status_code == 200
    assert "輸入正確的 使用者名稱 和密碼" in response.text


def test_repeated_failures_lock_the_username_even_with_the_right_password(db, make, client):
    user = make.user(office=make.office())
    for _ in range(MAX_PER_USERNAME):
        post_login(client, user.username, "wrong")
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert "登入失敗次數過多" in response.text
    assert "_auth_user_id" not in client.session


def test_other_users_are_not_locked(db, make, client):
    victim, other = make.user(office=make.office()), make.user(office=make.office())
    for _ in range(MAX_PER_USERNAME):
        post_login(client, victim.username, "wrong")
    assert post_login(client, other.username, PASSWORD).status_code == 302


def test_a_success_before_the_limit_clears_the_count(db, make, client):
    user = make.user(office=make.office())
    for _ in range(MAX_PER_USERNAME - 1):
        post_login(client, user.username, "wrong")
    assert post_login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(MAX_PER_USERNAME - 1):
        post_login(client, user.username, "wrong")
    assert post_login(client, user.username, PASSWORD).status_code == 302
