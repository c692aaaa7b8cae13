"""The whole path in a real headless Chromium: fill, refuse, submit, return, fix, approve, review."""

import pytest
from playwright.sync_api import expect

from servplan.assessments.models import Status
from servplan.offices.models import Role
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_whole_path(browser, live_server, make, shots):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=2, cell_max=10))
    people = make.staff(a.office)
    hq = make.user(role=Role.HQ_REVIEWER)
    first, second = a.cells.order_by("id")
    url = f"{live_server.url}/assessments/{a.pk}/"

    # The clerk fills two cells; a score above the maximum is refused.
    page = log_in(browser, live_server, people[Role.CLERK])
    page.goto(url)
    page.locator(f"#cell-{first.pk} input[name=score]").fill("11")
    expect(page.locator(f"#msg-{first.pk}")).to_contain_text(
        "構面1／項目1：分數 11 超過最高分 10 分"
    )
    shots(page, "clerk-refused-over-maximum")
    page.locator(f"#cell-{first.pk} textarea").fill("1. 拜訪大用戶 12 家\n- 座談會 2 場")
    page.locator(f"#cell-{first.pk} input[name=score]").fill("9")
    expect(page.locator(f"#msg-{first.pk}")).to_contain_text("已儲存")
    page.locator(f"#cell-{second.pk} textarea").fill("1. 線上申辦案件增加三成")
    page.locator(f"#cell-{second.pk} input[name=score]").fill("7.5")
    expect(page.locator(f"#msg-{second.pk}")).to_contain_text("已儲存")
    expect(page.locator("#subtotal-" + str(first.cell.dimension_id))).to_have_text("16.5")
    expect(page.locator("#total-score")).to_have_text("16.5")
    shots(page, "clerk-filled-two-cells")
    page.reload()
    expect(page.locator("#checks")).to_contain_text("沒有發現問題")
    page.click("#submit")
    expect(page.locator("#status")).to_have_text("核章中")
    shots(page, "clerk-submitted")

    # The section chief returns it with a comment.
    chief = log_in(browser, live_server, people[Role.SECTION_CHIEF])
    chief.goto(url)
    chief.fill("#signoff textarea[name=comment]", "項目2 請補充佐證資料")
    chief.click("#return")
    expect(chief.locator("#status")).to_have_text("草稿")
    shots(chief, "chief-returned")
    chief.context.close()

    # The clerk sees why, fixes the cell and submits again.
    page.goto(url)
    expect(page.locator("#returned")).to_contain_text("項目2 請補充佐證資料")
    page.locator(f"#cell-{second.pk} textarea").fill("1. 線上申辦案件增加三成\n2. 附件：統計表")
    page.locator(f"#cell-{second.pk} input[name=score]").fill("8")
    expect(page.locator(f"#msg-{second.pk}")).to_contain_text("已儲存")
    expect(page.locator("#total-score")).to_have_text("17")
    shots(page, "clerk-fixed")
    page.click("#submit")
    expect(page.locator("#status")).to_have_text("核章中")

    # The chain approves to the director.
    for role in (Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR, Role.DIRECTOR):
        signer = log_in(browser, live_server, people[role])
        signer.goto(url)
        signer.click("#approve")
        expect(signer.locator(".messages")).to_contain_text("已核可")
        shots(signer, f"{role.value}-approved")
        if role != Role.DIRECTOR:
            signer.context.close()
    expect(signer.locator("#locked")).to_contain_text("已鎖定")
    expect(signer.locator("#status")).to_have_text("已送業務處")
    signer.context.close()
    page.goto(url)
    expect(page.locator("#locked")).to_be_visible()
    expect(page.locator("input[name=score]")).to_have_count(0)
    shots(page, "clerk-sees-it-locked")

    # The HQ reviewer reviews it and releases the period.
    reviewer = log_in(browser, live_server, hq)
    reviewer.goto(f"{live_server.url}/review/assessments/{a.pk}/")
    reviewer.locator(f"#review-{first.pk} input[name=review_score]").fill("8")
    expect(reviewer.locator(f"#rmsg-{first.pk}")).to_contain_text("已儲存")
    expect(reviewer.locator(f"#diff-{first.pk}")).to_have_text("-1")
    reviewer.locator(f"#review-{first.pk} textarea").fill("座談會紀錄未附")
    reviewer.locator(f"#review-{first.pk} textarea").blur()
    reviewer.locator(f"#review-{second.pk} input[name=review_score]").fill("8")
    expect(reviewer.locator(f"#rmsg-{second.pk}")).to_contain_text("已儲存")
    expect(reviewer.locator("#review-total")).to_have_text("16")
    shots(reviewer, "hq-review-side-by-side")
    reviewer.click("#mark-reviewed")
    reviewer.click("#release-114-1-6")
    # Releasing asks first, saying how far the period's review is.
    expect(reviewer.locator("#release-summary")).to_contain_text("1 個已完成複評")
    shots(reviewer, "hq-release-confirmation")
    reviewer.click("#release-confirm")
    expect(reviewer.locator(".messages")).to_contain_text("已公布")
    shots(reviewer, "hq-reviewed-and-released")
    reviewer.context.close()
    a.refresh_from_db()
    assert a.status == Status.REVIEWED

    page.goto(url)
    expect(page.locator(".review-comment")).to_contain_text("座談會紀錄未附")
    shots(page, "office-sees-review")
    page.context.close()
