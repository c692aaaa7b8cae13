"""HQ's side of a period in Chromium, as issue 12's "Done when" walks it: HQ opens 114 年度
1 月至 6 月; 台東's clerk submits the office's assessment and its chain approves it; HQ sees it
on the board, opens the comparison, 台東's trend chart and the copy report (which finds the
seed's two identical 可持續性 paragraphs), starts the period ZIP, watches its progress bar
finish and downloads it."""

import zipfile

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from servplan.assessments.domain import chain_state, decide
from servplan.assessments.models import Assessment
from servplan.core.setup import load_shipped_data
from servplan.offices.domain import find_office
from servplan.offices.models import Role
from servplan.periods.models import PeriodExport
from tests.browser.checks import violations
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_task_worker() -> None:
    """The django-tasks database worker, as `servplan db_worker` runs it, until the queue is
    empty: here, in the test's own thread, whose database connection the live server shares
    (the in-memory SQLite of the test), while the page keeps polling the server."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="period-cycle-test",
        excluded_queue_names=[],
    ).run()


def test_the_period_cycle(browser, live_server, make, shots, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_shipped_data(sample=True)
    taitung = find_office("台東")
    people = make.staff(taitung)
    hq_user = make.user(role=Role.HQ_REVIEWER)

    # HQ opens the period from the period list.
    hq = log_in(browser, live_server, hq_user)
    hq.goto(f"{live_server.url}/review/periods/")
    hq.fill("input[name=period]", "114 年度 1 月至 6 月")
    hq.fill("input[name=deadline]", "114 年 7 月 15 日")
    hq.click("#open-period")
    expect(hq.locator("h1")).to_have_text("114 年度 1 月至 6 月 繳交情形")
    expect(hq.locator(".messages")).to_contain_text("已開放 114 年度 1 月至 6 月")
    row = hq.locator(f"#office-{taitung.code}")
    expect(row).to_contain_text("草稿")
    shots(hq, "hq-opened-the-period")

    # 台東's clerk submits the office's assessment (the seed's, filled); the chain approves.
    assessment = Assessment.objects.get(office=taitung, roc_year=114, start_month=1, end_month=6)
    clerk = log_in(browser, live_server, people[Role.CLERK])
    clerk.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    clerk.click("#submit")
    expect(clerk.locator("#status")).to_have_text("核章中")
    shots(clerk, "clerk-submitted")
    clerk.context.close()
    assessment.refresh_from_db()
    while (step := chain_state(assessment).current) is not None:
        decide(assessment=assessment, user=people[step[1]], decision="approve")

    # HQ sees it arrive on the board.
    hq.reload()
    expect(row.get_by_role("link", name="受理／退回")).to_be_visible()
    expect(row.locator("td").nth(4)).not_to_have_text("—")
    shots(hq, "hq-board-submitted")

    # The comparison, 台東's trend, the copy report.
    hq.click("#period-links >> text=各區營業處比較")
    expect(hq.locator("h1")).to_have_text("114 年度 1 月至 6 月 各區營業處比較")
    expect(hq.locator("main table").first).to_contain_text("台東區營業處")
    shots(hq, "hq-comparison")
    hq.locator("main table").first.get_by_role("link", name="台東區營業處").click()
    expect(hq.locator("h1")).to_have_text("台東區營業處 歷期趨勢")
    expect(hq.locator("#trend-chart svg")).to_be_visible()
    shots(hq, "hq-trend")
    hq.goto(f"{live_server.url}/review/periods/114-1-6/aids/")
    seed_copy = hq.locator("#copies article.copy").filter(
        has_text="同一份自行考核的不同格：台東區營業處「可持續性／"
    )
    expect(seed_copy.first.locator("mark").first).to_be_visible()  # the shared passage
    seed_copy.first.scroll_into_view_if_needed()
    shots(hq, "hq-copy-report")

    # The period ZIP: started from the board, built by the worker, downloaded.
    hq.goto(f"{live_server.url}/review/periods/114-1-6/")
    hq.select_option("#export-format", "pdf")
    hq.click("#export-start")
    progress = hq.locator("#export-pdf-progress")
    expect(progress).to_have_text("等待背景工作開始…")
    expect(hq.locator("#export-pdf-bar")).to_be_visible()
    shots(hq, "hq-zip-queued")
    assert violations(hq) == []  # axe: the board with a ZIP under way
    run_task_worker()
    export = PeriodExport.objects.get()
    assert export.status == "done", export.error
    expect(progress).to_contain_text(f"已完成 {export.total} 個檔案")
    expect(hq.locator("#export-pdf-bar")).to_have_attribute("value", "100")
    shots(hq, "hq-zip-done")
    assert violations(hq) == []  # axe: the board with the finished ZIP
    expect(hq.locator(".htmx-settling")).to_have_count(0)  # the link was just swapped in
    with hq.expect_download() as info:
        hq.click("#export-pdf-download")
    download = info.value
    assert download.suggested_filename == "forms-114-1-6-pdf.zip"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        names = archive.namelist()
        assert (
            len(names)
            == export.total
            == 3 * Assessment.objects.filter(roc_year=114, start_month=1, end_month=6).count()
        )
        ours = [n for n in names if "/台東區營業處/" in n]
        assert len(ours) == 3 and archive.read(ours[0]).startswith(b"%PDF")
    # A reload still shows the finished ZIP: the row, not the page, holds it.
    hq.reload()
    expect(hq.locator("#export-pdf-download")).to_be_visible()
