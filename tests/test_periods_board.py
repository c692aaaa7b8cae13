"""The submission board (/review/periods/<slug>/) and the period list: HQ's and admins' only."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from servplan.assessments.domain import submit_assessment, waiting_on
from servplan.assessments.models import Assessment
from servplan.core.roc import Period, format_date, format_datetime, to_roc_year
from servplan.offices.models import Role
from servplan.periods import domain
from servplan.periods.board import build_board
from servplan.periods.models import AssessmentPeriod, DeadlineOverride

TODAY = timezone.localdate()
# A whole year that started before today, so that yesterday is a possible deadline.
PERIOD = Period(to_roc_year(TODAY.year) - 1, 1, 12)
YESTERDAY = TODAY - dt.timedelta(days=1)


def office(make, name, region):
    o = make.office(name)
    o.region = region
    o.save()
    return o


@pytest.fixture
def world(db, make):
    """Four active offices in two regions, one retired; one record of each kind:
    accepted at HQ, in the chain, a draft past its own deadline, and one that reached HQ
    after its own deadline."""
    hq = make.user(role=Role.HQ_REVIEWER)
    north_a = office(make, "看板甲區營業處", "北部")
    north_b = office(make, "看板乙區營業處", "北部")
    south_c = office(make, "看板丙區營業處", "南部")
    south_e = office(make, "看板戊區營業處", "南部")
    retired = office(make, "看板裁撤區營業處", "南部")
    retired.active = False
    retired.save()
    rubric = make.rubric(dimensions=1, items=1, cell_max=10)
    period, _ = domain.open_period(
        period=PERIOD, rubric=rubric, deadline=TODAY + dt.timedelta(days=30), user=hq
    )

    def draft(o):
        return Assessment.objects.get(office=o, **PERIOD.as_dict())

    accepted = make.submitted(draft(north_a))
    domain.accept_submission(assessment=accepted, user=hq)
    in_chain = make.fill(draft(north_b))
    submit_assessment(assessment=in_chain, user=make.user(office=north_b))
    for o in (south_c, south_e):
        domain.move_deadline(period=period, deadline=YESTERDAY, reason="測試", user=hq, office=o)
    late = make.submitted(draft(south_e))
    return {
        "hq": hq,
        "period": period,
        "accepted": accepted,
        "in_chain": in_chain,
        "overdue": draft(south_c),
        "late": late,
        "retired": retired,
        "clerk": make.user(office=north_a),
    }


def board_url(period) -> str:
    return reverse("period-board", args=[period.slug])


def test_the_boards_figures_are_those_of_the_database(world):
    period = world["period"]
    board = build_board(period, user=world["hq"])
    in_db = Assessment.objects.filter(**PERIOD.as_dict(), office__active=True)
    assert len(board.rows) == in_db.count() == 4
    assert dict((v, n) for v, _, n in board.counts if n) == dict(
        Counter(in_db.values_list("status", flat=True))
    )
    overrides = {o.office_id: o.deadline for o in DeadlineOverride.objects.all()}
    for row in board.rows:
        a = in_db.get(office=row.office)
        assert row.assessment.pk == a.pk and row.status == a.status
        expected = waiting_on(a)
        assert (row.waiting_on, row.since) == (expected if expected else (None, None))
        assert row.marks.deadline == overrides.get(a.office_id, period.deadline)
        arrived = a.signoffs.order_by("at", "id").last() if a.is_locked else None
        assert row.marks.submitted_at == (arrived.at if arrived else None)
        assert row.marks.late == (
            arrived is not None and timezone.localdate(arrived.at) > row.marks.deadline
        )
        assert row.marks.overdue == (arrived is None and row.marks.deadline < TODAY)
    by_pk = {r.assessment.pk: r for r in board.rows}
    assert by_pk[world["overdue"].pk].marks.overdue
    assert by_pk[world["late"].pk].marks.late
    assert by_pk[world["accepted"].pk].acceptance is not None
    assert by_pk[world["late"].pk].acceptance is None
    assert board.rows[0].assessment.pk == world["overdue"].pk  # overdue first
    assert world["retired"].id not in {r.office.id for r in board.rows}


def test_the_page_shows_every_active_office_overdue_first_with_the_counts(world, as_user):
    response = as_user(world["hq"]).get(board_url(world["period"]))
    assert response.status_code == 200
    text = response.text
    rows = re.findall(r'<tr id="office-([^"]+)"', text)
    assert len(rows) == 4 and rows[0] == world["overdue"].office.code
    assert world["retired"].name not in text
    counts = text[text.index('id="counts"') : text.index("</ul>", text.index('id="counts"'))]
    assert re.search(r"草稿</span> <strong>1</strong>", counts)
    assert re.search(r"已送業務處</span> <strong>2</strong>", counts)
    assert re.search(r"核章中</span> <strong>1</strong>", counts)
    overdue = text[text.index(f'id="office-{world["overdue"].office.code}"') :]
    overdue = overdue[: overdue.index("</tr>")]
    assert "已逾期" in overdue and format_date(YESTERDAY) in overdue and "個別調整" in overdue
    late = text[text.index(f'id="office-{world["late"].office.code}"') :]
    assert "逾期送出" in late[: late.index("</tr>")]
    chain = text[text.index(f'id="office-{world["in_chain"].office.code}"') :]
    chain = chain[: chain.index("</tr>")]
    since = world["in_chain"].signoffs.get().at
    assert "課長" in chain and format_datetime(since) in chain


def test_filters_by_status_and_region(world, as_user):
    client = as_user(world["hq"])
    url = board_url(world["period"])
    drafts = re.findall(r'<tr id="office-([^"]+)"', client.get(url, {"status": "draft"}).text)
    assert drafts == [world["overdue"].office.code]
    south = client.get(url, {"region": "南部"}).text
    assert sorted(re.findall(r'<tr id="office-([^"]+)"', south)) == sorted(
        [world["overdue"].office.code, world["late"].office.code]
    )
    # the counts follow the region, not the status filter
    assert re.search(r"已送業務處</span> <strong>1</strong>", south)
    # a filter that names nothing shows everything
    assert len(re.findall(r'<tr id="office-', client.get(url, {"status": "x"}).text)) == 4


def test_hq_and_admins_see_the_board_office_staff_get_404(world, make, as_user, client):
    url = board_url(world["period"])
    assert as_user(make.user(role=Role.ADMIN)).get(url).status_code == 200
    for user in (
        world["clerk"],
        make.user(office=world["clerk"].membership.office, role="director"),
    ):
        assert as_user(user).get(url).status_code == 404
        assert as_user(user).get(reverse("period-list")).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_unknown_period_is_404(world, as_user):
    client = as_user(world["hq"])
    assert client.get(reverse("period-board", args=["113-1-6"])).status_code == 404
    assert client.get(reverse("period-board", args=["abc"])).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_the_board_asks_a_fixed_number_of_queries(
    db, make, as_user, django_assert_num_queries, count
):
    hq = make.user(role=Role.HQ_REVIEWER)
    offices = [office(make, f"查詢{n}區營業處", "北部" if n % 2 else "南部") for n in range(count)]
    period, created = domain.open_period(
        period=PERIOD, rubric=make.rubric(dimensions=1, items=1), deadline=YESTERDAY, user=hq
    )
    make.submitted(created[0])
    domain.accept_submission(assessment=created[0], user=hq)
    domain.move_deadline(period=period, deadline=TODAY, reason="延長", user=hq, office=offices[-1])
    client = as_user(hq)
    # session, user, membership, the period, active offices, the period's statuses and
    # latest signatures, the overrides, the page's assessments, their sign-offs (with
    # acceptances), their offices' chains, the release, the ZIPs
    with django_assert_num_queries(12):
        response = client.get(board_url(period))
    assert len(re.findall(r'<tr id="office-', response.text)) == count


def test_the_list_opens_a_period_from_the_form(db, make, as_user):
    hq = make.user(role=Role.HQ_REVIEWER)
    rubric = make.rubric(dimensions=1, items=1)
    offices = [make.office() for _ in range(2)]
    client = as_user(hq)
    page = client.get(reverse("period-list"))
    assert page.status_code == 200 and "開放考核期間" in page.text and str(rubric) in page.text
    response = client.post(
        reverse("period-open"),
        {"period": "115 年度 1 月至 6 月", "rubric": rubric.pk, "deadline": "115 年 7 月 15 日"},
    )
    assert response.status_code == 302 and response.url == "/review/periods/115-1-6/"
    row = AssessmentPeriod.objects.get()
    assert row.deadline == dt.date(2026, 7, 15) and row.rubric == rubric
    assert Assessment.objects.filter(roc_year=115, office__in=offices).count() == 2
    listed = client.get(reverse("period-list")).text
    assert 'href="/review/periods/115-1-6/"' in listed and "115 年 7 月 15 日" in listed


@pytest.mark.parametrize(
    "data, status, message",
    [
        ({"period": "115-1-6", "rubric": "", "deadline": "115 年 7 月 15 日"}, 400, "請選擇評分表"),
        ({"period": "115 年", "rubric": "R", "deadline": "115 年 7 月 15 日"}, 400, "無法解讀期間"),
        ({"period": "115-1-6", "rubric": "R", "deadline": "七月"}, 400, "繳交期限「七月」"),
    ],
)
def test_a_bad_opening_is_shown_on_the_form_with_what_was_typed(
    db, make, as_user, data, status, message
):
    rubric = make.rubric(dimensions=1, items=1)
    data = {k: (str(rubric.pk) if v == "R" else v) for k, v in data.items()}
    response = as_user(make.user(role=Role.HQ_REVIEWER)).post(reverse("period-open"), data)
    assert response.status_code == status and message in response.text
    assert f'value="{data["deadline"]}"' in response.text
    assert not AssessmentPeriod.objects.exists()


def test_opening_twice_is_409_on_the_page(db, make, as_user):
    rubric = make.rubric(dimensions=1, items=1)
    client = as_user(make.user(role=Role.HQ_REVIEWER))
    data = {"period": "115-1-6", "rubric": rubric.pk, "deadline": "115 年 7 月 15 日"}
    assert client.post(reverse("period-open"), data).status_code == 302
    response = client.post(reverse("period-open"), data)
    assert response.status_code == 409 and "已開放" in response.text


def test_the_deadline_form_moves_one_offices_deadline(world, as_user):
    client = as_user(world["hq"])
    period = world["period"]
    target = world["in_chain"].office
    response = client.post(
        reverse("period-deadline", args=[period.slug]),
        {"office": target.pk, "deadline": format_date(YESTERDAY), "reason": "資料補正"},
    )
    assert response.status_code == 302
    assert DeadlineOverride.objects.get(office=target).deadline == YESTERDAY
    refused = client.post(
        reverse("period-deadline", args=[period.slug]),
        {"office": "", "deadline": "x", "reason": ""},
    )
    assert refused.status_code == 400 and "繳交期限「x」" in refused.text


def test_review_page_offers_accept_and_return_before_review(world, as_user):
    client = as_user(world["hq"])
    late = world["late"]
    page = client.get(reverse("review-detail", args=[late.pk])).text
    assert 'id="accept"' in page and 'id="return"' in page and 'name="review_score"' not in page
    assert client.post(reverse("review-accept", args=[late.pk])).status_code == 302
    page = client.get(reverse("review-detail", args=[late.pk])).text
    assert 'id="accepted"' in page and 'id="accept"' not in page and 'name="review_score"' in page
    response = client.post(reverse("review-return", args=[late.pk]), {"reason": "請補件"})
    assert response.status_code == 302 and response.url == reverse("review-list")
    late.refresh_from_db()
    assert late.status == "draft" and late.reopen_reason == "請補件"


def test_sample_and_real_offices_never_share_a_period(shipped, make):
    """A period the sample opened lists the sample's offices only; one HQ opens lists the
    real offices only (and makes drafts for them only)."""
    from servplan.core.sample import generate_sample, sample_offices

    generate_sample(offices=2, periods=1, seed=3)
    hq = make.user(role=Role.HQ_REVIEWER)
    sampled = AssessmentPeriod.objects.get(roc_year=113, start_month=7)
    on_board = {r.office.code for r in build_board(sampled, user=hq).rows}
    assert on_board == set(sample_offices().values_list("code", flat=True))
    opened, _ = domain.open_period(
        period=Period(115, 1, 6),
        rubric=make.rubric(roc_year=115),
        deadline=dt.date(2026, 7, 15),
        user=hq,
    )
    real = {r.office.code for r in build_board(opened, user=hq).rows}
    assert real and not real & on_board
    assert not Assessment.objects.filter(office__in=sample_offices(), roc_year=115).exists()


def test_the_board_comes_a_page_at_a_time_counting_every_row(shipped, make, api, as_user):
    """Pages of the API and the page, overdue first across pages; counts, overdue and late
    are of every row, as the unpaged board has them."""
    from servplan.core.sample import generate_sample

    generate_sample(offices=5, periods=1, seed=3)
    hq = make.user(role=Role.HQ_REVIEWER)
    period = AssessmentPeriod.objects.get(roc_year=113, start_month=7)
    whole = build_board(period, user=hq)
    client, url = api(hq), f"/api/periods/{period.slug}/board/?limit=2"
    seen = []
    while url:
        body = client.get(url).json()
        assert body["count"] == len(whole.rows) == 5  # the sample's offices, not the real 25
        assert body["counts"] == {value: n for value, _, n in whole.counts}
        seen += [row["office_code"] for row in body["items"]]
        url = body["next"]
    assert seen == [r.office.code for r in whole.rows]
    first = build_board(period, user=hq, limit=2)
    assert (first.total, first.overdue, first.late) == (5, whole.overdue, whole.late)
    assert whole.overdue == sum(r.marks.overdue for r in whole.rows)
    assert whole.late == sum(r.marks.late for r in whole.rows)
    page = as_user(hq).get(f"/review/periods/{period.slug}/?page=9")
    assert "第 1 頁，共 1 頁" not in page.text  # 5 rows fit on one page of 50: no pager
    assert len(re.findall(r'<tr id="office-', page.text)) == 5
