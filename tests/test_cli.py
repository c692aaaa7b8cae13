import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SERVPLAN = str(Path(sys.executable).with_name("servplan"))


def run(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "servplan.settings.base",
    }
    return subprocess.run([SERVPLAN, *args], env=env, capture_output=True, text=True, timeout=120)


def test_init_sample_then_list_from_a_fresh_database(tmp_path):
    db = tmp_path / "fresh.sqlite3"
    first = run("init", "--sample", db=db)
    assert first.returncode == 0, first.stderr
    assert "已載入：台東區營業處 114 年度 1 月至 6 月 自行考核" in first.stdout
    again = run("init", "--sample", db=db)
    assert again.returncode == 0 and "已載入" not in again.stdout  # idempotent

    listed = run("list", "assessments", "--json", db=db)
    [assessment] = json.loads(listed.stdout)
    assert assessment["total"] == {"max": 1000, "score": 939}
    assert [d["score"] for d in assessment["dimensions"]] == [285, 381, 136, 137]

    [plan] = json.loads(run("list", "plans", "--json", db=db).stdout)
    assert plan["office"] == "苗栗區營業處" and len(plan["facets"]) == 5


@pytest.mark.parametrize("command", ["init", "demo", "serve", "list"])
def test_every_subcommand_has_help(tmp_path, command):
    result = run(command, "--help", db=tmp_path / "x.sqlite3")
    assert result.returncode == 0
    assert "usage: servplan" in result.stdout


def test_list_assessments_filters_by_office(taitung):
    out = StringIO()
    call_command("list", "assessments", "--office", "台東", "--json", stdout=out)
    assert [a["office"] for a in json.loads(out.getvalue())] == ["台東區營業處"]
    out = StringIO()
    call_command("list", "assessments", "--office", "苗栗區營業處", "--json", stdout=out)
    assert json.loads(out.getvalue()) == []


def test_list_text_output(taitung):
    out = StringIO()
    call_command("list", "assessments", stdout=out)
    assert "台東區營業處  114 年度 1 月至 6 月  draft  939/1000" in out.getvalue()


def test_an_unknown_office_is_a_clear_error(sample):
    with pytest.raises(CommandError, match="找不到區營業處「火星」"):
        call_command("list", "assessments", "--office", "火星")


def test_demo_prepares_users_for_every_role(sample):
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    for role in ["經辦", "課長", "經理", "副處長", "處長", "總處業務處", "系統管理者"]:
        assert role in text
    from django.contrib.auth import authenticate
    from django.http import HttpRequest

    assert authenticate(HttpRequest(), username="clerk", password="servplan-demo") is not None
