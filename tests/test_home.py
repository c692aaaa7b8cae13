"""待辦事項 (the home page): each role sees what waits on it, of its own office, nothing else."""

import pytest
from django.urls import reverse

from servplan.assessments.domain import decide, submit_assessment
from servplan.offices.models import Role


@pytest.fixture
def world(db, make):
    """One office's staff with a new draft, a returned one, one at the chief and one at HQ;
    and a neighbouring office with a draft of its own."""
    office = make.office("首頁區營業處")
    people = make.staff(office)
    new = make.assessment(office=office, period=(113, 1, 6))
    returned = make.fill(make.assessment(office=office, period=(113, 7, 12)))
    submit_assessment(assessment=returned, user=people[Role.CLERK])
    decide(
        assessment=returned,
        user=people[Role.SECTION_CHIEF],
        decision="return",
        comment="請補佐證資料",
    )
    at_chief = make.fill(make.assessment(office=office, period=(114, 1, 6)))
    submit_assessment(assessment=at_chief, user=people[Role.CLERK])
    at_hq = make.submitted(make.assessment(office=make.office("送件區營業處"), period=(114, 1, 6)))
    other = make.office("鄰近區營業處")
    theirs = make.assessment(office=other, period=(114, 7, 12))
    return {
        "people": people,
        "new": new,
        "returned": returned,
        "at_chief": at_chief,
        "at_hq": at_hq,
        "theirs": theirs,
        "outsider": make.user(office=other),
        "hq": make.user(role=Role.HQ_REVIEWER),
    }


def home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.text


def link(a):
    return f'href="/assessments/{a.pk}/'


def test_the_clerk_sees_drafts_returns_with_the_comment_and_plans(world, make, as_user):
    plan = make.plan(office=world["new"].office)
    text = home(as_user(world["people"][Role.CLERK]))
    drafts = text[text.index('id="todo-drafts"') :]
    assert link(world["new"]) in drafts
    returned = text[text.index('id="todo-returned"') : text.index('id="todo-drafts"')]
    chief = world["people"][Role.SECTION_CHIEF].username
    assert link(world["returned"]) in returned and "已退回" in returned
    assert f"課長 {chief}：請補佐證資料" in returned
    assert f'href="/plans/{plan.pk}/"' in text
    for hidden in ("at_chief", "at_hq", "theirs"):
        assert link(world[hidden]) not in text
    assert 'id="todo-sign"' not in text and 'id="todo-review"' not in text


def test_the_current_signer_sees_it_waiting_since_the_submit(world, as_user):
    from servplan.core.roc import format_datetime

    text = home(as_user(world["people"][Role.SECTION_CHIEF]))
    section = text[text.index('id="todo-sign"') : text.index("</section>")]
    assert "待您核章" in section and link(world["at_chief"]) in section
    since = world["at_chief"].signoffs.get().at
    assert format_datetime(since) in section and "經辦" in section
    for hidden in ("new", "returned", "at_hq", "theirs"):
        assert link(world[hidden]) not in text


def test_the_next_signer_sees_nothing_until_the_chief_approves(world, as_user):
    manager = as_user(world["people"][Role.MANAGER])
    assert link(world["at_chief"]) not in home(manager)
    assert 'id="todo-none"' in home(manager)
    decide(
        assessment=world["at_chief"], user=world["people"][Role.SECTION_CHIEF], decision="approve"
    )
    assert link(world["at_chief"]) in home(manager)


def test_hq_sees_submitted_work_to_review_and_no_drafts(world, as_user):
    from servplan.review.domain import mark_reviewed, review_cell

    text = home(as_user(world["hq"]))
    assert 'id="todo-review"' in text
    assert f'href="{reverse("review-detail", args=[world["at_hq"].pk])}"' in text
    assert world["at_hq"].office.name in text
    for hidden in ("new", "returned", "at_chief", "theirs"):
        assert link(world[hidden]) not in text
    for cell in world["at_hq"].cells.select_related("cell__dimension", "cell__item"):
        review_cell(cell_score=cell, user=world["hq"], score="4", comment="")
    mark_reviewed(assessment=world["at_hq"], user=world["hq"])
    assert world["at_hq"].office.name not in home(as_user(world["hq"]))


def test_an_outsider_sees_only_its_own_office(world, as_user):
    text = home(as_user(world["outsider"]))
    assert link(world["theirs"]) in text
    for hidden in ("new", "returned", "at_chief", "at_hq"):
        assert link(world[hidden]) not in text
        assert world[hidden].office.name not in text


def test_deadlines_have_their_place_before_hq_sets_any(world, as_user):
    assert "繳交期限" in home(as_user(world["people"][Role.CLERK]))


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("count", [1, 3])
def test_queries_do_not_grow_with_items(db, make, as_user, django_assert_num_queries, count):
    office = make.office()
    people = make.staff(office)
    for year in range(count):
        a = make.fill(make.assessment(office=office, period=(110 + year, 1, 6)))
        submit_assessment(assessment=a, user=people[Role.CLERK])
        make.assessment(office=office, period=(110 + year, 7, 12))  # a draft, for the clerk
    chief = as_user(people[Role.SECTION_CHIEF])
    # session, user, membership, the member's office (header), the steps they stand in for,
    # the assessments, their sign-offs, the office's chains, the open periods (none here)
    with django_assert_num_queries(9):
        text = home(chief)
    assert text.count('/#signoff"') == count
    clerk = as_user(people[Role.CLERK])
    # the same, plus the draft plans
    with django_assert_num_queries(10):
        text = home(clerk)
    assert text.count('<li><a href="/assessments/') == count


def test_the_office_sees_its_own_deadline_and_whether_it_is_late(db, make, as_user):
    import datetime as dt

    from django.utils import timezone

    from servplan.core.roc import Period, format_date, to_roc_year
    from servplan.periods.domain import move_deadline, open_period

    today = timezone.localdate()
    office, other = make.office("期限區營業處"), make.office("他處區營業處")
    hq = make.user(role=Role.HQ_REVIEWER)
    rubric = make.rubric(dimensions=1, items=1)
    period, created = open_period(
        period=Period(to_roc_year(today.year) - 1, 1, 12),  # started before yesterday
        rubric=rubric,
        deadline=today + dt.timedelta(days=5),
        user=hq,
    )
    clerk = as_user(make.user(office=office))
    section = home(clerk)
    section = section[section.index('id="todo-deadlines"') :]
    assert format_date(today + dt.timedelta(days=5)) in section and "尚有 5 天" in section
    yesterday = today - dt.timedelta(days=1)
    move_deadline(period=period, deadline=yesterday, reason="測試", user=hq, office=office)
    section = home(clerk)
    section = section[section.index('id="todo-deadlines"') :]
    assert format_date(yesterday) in section and "已個別調整" in section and "已逾期" in section
    mine = next(a for a in created if a.office_id == office.id)
    make.submitted(mine)
    section = home(clerk)
    assert "逾期送出" in section[section.index('id="todo-deadlines"') :]
    # the other office keeps the period's deadline and its own record
    theirs = home(as_user(make.user(office=other)))
    theirs = theirs[theirs.index('id="todo-deadlines"') :]
    assert format_date(today + dt.timedelta(days=5)) in theirs and "已逾期" not in theirs
    assert f'href="/assessments/{mine.pk}/' not in theirs
    hq_home = home(as_user(hq))
    assert f'href="/review/periods/{period.slug}/"' in hq_home


@pytest.mark.parametrize("count", [1, 3])
def test_deadline_queries_do_not_grow_with_periods(
    db, make, as_user, django_assert_num_queries, count
):
    import datetime as dt

    from servplan.core.roc import Period
    from servplan.periods.domain import open_period

    office = make.office()
    hq = make.user(role=Role.HQ_REVIEWER)
    for year in range(count):
        open_period(
            period=Period(110 + year, 1, 6),
            rubric=make.rubric(dimensions=1, items=1),
            deadline=dt.date(2021 + year, 7, 15),
            user=hq,
        )
    chief = as_user(make.user(office=office, role=Role.SECTION_CHIEF))
    # session, user, membership, office, the steps the chief stands in for, the chief's
    # assessments (none: no prefetches), the open periods, the office's assessments of them,
    # their sign-offs
    with django_assert_num_queries(9):
        text = home(chief)
    assert text.count("送業務處期限") == count
