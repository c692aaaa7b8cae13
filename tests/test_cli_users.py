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


def test_a_password_the_validators_refuse_is_refused_in_chinese(shipped):
    from django.contrib.auth import get_user_model

    with pytest.raises(CommandError, match="密碼不符規定：密碼太短，必須至少 8 個字元"):
        run("user", "add", "amy", "--office", "台東", "--role", "clerk", "--password", "short")
    assert not get_user_model().objects.filter(username="amy").exists()


@pytest.fixture
def amy(shipped):
    run("user", "add", "amy", "--office", "台東", "--role", "clerk")
    return "amy"


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_tokens_are_listed_without_their_secret(amy):
    token = run("token", amy).strip()
    listed = run("token", amy, "--list")
    [t] = ApiToken.objects.filter(user__username=amy)
    assert f"#{t.pk}  {t.prefix}  建立 " in listed and "到期 " in listed
    assert "最後使用 —" in listed
    assert token not in listed and token[3:11] not in listed


def test_a_token_can_be_revoked_by_its_prefix_or_id(amy, client):
    first, second, third = (run("token", amy).strip() for _ in range(3))
    t1, t2, _ = ApiToken.objects.filter(user__username=amy)
    assert "1 個權杖" in run("token", amy, "--revoke", t1.prefix)
    assert "1 個權杖" in run("token", amy, "--revoke", str(t2.pk))
    assert client.get("/api/assessments/", **bearer(first)).status_code == 401
    assert client.get("/api/assessments/", **bearer(second)).status_code == 401
    assert client.get("/api/assessments/", **bearer(third)).status_code == 200


def test_revoke_without_a_prefix_revokes_all_the_users_tokens(amy, client):
    tokens = [run("token", amy).strip() for _ in range(2)]
    run("user", "add", "bob", "--office", "台東", "--role", "clerk")
    bobs = run("token", "bob").strip()
    assert "2 個權杖" in run("token", amy, "--revoke")
    for token in tokens:
        assert client.get("/api/assessments/", **bearer(token)).status_code == 401
    assert client.get("/api/assessments/", **bearer(bobs)).status_code == 200


def test_revoking_is_in_the_audit_trail(amy):
    from servplan.audit.models import AuditEntry

    run("token", amy)
    run("token", amy, "--revoke")
    assert AuditEntry.objects.filter(object_type="offices.apitoken", field="revoked").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--revoke", "ffffffff"], "沒有權杖「ffffffff」"),
        (["--days", "0"], "有效天數須至少 1 天"),
    ],
)
def test_token_errors_are_in_chinese(amy, args, message):
    with pytest.raises(CommandError, match=message):
        run("token", amy, *args)


def test_a_token_expires_after_its_days(amy, client):
    import datetime as dt

    from django.utils import timezone

    token = run("token", amy, "--days", "7").strip()
    t = ApiToken.objects.get(user__username=amy)
    assert dt.timedelta(days=6) < t.expires_at - timezone.now() <= dt.timedelta(days=7)
    assert client.get("/api/assessments/", **bearer(token)).status_code == 200
    ApiToken.objects.filter(pk=t.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/assessments/", **bearer(token)).status_code == 401
    assert "（已到期）" in run("token", amy, "--list")


def test_tokens_expire_after_90_days_by_default(amy):
    import datetime as dt

    from django.utils import timezone

    run("token", amy)
    left = ApiToken.objects.get(user__username=amy).expires_at - timezone.now()
    assert dt.timedelta(days=89) < left <= dt.timedelta(days=90)
