"""The period ZIP in the API: POST /api/periods/{slug}/exports/, GET /api/exports/{id}/ and
its file; HQ's and admins' only."""

import datetime as dt
import zipfile
from io import BytesIO

import pytest

from servplan.core.roc import Period
from servplan.offices.models import Role
from servplan.periods import domain, exports
from servplan.periods.models import PeriodExport


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(db, make):
    hq = make.user(role=Role.HQ_REVIEWER)
    office = make.office("接口區營業處")
    period, _ = domain.open_period(
        period=Period(115, 1, 6),
        rubric=make.rubric(dimensions=1, items=1),
        deadline=dt.date(2026, 7, 15),
        user=hq,
    )
    return {"hq": hq, "office": office, "period": period}


def test_start_follow_and_download(world, api):
    client = api(world["hq"])
    started = client.post("/api/periods/115-1-6/exports/", {"format": "csv"})
    assert started.status_code == 202
    body = started.json()
    assert body["status"] == "queued" and body["file"] is None and body["period"] == "115-1-6"
    assert client.get(f"/api/exports/{body['id']}/file/").status_code == 404  # not yet
    exports.build_export(export_id=body["id"])
    done = client.get(f"/api/exports/{body['id']}/").json()
    assert (done["status"], done["done"], done["total"]) == ("done", 1, 1)
    assert done["finished_at"] and done["size"] > 0
    file = client.get(done["file"])
    assert file.status_code == 200 and file["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(BytesIO(b"".join(file.streaming_content))).namelist()
    assert names == ["115-1-6/接口區營業處/接口區營業處 115 年度 1 月至 6 月 資料.csv"]


def test_a_refused_format_names_the_field(world, api):
    response = api(world["hq"]).post("/api/periods/115-1-6/exports/", {"format": "rtf"})
    assert response.status_code == 400
    assert (
        response.json()["where"] == "format" and "不支援的格式「rtf」" in response.json()["detail"]
    )
    assert not PeriodExport.objects.exists()


@pytest.mark.parametrize("who", ["own_clerk", "outsider"])
def test_office_staff_get_404(world, api, make, who):
    user = make.user(office=world["office"] if who == "own_clerk" else make.office("別處區營業處"))
    row = exports.start_export(period=world["period"], fmt="json", user=world["hq"])
    client = api(user)
    assert client.post("/api/periods/115-1-6/exports/", {"format": "csv"}).status_code == 404
    assert client.get(f"/api/exports/{row.pk}/").status_code == 404
    assert client.get(f"/api/exports/{row.pk}/file/").status_code == 404
    assert PeriodExport.objects.count() == 1
