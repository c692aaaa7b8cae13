"""The plan's pre-submit check: what is missing (errors, which block) or suspicious (warnings)."""

from __future__ import annotations

from servplan.assessments.domain.checks import ERROR, WARNING, Problem
from servplan.plans.models import OfficePlan


def _label(strategy, measure, practice) -> str:
    name = f"{strategy.name}／{measure.name}" if measure.name else strategy.name
    return f"{name}（{practice.number}）" if practice.number else name


def check_plan(plan: OfficePlan) -> list[Problem]:
    """Problems in the table's order; load the plan with plans_for_export() (no further queries).

    Errors: a practice carried out (not 不適用) without a 承辦部門 or 執行期間; one of HQ's
    practices marked 不適用 without a reason. Warnings: a facet with no practice carried out,
    the same practice text twice.
    """
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for facet in plan.outline.facets.all():
        carried_out = 0
        for strategy in facet.strategies.all():
            for measure in strategy.measures.all():
                for practice in measure.practices.all():
                    where = _label(strategy, measure, practice)
                    if practice.not_applicable:
                        if not practice.not_applicable_reason.strip():
                            problems.append(
                                Problem(ERROR, where, f"{where}：標示不適用，但未說明理由")
                            )
                    else:
                        carried_out += 1
                        if not practice.department_links.all():
                            problems.append(Problem(ERROR, where, f"{where}：尚未填承辦部門"))
                        if not practice.period.strip():
                            problems.append(Problem(ERROR, where, f"{where}：尚未填執行期間"))
                    text = "".join(practice.text.split())
                    if text in seen:
                        problems.append(
                            Problem(
                                WARNING,
                                where,
                                f"{where}：具體作法與「{seen[text]}」相同，請確認是否重複",
                            )
                        )
                    else:
                        seen[text] = where
        if not carried_out:
            problems.append(
                Problem(WARNING, facet.name, f"{facet.name}：此面向沒有要執行的具體作法")
            )
    return problems
