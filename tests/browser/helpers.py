"""Shared steps of the browser tests."""

from tests.factories import PASSWORD


def log_in(browser, live_server, user):
    """A new page in its own context, logged in as `user` through the login form."""
    page = browser.new_context(locale="zh-TW", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    return page
