"""The hostile narratives of tests/test_security_xss.py, in real Chromium: nothing runs."""

import pytest
from django.urls import reverse

from servplan.assessments.models import Assessment, Status
from tests.browser.helpers import log_in
from tests.test_security_xss import hostile_assessment


@pytest.mark.browser
@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED])
def test_no_payload_runs_in_chromium(transactional_db, make, live_server, browser, shots, status):
    """Drafts show narratives in edit boxes, submitted ones as text: neither runs them."""
    assessment = hostile_assessment(make)
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    user = make.user(office=assessment.office)
    page = log_in(browser, live_server, user)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live_server.url + reverse("assessment-detail", args=[assessment.pk]))
    for link in page.locator("a", has_text="點我").all():
        link.click()
    pwned = page.evaluate("window.__pwned")
    boxes = page.locator("table.score-sheet textarea")
    shown = page.locator("table.score-sheet").inner_text() + "".join(
        boxes.nth(i).input_value() for i in range(boxes.count())
    )
    shots(page, f"narratives-{status}")
    page.context.close()
    assert pwned is None and dialogs == []
    assert (
        "<script>window.__pwned = 'script'</script>" in shown
    )  # shown as text, for a person to read
