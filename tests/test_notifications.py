"""E-mail notices: who gets what, after the step commits, with a link; opting out; no address."""

import os
import subprocess
import sys

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from servplan.assessments.domain import decide, reopen_assessment, submit_assessment
from servplan.audit.models import AuditEntry
from servplan.offices.domain import set_notifications
from servplan.offices.models import Role


@pytest.fixture
def office(db, make):
    """An office whose staff all have addresses, plus a second chief without one and one more
    clerk; and a filled draft."""
    office = make.office("通知區營業處")
    people = make.staff(office)
    for role, user in people.items():
        user.email = f"{role.value}@example.org"
        user.save()
    people["chief2"] = make.user(office=office, role=Role.SECTION_CHIEF)
    people["chief2"].email = "chief2@example.org"
    people["chief2"].save()
    people["no_address"] = make.user(office=office, role=Role.SECTION_CHIEF)
    people["clerk2"] = make.user(office=office, role=Role.CLERK)
    people["clerk2"].email = "clerk2@example.org"
    people["clerk2"].save()
    other = make.office()
    people["elsewhere"] = make.user(office=other, role=Role.SECTION_CHIEF)
    people["elsewhere"].email = "elsewhere@example.org"
    people["elsewhere"].save()
    assessment = make.fill(make.assessment(office=office))
    return {"people": people, "assessment": assessment}


def to(messages):
    return sorted(address for m in messages for address in m.to)


def submit(office, capture):
    with capture(execute=True):
        submit_assessment(assessment=office["assessment"], user=office["people"][Role.CLERK])


def test_submit_tells_every_first_signer_with_an_address(
    office, django_capture_on_commit_callbacks
):
    submit(office, django_capture_on_commit_callbacks)
    assert to(mail.outbox) == ["chief2@example.org", "section_chief@example.org"]
    message = mail.outbox[0]
    a = office["assessment"]
    assert "待您核章" in message.subject and a.office.name in message.subject
    assert f"http://127.0.0.1:8000/assessments/{a.pk}/#signoff" in message.body
    assert "http://127.0.0.1:8000/settings/notifications/" in message.body
    assert "待您（課長）核章" in message.body


def test_each_approval_tells_the_next_signer_and_the_last_tells_nobody(
    office, django_capture_on_commit_callbacks
):
    submit(office, django_capture_on_commit_callbacks)
    people, a = office["people"], office["assessment"]
    for signer, told in [
        (Role.SECTION_CHIEF, ["manager@example.org"]),
        (Role.MANAGER, ["deputy_director@example.org"]),
        (Role.DEPUTY_DIRECTOR, ["director@example.org"]),
        (Role.DIRECTOR, []),
    ]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            decide(assessment=a, user=people[signer], decision="approve")
        assert to(mail.outbox) == told, signer
    a.refresh_from_db()
    assert a.status == "submitted"


def test_a_return_tells_the_clerks_with_the_comment(office, django_capture_on_commit_callbacks):
    submit(office, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    people = office["people"]
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            assessment=office["assessment"],
            user=people[Role.SECTION_CHIEF],
            decision="return",
            comment="請補第二格佐證",
        )
    assert to(mail.outbox) == ["clerk2@example.org", "clerk@example.org"]
    body = mail.outbox[0].body
    assert "已退回" in mail.outbox[0].subject
    assert "請補第二格佐證" in body and people[Role.SECTION_CHIEF].username in body
    assert f"/assessments/{office['assessment'].pk}/" in body


def test_a_reopen_tells_the_clerks_why_and_nothing_of_the_review(
    office, make, django_capture_on_commit_callbacks
):
    from servplan.review.domain import review_cell

    a = make.submitted(office["assessment"])
    hq = make.user(role=Role.HQ_REVIEWER)
    for cell in a.cells.select_related("cell__dimension", "cell__item"):
        review_cell(cell_score=cell, user=hq, score="3.5", comment="複評意見不外流")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reopen_assessment(assessment=a, user=hq, reason="第二格須補正")
    assert to(mail.outbox) == ["clerk2@example.org", "clerk@example.org"]
    body = mail.outbox[0].body
    assert "第二格須補正" in body and "重新開啟" in mail.outbox[0].subject
    assert "複評意見不外流" not in body and "3.5" not in body


def test_whoever_turned_notices_off_gets_none(office, django_capture_on_commit_callbacks):
    set_notifications(user=office["people"]["chief2"], email=False)
    submit(office, django_capture_on_commit_callbacks)
    assert to(mail.outbox) == ["section_chief@example.org"]


def test_nothing_is_sent_when_the_transaction_rolls_back(
    office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        submit_assessment(assessment=office["assessment"], user=office["people"][Role.CLERK])
        transaction.set_rollback(True)
    assert callbacks == [] and mail.outbox == []


def test_nothing_is_sent_before_the_commit(office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit_assessment(assessment=office["assessment"], user=office["people"][Role.CLERK])
        assert mail.outbox == []
    assert len(callbacks) == 1


def test_a_failing_mail_server_does_not_undo_the_step(
    office, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("no SMTP here")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    submit(office, django_capture_on_commit_callbacks)
    office["assessment"].refresh_from_db()
    assert office["assessment"].status == "in_signoff"
    assert "通知信寄送失敗" in caplog.text


def test_the_settings_page_turns_notices_off_and_on_with_an_audit_entry(office, as_user):
    chief = office["people"][Role.SECTION_CHIEF]
    client = as_user(chief)
    page = client.get(reverse("notification-settings")).text
    assert "section_chief@example.org" in page and 'name="email_notifications"' in page
    assert "checked" in page
    response = client.post(reverse("notification-settings-save"), {})
    assert response.status_code == 302
    chief.membership.refresh_from_db()
    assert chief.membership.email_notifications is False
    entry = AuditEntry.objects.get(field="email_notifications")
    assert (entry.user, entry.old, entry.new) == (chief, "開啟", "關閉")
    assert "checked" not in client.get(reverse("notification-settings")).text
    client.post(reverse("notification-settings-save"), {"email_notifications": "1"})
    chief.membership.refresh_from_db()
    assert chief.membership.email_notifications is True


def test_the_settings_page_says_when_there_is_no_address(office, as_user):
    page = as_user(office["people"]["no_address"]).get(reverse("notification-settings")).text
    assert 'id="no-email"' in page


def test_the_menu_links_to_the_settings(office, as_user):
    page = as_user(office["people"][Role.CLERK]).get(reverse("home")).text
    assert f'href="{reverse("notification-settings")}"' in page


def test_production_sends_by_smtp_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "servplan.settings.production",
        "SERVPLAN_SECRET_KEY": "x" * 60,
        "SERVPLAN_EMAIL_HOST": "smtp.example.org",
        "SERVPLAN_EMAIL_PORT": "587",
        "SERVPLAN_EMAIL_USER": "servplan",
        "SERVPLAN_EMAIL_PASSWORD": "secret",
        "SERVPLAN_EMAIL_USE_TLS": "1",
        "SERVPLAN_EMAIL_FROM": "servplan@example.org",
        "SERVPLAN_BASE_URL": "https://servplan.example.org",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, "
        "s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, s.SERVPLAN_BASE_URL)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "servplan",
        "secret",
        "True",
        "servplan@example.org",
        "https://servplan.example.org",
    ], out.stderr
