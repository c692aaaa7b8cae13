"""E-mail notices: one place for whom to tell, what to say and how it is sent.

The workflow (assessments.domain.workflow) calls these inside its transaction; the mail goes
out only once that transaction commits (transaction.on_commit), so a refused or rolled-back
step tells nobody. A notice goes to the office's people of one role who have an e-mail
address and have not turned notices off (Membership.email_notifications, 通知設定). A notice
says what the recipient can already see on the page it links to: never HQ's review scores.
A mail server that fails is logged; the step it reports on is done already.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse

from servplan.offices.models import Membership, Role

if TYPE_CHECKING:
    from servplan.assessments.models import Assessment, SignOff

log = logging.getLogger(__name__)

SUBJECT_PREFIX = "[提升服務效能] "


def absolute_url(path: str) -> str:
    """`path` on the site as people reach it (SERVPLAN_BASE_URL)."""
    return settings.SERVPLAN_BASE_URL.rstrip("/") + path


def recipients(office_id: int, role: Role) -> list:
    """The active users of `role` in the office who want notices and have an address."""
    members = (
        Membership.objects.filter(
            office_id=office_id, role=role, email_notifications=True, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__username")
    )
    return [m.user for m in members]


def _send(office_id: int, role: Role, subject: str, body: str, path: str) -> None:
    users = recipients(office_id, role)
    if not users:
        return
    footer = (
        f"\n\n請至：{absolute_url(path)}\n\n"
        "（此信由提升服務效能執行計畫系統寄出。不想收到通知，可在「通知設定」關閉："
        f"{absolute_url(reverse('notification-settings'))}）\n"
    )
    messages = [
        EmailMessage(
            subject=SUBJECT_PREFIX + subject,
            body=f"{user.get_full_name() or user.get_username()} 您好：\n\n{body}{footer}",
            to=[user.email],
        )
        for user in users
    ]
    try:
        get_connection().send_messages(messages)
    except Exception:  # noqa: BLE001 - the step is committed; a mail outage must not undo it
        log.exception("通知信寄送失敗：%s", subject)


def _after_commit(office_id: int, role: Role, subject: str, body: str, path: str) -> None:
    transaction.on_commit(lambda: _send(office_id, role, subject, body, path))


def _title(assessment: Assessment) -> str:
    return f"{assessment.office.name} {assessment.period}自行考核"


def signoff_pending(*, assessment: Assessment, role: Role, after: SignOff) -> None:
    """Tell the office's `role` that the assessment waits for their sign-off."""
    done = f"{after.get_role_display()} {after.user.get_username()}"
    verb = "送出" if after.decision == "submit" else "核可"
    _after_commit(
        assessment.office_id,
        role,
        f"待您核章：{_title(assessment)}",
        f"{_title(assessment)}已由{done}{verb}，待您（{role.label}）核章。",
        reverse("assessment-detail", args=[assessment.pk]) + "#signoff",
    )


def returned(*, assessment: Assessment, signoff: SignOff) -> None:
    """Tell the office's clerks that a signer returned the assessment, with the comment."""
    by = f"{signoff.get_role_display()} {signoff.user.get_username()}"
    _after_commit(
        assessment.office_id,
        Role.CLERK,
        f"已退回：{_title(assessment)}",
        f"{_title(assessment)}已由{by}退回，請修正後重新送出。\n\n退回意見：{signoff.comment}",
        reverse("assessment-detail", args=[assessment.pk]),
    )


def reopened(*, assessment: Assessment, user) -> None:
    """Tell the office's clerks that HQ reopened the assessment as a draft, and why."""
    _after_commit(
        assessment.office_id,
        Role.CLERK,
        f"已重新開啟：{_title(assessment)}",
        f"{_title(assessment)}已由 {user.get_username()} 重新開啟為草稿，"
        f"先前的核章不再有效，請修正後重新送出核章。\n\n原因：{assessment.reopen_reason}",
        reverse("assessment-detail", args=[assessment.pk]),
    )
