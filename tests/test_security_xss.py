"""Hostile text typed into narratives is escaped, and every page forbids inline script.

The same payloads are run in Chromium in tests/browser/test_xss.py.
"""

from django.urls import reverse

from servplan.assessments.models import CellScore
from servplan.core.middleware import CONTENT_SECURITY_POLICY
from tests.factories import PASSWORD

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
