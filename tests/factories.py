"""Small factories: just enough rows for a test, with names that say what they are."""

from __future__ import annotations

import itertools
from decimal import Decimal

from servplan.assessments.domain import create_assessment
from servplan.assessments.models import Assessment
from servplan.core.roc import Period
from servplan.offices.domain import add_user
from servplan.offices.models import Office, Role
from servplan.programs.domain import CellSpec, DimensionSpec, RubricSpec, create_rubric
from servplan.programs.models import Rubric

_seq = itertools.count(1)
PASSWORD = "test-password"


def office(name: str | None = None) -> Office:
    n = next(_seq)
    return Office.objects.create(
        name=name or f"測試{n}區營業處", code=f"test-{n}", position=100 + n
    )


def user(
    *, role: Role | str = Role.CLERK, office: Office | None = None, username: str | None = None
):
    return add_user(
        username=username or f"user{next(_seq)}", role=role, office=office, password=PASSWORD
    )


def rubric(
    *, dimensions: int = 2, items: int = 2, cell_max: int = 10, roc_year: int = 114
) -> Rubric:
    """A rubric of `dimensions` × `items` cells of `cell_max` points each."""
    item_names = [f"項目{i}" for i in range(1, items + 1)]
    spec = RubricSpec(
        roc_year=roc_year,
        title=f"測試評分表{next(_seq)}",
        total_max=Decimal(dimensions * items * cell_max),
        items=item_names,
        dimensions=[
            DimensionSpec(
                name=f"構面{d}",
                max=Decimal(items * cell_max),
                cells=[CellSpec(name, Decimal(cell_max)) for name in item_names],
            )
            for d in range(1, dimensions + 1)
        ],
    )
    return create_rubric(spec=spec)


def assessment(
    *, office: Office | None = None, rubric_: Rubric | None = None, period=(114, 1, 6)
) -> Assessment:
    return create_assessment(
        office=office or globals()["office"](), rubric=rubric_ or rubric(), period=Period(*period)
    )


def staff(office: Office) -> dict:
    """One user for each role of the default chain in `office`, keyed by role."""
    from servplan.offices.models import OFFICE_ROLES

    return {r: user(role=r, office=office, username=f"{r.value}{next(_seq)}") for r in OFFICE_ROLES}


def fill(assessment: Assessment, *, score: str = "5") -> Assessment:
    """Give every cell of `assessment` a score and a narrative of its own (so it can be submitted)."""
    from servplan.assessments.domain import score_cell

    for cs in assessment.cells.select_related("cell__dimension", "cell__item"):
        score_cell(
            cell_score=cs,
            score=score,
            narrative=f"1. {cs.cell.dimension.name}{cs.cell.item.name}的執行情形，第 {cs.pk} 格。",
        )
    return assessment


def submitted(assessment: Assessment, *, fill_cells: bool = True) -> Assessment:
    """Fill `assessment` (unless told its cells are filled already, as the seed's are) and
    walk it through its office's whole chain to HQ."""
    from servplan.assessments.domain import chain_state, decide, submit_assessment

    people = staff(assessment.office)
    if fill_cells:
        fill(assessment)
    submit_assessment(assessment=assessment, user=people[Role.CLERK])
    while (step := chain_state(assessment).current) is not None:
        decide(assessment=assessment, user=people[step[1]], decision="approve")
    return assessment


def reviewed(assessment: Assessment, hq=None, *, fill_cells: bool = True) -> Assessment:
    """Walk `assessment` to HQ, give every cell a review score and mark it reviewed."""
    from servplan.review.domain import mark_reviewed, review_cell

    hq = hq or user(role=Role.HQ_REVIEWER)
    if assessment.status != "submitted":
        submitted(assessment, fill_cells=fill_cells)
    for cs in assessment.cells.select_related("cell__dimension", "cell__item"):
        review_cell(cell_score=cs, user=hq, score="4")
    return mark_reviewed(assessment=assessment, user=hq)


def released(assessment: Assessment, hq=None, *, fill_cells: bool = True) -> Assessment:
    """`assessment` reviewed by HQ and its period released (the offices see the review)."""
    from servplan.review.domain import release_reviews
    from servplan.review.models import ReviewRelease

    hq = hq or user(role=Role.HQ_REVIEWER)
    reviewed(assessment, hq, fill_cells=fill_cells)
    if not ReviewRelease.objects.filter(**assessment.period.as_dict()).exists():
        release_reviews(period=assessment.period, user=hq)
    return assessment


def program(*, roc_year: int = 114, facets: int = 1, practices: int = 2):
    """HQ's program: `facets` facets of one strategy and one sub-strategy with `practices` practices."""
    from servplan.programs.domain import build_outline
    from servplan.programs.models import Program

    outline = build_outline(
        facets=[
            {
                "name": f"面向{f}",
                "strategies": [
                    {
                        "name": f"策略{f}",
                        "measures": [
                            {
                                "name": f"子策略{f}",
                                "departments": ["業務組"],
                                "period": "1~12 月",
                                "practices": [
                                    {"number": n, "text": f"面向{f}的作法{n}"}
                                    for n in range(1, practices + 1)
                                ],
                            }
                        ],
                    }
                ],
            }
            for f in range(1, facets + 1)
        ]
    )
    return Program.objects.create(
        roc_year=roc_year, title=f"{roc_year}年度提升服務效能執行計畫", outline=outline
    )


def plan(*, office: Office | None = None, roc_year: int = 114, facets: int = 1, practices: int = 2):
    """A draft plan started from a new program of `roc_year` (or the one the year has already:
    then `facets` and `practices` are that program's), for an office with departments."""
    from servplan.offices.models import Department
    from servplan.plans.domain import start_plan
    from servplan.programs.models import Program

    office = office or globals()["office"]()
    if not Program.objects.filter(roc_year=roc_year).exists():
        program(roc_year=roc_year, facets=facets, practices=practices)
    for name in ["業務組", "人資組", "總務組"]:
        office.departments.add(Department.objects.get_or_create(name=name)[0])
    return start_plan(office=office, roc_year=roc_year)


def approved_plan(*, approved_on=None, **kwargs):
    """A plan as plan() makes it, put straight into the approved state (陳准實施) through the
    ORM, as the last step of its sign-off would leave it."""
    import datetime as dt

    from servplan.plans.models import PlanStatus

    approved = plan(**kwargs)
    approved.status = PlanStatus.APPROVED
    approved.approved_on = approved_on or dt.date(2025, 3, 21)
    approved.save(update_fields=["status", "approved_on"])
    return approved


def scores(assessment: Assessment, values: list, narratives: list[str] | None = None) -> Assessment:
    """Give the cells of `assessment`, in rubric order, these self-scores (and narratives;
    by default one of its own per cell)."""
    from servplan.assessments.domain import score_cell

    cells = assessment.cells.select_related("cell__dimension", "cell__item").order_by(
        "cell__dimension__position", "cell__item__position"
    )
    for n, (cs, value) in enumerate(zip(cells, values, strict=True)):
        text = narratives[n] if narratives else f"{assessment.office.name}第 {n} 格的執行情形。"
        score_cell(cell_score=cs, score=str(value), narrative=text)
    return assessment


def to_hq(assessment: Assessment) -> Assessment:
    """Walk `assessment` as it is (not filled again) through its office's whole chain to HQ."""
    from servplan.assessments.domain import chain_state, decide, submit_assessment

    people = staff(assessment.office)
    submit_assessment(assessment=assessment, user=people[Role.CLERK])
    while (step := chain_state(assessment).current) is not None:
        decide(assessment=assessment, user=people[step[1]], decision="approve")
    return assessment


def review_scores(assessment: Assessment, values: list, hq=None) -> Assessment:
    """HQ's review scores for the cells of a submitted `assessment`, in rubric order (None
    leaves a cell unreviewed); in a period HQ opened, HQ accepts it first."""
    from servplan.periods.domain import accept_submission
    from servplan.periods.rules import gate
    from servplan.review.domain import review_cell

    hq = hq or user(role=Role.HQ_REVIEWER)
    if gate(assessment).needs_acceptance:
        accept_submission(assessment=assessment, user=hq)
    cells = assessment.cells.select_related("cell__dimension", "cell__item").order_by(
        "cell__dimension__position", "cell__item__position"
    )
    for cs, value in zip(cells, values, strict=True):
        if value is not None:
            review_cell(cell_score=cs, user=hq, score=str(value), comment="複評意見")
    return assessment


def rubric_form(rubric: Rubric, **changes) -> dict:
    """HQ's rubric edit form as the page sends it for `rubric`, with `changes` (field → value)."""
    from servplan.programs.domain import rubric_spec
    from servplan.programs.rubric_form import grid_of

    grid = grid_of(rubric_spec(rubric))
    data = {
        "revision": str(Rubric.objects.get(pk=rubric.pk).revision),
        "title": grid["title"],
        "total_max": grid["total_max"],
        "items": str(len(grid["items"])),
        "dimensions": str(len(grid["dimensions"])),
    }
    for i, name in enumerate(grid["items"], start=1):
        data[f"item-{i}-name"] = name
    for d, dim in enumerate(grid["dimensions"], start=1):
        data |= {f"dim-{d}-name": dim["name"], f"dim-{d}-max": dim["max"]}
        data[f"dim-{d}-focus"] = dim["focus"]
        for i, cell in enumerate(dim["cells"], start=1):
            data |= {f"cell-{d}-{i}-max": cell["max"], f"cell-{d}-{i}-focus": cell["focus"]}
    return data | changes
