"""The server restarted under load loses no acknowledged write (bench/load.py, small and bounded).

The restart is placed by counting, not by the clock: after the first WRITES acknowledged cell
writes the server stops, stays down until a client's write has been refused, starts again, and
the clients write until the new server has acknowledged WRITES more.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WRITES = 40


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
        "20000",  # a cap only: the run ends once the new server has acknowledged WRITES
        "--seconds",
        "300",
        "--workers",
        "2",
        "--restart-after-writes",
        str(WRITES),
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
    assert result.stdout, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["errors"] == 0, report["error_samples"]
    assert report["lost_or_overwritten"] == 0, report["problem_samples"]
    assert report["writes_before_restart"] >= WRITES
    assert report["retried_during_restart"] > 0, "a client's write met the stopped server"
    assert report["writes_after_restart"] >= WRITES, "the new server acknowledged writes"
    assert result.returncode == 0
