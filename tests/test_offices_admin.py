"""The Django admin shows API tokens (never their secret) and revokes them."""

from django.urls import reverse

from servplan.audit.models import AuditEntry
from servplan.offices.models import ApiToken


def test_tokens_are_listed_without_the_secret_or_the_digest(db, make, as_user):
    owner = make.user(office=make.office())
    secret = ApiToken.issue(owner)
    token = ApiToken.objects.get(user=owner)
    client = as_user(make.user(role="admin"))
    page = client.get(reverse("admin:offices_apitoken_changelist")).text
    assert owner.username in page and token.prefix in page
    assert secret not in page and token.digest not in page
    detail = client.get(reverse("admin:offices_apitoken_change", args=[token.pk])).text
    assert token.prefix in detail and token.digest not in detail and secret not in detail
    assert client.get(reverse("admin:offices_apitoken_add")).status_code == 403


def test_the_admin_revokes_a_token_through_the_domain(db, make, as_user):
    owner = make.user(office=make.office())
    ApiToken.issue(owner)
    token = ApiToken.objects.get(user=owner)
    admin = make.user(role="admin")
    client = as_user(admin)
    response = client.post(
        reverse("admin:offices_apitoken_delete", args=[token.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    entry = AuditEntry.objects.get(object_type="offices.apitoken", field="revoked")
    assert entry.user == admin and entry.old == token.prefix
