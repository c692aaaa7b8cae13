"""/api/docs: the OpenAPI schema rendered by Swagger UI from our own static files, under the
site's Content-Security-Policy, with nothing fetched from elsewhere (offices run offline)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_offline_under_the_csp(browser, live_server, shots):
    page = browser.new_context(locale="zh-TW").new_page()
    errors, failed, foreign = [], [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("request", lambda r: not r.url.startswith(live_server.url) and foreign.append(r.url))
    response = page.goto(f"{live_server.url}/api/docs")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_text("/api/assessments/", exact=True).first.wait_for(timeout=15_000)
    assert page.locator(".opblock").count() > 10
    shots(page, "api-docs")
    assert errors == [], errors
    assert failed == [], failed
    assert foreign == [], foreign
