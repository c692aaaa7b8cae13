"""axe-core on every page and state, for every role: no serious or critical violation.

Each test walks one role's pages and gathers what axe finds, so a failure lists every page
at once.
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from servplan.assessments.domain import decide, submit_assessment, update_finding
from servplan.offices.domain import find_office
from servplan.offices.models import Role
from servplan.plans.domain import start_plan
from servplan.review.domain import review_cell
from tests import factories
from tests.browser.checks import (
    DESKTOP,
    PHONE,
    log_in_at,
    new_page,
    taitung_with_people,
    violations,
)
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).parents[1] / "imports" / "fixtures" / "seed-000.txt"


class Audit:
    """Runs axe on a page under a name and keeps what it found."""

    def __init__(self, shots):
        self.shots = shots
        self.found: dict[str, list[str]] = {}

    def __call__(self, page, name: str) -> None:
        page.wait_for_load_state("load")
        found = violations(page)
        for lesser in violations(page, impacts=("minor", "moderate")):
            print(f"{name}: {lesser}")  # shown with -s; not a failure
        if found:
            self.found[name] = found
            self.shots(page, name)

    def assert_clean(self) -> None:
        report = "\n".join(f"{name}:\n  " + "\n  ".join(v) for name, v in self.found.items())
        assert not self.found, f"serious or critical axe violations:\n{report}"


@pytest.fixture
def audit(shots):
    return Audit(shots)


@pytest.fixture
def taitung_people(db):
    return taitung_with_people()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_pages_before_logging_in(browser, live_server, audit, viewport):
    page = new_page(browser, viewport)
    page.goto(f"{live_server.url}/login/")
    audit(page, "login")
    page.fill("input[name=username]", "nobody")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_be_visible()
    audit(page, "login-refused")
    page.goto(f"{live_server.url}/admin/login/")
    audit(page, "admin-login")
    page.context.close()
    audit.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_clerk_pages(browser, live_server, taitung_people, audit, viewport, tmp_path):
    a, people = taitung_people
    first = a.cells.order_by("id").first()
    finding = a.findings.order_by("id").first()
    update_finding(finding=finding, user=people[Role.CLERK], recommendation="加強偏鄉宣導")
    url = f"{live_server.url}/assessments/{a.pk}/"

    page = log_in_at(browser, live_server, people[Role.CLERK], viewport)
    page.goto(f"{live_server.url}/")
    audit(page, "home")
    page.goto(f"{live_server.url}/assessments/")
    audit(page, "assessment-list")
    page.locator("details.new-assessment summary").click()
    audit(page, "assessment-list-new-open")
    page.goto(url)
    audit(page, "detail-draft")
    page.locator(f"#cell-{first.pk} input[name=score]").fill("999")
    expect(page.locator(f"#msg-{first.pk} .error")).to_be_visible()
    audit(page, "detail-draft-score-refused")
    page.locator(f"#cell-{first.pk} input[name=score]").fill("5")
    expect(page.locator(f"#msg-{first.pk}")).to_contain_text("已儲存")
    page.locator(f"#finding-{finding.pk} textarea[name=strengths]").fill("主動關懷弱勢用戶")
    expect(page.locator(f"#fmsg-{finding.pk}")).to_contain_text("已儲存")
    audit(page, "detail-draft-saved")
    page.goto(f"{url}follow-ups/")
    audit(page, "follow-ups")
    page.locator(f"#improvement-{finding.improvement_id} summary").click()
    audit(page, "follow-ups-form-open")
    page.goto(f"{url}history/")
    audit(page, "history")
    page.goto(f"{live_server.url}/offices/")
    audit(page, "office-list")
    page.goto(f"{live_server.url}/imports/")
    audit(page, "import-upload")
    page.set_input_files("input[name=file]", str(SEED))
    page.click(".import-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/imports/uploads/\d+/$"))
    audit(page, "import-preview")
    page.context.close()

    # 苗栗's clerk has the sample plan.
    page = log_in_at(browser, live_server, factories.user(office=find_office("苗栗")), viewport)
    page.goto(f"{live_server.url}/plans/")
    audit(page, "plan-list")
    page.locator("table a").first.click()
    page.wait_for_url(re.compile(r".*/plans/\d+/$"))
    audit(page, "plan-detail")
    # The next year's draft, as its editor: the real program's tree, its forms opened.
    draft = start_plan(office=find_office("苗栗"), roc_year=113, start_from="last-year")
    first = draft.outline.facets.first().strategies.first().measures.first().practices.first()
    page.goto(f"{live_server.url}/plans/{draft.pk}/")
    audit(page, "plan-editor")
    page.locator(f"#na-{first.pk} summary").click()
    page.locator(f"#mark-na-{first.pk}").click()
    expect(page.locator(f"#namsg-{first.pk} .error")).to_be_visible()
    page.locator(f"#period-{first.pk}").fill("")
    expect(page.locator("#plan-checks li.error").first).to_be_visible()
    page.locator(f"#measure-{first.measure_id} details.add-practice summary").click()
    page.locator(f"#facet-{first.measure.strategy.facet_id} details.add-strategy summary").click()
    audit(page, "plan-editor-forms-open")
    page.context.close()

    # A returned assessment, as the clerk sees it again.
    submit_assessment(assessment=a, user=people[Role.CLERK])
    page = log_in_at(browser, live_server, people[Role.CLERK], viewport)
    page.goto(url)
    audit(page, "detail-in-signoff-clerk")
    decide(
        assessment=a, user=people[Role.SECTION_CHIEF], decision="return", comment="請補充佐證資料"
    )
    page.goto(url)
    expect(page.locator("#returned")).to_be_visible()
    audit(page, "detail-returned")
    page.context.close()
    audit.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_signer_and_hq_pages(browser, live_server, taitung_people, audit, viewport):
    a, people = taitung_people
    first = a.cells.order_by("id").first()
    url = f"{live_server.url}/assessments/{a.pk}/"
    submit_assessment(assessment=a, user=people[Role.CLERK])

    chief = log_in_at(browser, live_server, people[Role.SECTION_CHIEF], viewport)
    chief.goto(f"{live_server.url}/assessments/")
    audit(chief, "signer-list")
    chief.goto(url)
    audit(chief, "detail-in-signoff-signer")
    chief.context.close()
    for role in (Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR, Role.DIRECTOR):
        decide(assessment=a, user=people[role], decision="approve")

    director = log_in_at(browser, live_server, people[Role.DIRECTOR], viewport)
    director.goto(url)
    audit(director, "detail-submitted")
    director.goto(f"{url}history/")
    audit(director, "history-signed")
    director.context.close()

    hq = log_in_at(browser, live_server, people["hq"], viewport)
    hq.goto(f"{live_server.url}/review/")
    audit(hq, "review-list")
    hq.goto(url)
    audit(hq, "detail-submitted-hq")
    hq.goto(f"{live_server.url}/review/assessments/{a.pk}/")
    audit(hq, "review-editable")
    hq.locator(f"#review-{first.pk} input[name=review_score]").fill("999")
    expect(hq.locator(f"#rmsg-{first.pk} .error")).to_be_visible()
    audit(hq, "review-refused")
    hq.locator(f"#review-{first.pk} input[name=review_score]").fill("4")
    expect(hq.locator(f"#rmsg-{first.pk}")).to_contain_text("已儲存")
    audit(hq, "review-saved")
    hq.click("#mark-reviewed")
    hq.wait_for_load_state("load")
    audit(hq, "review-missing-cells")
    for cell in a.cells.exclude(pk=first.pk):
        review_cell(cell_score=cell, user=people["hq"], score="1")
    hq.goto(f"{live_server.url}/review/assessments/{a.pk}/")
    hq.click("#mark-reviewed")
    hq.wait_for_load_state("load")
    audit(hq, "review-reviewed")
    hq.goto(f"{live_server.url}/review/")
    hq.click("button[id^=release-]")
    hq.wait_for_load_state("load")
    audit(hq, "release-confirmation")
    hq.click("#release-confirm")
    hq.wait_for_load_state("load")
    audit(hq, "review-list-released")
    hq.goto(url)
    audit(hq, "detail-reviewed-hq")
    hq.context.close()

    clerk = log_in_at(browser, live_server, people[Role.CLERK], viewport)
    clerk.goto(url)
    audit(clerk, "detail-reviewed-office")
    clerk.context.close()
    audit.assert_clean()


def test_admin_pages(browser, live_server, sample, audit):
    admin = get_user_model().objects.create_superuser("admin", password=PASSWORD)
    page = new_page(browser)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", admin.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
    audit(page, "admin-index")
    page.goto(f"{live_server.url}/offices/")
    audit(page, "admin-office-list")
    page.goto(f"{live_server.url}/imports/")
    audit(page, "admin-imports")
    page.goto(f"{live_server.url}/assessments/")
    audit(page, "admin-assessment-list")
    page.context.close()
    audit.assert_clean()


def test_keyboard_skips_to_the_sheet_and_reaches_the_first_score_soon(
    browser, live_server, taitung_people
):
    a, people = taitung_people
    first = a.cells.order_by("id").first()
    page = log_in_at(browser, live_server, people[Role.CLERK])
    page.goto(f"{live_server.url}/assessments/{a.pk}/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("跳到主要內容")
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.reload()
    score = page.locator(f"#cell-{first.pk} input[name=score]")
    stops = 0
    while stops < 40 and not score.evaluate("el => el === document.activeElement"):
        page.keyboard.press("Tab")
        stops += 1
    assert stops <= 20, f"{stops} tab stops before the first score"
    page.context.close()
