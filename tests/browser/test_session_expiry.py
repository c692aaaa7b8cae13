"""In Chromium: a save the server did not store keeps what was typed and says 未儲存, with what
to do; after logging in again (or the connection coming back) the save goes through."""

import re

import pytest
from playwright.sync_api import expect

from servplan.assessments.models import CellScore
from servplan.offices.models import Role
from tests.browser.helpers import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(make):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=2, cell_max=10))
    return a, make.staff(a.office)[Role.CLERK], a.cells.order_by("id").first()


def score_of(cell):
    return CellScore.objects.get(pk=cell.pk).score


def test_an_expired_session_keeps_the_score_and_saves_it_after_logging_in(
    browser, live_server, draft, shots
):
    a, clerk, cell = draft
    path = f"/assessments/{a.pk}/"
    page = log_in(browser, live_server, clerk)
    page.goto(live_server.url + path)
    score = page.locator(f"#cell-{cell.pk} input[name=score]")
    message = page.locator(f"#msg-{cell.pk}")
    score.fill("6")
    expect(message).to_contain_text("已儲存（第 2 版）")

    # The session ends (its cookies with it) while the page stays open.
    page.context.clear_cookies()
    score.fill("7")
    expect(message).to_contain_text("未儲存")
    expect(message).to_contain_text("登入已逾時，輸入的內容尚未儲存。")
    expect(message).not_to_contain_text("已儲存")
    expect(score).to_have_value("7")
    expect(score).to_have_class(re.compile(r"\bunsaved\b"))
    link = message.get_by_role("link", name="重新登入")
    expect(link).to_have_attribute("href", f"/login/?next={path}")
    expect(page.locator("input[name=password]")).to_have_count(0)  # no login page swapped in
    shots(page, "unsaved-session-expired")
    assert float(score_of(cell)) == 6

    # The link leads to the login page and back; the kept score is filled in and sent again.
    link.click()
    page.wait_for_url(re.compile(r".*/login/\?next="))
    page.fill("input[name=username]", clerk.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + path)
    expect(message).to_contain_text("已儲存（第 3 版）")
    expect(score).to_have_value("7")
    expect(score).not_to_have_class(re.compile(r"\bunsaved\b"))
    shots(page, "saved-after-logging-in")
    assert float(score_of(cell)) == 7
    page.context.close()


def test_logging_in_in_another_tab_then_saving_again(browser, live_server, draft, shots):
    a, clerk, cell = draft
    page = log_in(browser, live_server, clerk)
    page.goto(f"{live_server.url}/assessments/{a.pk}/")
    page.context.clear_cookies()
    narrative = page.locator(f"#cell-{cell.pk} textarea[name=narrative]")
    narrative.fill("拜訪大用戶 12 家")
    narrative.blur()
    message = page.locator(f"#msg-{cell.pk}")
    expect(message).to_contain_text("未儲存")

    other = page.context.new_page()
    other.goto(f"{live_server.url}/login/")
    other.fill("input[name=username]", clerk.username)
    other.fill("input[name=password]", PASSWORD)
    other.click("button[type=submit]")
    other.wait_for_url(lambda url: "/login/" not in url)
    other.close()

    # This page's CSRF token is from before the new login; the save sends the current one.
    message.get_by_role("button", name="重新儲存").click()
    expect(message).to_contain_text("已儲存（第 2 版）")
    expect(narrative).to_have_value("拜訪大用戶 12 家")
    shots(page, "saved-after-logging-in-elsewhere")
    assert CellScore.objects.get(pk=cell.pk).narrative == "拜訪大用戶 12 家"
    page.context.close()


def test_a_network_failure_or_server_error_keeps_the_score(browser, live_server, draft, shots):
    a, clerk, cell = draft
    page = log_in(browser, live_server, clerk)
    page.goto(f"{live_server.url}/assessments/{a.pk}/")
    score = page.locator(f"#cell-{cell.pk} input[name=score]")
    message = page.locator(f"#msg-{cell.pk}")
    saves = re.compile(rf".*/assessments/{a.pk}/cells/{cell.pk}/$")

    page.route(saves, lambda route: route.abort())
    score.fill("8")
    expect(message).to_contain_text("未儲存")
    expect(message).to_contain_text("無法連線到伺服器")
    expect(score).to_have_value("8")
    shots(page, "unsaved-network-failure")
    page.unroute(saves)

    page.route(saves, lambda route: route.fulfill(status=502, body="Bad Gateway"))
    score.fill("8.5")
    expect(message).to_contain_text("伺服器發生錯誤（502）")
    expect(message).not_to_contain_text("Bad Gateway")
    expect(score).to_have_value("8.5")
    page.unroute(saves)
    assert score_of(cell) is None

    message.get_by_role("button", name="重新儲存").click()
    expect(message).to_contain_text("已儲存（第 2 版）")
    expect(score).not_to_have_class(re.compile(r"\bunsaved\b"))
    assert float(score_of(cell)) == 8.5
    page.context.close()
