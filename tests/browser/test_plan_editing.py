"""In Chromium: the clerk edits the draft plan inline, adds a practice, marks one of HQ's
不適用, and the pre-submit check follows each save."""

import re

import pytest
from playwright.sync_api import expect

from servplan.programs.models import Practice
from tests.browser.checks import DESKTOP, PHONE, assert_fits, log_in_at
from tests.browser.helpers import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def practices_of(plan):
    return list(
        Practice.objects.filter(measure__strategy__facet__outline=plan.outline).order_by(
            "measure__position", "position"
        )
    )


def test_edit_add_and_mark_not_applicable(browser, live_server, make, shots):
    plan = make.plan(practices=3)
    clerk = make.user(office=plan.office)
    first, second, third = practices_of(plan)
    checks = "#plan-checks"

    page = log_in(browser, live_server, clerk)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(page.locator(checks)).to_contain_text("沒有發現問題")

    # 計畫目標 and one practice's text, period and departments, each saved as typed
    page.locator("#section-input-goals").fill("提升服務效能，落實便民服務")
    expect(page.locator("#section-msg-goals")).to_contain_text("已儲存（第 2 版）")
    page.locator(f"#text-{first.pk}").fill("訂定申辦業務標準作業流程並公告")
    expect(page.locator(f"#pmsg-{first.pk}")).to_contain_text("已儲存（第 2 版）")
    page.locator(f"#period-{first.pk}").fill("6 月、12 月")
    expect(page.locator(f"#pmsg-{first.pk}")).to_contain_text("已儲存（第 3 版）")
    page.locator(f"#depts-{first.pk} input[value=人資組]").check()
    expect(page.locator(f"#pmsg-{first.pk}")).to_contain_text("已儲存（第 4 版）")
    page.locator(f"#dept-up-{first.pk}-{_department(first, '人資組')}").click()
    expect(page.locator(f"#pmsg-{first.pk}")).to_contain_text("已儲存（第 5 版）")
    expect(page.locator(f"#depts-{first.pk} .chosen").first).to_contain_text("1. 人資組")
    first.refresh_from_db()
    assert first.text == "訂定申辦業務標準作業流程並公告" and first.period == "6 月、12 月"
    assert [d.department.name for d in first.department_links.order_by("position")] == [
        "人資組",
        "業務組",
    ]

    # a practice without a period: the check panel says so at once, and links to it
    page.locator(f"#period-{third.pk}").fill("")
    expect(page.locator(f"#pmsg-{third.pk}")).to_contain_text("已儲存")
    error = page.locator(f"{checks} li.error a[href='#practice-{third.pk}']")
    expect(error).to_contain_text("尚未填執行期間")
    shots(page, "check-panel-error")

    # HQ's practice marked 不適用 with a reason: the error is gone
    row = page.locator(f"#practice-{third.pk}")
    row.locator("details.mark-not-applicable summary").click()
    row.locator(f"#mark-na-{third.pk}").click()
    expect(page.locator(f"#namsg-{third.pk}")).to_contain_text("不適用理由不可空白")
    page.locator(f"#reason-{third.pk}").fill("本處轄區無此類用戶")
    page.locator(f"#mark-na-{third.pk}").click()
    expect(page.locator(f"#practice-{third.pk}")).to_have_class("practice not-applicable")
    expect(page.locator(f"#practice-{third.pk}")).to_contain_text("本處轄區無此類用戶")
    expect(page.locator(checks)).to_contain_text("沒有發現問題")
    shots(page, "not-applicable")

    # the office's own practice, added under the sub-strategy
    measure = page.locator(f"#measure-{first.measure_id}")
    measure.locator("details.add-practice summary").click()
    measure.locator(f"#new-text-{first.measure_id}").fill("辦理用戶座談會")
    measure.locator(".add-form input[name=departments][value=總務組]").check()
    measure.locator(f"#new-period-{first.measure_id}").fill("每季")
    measure.locator("button[type=submit]").click()
    expect(page.locator(f"#measure-{first.measure_id} tr.practice")).to_have_count(4)
    added = Practice.objects.get(text="辦理用戶座談會")
    expect(page.locator(f"#text-{added.pk}")).to_be_focused()
    expect(page.locator(f"#practice-{added.pk}")).to_contain_text("本處自訂")
    assert added.number == 4 and added.period == "每季" and not added.from_hq
    shots(page, "practice-added")

    # the same practice text twice: a warning, not an error
    page.locator(f"#text-{added.pk}").fill(second.text)
    expect(page.locator(f"#pmsg-{added.pk}")).to_contain_text("已儲存")
    expect(page.locator(f"{checks} li.warning")).to_contain_text("請確認是否重複")

    # after a reload everything is as saved
    page.reload()
    expect(page.locator("#section-input-goals")).to_have_value("提升服務效能，落實便民服務")
    expect(page.locator(f"#period-{first.pk}")).to_have_value("6 月、12 月")
    expect(page.locator(f"#practice-{third.pk}")).to_contain_text("本處轄區無此類用戶")
    page.context.close()


def test_a_stale_practice_save_shows_the_newer_values(browser, live_server, make, shots):
    plan = make.plan(practices=2)
    clerk = make.user(office=plan.office)
    first = practices_of(plan)[0]
    page = log_in(browser, live_server, clerk)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    stale = page.context.new_page()
    stale.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.locator(f"#period-{first.pk}").fill("每季")
    expect(page.locator(f"#pmsg-{first.pk}")).to_contain_text("已儲存（第 2 版）")
    stale.locator(f"#period-{first.pk}").fill("每年 1 次")
    expect(stale.locator(f"#pmsg-{first.pk}")).to_contain_text("已被他人修改")
    expect(stale.locator(f"#pmsg-{first.pk}")).to_contain_text("執行期間 每季")
    shots(stale, "practice-stale-refused")
    stale.locator(f"#pmsg-{first.pk} button").click()
    expect(stale.locator(f"#period-{first.pk}")).to_have_value("每季")
    first.refresh_from_db()
    assert first.period == "每季"
    page.context.close()


def _department(practice, name):
    from servplan.offices.models import Department

    return Department.objects.get(name=name).pk


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_the_editor_and_the_start_page_fit_the_window(browser, live_server, make, shots, viewport):
    plan = make.plan(facets=2, practices=2)
    first = practices_of(plan)[0]
    page = log_in_at(browser, live_server, make.user(office=plan.office), viewport)
    page.goto(f"{live_server.url}/plans/")
    page.click("#plan-new-link")
    assert_fits(page, "plan-new")
    shots(page, "plan-new")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.locator(f"#na-{first.pk} summary").click()
    page.locator(f"#measure-{first.measure_id} details.add-practice summary").click()
    page.locator(f"#period-{first.pk}").fill("每季")
    expect(page.locator(f"#pmsg-{first.pk}")).to_contain_text("已儲存")
    assert_fits(page, "plan-editor")
    shots(page, "plan-editor")
    page.context.close()


def test_an_expired_session_keeps_the_departments_and_saves_them_after_logging_in(
    browser, live_server, make, shots
):
    """The row is kept as it was: which boxes were checked (several share a name), with the
    version it was typed on; after logging in it is filled in and sent again."""
    plan = make.plan(practices=2)
    clerk = make.user(office=plan.office)
    first = practices_of(plan)[0]
    path = f"/plans/{plan.pk}/"
    page = log_in(browser, live_server, clerk)
    page.goto(live_server.url + path)
    message = page.locator(f"#pmsg-{first.pk}")
    page.context.clear_cookies()
    page.locator(f"#depts-{first.pk} input[value=總務組]").check()
    page.locator(f"#depts-{first.pk} input[value=業務組]").uncheck()
    expect(message).to_contain_text("未儲存")
    expect(message).to_contain_text("登入已逾時")
    shots(page, "departments-unsaved")
    assert [d.department.name for d in first.department_links.all()] == ["業務組"]

    message.get_by_role("link", name="重新登入").click()
    page.wait_for_url(re.compile(r".*/login/\?next="))
    page.fill("input[name=username]", clerk.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + path)
    expect(message).to_contain_text("已儲存（第 2 版）")
    expect(page.locator(f"#depts-{first.pk} input[value=總務組]")).to_be_checked()
    expect(page.locator(f"#depts-{first.pk} input[value=業務組]")).not_to_be_checked()
    assert [d.department.name for d in first.department_links.all()] == ["總務組"]
    page.context.close()


def test_the_keyboard_edits_a_practices_departments(browser, live_server, make):
    plan = make.plan(practices=1)
    first = practices_of(plan)[0]
    page = log_in(browser, live_server, make.user(office=plan.office))
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.locator(f"#text-{first.pk}").focus()
    box = page.locator(f"#depts-{first.pk} input[value=總務組]")
    stops = 0
    while stops < 10 and not box.evaluate("el => el === document.activeElement"):
        page.keyboard.press("Tab")
        stops += 1
    assert stops < 10, "Tab never reached the department boxes"
    page.keyboard.press("Space")
    message = page.locator(f"#pmsg-{first.pk}")
    expect(message).to_contain_text("已儲存（第 2 版）")
    expect(page.locator(f"#depts-{first.pk} .chosen").nth(1)).to_contain_text("2. 總務組")
    up = page.locator(f"#depts-{first.pk} button", has_text="上移")
    up.focus()
    page.keyboard.press("Enter")
    expect(message).to_contain_text("已儲存（第 3 版）")
    expect(page.locator(f"#depts-{first.pk} .chosen").first).to_contain_text("1. 總務組")
    expect(page.locator(f"#depts-{first.pk} input[value=總務組]")).to_be_focused()
    page.context.close()
