"""`servplan import FILE`: the checks, then one transaction; the same file twice finds the first."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from servplan.assessments.models import Assessment, CellScore, Improvement
from servplan.audit.models import AuditEntry
from servplan.imports.models import ImportRecord
from servplan.programs.models import Rubric
from tests.imports.forms import small_sheet, to_docx, to_txt, to_xlsx

SEED = Path(__file__).parent / "imports" / "fixtures" / "seed-000.txt"
SERVPLAN = str(Path(sys.executable).with_name("servplan"))


def run_import(path, *args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("import", str(path), *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + f"\n{exc}"
    return 0, out.getvalue()


def run_import_json(path, *args) -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("import", str(path), "--json", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())


def counts() -> tuple[int, ...]:
    return (
        Assessment.objects.count(),
        CellScore.objects.count(),
        Rubric.objects.count(),
        ImportRecord.objects.count(),
        Improvement.objects.count(),
    )


def test_import_seed_000_stores_the_assessment_on_the_shipped_rubric(shipped):
    rubrics = Rubric.objects.count()
    status, out = run_import(SEED, "--json")
    assert status == 0, out
    record = json.loads(out)
    assert isinstance(record["id"], int) and record["kind"] == "assessment"
    assessment = Assessment.objects.get(pk=record["id"])
    assert (
        assessment.office.name == "台東區營業處"
        and str(assessment.period) == "114 年度 1 月至 6 月"
    )
    assert Rubric.objects.count() == rubrics  # the matching rubric is reused
    assert record["total"] == {"max": 1000, "score": 939}
    assert [d["score"] for d in record["dimensions"]] == [285, 381, 136, 137]
    assert record["import"]["created"] is True
    assert [i["code"] for i in record["issues"]] == ["duplicate-narrative"]
    # The summary's recommendation opens the improvement; the follow-up table's wording rewords it.
    first = next(f for f in record["findings"] if f["recommendation"])
    assert first["recommendation"].startswith("因應補充人力")
    assert Improvement.objects.filter(opened_in=assessment).count() == 4
    assert AuditEntry.objects.filter(assessment_id=assessment.id, field="imported").exists()


def test_the_same_file_twice_reports_the_existing_record(shipped):
    assert run_import(SEED)[0] == 0
    before = counts()
    status, out = run_import(SEED)
    assert status == 0
    assert "已於先前匯入" in out and "未重複建立" in out
    assert counts() == before
    status, out = run_import(SEED, "--json")
    assert json.loads(out)["import"]["created"] is False


def test_an_office_period_that_already_exists_is_refused(sample):
    before = counts()
    status, out = run_import(SEED)
    assert status == 1 and "已存在" in out
    assert counts() == before


def test_a_new_rubric_is_created_then_reused(shipped, tmp_path, make):
    path = tmp_path / "miaoli.docx"
    path.write_bytes(to_docx(small_sheet().blocks()))
    rubrics = Rubric.objects.count()
    status, out = run_import(path, "--json")
    assert status == 0, out
    record = json.loads(out)
    assert Rubric.objects.count() == rubrics + 1
    rubric = Rubric.objects.get(pk=record["rubric"]["id"])
    assert (rubric.roc_year, rubric.total_max) == (113, 500)
    assert [d.name for d in rubric.dimensions.all()] == ["服務品質", "創新服務"]

    other = make.office("東區測試區營業處")
    path = tmp_path / "other.txt"
    path.write_bytes(to_txt(small_sheet(office=other.name).blocks()))
    status, out = run_import(path, "--json")
    assert status == 0, out
    assert json.loads(out)["rubric"]["id"] == rubric.id
    assert Rubric.objects.count() == rubrics + 1


def test_errors_store_nothing(shipped, tmp_path):
    sheet = small_sheet()
    sheet.dimensions[0].cells[0].score = 999
    path = tmp_path / "bad.xlsx"
    path.write_bytes(to_xlsx(sheet.blocks()))
    before = counts()
    status, result = run_import_json(path)
    assert status == 1
    assert [i["code"] for i in result["issues"]] == [
        "score-above-max",
        "subtotal-mismatch",
        "total-mismatch",
    ]
    assert "id" not in result
    assert counts() == before


def test_a_failure_midway_rolls_everything_back(shipped, tmp_path, monkeypatch):
    path = tmp_path / "miaoli.txt"
    path.write_bytes(to_txt(small_sheet().blocks()))

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ImportRecord.objects, "create", broken)
    before = counts()
    with pytest.raises(RuntimeError):
        run_import(path)
    assert counts() == before


def test_unreadable_file_exits_2(shipped, tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    status, out = run_import(path)
    assert status == 2 and "損毀" in out
    assert ImportRecord.objects.count() == 0


def test_the_office_option_overrides_the_title(shipped, tmp_path):
    path = tmp_path / "mars.txt"
    path.write_bytes(to_txt(small_sheet(office="火星區營業處").blocks()))
    assert run_import(path)[0] == 1
    status, out = run_import(path, "--office", "苗栗區營業處", "--json")
    assert status == 0 and json.loads(out)["office"] == "苗栗區營業處"


def test_the_real_command_line_exit_statuses(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "servplan.settings.base",
    }

    def servplan(*args):
        return subprocess.run(
            [SERVPLAN, *args], env=env, capture_output=True, text=True, timeout=120
        )

    assert servplan("init").returncode == 0
    sheet = small_sheet()
    sheet.dimensions[0].cells[0].score = 201
    bad = tmp_path / "bad.txt"
    bad.write_bytes(to_txt(sheet.blocks()))
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    assert servplan("check", str(SEED)).returncode == 0
    assert servplan("check", str(bad)).returncode == 1
    assert servplan("check", str(empty)).returncode == 2
    assert servplan("import", str(bad)).returncode == 1
    first = servplan("import", str(SEED), "--json")
    assert first.returncode == 0, first.stderr
    again = servplan("import", str(SEED), "--json")
    assert json.loads(again.stdout)["id"] == json.loads(first.stdout)["id"]
    listed = json.loads(servplan("list", "assessments", "--json").stdout)
    assert len(listed) == 1


def test_the_same_file_for_another_office_is_a_new_record(shipped):
    assert run_import(SEED)[0] == 0
    status, record = run_import_json(SEED, "--office", "苗栗")
    assert status == 0, record
    assert record["import"]["created"] is True and record["office"] == "苗栗區營業處"
    assert ImportRecord.objects.count() == 2 and Assessment.objects.count() == 2
    status, out = run_import(SEED, "--office", "苗栗")
    assert status == 0 and "已於先前匯入" in out and f"#{record['id']}" in out
