"""The server restarted under load loses no acknowledged write (bench/load.py, small and bounded)."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_restart_under_load_keeps_every_acknowledged_write(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    database = os.environ.get("DATABASE_URL", "")
    args = [
        "--clients",
        "6",
        "--offices",
        "2",
        "--signing",
        "2",
        "--requests",
        "400",
        "--seconds",
        "60",
        "--workers",
        "2",
        "--restart-after",
        "4",
        "--json",
    ]
    if not database.startswith("postgres"):
        args += ["--database-url", f"sqlite:///{tmp_path / 'load.sqlite3'}"]
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "load.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
        cwd=REPO,
    )
    report = json.loads(result.stdout)
    assert report["lost_or_overwritten"] == 0, report["problem_samples"]
    assert report["errors"] == 0, report["error_samples"]
    assert report["retried_during_restart"] > 0, "the restart happened while clients were writing"
    assert report["acknowledged_cell_writes"] > 20
    assert result.returncode == 0
