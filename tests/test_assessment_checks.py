from servplan.assessments.domain import blocking, check_assessment, score_cell, update_finding
from servplan.assessments.sheet import sheet_queryset


def checked(a):
    return check_assessment(sheet_queryset().get(pk=a.pk))


def test_an_empty_assessment_has_an_error_per_missing_score_and_narrative(db, make):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=2))
    messages = [p.message for p in blocking(checked(a))]
    assert messages == [
        "構面1／項目1：尚未填自評分數",
        "構面1／項目1：尚未填執行情形",
        "構面1／項目2：尚未填自評分數",
        "構面1／項目2：尚未填執行情形",
    ]


def test_a_filled_assessment_passes(db, make):
    assert checked(make.fill(make.assessment())) == []


def test_copied_paragraphs_warn_without_blocking(db, make):
    a = make.fill(make.assessment(rubric_=make.rubric(dimensions=1, items=2)))
    first, second = a.cells.select_related("cell__dimension", "cell__item")
    score_cell(
        cell_score=first, narrative="1. 力行一次告知服務，服務人員能精確回答用戶問題。\n2. 其他"
    )
    score_cell(cell_score=second, narrative="(3)力行一次告知服務，服務人員能精確回答用戶問題。")
    [problem] = checked(a)
    assert problem.level == "warning" and problem.where == "構面1／項目2"
    assert "與「構面1／項目1」相同" in problem.message


def test_a_recommendation_without_progress_warns(db, make):
    a = make.fill(make.assessment())
    clerk = make.user(office=a.office)
    finding = a.findings.select_related("cell__dimension", "cell__item").first()
    update_finding(finding=finding, user=clerk, recommendation="加強訓練")
    [problem] = checked(a)
    assert problem.level == "warning" and "尚未填改善事項辦理情形" in problem.message
    update_finding(finding=finding, user=clerk, progress="已辦理兩場訓練")
    assert checked(a) == []


def test_the_seed_only_warns_about_its_copied_paragraphs(taitung):
    problems = checked(taitung)
    assert not blocking(problems)
    assert any(p.where == "可持續性／法規及流程簡化" for p in problems)
