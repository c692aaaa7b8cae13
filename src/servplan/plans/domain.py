"""Changes to office plans."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from servplan.core.errors import DomainError
from servplan.core.narrative import normalize
from servplan.core.parsing import check_length
from servplan.offices.domain import find_office
from servplan.offices.models import Office
from servplan.plans.models import OfficePlan, PlanStatus
from servplan.programs.domain import copy_outline
from servplan.programs.models import Program


@transaction.atomic
def create_plan(
    *,
    office: Office,
    program: Program,
    title: str = "",
    approved_on: dt.date | None = None,
    basis: str = "",
    goals: str = "",
    targets: str = "",
    steps: list[str] | None = None,
    supplementary: str = "",
) -> OfficePlan:
    """Start an office's plan from HQ's program: the office gets its own copy of the strategy tree.

    Side effects: creates the OfficePlan and a copy of the program's outline. A plan with an
    approval date is created as approved (陳准實施). Texts are cleaned (core.narrative).
    """
    if OfficePlan.objects.filter(office=office, program=program).exists():
        raise DomainError(f"{office.name} 已有 {program.roc_year} 年度執行計畫", where="program")
    title = " ".join(normalize(title).split())
    check_length(title, limit=200, label="計畫名稱", where="title")
    return OfficePlan.objects.create(
        office=office,
        program=program,
        outline=copy_outline(outline=program.outline),
        title=title or f"{office.name}{program.roc_year}年度提升服務效能執行計畫",
        status=PlanStatus.APPROVED if approved_on else PlanStatus.DRAFT,
        approved_on=approved_on,
        basis=normalize(basis),
        goals=normalize(goals),
        targets=normalize(targets),
        steps="\n".join(normalize(s) for s in steps or []),
        supplementary=normalize(supplementary),
    )


@transaction.atomic
def load_plan(*, data: dict) -> tuple[OfficePlan, bool]:
    """The plan of a data file (see data/samples/plan-*.yaml), created when the office has none for the year."""
    office = find_office(data["office"])
    program = Program.objects.filter(roc_year=data["program"]).first()
    if program is None:
        raise DomainError(f"找不到 {data['program']} 年度總處執行計畫", where="program")
    existing = OfficePlan.objects.filter(office=office, program=program).first()
    if existing:
        return existing, False
    plan = create_plan(
        office=office,
        program=program,
        title=data.get("title", ""),
        approved_on=data.get("approved_on"),
        basis=data.get("basis", ""),
        goals=data.get("goals", ""),
        targets=data.get("targets", ""),
        steps=data.get("steps", []),
        supplementary=data.get("supplementary", ""),
    )
    return plan, True
