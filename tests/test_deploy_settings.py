"""The production settings pass Django's deployment checks and take secrets from the environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

SERVPLAN = str(Path(sys.executable).with_name("servplan"))


def run_check(**env):
    """`check --deploy` as production would run it: none of the test run's own settings leak in."""
    full = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SERVPLAN_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "SERVPLAN_DEBUG"}
    }
    full.update({"DJANGO_SETTINGS_MODULE": "servplan.settings.production", **env})
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
