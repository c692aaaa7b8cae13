"""The board's period ZIP panel, its start button and the download (periods.export_views):
HQ's and admins' only, a fixed number of queries, the progress bar read from the row."""

import datetime as dt
import re
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse

from servplan.audit.models import AuditEntry
from servplan.core.roc import Period
from servplan.offices.models import Role
from servplan.periods import domain, exports
from servplan.periods.models import ExportStatus, PeriodExport

PERIOD = Period(115, 1, 6)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(db, make):
    hq = make.user(role=Role.HQ_REVIEWER)
    office = make.office("頁面區營業處")
    period, _ = domain.open_period(
        period=PERIOD, rubric=make.rubric(dimensions=1, items=1), deadline=dt.date(2026, 7, 15), user=hq
    )  # fmt: skip
    return {"hq": hq, "office": office, "period": period}


def panel_url(period):
    return reverse("period-exports", args=[period.slug])


def start_url(period):
    return reverse("period-export-start", args=[period.slug])


def test_start_from_the_board_shows_a_polling_progress_bar(world, as_user):
    client = as_user(world["hq"])
    board = client.get(reverse("period-board", args=[world["period"].slug]))
    assert 'id="period-exports"' in board.text and "產生 ZIP" in board.text
    assert 'hx-trigger="every 1s"' not in board.text  # nothing under way: no polling
    response = client.post(start_url(world["period"]), {"format": "csv"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in response.text
    assert re.search(
        r'<progress id="export-csv-bar" aria-labelledby="export-csv-label" max="1">', response.text
    )
    assert "等待背景工作開始" in response.text
    row = PeriodExport.objects.get()
    PeriodExport.objects.filter(pk=row.pk).update(
        status=ExportStatus.RUNNING, done=1, total=4, current="頁面區營業處 資料"
    )
    # A reload (or the next poll) reads the row: the bar survives.
    polled = client.get(panel_url(world["period"]))
    assert (
        '<progress id="export-csv-bar" aria-labelledby="export-csv-label" max="4" value="1">25%</progress>'
        in polled.text
    )
    assert "已完成 1 / 4 個檔案（25%）：頁面區營業處 資料" in polled.text
    assert 'hx-trigger="every 1s"' in polled.text


def test_a_plain_form_goes_back_to_the_board(world, as_user):
    client = as_user(world["hq"])
    response = client.post(start_url(world["period"]), {"format": "json"})
    assert response.status_code == 302
    assert response["Location"] == reverse("period-board", args=[world["period"].slug])
    assert PeriodExport.objects.get().format == "json"


def test_a_refused_start_says_why(world, as_user):
    client = as_user(world["hq"])
    response = client.post(start_url(world["period"]), {"format": "rtf"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "不支援的格式「rtf」" in response.text and 'role="alert"' in response.text
    assert not PeriodExport.objects.exists()


def test_done_shows_the_download_and_the_file_streams(world, as_user):
    row = exports.start_export(period=world["period"], fmt="json", user=world["hq"])
    exports.build_export(export_id=row.pk)
    client = as_user(world["hq"])
    panel = client.get(panel_url(world["period"]))
    assert 'hx-trigger="every 1s"' not in panel.text  # finished: polling stops
    assert 'max="100" value="100"' in panel.text
    assert "下載 forms-115-1-6-json.zip" in panel.text
    download = client.get(reverse("period-export-download", args=[row.pk]))
    assert download.status_code == 200 and download.streaming
    assert download["Content-Type"] == "application/zip"
    assert 'filename="forms-115-1-6-json.zip"' in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert zipfile.ZipFile(BytesIO(body)).namelist() == [
        "115-1-6/頁面區營業處/頁面區營業處 115 年度 1 月至 6 月 資料.json"
    ]
    assert AuditEntry.objects.filter(
        object_id=row.pk, field="downloaded", user=world["hq"]
    ).exists()


def test_a_failure_shows_a_chinese_message(world, as_user):
    row = exports.start_export(period=world["period"], fmt="json", user=world["hq"])
    PeriodExport.objects.filter(pk=row.pk).update(
        status=ExportStatus.FAILED, error=exports.FAILED_MESSAGE
    )
    panel = as_user(world["hq"]).get(panel_url(world["period"]))
    assert f"產生失敗：{exports.FAILED_MESSAGE}" in panel.text
    assert reverse("period-export-download", args=[row.pk]) not in panel.text


def test_an_unfinished_zip_is_not_downloadable(world, as_user):
    row = exports.start_export(period=world["period"], fmt="json", user=world["hq"])
    response = as_user(world["hq"]).get(reverse("period-export-download", args=[row.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["own_clerk", "own_director", "outsider", "hq", "admin"])
def test_access(world, make, as_user, who):
    users = {
        "own_clerk": lambda: make.user(office=world["office"]),
        "own_director": lambda: make.user(office=world["office"], role=Role.DIRECTOR),
        "outsider": lambda: make.user(office=make.office("他處區營業處")),
        "hq": lambda: world["hq"],
        "admin": lambda: make.user(role=Role.ADMIN),
    }
    row = exports.start_export(period=world["period"], fmt="json", user=world["hq"])
    exports.build_export(export_id=row.pk)
    client = as_user(users[who]())
    allowed = who in {"hq", "admin"}
    expected = 200 if allowed else 404
    assert client.get(panel_url(world["period"])).status_code == expected
    assert client.get(reverse("period-export-download", args=[row.pk])).status_code == expected
    started = client.post(start_url(world["period"]), {"format": "csv"})
    assert started.status_code == (302 if allowed else 404)
    assert PeriodExport.objects.filter(format="csv").exists() == allowed


@pytest.mark.parametrize("count", [1, 3])
def test_the_panel_asks_a_fixed_number_of_queries(world, as_user, django_assert_num_queries, count):
    for fmt in list(exports.EXPORT_FORMATS)[:count]:
        exports.start_export(period=world["period"], fmt=fmt, user=world["hq"])
    client = as_user(world["hq"])
    # session, user, membership, the period, its exports
    with django_assert_num_queries(5):
        response = client.get(panel_url(world["period"]))
    assert response.text.count("<progress") == count
