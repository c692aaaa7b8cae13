"""The plan's pre-submit check: what is missing (errors, which block) or suspicious (warnings)."""

from __future__ import annotations

from dataclasses import dataclass

from servplan.assessments.domain.checks import ERROR, WARNING, Problem
from servplan.plans.models import OfficePlan


@dataclass(frozen=True)
class PlanProblem(Problem):
    """A problem with the id of the element the plan page shows it at (practice-12, facet-3)."""

    anchor: str = ""


def _label(strategy, measure, practice) -> str:
    name = f"{strategy.name}／{measure.name}" if measure.name else strategy.name
    return f"{name}（{practice.number}）" if practice.number else name


def check_plan(plan: OfficePlan) -> list[PlanProblem]:
    """Problems in the table's order; load the plan with plans_for_export() (no further queries).

    Errors: a practice carried out (not 不適用) without a 承辦部門 or 執行期間; one of HQ's
    practices marked 不適用 without a reason. Warnings: a facet with no practice carried out,
    the same practice text twice.
    """
    problems: list[PlanProblem] = []
    seen: dict[str, str] = {}
    for facet in plan.outline.facets.all():
        carried_out = 0
        for strategy in facet.strategies.all():
            for measure in strategy.measures.all():
                for practice in measure.practices.all():
                    where = _label(strategy, measure, practice)
                    at = f"practice-{practice.pk}"
                    if practice.not_applicable:
                        if not practice.not_applicable_reason.strip():
                            problems.append(
                                PlanProblem(ERROR, where, f"{where}：標示不適用，但未說明理由", at)
                            )
                    else:
                        carried_out += 1
                        if not practice.department_links.all():
                            problems.append(
                                PlanProblem(ERROR, where, f"{where}：尚未填承辦部門", at)
                            )
                        if not practice.period.strip():
                            problems.append(
                                PlanProblem(ERROR, where, f"{where}：尚未填執行期間", at)
                            )
                    text = "".join(practice.text.split())
                    if text in seen:
                        problems.append(
                            PlanProblem(
                                WARNING,
                                where,
                                f"{where}：具體作法與「{seen[text]}」相同，請確認是否重複",
                                at,
                            )
                        )
                    else:
                        seen[text] = where
        if not carried_out:
            problems.append(
                PlanProblem(
                    WARNING,
                    facet.name,
                    f"{facet.name}：此面向沒有要執行的具體作法",
                    f"facet-{facet.pk}",
                )
            )
    return problems
