"""The public site searched like a visitor would, on a phone and a desktop, on SQLite and
PostgreSQL (the database's trigram index is what is tested): the 苗栗 112 plan and the 台東
114 年度 1 月至 6 月 results published, 「電子帳單」, 「無障礙」 and 「帳單」 find the right ones with
the matches highlighted; axe-core on every public page. Screenshots in test-artifacts/<test>/."""

import pytest

from servplan.core.setup import load_shipped_data
from servplan.offices.models import Role
from servplan.plans.models import OfficePlan
from servplan.plans.publication import publish_plan
from servplan.public.domain import publish_results
from tests import factories
from tests.browser.checks import DESKTOP, PHONE, assert_fits, new_page, violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.both_databases,
    pytest.mark.django_db(transaction=True),
]


def publish_the_seeds():
    from servplan.assessments.models import Assessment

    load_shipped_data(sample=True)
    plan = OfficePlan.objects.get(office__name="苗栗區營業處", roc_year=112)
    publish_plan(plan=plan, user=factories.user(office=plan.office))
    taitung = Assessment.objects.get(
        office__name="台東區營業處", roc_year=114, start_month=1, end_month=6
    )
    hq = factories.user(role=Role.HQ_REVIEWER)
    factories.released(taitung, hq, fill_cells=False)
    publish_results(assessment=taitung, user=hq)
    return plan, taitung


def checked(page, name: str, shots) -> None:
    """Nothing wider than the window, no serious or critical axe violation; a screenshot."""
    assert_fits(page, name)
    found = violations(page)
    assert not found, f"{name}: {found}"
    shots(page, name)


def search_for(page, text: str) -> list[dict]:
    """Type `text` in the search box and press Enter (no mouse): each hit's kind, office,
    link and highlighted words."""
    box = page.get_by_label("搜尋字詞")
    box.fill(text)
    box.press("Enter")
    page.get_by_role("heading", name="搜尋結果").wait_for()
    hits = []
    for item in page.locator("ol.hits > li").all():
        hits.append(
            {
                "meta": item.locator(".meta").inner_text(),
                "link": item.get_by_role("link").inner_text(),
                "href": item.get_by_role("link").get_attribute("href"),
                "marks": item.locator("mark").all_inner_texts(),
            }
        )
    return hits


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_visitors_search_the_published_plan_and_results(browser, live_server, shots, viewport):
    plan, taitung = publish_the_seeds()
    page = new_page(browser, viewport)
    page.goto(f"{live_server.url}/public/")
    page.get_by_role("heading", name="提升服務效能執行計畫公開資訊").wait_for()
    checked(page, "index", shots)
    page.get_by_role("navigation", name="公開資訊").get_by_role("link", name="搜尋").click()
    page.get_by_role("heading", name="搜尋公開資訊").wait_for()
    checked(page, "search-empty", shots)

    hits = search_for(page, "電子帳單")
    assert {h["link"] for h in hits} == {
        plan.title,
        f"台東區營業處 {taitung.period}提升服務效能執行計畫自行考核結果",
    }
    assert all(h["marks"] and set(h["marks"]) == {"電子帳單"} for h in hits)
    checked(page, "search-e-bill", shots)

    hits = search_for(page, "無障礙")
    assert hits and {h["link"] for h in hits} == {plan.title}
    assert all("無障礙" in h["marks"] for h in hits)
    checked(page, "search-accessible", shots)

    hits = search_for(page, "帳單")  # two characters: below the trigram's three
    kinds = {h["meta"].split("・")[0] for h in hits}
    assert kinds == {"執行計畫", "考核結果"}
    assert all(set(h["marks"]) == {"帳單"} for h in hits)
    page.get_by_label("類別").select_option("results")
    page.get_by_label("搜尋字詞").press("Enter")
    page.get_by_role("heading", name="搜尋結果").wait_for()
    assert set(page.locator("ol.hits .kind").all_inner_texts()) == {"考核結果"}
    checked(page, "search-bill-results", shots)

    page.locator("ol.hits > li").first.get_by_role("link").click()
    page.get_by_role(
        "heading", name=f"台東區營業處 {taitung.period}提升服務效能執行計畫自行考核結果"
    ).wait_for()
    assert "#cell-" in page.url
    checked(page, "results", shots)
    href = page.get_by_role("link", name="資料 CSV").get_attribute("href")
    csv = page.request.get(f"{live_server.url}{href}")
    assert csv.ok and "複評" in csv.text()

    page.get_by_role("navigation", name="公開資訊").get_by_role("link", name="開放資料").click()
    page.get_by_role("heading", name="開放資料", exact=True).wait_for()
    checked(page, "datasets", shots)
    page.get_by_role("navigation", name="公開資訊").get_by_role(
        "link", name="執行計畫", exact=True
    ).click()
    checked(page, "plans", shots)
    page.get_by_role("link", name="苗栗區營業處").click()
    page.get_by_role("heading", name=plan.title).wait_for()
    checked(page, "plan", shots)
    catalogue = page.request.get(f"{live_server.url}/api/public/datasets/").json()
    assert len(catalogue["items"]) == 2 + 5
