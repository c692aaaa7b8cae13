"""HQ's comparison of a period, an office's trend and one unit across offices
(periods.comparison and its pages): the figures against the database, periods on another
rubric through HQ's mapping, the downloads, and the number of queries."""

import csv
import datetime as dt
import io
import statistics
import xml.etree.ElementTree as ET
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servplan.assessments.models import LOCKED_STATUSES, Assessment, CellScore
from servplan.core.roc import Period
from servplan.offices.models import Office, Role
from servplan.periods import domain
from servplan.periods.comparison import build_comparison, build_trend, build_unit
from servplan.periods.models import AssessmentPeriod
from servplan.programs.models import RubricCell

PERIOD = Period(114, 1, 6)
EARLIER = Period(113, 7, 12)
SCORES = {  # office → self-scores in rubric order (構面1: 項目1, 項目2; 構面2: 項目1, 項目2)
    "比較甲區營業處": [10, 8, 6, 4],
    "比較乙區營業處": [9, 9, 7, 5.5],
    "比較丙區營業處": [9, 7, 7, 3],
}
REVIEWS = {
    "比較甲區營業處": [8, 8, 6, 4],
    "比較乙區營業處": [9, None, 7, 5],
    "比較丙區營業處": None,
}


def open_period(make, hq, rubric, period=PERIOD):
    row, _ = domain.open_period(
        period=period, rubric=rubric, deadline=dt.date(2025, 7, 15), user=hq
    )
    return row


def draft(office, period=PERIOD):
    return Assessment.objects.get(office=office, **period.as_dict())


@pytest.fixture
def world(db, make):
    hq = make.user(role=Role.HQ_REVIEWER)
    offices = {name: make.office(name) for name in SCORES}
    late = make.office("比較丁區營業處")  # stays a draft: not compared
    rubric = make.rubric(dimensions=2, items=2, cell_max=10)
    period = open_period(make, hq, rubric)
    for name, office in offices.items():
        a = make.to_hq(make.scores(draft(office), SCORES[name]))
        if REVIEWS[name]:
            make.review_scores(a, REVIEWS[name], hq=hq)
    return {"hq": hq, "period": period, "offices": offices, "late": late, "rubric": rubric}


def db_values(period: Period, measure: str):
    """(office name, dimension position, item position) → score, straight from the table."""
    field = "score" if measure == "self" else "review_score"
    rows = CellScore.objects.filter(
        assessment__status__in=LOCKED_STATUSES,
        **{f"assessment__{k}": v for k, v in period.as_dict().items()},
    ).values_list(
        "assessment__office__name", "cell__dimension__position", "cell__item__position", field
    )
    return {(o, d, i): v for o, d, i, v in rows}


def expected(values, offices, cells):
    """Each office's sum over `cells` ((dimension, item) positions), None if one is missing."""
    out = {}
    for o in offices:
        parts = [values[(o, d, i)] for d, i in cells]
        out[o] = None if any(p is None for p in parts) else sum(parts)
    return out


UNIT_CELLS = {
    "c1-1": [(1, 1)],
    "c2-2": [(2, 2)],
    "d1": [(1, 1), (1, 2)],
    "d2": [(2, 1), (2, 2)],
    "i1": [(1, 1), (2, 1)],
    "i2": [(1, 2), (2, 2)],
    "total": [(1, 1), (1, 2), (2, 1), (2, 2)],
}


@pytest.mark.parametrize("measure", ["self", "review"])
def test_every_figure_is_that_of_the_database(world, measure):
    c = build_comparison(world["period"], user=world["hq"])
    values = db_values(PERIOD, measure)
    names = sorted(SCORES)
    assert sorted(r.office.name for r in c.rows) == names
    for key, cells in UNIT_CELLS.items():
        unit = c.unit(key)
        assert {(x.dimension_position, x.item_position) for x in unit.cells} == set(cells)
        want = expected(values, names, cells)
        present = [v for v in want.values() if v is not None]
        summary = c.summary(unit, measure)
        assert summary.n == len(present)
        if present:
            assert summary.median == statistics.median(present)
            assert summary.mean == Decimal(sum(present)) / len(present)
            assert summary.spread == max(present) - min(present)
        for r in c.rows:
            e = r.entry(unit, measure)
            assert e.value == want[r.office.name]
            if e.value is None:
                assert e.rank is None and e.gap is None and e.missing == "pending"
                continue
            assert e.rank == 1 + sum(v > e.value for v in present)
            assert e.gap == e.value - statistics.median(present)


def test_ties_share_the_better_rank_and_drafts_are_left_out_but_named(world):
    c = build_comparison(world["period"], user=world["hq"])
    first = {r.office.name: r.entry(c.unit("c1-1"), "self") for r in c.rows}
    assert first["比較甲區營業處"].rank == 1
    assert first["比較乙區營業處"].rank == first["比較丙區營業處"].rank == 2
    assert first["比較乙區營業處"].gap == 0
    assert [o.name for o, _ in c.not_included] == ["比較丁區營業處"]
    assert str(c.not_included[0][1]) == "草稿"


def test_the_page_shows_each_office_with_rank_gap_and_the_median_and_spread(world, as_user):
    url = reverse("period-comparison", args=[world["period"].slug])
    text = as_user(world["hq"]).get(url, {"level": "dimension"}).text
    row = text[text.index(f'id="office-{world["offices"]["比較乙區營業處"].code}"') :]
    row = row[: row.index("</tr>")]
    # 構面1: 9 + 9 = 18, tied first with 甲 (the median); 構面2: 12.5 against a median of 10
    assert '<strong>18</strong><br><span class="meta">第 1 名 · 差 0</span>' in row
    assert '<strong>12.5</strong><br><span class="meta">第 1 名 · 差 +2.5</span>' in row
    assert '<strong>30.5</strong><br><span class="meta">第 1 名 · 差 +2.5</span>' in row
    foot = text[text.index("<tfoot>") : text.index("</tfoot>")]
    assert "中位數" in foot and "全距" in foot
    assert "比較丁區營業處（草稿）" in text
    ET.fromstring(text[text.index("<svg") : text.index("</svg>") + 6])


def test_the_page_shows_a_page_of_offices_ranked_among_all(world, as_user, monkeypatch):
    monkeypatch.setattr("servplan.core.listing.PAGE_SIZE", 2)
    url = reverse("period-comparison", args=[world["period"].slug])
    text = as_user(world["hq"]).get(url, {"level": "dimension", "page": 2}).text
    table = text[text.index('<table id="comparison"') : text.index("</table>")]
    codes = {name: o.code for name, o in world["offices"].items()}
    assert f"office-{codes['比較丙區營業處']}" in table
    assert f"office-{codes['比較甲區營業處']}" not in table
    # 丙's 構面1 (9 + 7 = 16) is third of all three offices, below 甲's and 乙's 18.
    assert '<strong>16</strong><br><span class="meta">第 3 名' in table
    foot = table[table.index("<tfoot>") :]
    assert '<td class="num">18</td>' in foot  # the median of all three, not of the page
    assert "第 2 頁，共 2 頁（3 筆）" in text and "?level=dimension&amp;page=1" in text
    heatmap = text[text.index("<svg") : text.index("</svg>")]
    assert "比較丙區營業處" in heatmap and "比較甲區營業處" not in heatmap


def test_a_bad_choice_is_a_400_naming_it(world, as_user):
    client = as_user(world["hq"])
    url = reverse("period-comparison", args=[world["period"].slug])
    refused = client.get(url, {"level": "nonsense"})
    assert refused.status_code == 400 and "level「nonsense」不是可用的選項" in refused.text
    assert client.get(url, {"measure": "x"}).status_code == 400
    export = reverse("period-comparison-export", args=[world["period"].slug, "pdf"])
    assert client.get(export).status_code == 400


def test_the_downloads_carry_the_same_figures(world, as_user):
    client = as_user(world["hq"])
    slug = world["period"].slug
    c = build_comparison(world["period"], user=world["hq"])
    response = client.get(
        reverse("period-comparison-export", args=[slug, "csv"]), {"level": "cell"}
    )
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = table[0]
    column = header.index(f"{c.unit('c2-2').label}（10 分）自評")
    by_office = {row[0]: row for row in table[1:]}
    assert by_office["比較乙區營業處"][column] == "5.5"
    assert by_office["比較乙區營業處"][column + 1] == "1"  # rank
    assert by_office["中位數"][column] == "4"
    xlsx = client.get(
        reverse("period-comparison-export", args=[slug, "xlsx"]), {"measure": "review"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    total = rows[0].index("總分（40 分）複評")
    assert {r[0]: r[total] for r in rows[1:4]} == {
        "比較甲區營業處": 26,
        "比較乙區營業處": "尚未評分",
        "比較丙區營業處": "尚未評分",
    }
    svg = client.get(reverse("period-comparison-chart", args=[slug]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg["Content-Disposition"] == 'attachment; filename="114-1-6-heatmap-dimension-self.svg"'
    root = ET.fromstring(svg.content)
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "比較乙區營業處" in labels and "30.5" in labels


def test_office_names_are_escaped_in_the_charts(world, as_user):
    office = world["offices"]["比較甲區營業處"]
    office.name = "<script>甲</script>區營業處"
    office.save()
    client = as_user(world["hq"])
    svg = client.get(reverse("period-comparison-chart", args=[world["period"].slug])).content
    assert b"<script>" not in svg
    ET.fromstring(svg)
    page = client.get(reverse("period-comparison", args=[world["period"].slug])).text
    assert "<script>甲" not in page


# ---- another rubric, through HQ's mapping --------------------------------------------------


@pytest.fixture
def earlier(world, make):
    """甲's 113 年度 7 月至 12 月 on an older rubric with a third item no cell maps onto."""
    old = make.rubric(dimensions=2, items=3, cell_max=20, roc_year=113)
    office = world["offices"]["比較甲區營業處"]
    a = make.assessment(office=office, rubric_=old, period=(113, 7, 12))
    make.to_hq(make.scores(a, [20, 10, 5, 16, 8, 4]))
    return {"rubric": old, "assessment": a, "office": office}


def cells_of(rubric):
    return {
        (c.dimension.position, c.item.position): c
        for c in RubricCell.objects.filter(dimension__rubric=rubric).select_related(
            "dimension", "item"
        )
    }


def map_by_position(world, earlier):
    old, new = cells_of(earlier["rubric"]), cells_of(world["rubric"])
    choices = {old[k].id: new[k].id for k in new}
    choices[old[(1, 3)].id] = None  # HQ: no counterpart
    domain.set_cell_mappings(
        source=earlier["rubric"], target=world["rubric"], choices=choices, user=world["hq"]
    )


def test_an_unmapped_period_is_not_comparable_and_says_so(world, earlier):
    t = build_trend(earlier["office"], user=world["hq"])
    assert [p.period for p in t.points] == [EARLIER, PERIOD]
    old = t.points[0]
    assert old.projection.share == 0
    assert old.percent(t.unit("total"), "self") == (None, Decimal(0))
    assert len(old.projection.unmatched_source) == 6


def test_a_mapped_period_compares_on_the_comparable_part_and_lists_the_rest(
    world, earlier, as_user
):
    map_by_position(world, earlier)
    t = build_trend(earlier["office"], user=world["hq"])
    old, now = t.points
    # mapped: 20, 10 (構面1) and 16, 8 (構面2) of 20 each → 54 of 80 = 67.5 %
    assert old.percent(t.unit("total"), "self") == (Decimal("67.5"), Decimal(1))
    assert old.percent(t.unit("d1"), "self") == (Decimal(75), Decimal(1))
    assert now.percent(t.unit("total"), "self")[0] == Decimal(28) * 100 / 40
    assert [c.label for c in old.projection.unmatched_source] == ["構面1／項目3", "構面2／項目3"]
    assert old.projection.comparable_source_points == 80 and old.projection.source_points == 120
    assert old.projection.share == 1  # every cell of this period's rubric has a source
    page = (
        as_user(world["hq"]).get(reverse("period-office-trend", args=[earlier["office"].code])).text
    )
    assert "原評分表未對應：構面1／項目3、構面2／項目3" in page
    assert "67.5" in page
    ET.fromstring(page[page.index("<svg") : page.index("</svg>") + 6])


def test_the_unit_page_shows_the_unit_across_offices_and_periods(world, earlier, as_user):
    map_by_position(world, earlier)
    u = build_unit(world["period"], "c1-1", user=world["hq"])
    assert [h.period for h in u.history] == [EARLIER, PERIOD]
    assert u.history[0].summaries["self"].median == Decimal(100)  # 甲 20 of 20
    assert u.history[1].summaries["self"].median == Decimal(90)  # 10, 9, 9 of 10
    assert u.history[1].summaries["self"].spread == Decimal(10)
    client = as_user(world["hq"])
    page = client.get(reverse("period-unit", args=[world["period"].slug, "c1-1"]))
    assert page.status_code == 200
    assert (
        client.get(reverse("period-unit", args=[world["period"].slug, "c9-9"])).status_code == 404
    )
    export = client.get(
        reverse("period-unit-export", args=[world["period"].slug, "c1-1", "csv"]),
        {"table": "periods"},
    )
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[1][:2] == ["113 年度 7 月至 12 月", "1"] and rows[1][4] == "100"
    for chart in ("offices", "periods"):
        svg = client.get(
            reverse("period-unit-chart", args=[world["period"].slug, "c1-1"]), {"chart": chart}
        )
        ET.fromstring(svg.content)


# ---- queries --------------------------------------------------------------------------------


def _world_of(make, n: int):
    hq = make.user(role=Role.HQ_REVIEWER)
    rubric = make.rubric(dimensions=2, items=2, cell_max=10)
    offices = [make.office() for _ in range(n)]
    period = open_period(make, hq, rubric)
    for o in offices:
        old = make.assessment(office=o, rubric_=rubric, period=(113, 7, 12))
        make.to_hq(make.scores(old, [5, 6, 7, 8]))
        a = make.to_hq(make.scores(draft(o), [6, 7, 8, 9]))
        make.review_scores(a, [6, 6, 6, 6], hq=hq)
    return hq, period, offices


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name", ["period-comparison", "period-comparison-export", "period-unit", "period-office-trend"]
)
def test_the_pages_ask_as_many_queries_for_one_office_as_for_three(db, make, as_user, name):
    counts = []
    for n in (1, 3):
        hq, period, offices = _world_of(make, n)
        kwargs = {
            "period-comparison": {"slug": period.slug},
            "period-comparison-export": {"slug": period.slug, "fmt": "csv"},
            "period-unit": {"slug": period.slug, "key": "total"},
            "period-office-trend": {"code": offices[0].code},
        }[name]
        counts.append(_count(as_user(hq), reverse(name, kwargs=kwargs)))
        Assessment.objects.all().delete()
        AssessmentPeriod.objects.all().delete()
        Office.objects.update(active=False)
    assert counts[0] == counts[1] < 30, counts


def test_hq_and_admins_see_the_pages_office_staff_get_404_strangers_the_login(
    world, make, client, as_user
):
    slug, code = world["period"].slug, world["offices"]["比較甲區營業處"].code
    urls = [
        reverse("period-comparison", args=[slug]),
        reverse("period-comparison-export", args=[slug, "xlsx"]),
        reverse("period-comparison-chart", args=[slug]),
        reverse("period-unit", args=[slug, "d1"]),
        reverse("period-unit-export", args=[slug, "d1", "csv"]),
        reverse("period-unit-chart", args=[slug, "d1"]),
        reverse("period-office-trend", args=[code]),
        reverse("period-office-trend-export", args=[code, "xlsx"]),
        reverse("period-office-trend-chart", args=[code]),
        reverse("period-aids", args=[slug]),
    ]
    for url in urls:
        assert client.get(url).url.startswith(reverse("login"))
    for who in (world["hq"], make.user(role=Role.ADMIN)):
        c = as_user(who)
        assert all(c.get(url).status_code == 200 for url in urls)
    for who in (
        make.user(office=world["offices"]["比較甲區營業處"]),
        make.user(office=world["offices"]["比較甲區營業處"], role=Role.DIRECTOR),
    ):
        c = as_user(who)
        assert all(c.get(url).status_code == 404 for url in urls)
