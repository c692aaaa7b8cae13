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


def test_a_rubric_hq_has_not_published_is_refused(db, make):
    draft = make.rubric()
    draft.status = "draft"
    draft.save(update_fields=["status"])
    with pytest.raises(DomainError, match="尚未發布") as refused:
        create_assessment(office=make.office(), rubric=draft, period=Period(114, 1, 6))
    assert refused.value.where == "rubric"


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


def test_a_stale_version_is_refused_showing_the_newer_value(db, make):
    from servplan.assessments.domain import Conflict

    a = make.assessment()
    clerk = make.user(office=a.office)
    first, second = first_cell(a), first_cell(a)
    score_cell(cell_score=first, score="7", expected_version=1, user=clerk)
    with pytest.raises(Conflict) as caught:
        score_cell(cell_score=second, score="3", expected_version=1, user=clerk)
    assert caught.value.current == {"score": 7, "narrative": "", "version": 2}
    second.refresh_from_db()
    assert second.score == 7


def test_edits_are_recorded_in_the_audit_trail(db, make):
    from servplan.audit.models import AuditEntry

    a = make.assessment()
    clerk = make.user(office=a.office)
    score_cell(
        cell_score=first_cell(a), score="4", narrative="說明", expected_version=1, user=clerk
    )
    rows = AuditEntry.objects.filter(assessment_id=a.pk, object_type="assessments.cellscore")
    assert {(r.field, r.old, r.new, r.user_id) for r in rows} == {
        ("score", "", "4", clerk.pk),
        ("narrative", "", "說明", clerk.pk),
    }


def test_saving_the_same_values_keeps_the_version(db, make):
    cell = first_cell(make.assessment())
    score_cell(cell_score=cell, score="4")
    score_cell(cell_score=cell, score="4", expected_version=2)
    assert cell.version == 2


def test_only_the_offices_clerk_may_edit(db, make):
    from servplan.assessments.domain import NotAllowed
    from servplan.offices.models import Role

    a = make.assessment()
    for outsider in (
        make.user(office=a.office, role=Role.DIRECTOR),
        make.user(office=make.office()),
        make.user(role=Role.HQ_REVIEWER),
    ):
        with pytest.raises(NotAllowed):
            score_cell(cell_score=first_cell(a), score="1", user=outsider)


def test_cells_cannot_change_while_in_signoff(db, make):
    from servplan.assessments.domain import Conflict

    a = make.assessment()
    a.status = Status.IN_SIGNOFF
    a.save()
    with pytest.raises(Conflict, match="核章中"):
        score_cell(cell_score=first_cell(a), score="1")


def test_copying_the_previous_period_keeps_narratives_and_open_improvements(db, make):
    from servplan.assessments.domain import update_finding

    old = make.fill(make.assessment(period=(113, 7, 12)))
    clerk = make.user(office=old.office)
    finding = old.findings.select_related("cell__dimension", "cell__item").first()
    update_finding(finding=finding, user=clerk, recommendation="加強訓練")
    new = create_assessment(
        office=old.office, rubric=old.rubric, period=Period(114, 1, 6), user=clerk, copy_from=old
    )
    old_cells = {c.cell_id: c for c in old.cells.all()}
    for cell in new.cells.all():
        assert cell.narrative == old_cells[cell.cell_id].narrative
        assert cell.score is None and cell.version == 1
    assert new.findings.get(cell=finding.cell).improvement.recommendation == "加強訓練"
    assert new.status == Status.DRAFT and not new.signoffs.exists()


def test_done_improvements_do_not_carry_over(db, make):
    from servplan.assessments.domain import update_finding

    old = make.assessment(period=(113, 7, 12))
    clerk = make.user(office=old.office)
    finding = old.findings.select_related("cell__dimension", "cell__item").first()
    update_finding(
        finding=finding, user=clerk, recommendation="加強訓練", improvement_status="done"
    )
    new = create_assessment(office=old.office, rubric=old.rubric, period=Period(114, 1, 6))
    assert not new.findings.filter(improvement__isnull=False).exists()


def test_another_office_cannot_open_an_assessment(db, make):
    from servplan.assessments.domain import NotAllowed

    office = make.office()
    with pytest.raises(NotAllowed):
        create_assessment(
            office=office,
            rubric=make.rubric(),
            period=Period(114, 1, 6),
            user=make.user(office=make.office()),
        )
