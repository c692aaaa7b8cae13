import pytest
from django.db import IntegrityError, transaction

from servplan.assessments.domain import create_assessment, score_cell
from servplan.assessments.models import CellScore, Status
from servplan.core.errors import DomainError
from servplan.core.roc import Period


def first_cell(assessment) -> CellScore:
    return assessment.cells.select_related("cell__dimension", "cell__item", "assessment").first()


def test_create_makes_one_score_and_one_finding_per_cell(db, make):
    assessment = make.assessment(rubric_=make.rubric(dimensions=3, items=4))
    assert assessment.cells.count() == 12
    assert assessment.findings.count() == 12
    assert assessment.status == Status.DRAFT


def test_a_second_assessment_for_the_same_period_is_refused(db, make):
    assessment = make.assessment()
    with pytest.raises(DomainError, match="已存在"):
        create_assessment(
            office=assessment.office, rubric=assessment.rubric, period=Period(114, 1, 6)
        )


def test_a_score_above_the_maximum_is_refused_naming_the_cell_and_its_maximum(db, make):
    cell = first_cell(make.assessment(rubric_=make.rubric(cell_max=10)))
    with pytest.raises(DomainError, match=r"構面1／項目1：分數 11 超過最高分 10 分"):
        score_cell(cell_score=cell, score="11")
    cell.refresh_from_db()
    assert cell.score is None and cell.version == 1


@pytest.mark.parametrize("value", ["-1", "3.3", "x"])
def test_other_bad_scores_are_refused(db, make, value):
    cell = first_cell(make.assessment())
    with pytest.raises(DomainError, match="構面1／項目1"):
        score_cell(cell_score=cell, score=value)


def test_a_good_score_is_saved_and_bumps_the_version(db, make):
    cell = first_cell(make.assessment())
    score_cell(cell_score=cell, score="9.5", narrative="1. 說明\r\n- 條列  ")
    cell.refresh_from_db()
    assert cell.score == pytest.approx(9.5) and cell.version == 2
    assert cell.narrative == "1. 說明\n- 條列"


def test_a_locked_assessment_refuses_changes(db, make):
    assessment = make.assessment()
    assessment.status = Status.SUBMITTED
    assessment.save()
    with pytest.raises(DomainError, match="已送出"):
        score_cell(cell_score=first_cell(assessment), score="1")


@pytest.mark.parametrize(
    ("value", "why"), [("11", "above max"), ("-0.5", "negative"), ("2.3", "not a half point")]
)
def test_the_database_itself_refuses_bad_scores(db, make, value, why):
    cell = first_cell(make.assessment(rubric_=make.rubric(cell_max=10)))
    with pytest.raises(IntegrityError), transaction.atomic():
        CellScore.objects.filter(pk=cell.pk).update(score=value)


def test_the_database_accepts_half_points(db, make):
    cell = first_cell(make.assessment(rubric_=make.rubric(cell_max=10)))
    CellScore.objects.filter(pk=cell.pk).update(score="9.5")
    cell.refresh_from_db()
    assert str(cell.score) == "9.5"
