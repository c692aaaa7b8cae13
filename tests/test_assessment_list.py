"""The assessment list: labels that say where each record stands, and its GET filters."""

import re

import pytest
from django.urls import reverse

from servplan.assessments.domain import decide, submit_assessment
from servplan.offices.models import Role


@pytest.fixture
def world(db, make):
    office = make.office("清單區營業處")
    people = make.staff(office)
    new = make.assessment(office=office, period=(113, 1, 6))
    returned = make.fill(make.assessment(office=office, period=(113, 7, 12)))
    submit_assessment(assessment=returned, user=people[Role.CLERK])
    decide(
        assessment=returned, user=people[Role.SECTION_CHIEF], decision="return", comment="請補件"
    )
    at_chief = make.fill(make.assessment(office=office, period=(114, 1, 6)))
    submit_assessment(assessment=at_chief, user=people[Role.CLERK])
    return {"people": people, "new": new, "returned": returned, "at_chief": at_chief}


def rows(client, **params):
    """{assessment id: the status cell's text} of the list as `client` sees it."""
    response = client.get(reverse("assessment-list"), params)
    assert response.status_code == 200
    found = re.findall(
        r'<a href="/assessments/(\d+)/">.*?</td>.*?<td>.*?</td>.*?<td>.*?</td>\s*<td>(.*?)</td>',
        response.text,
        re.S,
    )
    return {int(pk): re.sub(r"<[^>]+>|\s+", " ", cell).strip() for pk, cell in found}


def test_a_returned_record_says_so_with_the_comment(world, as_user):
    shown = rows(as_user(world["people"][Role.CLERK]))
    chief = world["people"][Role.SECTION_CHIEF].username
    assert shown[world["returned"].pk].startswith("已退回")
    assert f"課長 {chief}：請補件" in shown[world["returned"].pk]
    assert shown[world["new"].pk] == "草稿"


def test_in_signoff_names_the_signer_and_tells_the_signer(world, as_user):
    assert rows(as_user(world["people"][Role.CLERK]))[world["at_chief"].pk].startswith(
        "核章中・待課長"
    )
    assert rows(as_user(world["people"][Role.MANAGER]))[world["at_chief"].pk].startswith(
        "核章中・待課長"
    )
    assert rows(as_user(world["people"][Role.SECTION_CHIEF]))[world["at_chief"].pk].startswith(
        "待您核章"
    )


def test_a_drafts_chain_says_the_clerk_has_not_sent_it(world, as_user):
    client = as_user(world["people"][Role.DIRECTOR])
    text = client.get(reverse("assessment-detail", args=[world["new"].pk])).text
    assert "經辦尚未送出" in text
    text = client.get(reverse("assessment-detail", args=[world["at_chief"].pk])).text
    assert "經辦尚未送出" not in text


def test_the_signer_sees_since_when_on_the_detail_page(world, as_user):
    from servplan.core.roc import format_datetime

    client = as_user(world["people"][Role.SECTION_CHIEF])
    text = client.get(reverse("assessment-detail", args=[world["at_chief"].pk])).text
    assert "待您核章" in text
    assert format_datetime(world["at_chief"].signoffs.get().at) in text


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("draft", {"new", "returned"}),
        ("returned", {"returned"}),
        ("in_signoff", {"at_chief"}),
        ("submitted", set()),
        ("", {"new", "returned", "at_chief"}),
        ("nonsense", {"new", "returned", "at_chief"}),
    ],
)
def test_status_filter(world, as_user, status, expected):
    shown = rows(as_user(world["people"][Role.CLERK]), status=status)
    assert set(shown) == {world[k].pk for k in expected}


def test_mine_filter_is_the_signers_turn_only(world, as_user):
    assert set(rows(as_user(world["people"][Role.SECTION_CHIEF]), status="mine")) == {
        world["at_chief"].pk
    }
    assert rows(as_user(world["people"][Role.MANAGER]), status="mine") == {}


@pytest.mark.parametrize(
    ("period", "expected"),
    [("113-7-12", {"returned"}), ("114 年度 1 月至 6 月", {"at_chief"}), ("13-99", None)],
)
def test_period_filter(world, as_user, period, expected):
    shown = rows(as_user(world["people"][Role.CLERK]), period=period)
    everything = {world[k].pk for k in ("new", "returned", "at_chief")}
    assert set(shown) == ({world[k].pk for k in expected} if expected else everything)


def test_office_filter_is_for_hq_and_shows_only_what_hq_may_see(world, make, as_user):
    elsewhere = make.submitted(make.assessment(office=make.office(), period=(114, 1, 6)))
    here = make.submitted(make.assessment(office=world["new"].office, period=(112, 1, 6)))
    hq = as_user(make.user(role=Role.HQ_REVIEWER))
    assert set(rows(hq)) == {elsewhere.pk, here.pk}
    assert set(rows(hq, office=here.office_id)) == {here.pk}
    assert 'name="office"' in hq.get(reverse("assessment-list")).text
    clerk = as_user(world["people"][Role.CLERK])
    assert 'name="office"' not in clerk.get(reverse("assessment-list")).text
    # office staff can't widen their list with the parameter
    assert elsewhere.pk not in rows(clerk, office=elsewhere.office_id)


# ---- pages ---------------------------------------------------------------------------------


def test_the_list_pages_keeping_the_filters(db, make, as_user, monkeypatch):
    from servplan.core import listing

    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    rubric = make.rubric(dimensions=1, items=1)
    made = [make.assessment(rubric_=rubric) for _ in range(3)]
    make.assessment(rubric_=rubric, period=(113, 1, 6))
    client = as_user(make.user(role=Role.ADMIN))
    first = client.get(reverse("assessment-list"), {"period": "114-1-6"}).text
    assert "第 1 頁，共 2 頁（3 筆）" in first
    assert 'href="?period=114-1-6&amp;page=2" rel="next">下一頁' in first
    second = client.get(reverse("assessment-list"), {"period": "114-1-6", "page": "2"}).text
    shown = {int(pk) for pk in re.findall(r'href="/assessments/(\d+)/"', second)}
    assert shown == {made[2].pk} and 'rel="prev">上一頁' in second


def test_hq_filters_by_region(db, make, as_user):
    east = make.office()
    east.region = "東區"
    east.save()
    a = make.submitted(make.assessment(office=east))
    b = make.submitted(make.assessment())
    client = as_user(make.user(role=Role.HQ_REVIEWER))
    assert set(rows(client, region="東區")) == {a.pk}
    assert set(rows(client)) == {a.pk, b.pk}
