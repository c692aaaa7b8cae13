"""Login throttling with django-axes, for every way to log in (site login, /admin/login/).

Policy (settings.base): within 15 minutes, 5 failures for one username or 20 from one client
address lock that username or address out; counts live in the database, so every server
process sees them. The client address is REMOTE_ADDR unless a trusted proxy is configured.
"""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from ipware import get_client_ip

MESSAGE = "登入失敗次數過多，請 15 分鐘後再試。"


def meta_key(header: str) -> str:
    """`X-Forwarded-For` or `HTTP_X_FORWARDED_FOR` → the request.META key Django uses."""
    key = header.strip().upper().replace("-", "_")
    return key if key.startswith("HTTP_") else f"HTTP_{key}"


def _from_trusted_proxy(remote_addr: str | None) -> bool:
    try:
        address = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(net, strict=False)
        for net in settings.SERVPLAN_TRUSTED_PROXIES
    )


def client_ip(request) -> str | None:
    """The address that counts for throttling (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless SERVPLAN_TRUSTED_PROXY_HEADER names the header that the proxies in
    front append to and the request came from one of SERVPLAN_TRUSTED_PROXIES: then the
    address the outermost of SERVPLAN_TRUSTED_PROXY_COUNT proxies appended (anything to its
    left came from the client and is not believed).
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    header = settings.SERVPLAN_TRUSTED_PROXY_HEADER
    if not header or not _from_trusted_proxy(remote_addr):
        return remote_addr
    # Each proxy but the last (whose address is REMOTE_ADDR) is listed in the header.
    ip, _ = get_client_ip(
        request,
        proxy_count=settings.SERVPLAN_TRUSTED_PROXY_COUNT - 1,
        request_header_order=[meta_key(header)],
        strict=False,
    )
    return ip or remote_addr


def username(request, credentials) -> str | None:
    """Usernames count case-insensitively (AXES_USERNAME_CALLABLE): 「Clerk」 is 「clerk」."""
    name = (credentials or {}).get("username")
    if name is None:
        name = request.POST.get("username")
    return name.lower()[:150] if name else name


class ThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits: per username and (higher) per client address.

    Axes compares one count to one limit, so the address count is scaled onto the username
    limit. A success clears only that username's failures: an attacker logging into his own
    account from the same address must not clear his guesses at someone else's.
    """

    def get_failures(self, request, credentials=None) -> int:
        by_username, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        per_username, per_address = settings.AXES_FAILURE_LIMIT, settings.SERVPLAN_FAILURES_PER_IP
        return max(by_username, by_address * per_username // per_address)

    def reset_user_attempts(self, request, credentials=None) -> int:
        name = username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=name).delete()
        return count
