"""A save interrupted mid-way leaves nothing half-written."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.db import DatabaseError

from servplan.assessments.models import Assessment, CellScore, Finding

SERVPLAN = str(Path(sys.executable).with_name("servplan"))


def test_a_database_error_mid_create_leaves_no_assessment(db, make, monkeypatch):
    rubric, office = make.rubric(dimensions=3, items=3), make.office()

    def fail(*args, **kwargs):
        raise DatabaseError("injected: disk full")

    monkeypatch.setattr(Finding.objects, "bulk_create", fail)
    from servplan.assessments.domain import create_assessment
    from servplan.core.roc import Period

    with pytest.raises(DatabaseError, match="injected"):
        create_assessment(office=office, rubric=rubric, period=Period(114, 1, 6))
    assert not Assessment.objects.exists()
    assert not CellScore.objects.exists()


KILLED_WRITER = textwrap.dedent(
    """
    import os, sys, time
    import django
    django.setup()
    from servplan.assessments.models import Finding
    from servplan.core.setup import load_shipped_data

    original = Finding.objects.bulk_create

    def slow(*args, **kwargs):
        # The assessment and its cell scores are written (uncommitted) by now: say so and hang.
        open(sys.argv[1], "w").close()
        time.sleep(60)
        return original(*args, **kwargs)

    Finding.objects.bulk_create = slow
    load_shipped_data(sample=True)
    """
)


def test_a_killed_process_leaves_no_half_written_assessment(tmp_path):
    db_file = tmp_path / "killed.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_file}",
        "DJANGO_SETTINGS_MODULE": "servplan.settings.base",
    }
    subprocess.run([SERVPLAN, "init"], env=env, check=True, capture_output=True, timeout=120)
    ready = tmp_path / "ready"
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(ready)], env=env)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert writer.poll() is None, "the writer ended before reaching the half-way point"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
    finally:
        if writer.poll() is None:
            writer.kill()
    with sqlite3.connect(db_file) as conn:
        tables = (
            "assessments_assessment",
            "assessments_cellscore",
            "assessments_finding",
            "plans_officeplan",
        )
        counts = [conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables]
    # Each file loads in its own transaction: the plan was committed before, the assessment not at all.
    assert counts == [0, 0, 0, 1]
    # The database is usable afterwards: the same load now completes.
    done = subprocess.run(
        [SERVPLAN, "init", "--sample"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "台東區營業處 114 年度 1 月至 6 月 自行考核" in done.stdout
