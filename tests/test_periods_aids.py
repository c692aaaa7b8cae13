"""The reviewer aids of a period (periods.aids and its page): outliers against peers and
against history, self/HQ gaps, copied narratives, open improvements and whose move they are,
typos; on the seed data and on small made-up periods."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servplan.assessments.domain import update_finding
from servplan.assessments.models import Assessment, FollowUp
from servplan.core.roc import Period
from servplan.offices.models import Office, Role
from servplan.periods import domain
from servplan.periods.aids import build_aids
from servplan.periods.models import AssessmentPeriod
from servplan.programs.models import Rubric

PERIOD = Period(114, 1, 6)


def open_period(hq, rubric, period=PERIOD):
    row, _ = domain.open_period(
        period=period, rubric=rubric, deadline=dt.date(2025, 7, 15), user=hq
    )
    return row


def draft(office, period=PERIOD):
    return Assessment.objects.get(office=office, **period.as_dict())


# ---- seed 000 -------------------------------------------------------------------------------


@pytest.fixture
def seed_period(taitung, make):
    """114 年度 1 月至 6 月 opened on the 114 rubric, 台東's seed record submitted to HQ."""
    hq = make.user(role=Role.HQ_REVIEWER)
    period = open_period(hq, Rubric.objects.get(roc_year=114, version=1))
    make.to_hq(taitung)
    return hq, period


def test_seed_000s_copied_sustainability_paragraphs_are_found_and_nothing_unrelated(
    seed_period, taitung
):
    hq, period = seed_period
    aids = build_aids(period, user=hq)
    found = {frozenset((c.a.cell, c.b.cell)): c for c in aids.copies}
    sustain = found[frozenset(("可持續性／提供在地化及客製化關懷服務", "可持續性／法規及流程簡化"))]
    assert sustain.kind == "same_assessment" and sustain.a.assessment == taitung
    assert any("善用資訊系統" in text for text in sustain.match.shared_text)
    assert set(found) == {
        frozenset(("可持續性／提供在地化及客製化關懷服務", "可持續性／法規及流程簡化")),
        frozenset(("效益及影響／公私協力", "擴散應用／公私協力")),
    }


def test_seed_000s_typos_are_found_where_they_are(seed_period, make):
    from servplan.core.data import data_path, read_yaml

    domain.load_typos(data=read_yaml(data_path("typos.yaml")))
    hq, period = seed_period
    found = {(t.find.wrong, t.cell, t.field) for t in build_aids(period, user=hq).typos}
    assert found == {
        ("嫓熟", "可持續性／法規及流程簡化", "narrative"),
        ("問券", "效益及影響／提供在地化及客製化關懷服務", "progress"),
    }


def test_the_page_explains_each_aid_and_marks_the_shared_passages(seed_period, as_user):
    hq, period = seed_period
    text = as_user(hq).get(reverse("period-aids", args=[period.slug])).text
    for heading in (
        "自評分數與各區營業處相比",
        "自評與複評差距大",
        "疑似複製的執行情形",
        "未完成的建議改善事項",
        "常見錯別字",
    ):
        assert heading in text
    assert "中位數絕對離差" in text and "連續 5 個字為一組比對" in text
    assert "<mark>善用資訊系統，針對政府已有或公權力可調閱的資訊" in text


# ---- made-up periods ------------------------------------------------------------------------


@pytest.fixture
def world(db, make):
    """Five offices on a 1 × 2 rubric of 10 points: 戊 scores itself far below the others;
    甲 has a history of 5s and now gives itself 10s."""
    hq = make.user(role=Role.HQ_REVIEWER)
    rubric = make.rubric(dimensions=1, items=2, cell_max=10)
    names = [
        "輔助甲區營業處",
        "輔助乙區營業處",
        "輔助丙區營業處",
        "輔助丁區營業處",
        "輔助戊區營業處",
    ]
    offices = {n: make.office(n) for n in names}
    for n in ("輔助甲區營業處", "輔助乙區營業處"):
        for period in ((113, 1, 6), (113, 7, 12)):
            old = make.assessment(office=offices[n], rubric_=rubric, period=period)
            make.to_hq(make.scores(old, [5, 9]))
    period = open_period(hq, rubric)
    now = {"輔助甲區營業處": [10, 9], "輔助戊區營業處": [2, 9]}
    for n, o in offices.items():
        make.to_hq(make.scores(draft(o), now.get(n, [9, 9])))
    return {"hq": hq, "period": period, "offices": offices, "rubric": rubric}


def test_a_self_score_far_from_the_peers_is_listed_with_its_distance(world):
    aids = build_aids(world["period"], user=world["hq"])
    # 項目1: 90 % for three offices, 甲 100 %, 戊 20 %: the MAD is 0, so the unit is the
    # floor of 2 points; 項目2: everyone 90 %
    assert [(o.office.name, o.cell.item, o.distance) for o in aids.peers] == [
        ("輔助戊區營業處", "項目1", -35),
        ("輔助甲區營業處", "項目1", 5),
    ]
    o = aids.peers[0]
    assert o.percent == 20 and o.median == 90 and o.n == 5 and o.direction == "偏低"


def test_a_self_score_far_from_the_offices_own_history_is_listed(world):
    aids = build_aids(world["period"], user=world["hq"])
    found = [(o.office.name, o.cell.item, o.median, o.n) for o in aids.history]
    # 甲: 100 % against its 50 %, 50 %; 乙 gave itself 90 % again on 項目2, and 90 % ≠ 50 % on 項目1
    assert ("輔助甲區營業處", "項目1", 50, 2) in found
    assert ("輔助乙區營業處", "項目1", 50, 2) in found
    assert not any(item == "項目2" for _, item, _, _ in found)
    assert not any(name in ("輔助丙區營業處", "輔助丁區營業處") for name, *_ in found)


def test_large_gaps_between_self_and_hq_are_listed_largest_first(world, make):
    a = draft(world["offices"]["輔助丙區營業處"])
    make.review_scores(a, [6, 8.5], hq=world["hq"])
    b = draft(world["offices"]["輔助丁區營業處"])
    make.review_scores(b, [9, 8], hq=world["hq"])
    gaps = build_aids(world["period"], user=world["hq"]).gaps
    assert [(g.office.name, g.cell.item, g.gap) for g in gaps] == [
        ("輔助丙區營業處", "項目1", 3),
        ("輔助丁區營業處", "項目2", 1),
    ]
    assert gaps[0].share == Decimal("0.3")


COPIED = "本處於上半年辦理三場用戶座談會，蒐集在地用電大戶意見並逐案追蹤改善情形，成效良好。"


def test_copies_between_offices_and_from_the_previous_period_are_found(db, make):
    hq = make.user(role=Role.HQ_REVIEWER)
    rubric = make.rubric(dimensions=1, items=2, cell_max=10)
    a, b = make.office("抄甲區營業處"), make.office("抄乙區營業處")
    old = make.assessment(office=a, rubric_=rubric, period=(113, 7, 12))
    make.to_hq(
        make.scores(
            old,
            [5, 5],
            ["去年寫的：" + COPIED, "另一段完全不同的去年內容，談的是電費帳單的寄送方式。"],
        )
    )
    period = open_period(hq, rubric)
    make.to_hq(
        make.scores(
            draft(a), [5, 5], [COPIED, "甲處今年新寫的說明，介紹線上申辦與行動支付的推廣。"]
        )
    )
    make.to_hq(
        make.scores(
            draft(b),
            [5, 5],
            ["乙處自己的說明，關於偏鄉到府服務的安排與人力。", "乙處也照抄：" + COPIED],
        )
    )
    copies = build_aids(period, user=hq).copies
    found = {(c.kind, c.a.office.name, c.a.cell, c.b.office.name, c.b.cell) for c in copies}
    assert found == {
        ("between_offices", "抄甲區營業處", "構面1／項目1", "抄乙區營業處", "構面1／項目2"),
        ("previous_period", "抄甲區營業處", "構面1／項目1", "抄甲區營業處", "構面1／項目1"),
    }
    previous = next(c for c in copies if c.kind == "previous_period")
    assert previous.b.assessment == old
    # 乙 shares the text with 甲's previous period too, but that pair is not this period's
    assert not any(c.b.assessment == old and c.a.office.name == "抄乙區營業處" for c in copies)


def test_open_improvements_say_since_when_and_whose_move_it_is(db, make):
    hq = make.user(role=Role.HQ_REVIEWER)
    rubric = make.rubric(dimensions=1, items=1, cell_max=10)
    stale, answered, waiting = (
        make.office(n) for n in ("舊案區營業處", "回覆區營業處", "待覆區營業處")
    )
    old = make.assessment(office=stale, rubric_=rubric, period=(113, 1, 6))
    clerk = make.user(office=stale)
    update_finding(finding=old.findings.get(), user=clerk, recommendation="加強同仁訓練")
    make.to_hq(make.scores(old, [8]))
    period = open_period(hq, rubric)  # the open improvement carries over to 舊案's draft
    for office in (answered, waiting):
        update_finding(
            finding=draft(office).findings.get(),
            user=make.user(office=office),
            recommendation="增加服務管道",
            progress="已新增線上預約",
        )
    FollowUp.objects.update(created_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))
    for office in (stale, answered, waiting):
        make.to_hq(make.scores(draft(office), [8]))
    make.review_scores(draft(answered), [7], hq=hq)  # HQ comments after the office's entry
    found = {i.assessment.office.name: i for i in build_aids(period, user=hq).improvements}
    assert found["舊案區營業處"].quarters == 4 and found["舊案區營業處"].stale
    assert found["舊案區營業處"].last is None and found["舊案區營業處"].move == "office"
    assert found["回覆區營業處"].quarters == 0 and not found["回覆區營業處"].stale
    assert found["回覆區營業處"].move == "office"  # HQ's comment awaits the office's 辦理情形
    assert found["待覆區營業處"].move == "hq"  # the office reported; HQ has not answered
    assert list(found)[0] == "舊案區營業處"  # stale first


# ---- queries --------------------------------------------------------------------------------


def _count(make, as_user, n: int) -> int:
    hq = make.user(role=Role.HQ_REVIEWER)
    rubric = make.rubric(dimensions=1, items=2, cell_max=10)
    offices = [make.office() for _ in range(n)]
    for o in offices:
        old = make.assessment(office=o, rubric_=rubric, period=(113, 7, 12))
        update_finding(
            finding=old.findings.first(), user=make.user(office=o), recommendation="改善"
        )
        make.to_hq(make.scores(old, [5, 6], [COPIED, f"{o.name}去年的說明"]))
    period = open_period(hq, rubric)
    for o in offices:
        make.review_scores(
            make.to_hq(make.scores(draft(o), [9, 2], [COPIED, "問券"])), [5, 2], hq=hq
        )
    client = as_user(hq)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("period-aids", args=[period.slug])).status_code == 200
    Assessment.objects.all().delete()
    AssessmentPeriod.objects.all().delete()
    Office.objects.update(active=False)
    return len(queries)


def test_the_page_asks_as_many_queries_for_one_office_as_for_three(db, make, as_user):
    assert _count(make, as_user, 1) == _count(make, as_user, 3) < 35
