"""Hostile text typed into narratives is shown as text and never runs, in a real browser."""

import os

import pytest
from django.urls import reverse

from servplan.assessments.models import Assessment, CellScore, Status
from servplan.core.middleware import CONTENT_SECURITY_POLICY
from tests.factories import PASSWORD

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop

PAYLOADS = [
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "<svg onload=\"window.__pwned = 'svg'\"><script>window.__pwned = 'svg-script'</script></svg>",
    "- <a href=\"javascript:window.__pwned = 'link'\">點我</a>",
    '"><iframe srcdoc="<script>parent.__pwned = 1</script>">',
]


def hostile_assessment(make):
    assessment = make.assessment(rubric_=make.rubric(dimensions=1, items=len(PAYLOADS)))
    for cell, payload in zip(assessment.cells.order_by("pk"), PAYLOADS, strict=True):
        CellScore.objects.filter(pk=cell.pk).update(narrative=payload)
    return assessment


def test_every_page_carries_the_content_security_policy(db, make, client):
    user = make.user(office=make.office())
    client.login(username=user.username, password=PASSWORD)
    for response in (client.get(reverse("login")), client.get(reverse("assessment-list"))):
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_payloads_are_escaped_in_the_html(db, make, client):
    assessment = hostile_assessment(make)
    user = make.user(office=assessment.office)
    client.login(username=user.username, password=PASSWORD)
    html = client.get(reverse("assessment-detail", args=[assessment.pk])).text
    assert "<script>window.__pwned" not in html
    assert "<svg" not in html and "<img src=x" not in html and "<iframe" not in html
    assert "&lt;script&gt;window.__pwned" in html


@pytest.mark.browser
@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED])
def test_no_payload_runs_in_chromium(transactional_db, make, live_server, status, monkeypatch):
    """Drafts show narratives in edit boxes, submitted ones as text: neither runs them."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; allow the ORM here only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    assessment = hostile_assessment(make)
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    user = make.user(office=assessment.office)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(live_server.url + reverse("login"))
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(live_server.url + reverse("assessment-detail", args=[assessment.pk]))
        for link in page.locator("a", has_text="點我").all():
            link.click()
        pwned = page.evaluate("window.__pwned")
        boxes = page.locator("table.score-sheet textarea")
        shown = page.locator("table.score-sheet").inner_text() + "".join(
            boxes.nth(i).input_value() for i in range(boxes.count())
        )
        os.makedirs("test-artifacts", exist_ok=True)
        page.screenshot(path=f"test-artifacts/xss-narratives-{status}.png", full_page=True)
        browser.close()
    assert pwned is None and dialogs == []
    assert (
        "<script>window.__pwned = 'script'</script>" in shown
    )  # shown as text, for a person to read
