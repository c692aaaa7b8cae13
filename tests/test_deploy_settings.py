"""The production settings pass Django's deployment checks and take secrets from the environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

SERVPLAN = str(Path(sys.executable).with_name("servplan"))


def run_check(**env):
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "servplan.settings.production", **env}
    full.pop("SERVPLAN_SECRET_KEY", None) if "SERVPLAN_SECRET_KEY" not in env else None
    return subprocess.run(
        [SERVPLAN, "check", "--deploy", "--fail-level", "WARNING"],
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean():
    result = run_check(
        SERVPLAN_SECRET_KEY=secrets.token_urlsafe(50), SERVPLAN_ALLOWED_HOSTS="servplan.example.org"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check()
    assert result.returncode != 0
    assert "SERVPLAN_SECRET_KEY" in result.stderr
