"""The public site on a phone and a desktop, without logging in: the 苗栗 112 plan (seed 001)
published by its clerk, from the index to the plan's page and its PDF; and the plan's
comparison page. Nothing wider than the window, no serious accessibility violation.
Screenshots in test-artifacts/<test>/."""

import pytest

from servplan.core.setup import load_shipped_data
from servplan.plans.models import OfficePlan
from servplan.plans.publication import publish_plan
from tests import factories
from tests.browser.checks import DESKTOP, PHONE, assert_fits, log_in_at, new_page, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_published_plan_opens_without_login(browser, live_server, shots, viewport):
    load_shipped_data(sample=True)
    plan = OfficePlan.objects.get(office__name="苗栗區營業處", roc_year=112)
    clerk = factories.user(office=plan.office)
    publish_plan(plan=plan, user=clerk)
    page = new_page(browser, viewport)
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="公開資訊").click()
    page.get_by_role("navigation", name="公開資訊").get_by_role(
        "link", name="執行計畫", exact=True
    ).click()
    page.get_by_role("link", name="苗栗區營業處").click()
    page.get_by_role("heading", name=plan.title).wait_for()
    assert "112 年 3 月 21 日" in page.locator(".facts").inner_text()
    assert_fits(page, "public plan")
    assert not violations(page)
    shots(page, "public-plan")
    with page.expect_download() as download:
        page.get_by_role("link", name="執行計畫 ODT").click()
    assert download.value.suggested_filename == "miaoli-112-plan.odt"
    href = page.get_by_role("link", name="執行計畫 PDF").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.ok and pdf.body().startswith(b"%PDF-")

    staff = log_in_at(browser, live_server, clerk, viewport)
    staff.goto(f"{live_server.url}/plans/{plan.pk}/compare/?against=program")
    staff.get_by_role("heading", name=f"{plan.title}：與總處計畫比較").wait_for()
    assert_fits(staff, "compare")
    assert not violations(staff)
    shots(staff, "compare")
