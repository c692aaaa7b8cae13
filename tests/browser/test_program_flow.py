"""HQ publishes 115's program from 114's in headless Chromium; a clerk whose plan started from
it sees the next version's notice and what changed."""

import re

import pytest
from playwright.sync_api import expect

from servplan.core.setup import load_shipped_data
from servplan.offices.domain import find_office
from servplan.offices.models import Role
from servplan.plans.domain import start_plan
from servplan.programs.lookups import hq_program
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hq_publishes_115_from_114_and_offices_see_the_next_version(
    browser, live_server, make, shots
):
    load_shipped_data(sample=False)
    hq = log_in(browser, live_server, make.user(role=Role.HQ_REVIEWER))
    hq.click("nav >> text=總處計畫")
    hq.click("text=由前一年度計畫建立新年度計畫")
    hq.fill("input[name=letter_number]", "電業字第1150001234號")
    hq.fill("input[name=issued_on]", "115 年 2 月 10 日")
    shots(hq, "new-program")
    hq.click("text=建立草稿")
    hq.wait_for_url(re.compile(r".*/hq/programs/\d+/$"))
    expect(hq.locator(".messages")).to_contain_text("已建立115年度提升服務效能執行計畫")

    first = hq.locator("ol.practices > li").first
    first.locator("textarea[name=text]").fill("訂定申辦業務標準作業流程（115 年修訂）。")
    first.locator("input[value=總務組]").check()
    first.locator("button:text('儲存')").click()
    expect(hq.locator("ol.practices > li").first.locator("textarea[name=text]")).to_have_value(
        "訂定申辦業務標準作業流程（115 年修訂）。"
    )
    shots(hq, "draft-edited")
    hq.click("section.publish button")
    expect(hq.locator(".messages")).to_contain_text("已發布115年度提升服務效能執行計畫")
    v1 = hq_program(115)
    assert v1.version == 1 and v1.letter_number == "電業字第1150001234號"

    taitung = find_office("台東")
    clerk_user = make.user(office=taitung)
    plan = start_plan(office=taitung, roc_year=115, user=clerk_user)
    assert plan.program == v1

    # A second version, published with its reason.
    hq.click("text=建立新版本（草稿）")
    hq.wait_for_url(re.compile(r".*/hq/programs/\d+/$"))
    measure = hq.locator(".measure").first
    measure.locator("summary:text('新增具體作法')").click()
    measure.locator(".add-node textarea[name=text]").fill("提供線上預約臨櫃服務。")
    measure.locator(".add-node input[name=period]").fill("1~12 月")
    measure.locator(".add-node button:text('新增')").click()
    hq.fill("textarea[name=reason]", "增列線上預約臨櫃服務")
    hq.click("section.publish button")
    expect(hq.locator(".messages")).to_contain_text("第 2 版")

    clerk = log_in(browser, live_server, clerk_user)
    clerk.goto(f"{live_server.url}/plans/{plan.pk}/")
    notice = clerk.locator(".newer-program")
    expect(notice).to_contain_text("115年度提升服務效能執行計畫（第 2 版）")
    shots(clerk, "plan-notice")
    notice.locator("a").click()
    expect(clerk.locator("main")).to_contain_text("增列線上預約臨櫃服務")
    expect(clerk.locator("table.changes")).to_contain_text("提供線上預約臨櫃服務。")
    shots(clerk, "changes")
