from decimal import Decimal

import pytest

from servplan.core.roc import Period
from servplan.programs.domain import (
    CellSpec,
    DimensionSpec,
    RubricError,
    RubricSpec,
    create_rubric,
    revise_rubric,
    rubric_spec,
)
from servplan.programs.models import Rubric


def spec(cells=(100, 100, 100), dimension_max=300, total=300) -> RubricSpec:
    items = ["提供在地化及客製化關懷服務", "法規及流程簡化", "公私協力"]
    return RubricSpec(
        roc_year=115,
        title="115年度評分表",
        total_max=Decimal(total),
        items=items,
        dimensions=[
            DimensionSpec(
                "創新性",
                Decimal(dimension_max),
                [CellSpec(i, Decimal(m)) for i, m in zip(items, cells, strict=True)],
            )
        ],
    )


def test_a_rubric_that_adds_up_is_stored(db):
    rubric = create_rubric(spec=spec())
    assert rubric.total_max == 300
    assert [c.max_score for c in rubric.dimensions.get().cells.all()] == [100, 100, 100]


def test_cells_that_dont_add_up_to_their_dimension_are_refused(db):
    with pytest.raises(
        RubricError, match="創新性：各評核項目配分合計 290 分，與構面配分 300 分不符"
    ):
        create_rubric(spec=spec(cells=(100, 100, 90)))
    assert not Rubric.objects.exists()


def test_dimensions_that_dont_add_up_to_the_total_are_refused(db):
    with pytest.raises(RubricError, match="各執行構面配分合計 300 分，與總分 1000 分不符"):
        create_rubric(spec=spec(total=1000))
    assert not Rubric.objects.exists()


def test_a_cell_naming_an_unknown_item_is_refused(db):
    bad = spec()
    bad.dimensions[0].cells[0].item = "不存在的項目"
    with pytest.raises(RubricError, match="不存在的項目"):
        create_rubric(spec=bad)


def test_an_unused_rubric_is_changed_in_place(db):
    rubric = create_rubric(spec=spec())
    revised = revise_rubric(rubric=rubric, spec=spec(cells=(120, 90, 90)))
    assert revised.version == 1
    assert Rubric.objects.count() == 1
    assert [c.max_score for c in revised.dimensions.get().cells.all()] == [120, 90, 90]


def test_a_rubric_in_use_is_frozen_and_a_change_makes_a_new_version(db, make):
    rubric = create_rubric(spec=spec())
    assessment = make.assessment(rubric_=rubric)
    revised = revise_rubric(rubric=rubric, spec=spec(cells=(120, 90, 90)))
    assert rubric.is_frozen
    assert revised.pk != rubric.pk and revised.version == 2 and revised.supersedes == rubric
    assessment.refresh_from_db()
    assert assessment.rubric == rubric
    assert [c.max_score for c in rubric.dimensions.get().cells.all()] == [100, 100, 100]
    assert assessment.period == Period(114, 1, 6)


def test_rubric_spec_round_trips(shipped):
    rubric = Rubric.objects.get(roc_year=114)
    again = rubric_spec(rubric)
    assert [d.max for d in again.dimensions] == [300, 400, 150, 150]
    assert [[c.max for c in d.cells] for d in again.dimensions][1] == [140, 130, 130]
