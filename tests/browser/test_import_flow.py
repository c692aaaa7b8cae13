"""Upload → preview with the issues at their cells → confirm, and cancel, in headless Chromium."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from servplan.assessments.models import Assessment
from servplan.core.setup import load_shipped_data
from servplan.imports.domain import check_file, rubric_spec_for
from servplan.imports.models import PendingUpload
from servplan.offices.domain import find_office
from servplan.programs.domain import create_rubric
from tests.browser.helpers import log_in
from tests.imports.forms import small_sheet, to_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).parents[1] / "imports" / "fixtures" / "seed-000.txt"


def test_upload_preview_confirm_and_cancel(browser, live_server, make, shots, tmp_path):
    load_shipped_data(sample=False)
    clerk = make.user(office=find_office("台東"))
    page = log_in(browser, live_server, clerk)

    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("input[name=file]", str(SEED))
    page.click(".import-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/imports/uploads/\d+/$"))
    expect(page.locator("#issues")).to_contain_text("沒有錯誤，有 1 項警告")
    duplicates = page.locator("tr.issue-warning[data-cell^='可持續性／']")
    expect(duplicates).to_have_count(2)
    shots(page, "preview-seed-000")
    page.click("#confirm-import")
    page.wait_for_url(re.compile(r".*/assessments/\d+/$"))
    assert Assessment.objects.filter(office__name="台東區營業處").count() == 1
    shots(page, "imported")

    # A form with an over-maximum score: shown at its cell, and nothing can be confirmed.
    miaoli = make.user(office=find_office("苗栗"))
    page = log_in(browser, live_server, miaoli)
    sheet = small_sheet()
    sheet.dimensions[0].cells[0].score = 250
    bad = tmp_path / "miaoli.xlsx"
    bad.write_bytes(to_xlsx(sheet.blocks()))
    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("input[name=file]", str(bad))
    page.click(".import-form button[type=submit]")
    cell = page.locator("tr.issue-error[data-cell='服務品質／便民服務']")
    expect(cell).to_contain_text("自評 250 分超過配分 200 分")
    expect(page.locator("#confirm-import")).to_have_count(0)
    shots(page, "preview-with-error")

    # A correct one on HQ's rubric (only HQ brings in new ones), then cancelled: nothing stored.
    good = tmp_path / "good.xlsx"
    good.write_bytes(to_xlsx(small_sheet().blocks()))
    read = check_file(filename="good.xlsx", data=good.read_bytes()).doc
    create_rubric(spec=rubric_spec_for(read))
    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("input[name=file]", str(good))
    page.click(".import-form button[type=submit]")
    page.click("#cancel-import")
    expect(page.locator(".messages")).to_contain_text("未存入任何資料")
    assert PendingUpload.objects.count() == 0
    assert Assessment.objects.filter(office__name="苗栗區營業處").count() == 0
