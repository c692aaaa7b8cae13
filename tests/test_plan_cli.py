"""servplan plan new: start a plan from the command line."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from servplan.audit.models import AuditEntry
from servplan.plans.models import OfficePlan
from tests.test_cli import run


def plan_new(*args: str) -> str:
    out = StringIO()
    call_command("plan", "new", *args, stdout=out)
    return out.getvalue()


def test_plan_new_prints_only_the_id_and_exits_0(tmp_path):
    db = tmp_path / "plans.sqlite3"
    assert run("init", db=db).returncode == 0
    created = run("plan", "new", "--office", "苗栗", "--year", "112", db=db)
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip().isdigit() and created.stdout == f"{created.stdout.strip()}\n"
    [plan] = json.loads(run("list", "plans", "--office", "苗栗", "--json", db=db).stdout)
    assert plan["id"] == int(created.stdout) and plan["status"] == "draft"
    assert plan["title"] == "苗栗區營業處112年度提升服務效能執行計畫"

    again = run("plan", "new", "--office", "苗栗", "--year", "112", db=db)
    assert again.returncode == 1 and again.stdout == ""
    assert "苗栗區營業處已有 112 年度執行計畫" in again.stderr

    last_year = run("plan", "new", "--office", "苗栗", "--year", "113", "--from-last-year", db=db)
    assert last_year.returncode == 0 and int(last_year.stdout) != plan["id"]


def test_plan_new_from_last_year(sample):
    pk = int(plan_new("--office", "苗栗區營業處", "--year", "113", "--from-last-year"))
    plan = OfficePlan.objects.get(pk=pk)
    assert plan.roc_year == 113 and plan.approved_on is None and plan.goals
    # The CLI is trusted: the audit entry has no user.
    assert AuditEntry.objects.get(object_type="plans.officeplan", object_id=pk).user is None


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--office", "火星", "--year", "113"], "找不到區營業處「火星」"),
        (["--office", "苗栗", "--year", "九十"], "不是整數"),
        (["--office", "苗栗", "--year", "99"], "不在可建立的範圍"),
        (["--office", "苗栗", "--year", "113", "--from-last-year"], "沒有 112 年度執行計畫可沿用"),
    ],
)
def test_plan_new_refusals_are_in_chinese(shipped, args, words):
    with pytest.raises(CommandError, match=words):
        plan_new(*args)
    assert not OfficePlan.objects.exists()


def test_plan_new_without_a_program(db):
    from tests import factories

    office = factories.office()
    with pytest.raises(CommandError, match="總處執行計畫"):
        plan_new("--office", office.name, "--year", "113")


def test_plan_has_help(tmp_path):
    result = run("plan", "new", "--help", db=tmp_path / "x.sqlite3")
    assert result.returncode == 0 and "--from-last-year" in result.stdout
