"""domain/findings.py: a row's version covers its improvement; follow-up entries and their rules."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servplan.assessments.domain import Conflict, NotAllowed, add_follow_up, update_finding
from servplan.assessments.models import FollowUp
from servplan.audit.models import AuditEntry
from servplan.core.errors import DomainError
from servplan.offices.models import Role


@pytest.fixture
def tracked(db, make):
    a = make.assessment()
    clerk = make.user(office=a.office)
    finding = a.findings.select_related("cell__dimension", "cell__item").order_by("id").first()
    finding = update_finding(finding=finding, user=clerk, recommendation="加強宣導")
    return a, clerk, finding


def test_a_stale_row_is_refused_with_the_newer_values(tracked):
    a, clerk, finding = tracked
    update_finding(finding=finding, user=clerk, strengths="新的優點", expected_version=2)
    with pytest.raises(Conflict) as caught:
        update_finding(finding=finding, user=clerk, strengths="舊的", expected_version=2)
    assert caught.value.current == {
        "strengths": "新的優點",
        "weaknesses": "",
        "recommendation": "加強宣導",
        "improvement_status": "open",
        "remarks": "",
        "version": 3,
    }


def test_changing_only_the_improvement_moves_the_row_version(tracked):
    a, clerk, finding = tracked
    assert update_finding(finding=finding, user=clerk, improvement_status="done").version == 3
    assert update_finding(finding=finding, user=clerk, recommendation="改寫").version == 4
    # nothing changed: the version stays
    assert update_finding(finding=finding, user=clerk, recommendation="改寫").version == 4


def test_a_row_without_a_recommendation_takes_no_status_or_progress(db, make):
    a = make.assessment()
    clerk = make.user(office=a.office)
    finding = a.findings.select_related("cell__dimension", "cell__item").order_by("id").first()
    for field, value in (("improvement_status", "done"), ("progress", "已辦理")):
        with pytest.raises(DomainError) as caught:
            update_finding(finding=finding, user=clerk, strengths="優點", **{field: value})
        assert "構面1／項目1：沒有建議改善事項的列不能" in caught.value.message
    finding.refresh_from_db()
    assert finding.strengths == "" and finding.version == 1
    # with the recommendation in the same save, both are taken
    finding = update_finding(
        finding=finding,
        user=clerk,
        recommendation="加強宣導",
        improvement_status="in_progress",
        progress="已辦理",
    )
    assert finding.improvement.status == "in_progress"
    assert finding.improvement.follow_ups.get().progress == "已辦理"


def test_letting_go_of_the_recommendation_may_repeat_its_status_not_change_it(tracked):
    a, clerk, finding = tracked
    finding = update_finding(
        finding=finding, user=clerk, recommendation="", improvement_status="open"
    )
    assert finding.improvement is None
    finding = update_finding(finding=finding, user=clerk, recommendation="再次建議")
    with pytest.raises(DomainError, match="沒有建議改善事項的列不能設定改善狀態"):
        update_finding(finding=finding, user=clerk, recommendation="", improvement_status="done")


def test_a_follow_up_from_a_stale_improvement_is_refused(tracked):
    a, clerk, finding = tracked
    improvement = finding.improvement
    add_follow_up(
        improvement=improvement,
        user=clerk,
        roc_year=114,
        quarter=1,
        progress="規劃",
        recommendation="改寫",
        expected_version=1,
    )
    assert improvement.version == 2 and improvement.recommendation == "改寫"
    with pytest.raises(Conflict) as caught:
        add_follow_up(
            improvement=improvement,
            user=clerk,
            roc_year=114,
            quarter=2,
            progress="辦理",
            expected_version=1,
        )
    assert caught.value.current["recommendation"] == "改寫"
    assert FollowUp.objects.count() == 1


def test_only_the_offices_clerk_follows_up(tracked, make):
    a, _, finding = tracked
    for user in (make.user(office=a.office, role=Role.DIRECTOR), make.user(office=make.office())):
        with pytest.raises(NotAllowed, match="建議改善事項「加強宣導」"):
            add_follow_up(
                improvement=finding.improvement, user=user, roc_year=114, quarter=1, progress="x"
            )


def test_an_entry_belongs_to_a_table_that_carries_the_improvement(tracked, make):
    a, clerk, finding = tracked
    other = make.assessment(office=a.office, period=(115, 1, 6))
    other.findings.update(improvement=None)
    with pytest.raises(DomainError, match="不在 115 年度 1 月至 6 月的追蹤表上"):
        add_follow_up(
            improvement=finding.improvement,
            user=clerk,
            roc_year=115,
            quarter=1,
            progress="x",
            assessment=other,
        )
    assert not AuditEntry.objects.filter(assessment_id=other.pk).exclude(field="created").exists()


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quarter=st.integers(min_value=-10, max_value=20))
def test_only_quarters_one_to_four_are_accepted(tracked, quarter):
    a, clerk, finding = tracked
    if 1 <= quarter <= 4:
        entry = add_follow_up(
            improvement=finding.improvement,
            user=clerk,
            roc_year=114,
            quarter=quarter,
            progress="辦理",
        )
        assert entry.quarter == quarter
    else:
        with pytest.raises(DomainError, match=f"季別 {quarter} 不正確"):
            add_follow_up(
                improvement=finding.improvement,
                user=clerk,
                roc_year=114,
                quarter=quarter,
                progress="辦理",
            )
