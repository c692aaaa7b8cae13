"""`servplan demo`: accounts for a whole chain in every demo office, and starting over."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from servplan.assessments.models import Assessment, Evidence
from servplan.core.sample import sample_offices
from servplan.offices.chains import chain_for
from servplan.offices.models import Office

SERVPLAN = str(Path(sys.executable).with_name("servplan"))


def test_every_demo_office_has_its_whole_chain(sample):
    from django.contrib.auth import get_user_model

    call_command("demo", "--no-serve", stdout=StringIO())
    offices = {
        name
        for name in Office.objects.filter(members__isnull=False)
        .exclude(pk__in=sample_offices())
        .values_list("name", flat=True)
    }
    assert offices == {"台東區營業處", "苗栗區營業處"}
    for name in offices:
        office = Office.objects.get(name=name)
        held = set(
            get_user_model()
            .objects.filter(membership__office=office)
            .values_list("membership__role", flat=True)
        )
        for form in ("assessment", "plan"):
            assert set(chain_for(office, form)) <= held, (name, form)


def test_the_demo_says_where_to_start_and_how_to_start_over(sample):
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "從 clerk" in text and "servplan demo --reset" in text
    assert "miaoli-director" in text
    assert "/public/" in text and "電子帳單" in text


def test_the_demo_publishes_the_sample_plan_and_results_once(sample):
    from servplan.public.models import PlanPublication, ResultsPublication
    from servplan.search.public import search

    call_command("demo", "--no-serve", stdout=StringIO())
    found = {(h.kind, h.office) for h in search("電子帳單").hits}
    assert found == {("plan", "苗栗區營業處"), ("results", "台東區營業處")}
    taitung = Assessment.objects.get(office__name="台東區營業處")
    assert taitung.status == "reviewed" and taitung.signoffs.count() == 5
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)  # again: nothing is redone
    assert "已公開：" not in out.getvalue()
    assert PlanPublication.objects.count() == ResultsPublication.objects.count() == 1


def test_reset_starts_over(transactional_db, sample, make):
    """Outside a test transaction, as the command runs (PostgreSQL truncates only there)."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from servplan.assessments.domain import add_evidence, create_assessment
    from servplan.core.roc import Period

    call_command("demo", "--no-serve", stdout=StringIO())
    taitung = Assessment.objects.get(office__name="台東區營業處")
    miaoli = create_assessment(
        office=Office.objects.get(name="苗栗區營業處"),
        rubric=taitung.rubric,
        period=Period(115, 1, 6),
    )
    cell = miaoli.cells.select_related("cell__dimension", "cell__item").first()
    evidence = add_evidence(
        cell_score=cell,
        user=get_user_model().objects.get(username="miaoli"),
        upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    stored = Path(evidence.file.path)
    out = StringIO()
    call_command("demo", "--no-serve", "--reset", stdout=out)
    assert "示範資料庫" in out.getvalue()
    assert not Evidence.objects.exists() and not stored.exists()
    real = Assessment.objects.exclude(office__in=sample_offices())
    assert list(real.values_list("office__name", "roc_year")) == [("台東區營業處", 114)]
    assert get_user_model().objects.filter(username="miaoli-chief").exists()


def test_reset_refuses_a_database_with_other_accounts(sample, make):
    call_command("demo", "--no-serve", stdout=StringIO())
    make.user(username="wang", role="hq_reviewer")
    count = Assessment.objects.count()
    with pytest.raises(CommandError, match="示範以外的帳號（wang）"):
        call_command("demo", "--no-serve", "--reset", stdout=StringIO())
    assert Assessment.objects.count() == count


def test_reset_refuses_records_without_any_account(sample):
    with pytest.raises(CommandError, match="沒有示範帳號"):
        call_command("demo", "--no-serve", "--reset", stdout=StringIO())
    assert Assessment.objects.exists()


def test_reset_deletes_the_sqlite_file_and_builds_it_again(tmp_path):
    db = tmp_path / "demo.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "servplan.settings.base",
        "SERVPLAN_MEDIA_ROOT": str(tmp_path / "media"),
    }

    def run(*args):
        return subprocess.run(
            [SERVPLAN, *args], env=env, capture_output=True, text=True, timeout=180
        )

    assert run("demo", "--no-serve").returncode == 0
    added = run(
        "user",
        "add",
        "wang",
        "--office",
        "台東",
        "--role",
        "clerk",
        "--password",
        "a-long-password-1",
    )
    assert added.returncode == 0, added.stderr
    refused = run("demo", "--no-serve", "--reset")
    assert refused.returncode != 0 and "示範以外的帳號（wang）" in refused.stderr
    assert db.exists()
    done = run(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; User.objects.filter(username='wang').delete()",
    )
    assert done.returncode == 0, done.stderr
    reset = run("demo", "--no-serve", "--reset")
    assert reset.returncode == 0, reset.stderr
    assert f"已刪除示範資料庫 {db}" in reset.stdout and "已載入" in reset.stdout


def test_the_demo_server_runs_the_task_worker(sample, monkeypatch):
    """`make demo` serves through exec_gunicorn with the hooks that start (and stop) the
    background task worker, as `servplan serve` does (tests/test_serve.py runs them)."""
    from servplan.core.management.commands import demo
    from servplan.core.management.commands.serve import gunicorn_args

    started = {}
    monkeypatch.setattr(demo, "exec_gunicorn", lambda **kwargs: started.update(kwargs))
    out = StringIO()
    call_command("demo", "--port", "8123", stdout=out)
    assert started["port"] == 8123 and started.get("task_worker", True)
    args = gunicorn_args(host="127.0.0.1", port=8123, workers=1)
    assert args[args.index("--config") + 1] == "python:servplan.core.gunicorn_hooks"
    assert "背景工作程序" in out.getvalue()


def test_the_demo_loads_a_modest_sample_once_and_publishes_none_of_it(sample):
    from servplan.periods.models import AssessmentPeriod
    from servplan.public.models import SearchDocument

    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "已建立範例資料：24 個範例區營業處" in out.getvalue()
    assert sample_offices().count() == 24
    assert Assessment.objects.filter(office__in=sample_offices()).count() == 24 * 4
    assert AssessmentPeriod.objects.filter(roc_year=113, start_month=7).exists()
    assert not SearchDocument.objects.filter(office__in=sample_offices()).exists()
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)  # again: the sample is kept as it is
    assert "已建立範例資料" not in out.getvalue() and sample_offices().count() == 24
