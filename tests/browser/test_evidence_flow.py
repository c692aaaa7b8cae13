"""Evidence in Chromium: the same file twice is kept once; ✕ asks before it deletes."""

import pytest
from playwright.sync_api import expect

from servplan.assessments.models import Evidence
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_upload_twice_then_delete_after_confirming(browser, live_server, make, shots, tmp_path):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=1))
    cell = a.cells.get()
    clerk = make.user(office=a.office)
    report = tmp_path / "報告.pdf"
    report.write_bytes(PDF)
    page = log_in(browser, live_server, clerk)
    page.goto(f"{live_server.url}/assessments/{a.pk}/")
    row = page.locator(f"#cell-{cell.pk}")
    for _ in range(2):
        row.locator("input[type=file]").set_input_files(str(report))
        row.get_by_role("button", name="上傳").click()
        row = page.locator(f"#cell-{cell.pk}")
    expect(page.locator(".messages")).to_contain_text("此檔案已附於本格")
    assert Evidence.objects.filter(cell_score=cell).count() == 1
    confirm = row.get_by_role("button", name="確定刪除「報告.pdf」")
    expect(confirm).to_be_hidden()
    row.get_by_label("刪除 報告.pdf").click()
    expect(confirm).to_be_visible()
    shots(page, "delete-asks-first")
    confirm.click()
    expect(page.locator(".messages")).to_contain_text("已刪除「報告.pdf」")
    assert not Evidence.objects.filter(cell_score=cell).exists()
