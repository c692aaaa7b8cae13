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
    # session, user, membership, the member's office (header), the assessments, their
    # sign-offs, the office's chains
    with django_assert_num_queries(7):
        text = home(chief)
    assert text.count('/#signoff"') == count
    clerk = as_user(people[Role.CLERK])
    # the same, plus the draft plans
    with django_assert_num_queries(8):
        text = home(clerk)
    assert text.count('<li><a href="/assessments/') == count
