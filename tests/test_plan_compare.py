"""plans/compare.py, the comparison page, its exports and GET /api/plans/{id}/compare/."""

import csv
import io

import pytest
from django.urls import reverse

from servplan.offices.models import Role
from servplan.plans import domain
from servplan.plans.compare import (
    ADDED,
    CHANGED,
    REMOVED,
    REWORDED,
    UNCHANGED,
    compare_plan,
    segments,
)
from servplan.plans.models import PlanStatus
from servplan.plans.serializers import plans_for_export
from servplan.programs.models import Measure, Practice

pytestmark = pytest.mark.django_db


def practices_of(plan):
    return list(
        Practice.objects.filter(measure__strategy__facet__outline=plan.outline).order_by(
            "measure__position", "position"
        )
    )


def loaded(plan):
    return plans_for_export().get(pk=plan.pk)


@pytest.fixture
def years(make):
    """The office's 113 plan (HQ's 3 practices and one of its own), then its 114 plan started
    from it; HQ's 114 program has the same 3 practices."""
    office = make.office()
    last = make.plan(office=office, roc_year=113, practices=3)
    clerk = make.user(office=office)
    measure = Measure.objects.get(strategy__facet__outline=last.outline)
    domain.add_practice(
        plan=last,
        measure=measure,
        user=clerk,
        text="辦理社區用電安全宣導活動，每季至少一場。",
        departments=["業務組"],
        period="每季",
    )
    make.program(roc_year=114, practices=3)
    plan = domain.start_plan(office=office, roc_year=114, start_from="last-year", user=clerk)
    return last, plan, clerk


def by_text(comparison):
    return {(r.new or r.old).text: r for r in comparison.rows}


def test_segments_mark_the_changed_characters():
    old, new = segments("面向1的作法1", "面向1的新作法1。")
    assert [(s.text, s.changed) for s in old] == [("面向1的作法1", False)]
    assert [(s.text, s.changed) for s in new] == [
        ("面向1的", False),
        ("新", True),
        ("作法1", False),
        ("。", True),
    ]


def test_against_last_year(years):
    last, plan, clerk = years
    hq1, hq2, hq3, own = practices_of(plan)
    domain.update_practice(
        practice=hq1, user=clerk, text="面向1的作法1，並擴大辦理。", expected_version=1
    )
    domain.update_practice(practice=hq2, user=clerk, period="6 月、12 月", expected_version=1)
    domain.mark_not_applicable(practice=hq3, user=clerk, reason="本處無此業務", expected_version=1)
    domain.update_practice(
        practice=own,
        user=clerk,
        text="辦理社區用電安全宣導活動，每季至少二場。",
        departments=["業務組", "總務組"],
        expected_version=1,
    )
    domain.add_practice(
        plan=plan, measure=own.measure, user=clerk, text="設置太陽光電示範站。", period="1~12 月"
    )
    comparison = compare_plan(loaded(plan), against="last-year")
    rows = by_text(comparison)
    assert comparison.base_title == last.title
    reworded = rows["面向1的作法1，並擴大辦理。"]
    assert reworded.change == REWORDED and reworded.old.text == "面向1的作法1"
    assert [s.text for s in reworded.new.segments if s.changed] == ["，並擴大辦理。"]
    period = rows["面向1的作法2"]
    assert period.change == CHANGED and period.period_changed and not period.departments_changed
    assert (period.old.period, period.new.period) == ("1~12 月", "6 月、12 月")
    marked = rows["面向1的作法3"]
    assert marked.change == CHANGED and marked.applicability_changed and marked.new.not_applicable
    # The office's own practice, reworded: paired by its text within the strategy.
    own_row = rows["辦理社區用電安全宣導活動，每季至少二場。"]
    assert own_row.change == REWORDED and own_row.departments_changed
    assert own_row.old.departments == ["業務組"]
    assert own_row.new.departments == ["業務組", "總務組"]
    assert rows["設置太陽光電示範站。"].change == ADDED
    assert comparison.counts == {
        ADDED: 1,
        REMOVED: 0,
        REWORDED: 2,
        CHANGED: 2,
        UNCHANGED: 0,
    }


def test_removed_practices_follow_their_strategy(years):
    _, plan, clerk = years
    own = practices_of(plan)[-1]
    domain.remove_practice(practice=own, user=clerk)
    domain.add_practice(plan=plan, measure=own.measure, user=clerk, text="完全不同的新作法內容")
    comparison = compare_plan(loaded(plan), against="last-year")
    assert [r.change for r in comparison.rows] == [UNCHANGED] * 3 + [ADDED, REMOVED]
    assert comparison.rows[-1].old.text.startswith("辦理社區用電安全宣導活動")
    assert comparison.rows[-1].new is None and comparison.rows[-1].practice_id is None


def test_against_the_program_it_follows(years):
    _, plan, clerk = years
    # HQ's 114 program rewords its second practice and adds a fourth.
    program_practices = practices_of(plan.program)
    Practice.objects.filter(pk=program_practices[1].pk).update(text="面向1的作法2（修正）")
    Practice.objects.create(
        measure=program_practices[0].measure, position=9, number=4, text="總處新增的作法"
    )
    comparison = compare_plan(loaded(plan), against="program")
    assert comparison.base_title == plan.program.title
    rows = by_text(comparison)
    # The plan's HQ items link to the 113 program (copied from last year): paired by text.
    assert rows["面向1的作法1"].change == UNCHANGED
    assert rows["面向1的作法2"].change == REWORDED
    assert rows["面向1的作法2"].old.text == "面向1的作法2（修正）"
    assert rows["總處新增的作法"].change == REMOVED
    assert rows["辦理社區用電安全宣導活動，每季至少一場。"].change == ADDED


def test_a_plan_from_the_program_pairs_by_origin(make):
    plan = make.plan(practices=2)
    clerk = make.user(office=plan.office)
    first = practices_of(plan)[0]
    # Rewritten beyond recognition: still HQ's item, through its origin.
    domain.update_practice(
        practice=first, user=clerk, text="全然改寫的內容，與原文無一字相同！", expected_version=1
    )
    rows = compare_plan(loaded(plan), against="program").rows
    assert [r.change for r in rows] == [REWORDED, UNCHANGED]
    assert rows[0].from_hq and rows[0].old.text == "面向1的作法1"


def test_no_plan_last_year(make):
    plan = make.plan()
    comparison = compare_plan(loaded(plan), against="last-year")
    assert comparison.base_title == "" and all(r.change == ADDED for r in comparison.rows)


# ---- the page, the exports, the API -------------------------------------------------------


def test_page_shows_old_and_new_text_with_the_changes_marked(years, as_user):
    _, plan, clerk = years
    domain.update_practice(
        practice=practices_of(plan)[0], user=clerk, text="面向1的新作法1", expected_version=1
    )
    response = as_user(clerk).get(reverse("plan-compare", args=[plan.pk]), {"against": "last-year"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "面向1的<ins>新</ins>作法1" in html and "文字修改" in html
    assert reverse("plan-compare-export", args=[plan.pk, "xlsx"]) + "?against=last-year" in html


def test_page_access_is_the_plans(years, make, as_user):
    _, plan, _ = years
    url = reverse("plan-compare", args=[plan.pk])
    chief = make.user(role=Role.SECTION_CHIEF, office=plan.office)
    assert as_user(chief).get(url).status_code == 200
    assert as_user(make.user(office=make.office())).get(url).status_code == 404
    assert as_user(make.user(role=Role.HQ_REVIEWER)).get(url).status_code == 404  # a draft
    plan.status = PlanStatus.SUBMITTED
    plan.save(update_fields=["status"])
    assert as_user(make.user(role=Role.HQ_REVIEWER)).get(url).status_code == 200


def test_unknown_comparison_is_400_naming_it(years, as_user, api):
    _, plan, clerk = years
    url = reverse("plan-compare", args=[plan.pk])
    response = as_user(clerk).get(url, {"against": "yesterday"})
    assert response.status_code == 400 and "比較對象" in response.content.decode()
    refused = api(clerk).get(f"/api/plans/{plan.pk}/compare/?against=yesterday")
    assert refused.status_code == 400 and refused.json()["where"] == "against"


def test_exports_keep_formulas_out(years, as_user):
    from openpyxl import load_workbook

    _, plan, clerk = years
    domain.update_practice(
        practice=practices_of(plan)[-1], user=clerk, text='=HYPERLINK("x")', expected_version=1
    )
    url = reverse("plan-compare-export", args=[plan.pk, "csv"])
    response = as_user(clerk).get(url, {"against": "last-year"})
    assert response["Content-Disposition"].endswith('-114-compare-last-year.csv"')
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:4] == ["面向", "執行策略", "子策略", "變更"]
    assert [c for row in table for c in row if "HYPERLINK" in c] == ['\'=HYPERLINK("x")']
    xlsx = as_user(clerk).get(
        reverse("plan-compare-export", args=[plan.pk, "xlsx"]), {"against": "last-year"}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    bad = as_user(clerk).get(reverse("plan-compare-export", args=[plan.pk, "exe"]))
    assert bad.status_code == 400


def test_api_gives_the_comparison(years, api):
    _, plan, clerk = years
    body = api(clerk).get(f"/api/plans/{plan.pk}/compare/?against=last-year").json()
    assert body["against"] == "last-year" and body["counts"]["unchanged"] == 4
    row = body["rows"][0]
    assert row["change"] == "unchanged" and row["new"]["text"] == "面向1的作法1"
    assert row["old"]["departments"] == ["業務組"] and row["practice_id"]


@pytest.mark.parametrize("against", ["last-year", "program"])
def test_queries_do_not_grow_with_the_tree(make, as_user, api, against):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (1, 3):
        office = make.office()
        make.plan(office=office, roc_year=110 + n, practices=n)
        clerk = make.user(office=office)
        plan = domain.start_plan(
            office=office, roc_year=111 + n, start_from="last-year", user=clerk
        )
        client = as_user(clerk)
        urls = [
            reverse("plan-compare", args=[plan.pk]) + f"?against={against}",
            reverse("plan-compare-export", args=[plan.pk, "csv"]) + f"?against={against}",
            f"/api/plans/{plan.pk}/compare/?against={against}",
        ]
        token = api(clerk).headers
        seen = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, **(token if "/api/" in url else {})).status_code == 200
            seen.append(len(captured))
        counts.append(seen)
    assert counts[0] == counts[1]
