"""programs/changes.py and lookups.newer_programs: what a new program version changed, and the
notice on a plan whose program HQ has replaced."""

import pytest

from servplan.offices.models import Department, Role
from servplan.plans.domain import start_plan
from servplan.programs.changes import compare_programs
from servplan.programs.domain import tree
from servplan.programs.domain.versions import new_program_version, publish_program, start_program
from servplan.programs.lookups import hq_program, newer_programs
from servplan.programs.models import Practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def hq(make):
    return make.user(role=Role.HQ_REVIEWER)


@pytest.fixture
def v1(make, hq):
    """115's first version: one facet, one strategy, three practices (copied from 114's)."""
    Department.objects.get_or_create(name="人資組")
    make.program(roc_year=114, practices=3)
    draft = start_program(user=hq, roc_year=115)
    return publish_program(user=hq, program=draft, expected_revision=1)


def practices(program):
    return list(
        Practice.objects.filter(measure__strategy__facet__outline=program.outline_id).order_by(
            "measure__position", "position"
        )
    )


def publish(program, hq, reason="修訂"):
    program.refresh_from_db()
    return publish_program(
        user=hq, program=program, reason=reason, expected_revision=program.revision
    )


def edit(draft, hq, step, **kwargs):
    draft.refresh_from_db()
    return step(user=hq, program=draft, expected_revision=draft.revision, **kwargs)


def test_a_copy_unchanged_has_no_changes(v1):
    report = compare_programs(v1, v1.copied_from)
    assert report.empty and report.counts == {"added": 0, "removed": 0, "changed": 0}


def test_added_removed_reworded_and_moved_practices(v1, hq):
    v2 = new_program_version(user=hq, program=v1)
    first, second, third = practices(v2)
    edit(v2, hq, tree.update_practice, practice=first, text="改寫後的作法", departments=["人資組"])
    edit(v2, hq, tree.remove_node, node=second)
    measure = edit(
        v2, hq, tree.add_node, kind="measure", parent=first.measure.strategy, name="新子策略"
    )
    edit(v2, hq, tree.add_node, kind="practice", parent=measure, text="新增的作法", period="每季")
    edit(v2, hq, tree.update_practice, practice=third, period="每年 1 次")
    edit(v2, hq, tree.rename_node, node=first.measure.strategy, name="改名的策略")
    v2 = publish(v2, hq)

    report = compare_programs(v2, v1)
    assert report.counts == {"added": 1, "removed": 1, "changed": 2}
    by_kind = {c.kind: c for c in report.practices if c.kind != "changed"}
    assert by_kind["added"].new == "新增的作法" and "新子策略" in by_kind["added"].place
    assert by_kind["removed"].old == "面向1的作法2"
    reworded, period_only = [c for c in report.practices if c.kind == "changed"]
    assert (reworded.old, reworded.new, reworded.reworded) == ("面向1的作法1", "改寫後的作法", True)
    assert reworded.details == ["承辦部門：業務組 → 人資組"]
    assert not period_only.reworded and period_only.details == ["執行期間：1~12 月 → 每年 1 次"]
    [strategy] = report.strategies
    assert (strategy.old, strategy.new, strategy.reworded) == ("策略1", "改名的策略", True)


def test_a_practice_moved_to_another_strategy_says_where_from(v1, hq):
    v2 = new_program_version(user=hq, program=v1)
    first = practices(v2)[0]
    facet = first.measure.strategy.facet
    strategy = edit(v2, hq, tree.add_node, kind="strategy", parent=facet, name="另一策略")
    measure = edit(v2, hq, tree.add_node, kind="measure", parent=strategy, name="")
    edit(v2, hq, tree.reparent_node, node=first, parent=measure)
    [moved] = [c for c in compare_programs(publish(v2, hq), v1).practices if c.kind == "changed"]
    assert not moved.reworded and moved.details[0].startswith("移自：一、面向1／（一）策略1")


def test_changes_are_followed_across_versions_and_years(v1, hq):
    v2 = new_program_version(user=hq, program=v1)
    edit(v2, hq, tree.update_practice, practice=practices(v2)[0], text="第二版的寫法")
    v2 = publish(v2, hq)
    v3 = new_program_version(user=hq, program=v2)
    edit(v3, hq, tree.remove_node, node=practices(v3)[2])
    v3 = publish(v3, hq)
    against_v1 = compare_programs(v3, v1)
    assert against_v1.counts == {"added": 0, "removed": 1, "changed": 1}
    # and back to 114's, two copies away
    assert compare_programs(v3, hq_program(114)).counts == against_v1.counts


def test_a_plan_is_told_of_a_newer_version(v1, hq, make):
    plan = start_plan(office=make.office(), roc_year=115)
    early = start_plan(office=make.office(), roc_year=116)  # before HQ issues 116's
    assert newer_programs([plan, early]) == {}
    v2 = publish(new_program_version(user=hq, program=v1), hq)
    assert newer_programs([plan, early]) == {plan.pk: v2, early.pk: v2}
    plan.refresh_from_db()
    assert plan.program == v1


def test_the_notice_partial_links_to_the_changes(v1, hq, make, rf):
    from django.template.loader import render_to_string

    plan = start_plan(office=make.office(), roc_year=115)
    assert "總處已發布" not in render_to_string("programs/_newer_version.html", {"plan": plan})
    v2 = publish(new_program_version(user=hq, program=v1), hq)
    html = render_to_string("programs/_newer_version.html", {"plan": plan})
    assert f"/programs/{v2.pk}/changes/?against={v1.pk}" in html
    assert "（第 2 版）" in html
