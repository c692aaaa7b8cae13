import pytest
from django.core.management import CommandError, call_command

from servplan.offices.models import ApiToken, Role


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_user_add_and_token(shipped, client):
    out = run(
        "user", "add", "amy", "--office", "台東", "--role", "clerk", "--password", "pw-123456"
    )
    assert "已新增使用者「amy」（經辦，台東區營業處）" in out
    token = run("token", "amy").strip()
    assert token.startswith("sp_") and ApiToken.objects.filter(user__username="amy").count() == 1
    assert client.get("/api/assessments/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert client.login(username="amy", password="pw-123456")


def test_roles_may_be_given_in_chinese(shipped):
    run("user", "add", "hq1", "--role", "總處業務處")
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="hq1").membership.role == Role.HQ_REVIEWER


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["user", "add", "x", "--role", "boss", "--office", "台東"], "角色「boss」不存在"),
        (["user", "add", "x", "--role", "clerk"], "須指定區營業處"),
        (["user", "add", "x", "--role", "clerk", "--office", "火星"], "找不到區營業處「火星」"),
        (["token", "nobody"], "找不到使用者「nobody」"),
    ],
)
def test_errors_are_in_chinese(shipped, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_duplicate_user_is_refused(shipped):
    run("user", "add", "amy", "--office", "台東", "--role", "clerk")
    with pytest.raises(CommandError, match="已存在"):
        run("user", "add", "amy", "--office", "台東", "--role", "clerk")
