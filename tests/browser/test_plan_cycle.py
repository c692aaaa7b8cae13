"""The yearly plan cycle in Chromium, as issue 11 walks it: HQ publishes 115's program from
114's; 台東's clerk starts the 115 plan from last year's, edits a practice, adds one, marks an
HQ item 不適用, is stopped once by the pre-submit check, fixes it and submits; the chain
approves; the PDF says 「…陳准實施」 with that date; the published plan opens without login."""

import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from servplan.core.roc import to_roc_year
from servplan.core.setup import load_shipped_data
from servplan.offices.domain import find_office
from servplan.offices.models import Role
from servplan.plans.domain import sign_plan, start_plan, submit_plan
from servplan.plans.models import OfficePlan, PlanStatus
from servplan.programs.models import Practice
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGNERS = [Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR, Role.DIRECTOR]


def practices_of(plan):
    return list(
        Practice.objects.filter(measure__strategy__facet__outline=plan.outline).order_by(
            "measure__strategy__facet__position",
            "measure__strategy__position",
            "measure__position",
            "position",
        )
    )


def approved_114_plan(office, people):
    """台東's 114 plan, started from HQ's 114 program and approved by its chain."""
    plan = start_plan(office=office, roc_year=114, user=people[Role.CLERK])
    submit_plan(plan=plan, user=people[Role.CLERK])
    for role in SIGNERS:
        sign_plan(plan=plan, user=people[role], decision="approve")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    return plan


def test_the_plan_cycle(browser, live_server, make, shots):
    load_shipped_data(sample=False)
    taitung = find_office("台東")
    people = make.staff(taitung)
    last_year = approved_114_plan(taitung, people)

    # HQ starts 115's program from 114's and publishes it.
    hq = log_in(browser, live_server, make.user(role=Role.HQ_REVIEWER))
    hq.click("nav >> text=總處計畫")
    hq.click("text=由前一年度計畫建立新年度計畫")
    hq.fill("input[name=letter_number]", "電業字第1150001234號")
    hq.fill("input[name=issued_on]", "115 年 2 月 10 日")
    hq.click("text=建立草稿")
    hq.wait_for_url(re.compile(r".*/hq/programs/\d+/$"))
    hq.click("section.publish button")
    expect(hq.locator(".messages")).to_contain_text("已發布115年度提升服務效能執行計畫")
    shots(hq, "hq-published-115")
    hq.context.close()

    # The clerk starts 115's plan from last year's.
    page = log_in(browser, live_server, people[Role.CLERK])
    page.goto(f"{live_server.url}/plans/new/")
    page.fill("#roc_year", "115")
    page.check("input[name=start_from][value=last-year]")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/plans/\d+/$"))
    plan = OfficePlan.objects.get(office=taitung, roc_year=115)
    first, second, *rest = practices_of(plan)
    assert len(practices_of(plan)) == len(practices_of(last_year))
    shots(page, "clerk-started-115")

    # edits a practice, adds one of the office's own, marks one of HQ's 不適用
    page.locator(f"#text-{first.pk}").fill(first.text + "（115 年起每月檢討）")
    expect(page.locator(f"#pmsg-{first.pk}")).to_contain_text("已儲存")
    measure = page.locator(f"#measure-{first.measure_id}")
    measure.locator("details.add-practice summary").click()
    measure.locator(f"#new-text-{first.measure_id}").fill("辦理偏鄉用戶到府服務")
    measure.locator(".add-form input[name=departments]").first.check()
    measure.locator(f"#new-period-{first.measure_id}").fill("每季")
    measure.locator("button[type=submit]").click()
    added = page.locator("tr.practice", has_text="本處自訂").first
    expect(added).to_be_visible()
    row = page.locator(f"#practice-{second.pk}")
    row.locator("details.mark-not-applicable summary").click()
    page.locator(f"#reason-{second.pk}").fill("本處轄區無此類用戶")
    page.locator(f"#mark-na-{second.pk}").click()
    expect(page.locator(f"#practice-{second.pk}")).to_have_class("practice not-applicable")

    # a practice left without 執行期間: the submit is refused and says why
    page.locator(f"#period-{first.pk}").fill("")
    page.locator(f"#period-{first.pk}").press("Tab")
    expect(page.locator(f"#pmsg-{first.pk}")).to_contain_text("已儲存", timeout=15_000)
    page.click("#plan-submit")
    expect(page.locator(".messages")).to_contain_text("執行期間")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    shots(page, "clerk-check-refused")
    page.locator(f"#period-{first.pk}").fill("1~12 月")
    expect(page.locator(f"#pmsg-{first.pk}")).to_contain_text("已儲存")
    expect(page.locator("#plan-checks")).not_to_contain_text("尚未填執行期間")
    page.click("#plan-submit")
    expect(page.locator(".messages")).to_contain_text("已送出")
    shots(page, "clerk-submitted")

    # The chain approves, each signer on the plan's page.
    for role in SIGNERS:
        signer = log_in(browser, live_server, people[role])
        signer.goto(f"{live_server.url}/plans/{plan.pk}/")
        signer.click("#plan-approve")
        expect(signer.locator(".messages")).to_contain_text("已核可")
        if role == Role.DIRECTOR:
            shots(signer, "director-approved")
        signer.context.close()
    plan.refresh_from_db()
    today = timezone.localdate()
    assert plan.status == PlanStatus.APPROVED and plan.approved_on == today
    approved = f"{to_roc_year(today.year)} 年 {today.month} 月 {today.day} 日陳准實施"

    # The PDF says when it was approved.
    page.reload()
    pdf = page.request.get(f"{live_server.url}/plans/{plan.pk}/export/pdf/")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.body(), capture_output=True, check=True
    ).stdout.decode()
    assert approved in re.sub(r"[ \u3000]+", " ", text)

    # The clerk publishes it; the public opens it without logging in.
    page.click(".publication button[type=submit]")
    expect(page.locator(".publication")).to_contain_text("已公開", timeout=20_000)
    shots(page, "clerk-published")
    page.context.close()
    public = browser.new_context(locale="zh-TW").new_page()
    public.goto(f"{live_server.url}/public/plans/")
    public.click(f"text={taitung.name}")
    expect(public.locator("main")).to_contain_text("辦理偏鄉用戶到府服務")
    expect(public.locator("main")).to_contain_text("本處轄區無此類用戶")
    shots(public, "public-plan")
    download = public.request.get(f"{live_server.url}/public/plans/{taitung.code}/115/plan.pdf")
    assert download.ok and download.body().startswith(b"%PDF")
    public.context.close()
