import pytest
from django.urls import reverse

from servplan.offices.models import Office, Role
from servplan.plans.models import OfficePlan, PlanStatus


@pytest.fixture
def miaoli_plan(sample):
    return OfficePlan.objects.get(office__name="苗栗區營業處")


def test_own_office_sees_the_plan_tree(miaoli_plan, make, as_user):
    response = as_user(make.user(office=miaoli_plan.office)).get(
        reverse("plan-detail", args=[miaoli_plan.pk])
    )
    assert response.status_code == 200
    text = response.text
    assert "112 年 3 月 21 日陳准實施" in text
    assert "一、基礎服務" in text and "五、開放創新" in text
    assert "（三）服務成長及優化" in text
    assert "電業字第1120005173號" in text
    assert "每年 1次" in text


def test_same_office_other_role_sees_the_plan(miaoli_plan, make, as_user):
    user = make.user(office=miaoli_plan.office, role=Role.DEPUTY_DIRECTOR)
    assert as_user(user).get(reverse("plan-detail", args=[miaoli_plan.pk])).status_code == 200


def test_other_office_gets_404(miaoli_plan, make, as_user):
    outsider = make.user(office=Office.objects.get(name="台東區營業處"))
    assert as_user(outsider).get(reverse("plan-detail", args=[miaoli_plan.pk])).status_code == 404


def test_hq_sees_approved_plans_not_drafts(miaoli_plan, make, as_user):
    client = as_user(make.user(role=Role.HQ_REVIEWER))
    assert client.get(reverse("plan-detail", args=[miaoli_plan.pk])).status_code == 200
    miaoli_plan.status = PlanStatus.DRAFT
    miaoli_plan.save()
    assert client.get(reverse("plan-detail", args=[miaoli_plan.pk])).status_code == 404


def test_plan_page_queries_are_fixed(miaoli_plan, make, as_user, django_assert_num_queries):
    client = as_user(make.user(office=miaoli_plan.office))
    # session, user, membership, the plan, four tree levels and departments, its sign-offs,
    # the office's chain steps, the member's office (header), whether HQ has published a
    # newer program (programs/_newer_version.html)
    with django_assert_num_queries(13):
        client.get(reverse("plan-detail", args=[miaoli_plan.pk]))


def test_offices_page_lists_every_office(shipped, make, as_user, django_assert_num_queries):
    """The 25 fit on one page (of 50); the seventh query counts them for the pager."""
    client = as_user(make.user(office=Office.objects.get(name="台東區營業處")))
    with django_assert_num_queries(7):
        response = client.get(reverse("office-list"))
    assert response.text.count("區營業處</td>") == Office.objects.count()


def test_admin_opens_for_admins(shipped, make, as_user):
    client = as_user(make.user(role=Role.ADMIN))
    for name in [
        "admin:offices_office_changelist",
        "admin:programs_rubric_changelist",
        "admin:plans_officeplan_changelist",
    ]:
        assert client.get(reverse(name)).status_code == 200


def test_offices_page_lists_them_in_their_order(shipped, make, as_user):
    """As data/offices.yaml orders them (north to south, then the islands and the east)."""
    import yaml
    from django.conf import settings

    data = yaml.safe_load((settings.DATA_DIR / "offices.yaml").read_text(encoding="utf-8"))
    text = as_user(make.user(office=make.office())).get(reverse("office-list")).text
    names = [o["name"] for o in data["offices"]]
    assert sorted(names, key=text.index) == names
