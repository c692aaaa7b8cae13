"""GET /api/periods/{slug}/comparison/ and /aids/: the pages' figures as JSON, HQ's only."""

import datetime as dt

import pytest

from servplan.assessments.models import Assessment
from servplan.core.roc import Period
from servplan.offices.models import Role
from servplan.periods import domain
from servplan.periods.comparison import build_comparison

PERIOD = Period(114, 1, 6)


@pytest.fixture
def world(db, make):
    hq = make.user(role=Role.HQ_REVIEWER)
    rubric = make.rubric(dimensions=1, items=2, cell_max=10)
    offices = [make.office("介面甲區營業處"), make.office("介面乙區營業處")]
    period, _ = domain.open_period(
        period=PERIOD, rubric=rubric, deadline=dt.date(2025, 7, 15), user=hq
    )
    text = "本處於上半年辦理三場用戶座談會，蒐集在地用電大戶意見並逐案追蹤改善情形，成效良好。"
    own = ["甲處推廣行動支付與電子帳單，達成年度目標。", "乙處為偏遠地區用戶安排到府服務。"]
    for office, values, mine in zip(offices, ([9, 7], [8.5, 3]), own, strict=True):
        a = Assessment.objects.get(office=office, **PERIOD.as_dict())
        make.to_hq(make.scores(a, values, [text, mine]))
    make.review_scores(Assessment.objects.get(office=offices[0], **PERIOD.as_dict()), [6, 7], hq=hq)
    return {"hq": hq, "period": period, "offices": offices, "clerk": make.user(office=offices[0])}


def test_the_comparison_is_the_pages(world, api):
    body = api(world["hq"]).get(f"/api/periods/{world['period'].slug}/comparison/").json()
    c = build_comparison(world["period"], user=world["hq"])
    assert [u["key"] for u in body["units"]] == [u.key for u in c.units]
    assert body["count"] == 2 and body["released"] is False
    first = body["items"][0]
    assert first["office"] == "介面甲區營業處" and first["comparable"]["share"] == 1
    assert first["scores"]["total"]["self"] == {
        "value": 16,
        "rank": 1,
        "gap": 2.25,
        "missing": None,
    }
    assert first["scores"]["c1-1"]["review"] == {"value": 6, "rank": 1, "gap": 0, "missing": None}
    second = body["items"][1]["scores"]["total"]
    assert second["review"] == {"value": None, "rank": None, "gap": None, "missing": "pending"}
    assert body["stats"]["total"]["self"] == {
        "n": 2,
        "mean": 13.75,
        "median": 13.75,
        "min": 11.5,
        "max": 16,
        "spread": 4.5,
    }


def test_the_comparison_comes_a_page_at_a_time_ranked_over_all(world, api):
    client = api(world["hq"])
    url = f"/api/periods/{world['period'].slug}/comparison/"
    first = client.get(f"{url}?limit=1").json()
    assert first["count"] == 2 and [i["office"] for i in first["items"]] == ["介面甲區營業處"]
    assert first["next"] == f"{url}?limit=1&offset=1"
    second = client.get(first["next"]).json()
    assert second["next"] is None
    [item] = second["items"]
    assert item["office"] == "介面乙區營業處"
    assert item["scores"]["total"]["self"] == {
        "value": 11.5,
        "rank": 2,
        "gap": -2.25,
        "missing": None,
    }
    assert second["stats"]["total"]["self"]["n"] == 2
    assert client.get(f"{url}?limit=0").status_code == 400


def test_the_aids_name_their_rules(world, api):
    body = api(world["hq"]).get(f"/api/periods/{world['period'].slug}/aids/").json()
    assert set(body["explanations"]) == {
        "peers",
        "history",
        "gaps",
        "copies",
        "improvements",
        "typos",
    }
    assert [(c["kind"], c["a"]["office"], c["b"]["office"]) for c in body["copies"]] == [
        ("between_offices", "介面甲區營業處", "介面乙區營業處")
    ]
    assert body["gaps"] == [
        {
            "office": "介面甲區營業處",
            "office_code": world["offices"][0].code,
            "assessment": body["gaps"][0]["assessment"],
            "period": "114-1-6",
            "cell": "構面1／項目1",
            "max": 10,
            "self": 9,
            "review": 6,
            "gap": 3,
            "share": 0.3,
        }
    ]


@pytest.mark.parametrize("path", ["comparison", "aids"])
def test_office_staff_get_404_and_strangers_401(world, api, client, path):
    url = f"/api/periods/{world['period'].slug}/{path}/"
    assert api(world["clerk"]).get(url).status_code == 404
    assert client.get(url).status_code == 401
    assert api(world["hq"]).get("/api/periods/999-1-6/" + path + "/").status_code == 404
