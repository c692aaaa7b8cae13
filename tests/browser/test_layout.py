"""Every role's main pages at 390 px (a phone) and 1366 px: nothing wider than the window,
and the work itself (score, sign, review, release) done at that size. Screenshots in
test-artifacts/<test>/ show each page."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from servplan.assessments.domain import decide, submit_assessment, update_finding
from servplan.offices.models import Role
from servplan.review.domain import review_cell
from tests.browser.checks import (
    DESKTOP,
    PHONE,
    assert_fits,
    log_in_at,
    new_page,
    taitung_with_people,
)
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).parents[1] / "imports" / "fixtures" / "seed-000.txt"
SIZES = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])


@pytest.fixture
def taitung_people(db):
    return taitung_with_people()


def look(page, shots, name: str) -> None:
    assert_fits(page, name)
    shots(page, name)


def assert_wide(page, selector: str, share: float = 0.75) -> None:
    """The first element matching `selector` takes at least `share` of a phone's width."""
    width = page.locator(selector).first.bounding_box()["width"]
    viewport = page.viewport_size["width"]
    if viewport < 600:
        assert width >= share * viewport, f"{selector} is {width:.0f} px of {viewport}"


def assert_on_screen(page, selector: str) -> None:
    """The element's right edge is inside the window (not scrolled away sideways)."""
    box = page.locator(selector).first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], selector


@SIZES
def test_clerk_scores_and_fills_the_summary(browser, live_server, taitung_people, shots, viewport):
    a, people = taitung_people
    first = a.cells.order_by("id").first()
    finding = a.findings.order_by("id").first()
    update_finding(finding=finding, user=people[Role.CLERK], recommendation="加強偏鄉宣導")
    url = f"{live_server.url}/assessments/{a.pk}/"

    page = log_in_at(browser, live_server, people[Role.CLERK], viewport)
    look(page, shots, "home")
    page.goto(f"{live_server.url}/assessments/")
    look(page, shots, "assessment-list")
    page.goto(url)
    score = f"#cell-{first.pk} input[name=score]"
    assert_on_screen(page, score)
    assert_wide(page, f"#cell-{first.pk} textarea[name=narrative]")
    page.locator(score).fill("4.5")
    expect(page.locator(f"#msg-{first.pk}")).to_contain_text("已儲存")
    look(page, shots, "score-sheet-saved")

    row = f"#finding-{finding.pk}"
    for name in ("strengths", "weaknesses", "recommendation", "remarks"):
        assert_wide(page, f"{row} textarea[name={name}]")
    page.locator(f"{row} textarea[name=weaknesses]").fill("偏鄉宣導場次不足")
    expect(page.locator(f"#fmsg-{finding.pk}")).to_contain_text("已儲存")
    page.locator(row).scroll_into_view_if_needed()
    assert_fits(page, "findings")

    page.goto(f"{url}follow-ups/")
    block = f"#improvement-{finding.improvement_id}"
    page.locator(f"{block} summary").click()
    assert_wide(page, f"{block} textarea[name=progress]")
    look(page, shots, "follow-ups")
    page.goto(f"{url}history/")
    look(page, shots, "history")
    page.context.close()


@SIZES
def test_signers_sign_off(browser, live_server, taitung_people, shots, viewport):
    a, people = taitung_people
    url = f"{live_server.url}/assessments/{a.pk}/"
    submit_assessment(assessment=a, user=people[Role.CLERK])

    chief = log_in_at(browser, live_server, people[Role.SECTION_CHIEF], viewport)
    chief.goto(f"{live_server.url}/assessments/")
    look(chief, shots, "chief-list")
    chief.goto(url)
    chief.locator("#signoff").scroll_into_view_if_needed()
    assert_on_screen(chief, "#approve")
    assert_on_screen(chief, "#return")
    look(chief, shots, "chief-signoff-form")
    chief.click("#approve")
    expect(chief.locator(".messages")).to_contain_text("已核可")
    look(chief, shots, "chief-approved")
    chief.context.close()
    decide(assessment=a, user=people[Role.MANAGER], decision="approve")
    decide(assessment=a, user=people[Role.DEPUTY_DIRECTOR], decision="approve")

    director = log_in_at(browser, live_server, people[Role.DIRECTOR], viewport)
    director.goto(url)
    assert_on_screen(director, "#approve")
    director.fill("#signoff textarea[name=comment]", "同意送業務處")
    director.click("#approve")
    expect(director.locator("#locked")).to_contain_text("已鎖定")
    look(director, shots, "director-approved-locked")
    director.context.close()


@SIZES
def test_hq_reviews_and_releases(browser, live_server, taitung_people, shots, viewport):
    a, people = taitung_people
    submit_assessment(assessment=a, user=people[Role.CLERK])
    for role in (Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR, Role.DIRECTOR):
        decide(assessment=a, user=people[role], decision="approve")
    first, *others = a.cells.order_by("id")
    for c in others:
        review_cell(cell_score=c, user=people["hq"], score="5")

    hq = log_in_at(browser, live_server, people["hq"], viewport)
    hq.goto(f"{live_server.url}/review/")
    look(hq, shots, "review-list")
    hq.goto(f"{live_server.url}/review/assessments/{a.pk}/")
    cell = f"#review-{first.pk}"
    assert_on_screen(hq, f"{cell} input[name=review_score]")
    assert_wide(hq, f"{cell} textarea[name=review_comment]")
    hq.locator(f"{cell} input[name=review_score]").fill("4")
    expect(hq.locator(f"#rmsg-{first.pk}")).to_contain_text("已儲存")
    expect(hq.locator(f"#diff-{first.pk}")).to_have_text("-1")
    hq.locator(f"{cell} textarea").fill("座談會紀錄未附")
    hq.locator(f"{cell} textarea").blur()
    expect(hq.locator(f"#rmsg-{first.pk}")).to_contain_text("已儲存")
    look(hq, shots, "review-page")
    hq.click("#mark-reviewed")
    expect(hq.locator(".messages")).to_be_visible()
    hq.goto(f"{live_server.url}/review/")
    hq.click("#release-114-1-6")
    expect(hq.locator("#release-summary")).to_contain_text("1 個已完成複評")
    look(hq, shots, "release-confirmation")
    hq.click("#release-confirm")
    expect(hq.locator(".messages")).to_contain_text("已公布")
    look(hq, shots, "released")
    hq.goto(f"{live_server.url}/assessments/{a.pk}/")
    look(hq, shots, "reviewed-sheet")
    hq.context.close()


@SIZES
def test_admin_pages(browser, live_server, taitung_people, shots, viewport):
    get_user_model().objects.create_superuser("admin", password=PASSWORD)
    page = new_page(browser, viewport)
    page.goto(f"{live_server.url}/login/")
    look(page, shots, "login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(f"{live_server.url}/offices/")
    look(page, shots, "office-list")
    page.goto(f"{live_server.url}/plans/")
    look(page, shots, "plan-list")
    page.locator("table a").first.click()
    page.wait_for_url(re.compile(r".*/plans/\d+/$"))
    look(page, shots, "plan-detail")
    page.goto(f"{live_server.url}/imports/")
    look(page, shots, "imports")
    page.set_input_files("input[name=file]", str(SEED))
    page.click(".import-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/imports/uploads/\d+/$"))
    look(page, shots, "import-preview")
    page.context.close()


@SIZES
def test_hqs_period_pages_over_a_sample(browser, live_server, shots, viewport):
    """HQ's board, comparison, trend and aids over a small sample (every status, copied
    narratives, late submissions): they fit the window and axe finds nothing serious."""
    from servplan.core.sample import generate_sample, office_code, periods_back
    from servplan.core.setup import load_shipped_data
    from tests import factories
    from tests.browser.checks import violations

    load_shipped_data(sample=False)
    generate_sample(offices=4, periods=2, seed=3)
    slug = periods_back(1)[0].slug
    hq = log_in_at(browser, live_server, factories.user(role=Role.HQ_REVIEWER), viewport)
    pages = {
        "board": f"/review/periods/{slug}/",
        "comparison": f"/review/periods/{slug}/comparison/",
        "trend": f"/review/offices/{office_code(1)}/trend/",
        "aids": f"/review/periods/{slug}/aids/",
    }
    for name, path in pages.items():
        hq.goto(live_server.url + path)
        expect(hq.locator("h1")).to_be_visible()
        look(hq, shots, name)
        assert violations(hq) == [], name
    hq.context.close()
