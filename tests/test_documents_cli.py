"""servplan export assessment | plan | period."""

import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from servplan.offices.models import Office
from servplan.plans.models import OfficePlan
from tests.documents.helpers import pdf_text, squash


def test_assessment_json_and_pdf(taitung, tmp_path):
    out = StringIO()
    target = tmp_path / "t.json"
    call_command(
        "export", "assessment", str(taitung.pk), "--format", "json", "-o", str(target), stdout=out
    )
    assert json.loads(target.read_bytes())["total"]["score"] == 939
    assert "已輸出" in out.getvalue()
    pdf = tmp_path / "t.pdf"
    call_command(
        "export",
        "assessment",
        str(taitung.pk),
        "--format",
        "pdf",
        "--form",
        "follow-up",
        "-o",
        str(pdf),
        stdout=StringIO(),
    )
    assert "建議改善事項辦理情形表" in squash(pdf_text(pdf.read_bytes()))


def test_plan(sample, tmp_path):
    plan = OfficePlan.objects.get(office=Office.objects.get(name="苗栗區營業處"))
    target = tmp_path / "p.odt"
    call_command(
        "export", "plan", str(plan.pk), "--format", "odt", "-o", str(target), stdout=StringIO()
    )
    assert zipfile.ZipFile(target).read("mimetype") == b"application/vnd.oasis.opendocument.text"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["assessment", "999999", "--format", "pdf"], "找不到編號 999999 的自行考核"),
        (["plan", "999999", "--format", "pdf"], "找不到編號 999999 的執行計畫"),
        (["assessment", "{id}", "--format", "rtf"], "不支援的格式「rtf」"),
        (["assessment", "{id}", "--format", "pdf", "--form", "x"], "不支援的表單「x」"),
        (["period", "113-1-6"], "113 年度 1 月至 6 月沒有任何區營業處的自行考核"),
        (["period", "上半年"], "無法解讀期間「上半年」"),
    ],
)
def test_clear_chinese_errors(taitung, tmp_path, args, message):
    args = [a.replace("{id}", str(taitung.pk)) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("export", *args, "-o", str(tmp_path / "x"), stdout=StringIO())


def test_period_zip_with_plain_progress(taitung, make, tmp_path):
    from servplan.assessments.models import Assessment

    other = make.assessment(office=make.office("測試區營業處"), rubric_=taitung.rubric)
    assert Assessment.objects.filter(roc_year=114, start_month=1, end_month=6).count() == 2
    target = tmp_path / "all.zip"
    err = StringIO()
    call_command(
        "export",
        "period",
        "114-1-6",
        "--format",
        "pdf",
        "-o",
        str(target),
        stdout=StringIO(),
        stderr=err,
    )
    names = zipfile.ZipFile(target).namelist()
    assert len(names) == 6
    assert "114-1-6/台東區營業處/台東區營業處 114 年度 1 月至 6 月 考核項目及評分表.pdf" in names
    assert any(other.office.name in n for n in names)
    lines = err.getvalue().splitlines()
    assert lines[0] == "1/6 台東區營業處 考核項目及評分表" and lines[-1].startswith("6/6 ")
    assert "\r" not in err.getvalue()  # not a terminal: plain lines
    with zipfile.ZipFile(target) as archive:
        first = archive.read(names[0])
    assert "台東區營業處" in squash(pdf_text(first))


def test_period_data_format_has_one_file_per_office(taitung, tmp_path):
    target = tmp_path / "all.zip"
    call_command(
        "export",
        "period",
        "114-1-6",
        "--format",
        "csv",
        "-o",
        str(target),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    [name] = zipfile.ZipFile(target).namelist()
    assert name.endswith("資料.csv")
    assert zipfile.ZipFile(io.BytesIO(target.read_bytes())).read(name).startswith(b"\xef\xbb\xbf")


def test_period_with_worker_processes(taitung, make, tmp_path):
    for _ in range(2):
        make.assessment(office=make.office(), rubric_=taitung.rubric)
    target = tmp_path / "jobs.zip"
    call_command(
        "export",
        "period",
        "114-1-6",
        "--jobs",
        "2",
        "-o",
        str(target),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert len(names) == 9  # above pdf.MIN_PARALLEL: really in workers
        assert all(archive.read(n).startswith(b"%PDF") for n in names)
        assert "939" in pdf_text(archive.read(names[0]))
    with pytest.raises(CommandError, match="--jobs 不可為負數"):
        call_command("export", "period", "114-1-6", "--jobs", "-1", stdout=StringIO())


def test_period_failure_leaves_no_file(taitung, tmp_path):
    target = tmp_path / "none.zip"
    with pytest.raises(CommandError, match="不支援的格式「rtf」"):
        call_command(
            "export", "period", "114-1-6", "--format", "rtf", "-o", str(target), stdout=StringIO()
        )
    assert list(tmp_path.iterdir()) == []


def test_period_into_a_missing_folder_says_where(taitung, tmp_path):
    target = tmp_path / "missing" / "all.zip"
    with pytest.raises(CommandError, match="無法寫入「.*all.zip」"):
        call_command("export", "period", "114-1-6", "-o", str(target), stdout=StringIO())
