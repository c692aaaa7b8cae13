"""Login throttling: after repeated failures, a username (or an address) must wait."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from servplan.core.models import LoginFailure

WINDOW = dt.timedelta(minutes=15)
MAX_PER_USERNAME = 5
MAX_PER_IP = 20
MESSAGE = "登入失敗次數過多，請 15 分鐘後再試。"


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def is_throttled(*, username: str, ip: str | None) -> bool:
    since = timezone.now() - WINDOW
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username=username.lower()).count() >= MAX_PER_USERNAME:
        return True
    return bool(ip and recent.filter(ip=ip).count() >= MAX_PER_IP)


@receiver(user_login_failed)
def _remember_failure(sender, credentials, request=None, **kwargs):
    LoginFailure.objects.create(
        username=str(credentials.get("username", "")).lower()[:150], ip=client_ip(request)
    )
    LoginFailure.objects.filter(at__lt=timezone.now() - WINDOW).delete()


@receiver(user_logged_in)
def _forget_failures(sender, user, request=None, **kwargs):
    LoginFailure.objects.filter(username=user.get_username().lower()).delete()
