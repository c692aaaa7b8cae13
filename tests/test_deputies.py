"""Deputies (職務代理人): registering and ending them (offices.domain), signing assessments
as one, one person one step, and the office's deputies page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from servplan.assessments.domain import chain_state, decide, submit_assessment
from servplan.audit.models import AuditEntry
from servplan.core.errors import Conflict, DomainError, NotAllowed
from servplan.core.roc import format_date, format_datetime
from servplan.offices.domain import end_deputy, register_deputy
from servplan.offices.models import Deputy, Role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def office(make):
    return make.office()


@pytest.fixture
def people(make, office):
    """Each role of the chain, a second clerk to stand in, and another office's director."""
    staff = make.staff(office)
    staff["stand_in"] = make.user(office=office, role=Role.CLERK, username="stand-in")
    staff["outsider"] = make.user(office=make.office(), role=Role.DIRECTOR)
    staff["admin"] = make.user(role=Role.ADMIN)
    return staff


def register(office, people, *, by, principal=Role.SECTION_CHIEF, deputy="stand_in", **extra):
    values = {
        "starts_on": TODAY(),
        "ends_on": TODAY() + dt.timedelta(days=7),
        "reason": "休假",
        **extra,
    }
    return register_deputy(
        office=office, principal=people[principal], deputy=people[deputy], user=by, **values
    )


# ---- registering and ending -----------------------------------------------------------------


@pytest.mark.parametrize("who", [Role.SECTION_CHIEF, Role.DIRECTOR, "admin"])
def test_the_principal_the_director_or_an_admin_registers(office, people, who):
    row = register(office, people, by=people[who])
    assert (row.principal, row.deputy, row.created_by) == (
        people[Role.SECTION_CHIEF],
        people["stand_in"],
        people[who],
    )
    entry = AuditEntry.objects.get(object_type="offices.deputy", object_id=row.pk)
    assert (entry.field, entry.user) == ("registered", people[who])
    assert "stand-in 代" in entry.new and "休假" in entry.new


@pytest.mark.parametrize("who", [Role.CLERK, Role.MANAGER, "outsider"])
def test_anyone_else_is_refused(office, people, who):
    with pytest.raises(NotAllowed, match="處長或被代理人本人"):
        register(office, people, by=people[who])
    assert not Deputy.objects.exists()


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ({"principal": Role.CLERK}, "principal"),
        ({"principal": "outsider"}, "principal"),
        ({"deputy": "outsider"}, "deputy"),
        ({"deputy": Role.SECTION_CHIEF}, "deputy"),
        ({"starts_on": "abc"}, "starts_on"),
        ({"ends_on": ""}, "ends_on"),
        (
            {"ends_on": TODAY() - dt.timedelta(days=1), "starts_on": TODAY() - dt.timedelta(3)},
            "ends_on",
        ),
        ({"ends_on": TODAY(), "starts_on": TODAY() + dt.timedelta(days=1)}, "ends_on"),
        ({"reason": " "}, "reason"),
        ({"reason": "假" * 501}, "reason"),
    ],
)
def test_bad_registrations_name_the_field(office, people, extra, where):
    with pytest.raises(DomainError) as refused:
        register(office, people, by=people["admin"], **extra)
    assert refused.value.where == where
    assert not Deputy.objects.exists()


def test_dates_may_be_written_in_the_roc_calendar(office, people):
    start = TODAY() + dt.timedelta(days=2)
    row = register(office, people, by=people["admin"], starts_on=format_date(start), ends_on=start)
    assert (row.starts_on, row.ends_on) == (start, start)
    assert row.standing(TODAY()) == "尚未開始" and row.standing(start) == "生效中"


def test_overlapping_registrations_of_a_pair_are_refused(office, people):
    register(office, people, by=people["admin"])
    with pytest.raises(DomainError, match="期間重疊"):
        register(office, people, by=people["admin"], starts_on=TODAY() + dt.timedelta(days=3))
    # another stand-in for the same days is fine
    register(office, people, by=people["admin"], deputy=Role.MANAGER)


def test_ending_a_registration(office, people):
    row = register(office, people, by=people[Role.DIRECTOR])
    with pytest.raises(NotAllowed):
        end_deputy(registration=row, user=people[Role.MANAGER])
    end_deputy(registration=row, user=people[Role.SECTION_CHIEF])
    row.refresh_from_db()
    assert row.ended_by == people[Role.SECTION_CHIEF] and row.standing(TODAY()) == "已結束"
    assert AuditEntry.objects.filter(object_id=row.pk, field="ended", old="生效中").exists()
    with pytest.raises(Conflict, match="已結束"):
        end_deputy(registration=row, user=people[Role.SECTION_CHIEF])


# ---- signing an assessment as a deputy --------------------------------------------------------


@pytest.fixture
def assessment(make, office):
    return make.fill(make.assessment(office=office))


def test_a_deputy_signs_an_assessment_and_is_recorded_for_whom(office, people, assessment):
    register(office, people, by=people[Role.DIRECTOR])
    submit_assessment(assessment=assessment, user=people[Role.CLERK])
    signoff = decide(assessment=assessment, user=people["stand_in"], decision="approve")
    chief = people[Role.SECTION_CHIEF]
    assert (signoff.user, signoff.on_behalf_of, signoff.on_behalf_of_name) == (
        people["stand_in"],
        chief,
        chief.username,
    )
    assert signoff.signed_as == f"stand-in 代 {chief.username}"
    assert AuditEntry.objects.filter(
        assessment_id=assessment.pk, new=f"2. 課長 核可（stand-in 代 {chief.username}）"
    ).exists()
    assert chain_state(assessment).current == (3, Role.MANAGER)


def test_a_deputy_of_another_role_may_not_sign_this_step(office, people, assessment):
    register(office, people, by=people["admin"], principal=Role.MANAGER)
    submit_assessment(assessment=assessment, user=people[Role.CLERK])
    with pytest.raises(NotAllowed, match="目前應由「課長」核章"):
        decide(assessment=assessment, user=people["stand_in"], decision="approve")


def test_one_person_may_not_hold_two_steps_of_an_assessments_round(office, people, assessment):
    register(office, people, by=people["admin"], principal=Role.DIRECTOR, deputy=Role.MANAGER)
    submit_assessment(assessment=assessment, user=people[Role.CLERK])
    for role in (Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR):
        decide(assessment=assessment, user=people[role], decision="approve")
    with pytest.raises(NotAllowed, match="同一人不可擔任同一流程的兩個步驟"):
        decide(assessment=assessment, user=people[Role.MANAGER], decision="approve")
    decide(assessment=assessment, user=people[Role.DIRECTOR], decision="approve")
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


def test_the_assessment_page_offers_the_deputy_the_form_and_prints_both(
    office, people, assessment, as_user
):
    register(office, people, by=people["admin"])
    submit_assessment(assessment=assessment, user=people[Role.CLERK])
    url = reverse("assessment-detail", args=[assessment.pk])
    text = as_user(people["stand_in"]).get(url).text
    since = format_datetime(assessment.signoffs.get().at)
    assert 'id="approve"' in text and "待您核章" in text
    assert f"目前等待：<strong>課長</strong>（自 {since}）" in text
    assert 'id="approve"' not in as_user(people[Role.MANAGER]).get(url).text
    decide(assessment=assessment, user=people["stand_in"], decision="approve")
    text = as_user(people[Role.MANAGER]).get(url).text
    assert f"stand-in 代 {people[Role.SECTION_CHIEF].username} 核可" in text
    history = as_user(people[Role.MANAGER]).get(reverse("assessment-history", args=[assessment.pk]))
    assert f"stand-in 代 {people[Role.SECTION_CHIEF].username}" in history.text


def test_the_deputys_home_and_list_show_the_step_they_stand_in_for(
    office, people, assessment, as_user
):
    submit_assessment(assessment=assessment, user=people[Role.CLERK])
    home, mine = reverse("home"), reverse("assessment-list") + "?status=mine"
    stand_in = as_user(people["stand_in"])
    assert "待您核章" not in stand_in.get(home).text
    register(office, people, by=people["admin"])
    assert 'id="todo-sign"' in stand_in.get(home).text
    listed = stand_in.get(mine).text
    assert reverse("assessment-detail", args=[assessment.pk]) in listed and "待您核章" in listed
    decide(assessment=assessment, user=people["stand_in"], decision="approve")
    assert 'id="todo-sign"' not in stand_in.get(home).text  # the next step is the manager's


def test_the_api_names_signer_and_principal(office, people, assessment, api):
    register(office, people, by=people["admin"])
    submit_assessment(assessment=assessment, user=people[Role.CLERK])
    response = api(people["stand_in"]).post(
        f"/api/assessments/{assessment.pk}/signoffs/", {"decision": "approve"}
    )
    chief = people[Role.SECTION_CHIEF].username
    assert response.status_code == 201
    assert response.json()["signer_name"] == f"stand-in 代 {chief}"
    assert response.json()["on_behalf_of"] == chief
    body = api(people[Role.CLERK]).get(f"/api/assessments/{assessment.pk}/").json()
    step = body["signoffs"][-1]
    assert (step["user"], step["on_behalf_of"], step["signer_name"]) == (
        "stand-in",
        chief,
        f"stand-in 代 {chief}",
    )
    assert body["waiting_on"]["role"] == "manager"
    assert body["waiting_on"]["since"] == assessment.signoffs.last().at.isoformat()


# ---- the deputies page ----------------------------------------------------------------------


def page(office):
    return reverse("deputy-list", args=[office.code])


@pytest.mark.parametrize(
    ("who", "code"),
    [(Role.SECTION_CHIEF, 200), (Role.CLERK, 200), ("admin", 200), ("outsider", 404)],
)
def test_the_page_is_the_offices_own(office, people, as_user, who, code):
    assert as_user(people[who]).get(page(office)).status_code == code


def test_hq_does_not_see_an_offices_deputies(office, as_user, make):
    assert as_user(make.user(role=Role.HQ_REVIEWER)).get(page(office)).status_code == 404


def test_the_menu_links_the_own_offices_page(office, people, as_user):
    text = as_user(people[Role.CLERK]).get(reverse("notification-settings")).text
    assert f'href="{page(office)}"' in text and "職務代理人" in text


def test_the_form_offers_whom_one_may_register(office, people, as_user):
    director = as_user(people[Role.DIRECTOR]).get(page(office)).text
    for role in (Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR, Role.DIRECTOR):
        assert f'<option value="{people[role].pk}">' in director.split('name="deputy"')[0]
    chief = as_user(people[Role.SECTION_CHIEF]).get(page(office)).text
    principals = chief.split('name="deputy"')[0]
    assert f'<option value="{people[Role.SECTION_CHIEF].pk}">' in principals
    assert f'<option value="{people[Role.MANAGER].pk}">' not in principals
    assert 'id="deputy-form"' not in as_user(people[Role.CLERK]).get(page(office)).text


def form(people, **extra):
    return {
        "principal": people[Role.SECTION_CHIEF].pk,
        "deputy": people["stand_in"].pk,
        "starts_on": format_date(TODAY()),
        "ends_on": format_date(TODAY() + dt.timedelta(days=3)),
        "reason": "公差",
        **extra,
    }


def test_registering_and_ending_on_the_page(office, people, as_user):
    client = as_user(people[Role.DIRECTOR])
    response = client.post(reverse("deputy-add", args=[office.code]), form(people), follow=True)
    row = Deputy.objects.get()
    assert "已登錄職務代理" in response.text and f'id="deputy-{row.pk}"' in response.text
    assert "生效中" in response.text and "結束代理" in response.text
    # the manager sees it but may not end it
    manager = as_user(people[Role.MANAGER]).get(page(office)).text
    assert f'id="deputy-{row.pk}"' in manager and "結束代理" not in manager
    client = as_user(people[Role.SECTION_CHIEF])
    response = client.post(reverse("deputy-end", args=[office.code, row.pk]), follow=True)
    assert "已結束職務代理" in response.text
    row.refresh_from_db()
    assert row.ended_at is not None


@pytest.mark.parametrize(
    ("who", "extra", "message"),
    [
        (Role.CLERK, {}, "處長或被代理人本人"),
        (Role.DIRECTOR, {"starts_on": "下週"}, "代理起日「下週」無法解讀"),
        (Role.DIRECTOR, {"deputy": "abc"}, "代理人「abc」不正確"),
        (Role.DIRECTOR, {"principal": "999999"}, "請選擇被代理人"),
    ],
)
def test_a_refused_registration_says_why(office, people, as_user, who, extra, message):
    response = as_user(people[who]).post(
        reverse("deputy-add", args=[office.code]), form(people, **extra), follow=True
    )
    assert response.status_code == 200 and message in response.text
    assert not Deputy.objects.exists()


def test_another_offices_registration_is_404(office, people, as_user, make):
    other = make.office()
    chief = make.user(office=other, role=Role.SECTION_CHIEF)
    row = register_deputy(
        office=other,
        principal=chief,
        deputy=make.user(office=other),
        starts_on=TODAY(),
        ends_on=TODAY(),
        reason="休假",
        user=chief,
    )
    url = reverse("deputy-end", args=[office.code, row.pk])
    assert as_user(people[Role.DIRECTOR]).post(url).status_code == 404
    row.refresh_from_db()
    assert row.ended_at is None


@pytest.mark.parametrize("count", [1, 3])
def test_page_queries_do_not_grow_with_rows(
    office, people, as_user, django_assert_num_queries, count
):
    for role in [Role.MANAGER, Role.DEPUTY_DIRECTOR, Role.DIRECTOR][:count]:
        register(office, people, by=people["admin"], principal=role)
    client = as_user(people[Role.DIRECTOR])
    # session, user, membership, the office, its registrations, its members, the header's office
    with django_assert_num_queries(7):
        response = client.get(page(office))
    assert response.text.count('<tr id="deputy-') == count
