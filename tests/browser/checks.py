"""Checks run on whole pages by the layout and accessibility browser tests."""

from axe_playwright_python.sync_playwright import Axe

from tests import factories
from tests.factories import PASSWORD

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}

_axe = Axe()


def new_page(browser, viewport=DESKTOP):
    """A page in a fresh context (its own cookies), not logged in."""
    return browser.new_context(locale="zh-TW", viewport=viewport).new_page()


def log_in_at(browser, live_server, user, viewport=DESKTOP):
    """Like helpers.log_in, at `viewport`."""
    page = new_page(browser, viewport)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def violations(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's violations of these impacts on the page, one line per rule and element."""
    results = _axe.run(page, options={"resultTypes": ["violations"]})
    found = []
    for v in results.response["violations"]:
        if v["impact"] in impacts:
            for node in v["nodes"]:
                found.append(
                    f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary']}"
                )
    return found


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when nothing overflows)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


_WIDE = """() => {
  const w = window.innerWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && !(el.parentElement && el.parentElement.closest('.table-scroll'))) {
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} right=${Math.round(r.right)}`);
    }
  }
  return out.slice(0, 8);
}"""


def assert_fits(page, name: str) -> None:
    """Nothing on the page is wider than the window (wide tables scroll in their own box)."""
    over = horizontal_overflow(page)
    assert over == 0, f"{name}: {over} px wider than the window: {page.evaluate(_WIDE)}"


def taitung_with_people():
    """The seed assessment of 台東 (the real rubric and text), every cell filled, and a person
    for every role of its chain plus an HQ reviewer under "hq"."""
    from servplan.assessments.models import Assessment
    from servplan.core.setup import load_shipped_data
    from servplan.offices.models import Role

    load_shipped_data(sample=True)
    a = Assessment.objects.get(
        office__name="台東區營業處", roc_year=114, start_month=1, end_month=6
    )
    factories.fill(a)
    people = factories.staff(a.office)
    people["hq"] = factories.user(role=Role.HQ_REVIEWER)
    return a, people
