"""plans/checks.py: the plan's pre-submit check."""

import pytest

from servplan.plans import domain
from servplan.plans.checks import check_plan
from servplan.plans.serializers import plans_for_export
from servplan.programs.models import Practice, PracticeDepartment

pytestmark = pytest.mark.django_db


def problems(plan):
    return [(p.level, p.message) for p in check_plan(plans_for_export().get(pk=plan.pk))]


def practices(plan):
    return list(
        Practice.objects.filter(measure__strategy__facet__outline=plan.outline).order_by(
            "measure__strategy__facet__position", "position"
        )
    )


def test_a_complete_plan_has_no_problems(make):
    assert problems(make.plan(facets=2)) == []


def test_the_shipped_program_copied_whole_has_no_errors(shipped):
    from servplan.offices.models import Office

    plan = domain.start_plan(office=Office.objects.get(name="苗栗區營業處"), roc_year=112)
    assert [p for p in problems(plan) if p[0] == "error"] == []


def test_a_practice_without_department_or_period_is_an_error(make):
    plan = make.plan()
    first, second = practices(plan)
    PracticeDepartment.objects.filter(practice=first).delete()
    domain.update_practice(practice=second, user=None, period=" ", expected_version=1)
    assert problems(plan) == [
        ("error", "策略1／子策略1（1）：尚未填承辦部門"),
        ("error", "策略1／子策略1（2）：尚未填執行期間"),
    ]


def test_a_not_applicable_practice_needs_a_reason_not_a_department(make):
    plan = make.plan()
    first = practices(plan)[0]
    Practice.objects.filter(pk=first.pk).update(not_applicable=True, period="")
    PracticeDepartment.objects.filter(practice=first).delete()
    assert problems(plan) == [("error", "策略1／子策略1（1）：標示不適用，但未說明理由")]
    Practice.objects.filter(pk=first.pk).update(not_applicable_reason="本處無此業務")
    assert problems(plan) == []


def test_a_facet_with_nothing_carried_out_is_a_warning(make):
    plan = make.plan(facets=2, practices=1)
    [_first, second] = practices(plan)
    domain.mark_not_applicable(practice=second, user=None, reason="無此業務", expected_version=1)
    assert problems(plan) == [("warning", "面向2：此面向沒有要執行的具體作法")]


def test_the_same_text_twice_is_a_warning(make):
    plan = make.plan()
    first, second = practices(plan)
    domain.update_practice(
        practice=second, user=None, text=first.text.replace("作法", "作 法"), expected_version=1
    )
    assert problems(plan) == [
        ("warning", "策略1／子策略1（2）：具體作法與「策略1／子策略1（1）」相同，請確認是否重複")
    ]


def test_the_check_reads_the_loaded_plan_only(make, django_assert_num_queries):
    plan = plans_for_export().get(pk=make.plan(facets=3, practices=4).pk)
    with django_assert_num_queries(0):
        check_plan(plan)
