"""In Chromium: the clerk edits a row of the results summary, then follows its improvement up."""

import re

import pytest
from playwright.sync_api import expect

from servplan.assessments.models import Finding, FollowUp
from servplan.offices.models import Role
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_edit_a_finding_and_add_a_follow_up(browser, live_server, make, shots):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=2, cell_max=10))
    clerk = make.staff(a.office)[Role.CLERK]
    finding = a.findings.order_by("id").first()
    row = f"#finding-{finding.pk}"

    page = log_in(browser, live_server, clerk)
    page.goto(f"{live_server.url}/assessments/{a.pk}/")
    page.locator(f"{row} textarea[name=strengths]").fill("主動關懷弱勢用戶")
    expect(page.locator(f"#fmsg-{finding.pk}")).to_contain_text("已儲存（第 2 版）")
    page.locator(f"{row} textarea[name=recommendation]").fill("加強偏鄉宣導")
    expect(page.locator(f"#fmsg-{finding.pk}")).to_contain_text("已儲存（第 3 版）")
    page.locator(f"{row} select[name=improvement_status]").select_option("in_progress")
    expect(page.locator(f"#fmsg-{finding.pk}")).to_contain_text("已儲存（第 4 版）")
    page.locator("#findings").scroll_into_view_if_needed()
    shots(page, "finding-edited")
    finding.refresh_from_db()
    assert finding.strengths == "主動關懷弱勢用戶"
    assert finding.improvement.recommendation == "加強偏鄉宣導"
    assert finding.improvement.status == "in_progress"

    # A second tab saved from the page it loaded before: refused, showing the newer row.
    stale = page.context.new_page()
    stale.goto(f"{live_server.url}/assessments/{a.pk}/")
    page.locator(f"{row} textarea[name=remarks]").fill("第三季完成")
    expect(page.locator(f"#fmsg-{finding.pk}")).to_contain_text("已儲存（第 5 版）")
    stale.locator(f"{row} textarea[name=strengths]").fill("舊的內容")
    expect(stale.locator(f"#fmsg-{finding.pk}")).to_contain_text("此列已被他人修改")
    expect(stale.locator(f"#fmsg-{finding.pk}")).to_contain_text("第三季完成")
    shots(stale, "finding-stale-refused")
    stale.locator(f"#fmsg-{finding.pk} button").click()
    expect(stale.locator(f"{row} textarea[name=remarks]")).to_have_value("第三季完成")
    assert Finding.objects.get(pk=finding.pk).strengths == "主動關懷弱勢用戶"

    # The follow-up table, from the assessment page.
    page.click("#follow-ups-link")
    page.wait_for_url(re.compile(r".*/follow-ups/$"))
    block = page.locator(f"#improvement-{finding.improvement_id}")
    expect(block).to_contain_text("加強偏鄉宣導")
    block.locator("summary").click()
    block.locator("input[name=roc_year]").fill("114")
    block.locator("select[name=quarter]").select_option("2")
    block.locator("textarea[name=progress]").fill("已辦理偏鄉說明會 3 場\n- 台東市\n- 成功鎮")
    block.locator("select[name=status]").select_option("done")
    block.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已新增追蹤情形")
    block = page.locator(f"#improvement-{finding.improvement_id}")
    expect(block).to_contain_text("114 年第 2 季")
    expect(block).to_contain_text("已完成")
    shots(page, "follow-up-added")
    entry = FollowUp.objects.get()
    assert (entry.roc_year, entry.quarter) == (114, 2)

    # The summary shows the newest progress of the same improvement.
    page.goto(f"{live_server.url}/assessments/{a.pk}/")
    expect(page.locator(row)).to_contain_text("已辦理偏鄉說明會 3 場")
    page.context.close()


def test_a_status_needs_a_recommendation_and_what_is_saved_stays(browser, live_server, make, shots):
    """已完成 on a row without a recommendation answered 已儲存 and was gone after a reload:
    the menu is off until the row has one, and a status chosen then is there after a reload."""
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=1, cell_max=10))
    clerk = make.staff(a.office)[Role.CLERK]
    finding = a.findings.get()
    row = f"#finding-{finding.pk}"
    page = log_in(browser, live_server, clerk)
    page.goto(f"{live_server.url}/assessments/{a.pk}/")
    menu = page.locator(f"{row} select[name=improvement_status]")
    expect(menu).to_be_disabled()
    page.locator(f"{row} textarea[name=strengths]").fill("主動關懷弱勢用戶")
    expect(page.locator(f"#fmsg-{finding.pk}")).to_contain_text("已儲存（第 2 版）")
    page.locator(f"{row} textarea[name=recommendation]").fill("加強偏鄉宣導")
    expect(page.locator(f"#fmsg-{finding.pk}")).to_contain_text("已儲存（第 3 版）")
    expect(menu).to_be_enabled()
    menu.select_option("done")
    expect(page.locator(f"#fmsg-{finding.pk}")).to_contain_text("已儲存（第 4 版）")
    page.reload()
    expect(menu).to_have_value("done")
    shots(page, "status-kept-after-reload")
    page.locator(f"{row} textarea[name=recommendation]").fill("")
    expect(page.locator(f"#fmsg-{finding.pk}")).to_contain_text("已儲存（第 5 版）")
    expect(menu).to_be_disabled()
    assert Finding.objects.get(pk=finding.pk).improvement is None
    page.context.close()
