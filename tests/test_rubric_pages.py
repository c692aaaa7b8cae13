"""programs/rubric_views.py: HQ's rubric pages, and the rubrics offices are offered."""

import pytest
from django.urls import reverse
from lxml import html

from servplan.offices.models import Office, Role
from servplan.programs.domain import rubric_spec
from servplan.programs.domain.rubric_drafts import new_rubric_version, start_rubric
from servplan.programs.models import Rubric
from tests.factories import rubric_form as form_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def hq(make):
    return make.user(role=Role.HQ_REVIEWER)


@pytest.fixture
def taitung(shipped):
    return Office.objects.get(name="台東區營業處")


@pytest.fixture
def draft(shipped, hq):
    return start_rubric(user=hq, roc_year=115)


def test_only_hq_and_admins_open_the_pages(draft, hq, taitung, make, as_user, client):
    urls = [reverse("rubric-list"), reverse("rubric-new"), reverse("rubric-edit", args=[draft.pk])]
    for user in (hq, make.user(role=Role.ADMIN)):
        for url in urls:
            assert as_user(user).get(url).status_code == 200, url
    clerk = as_user(make.user(office=taitung))
    for url in urls:
        assert clerk.get(url).status_code == 404, url
    assert clerk.post(reverse("rubric-save", args=[draft.pk]), form_of(draft)).status_code == 404
    client.logout()
    assert client.get(urls[0]).url.startswith(reverse("login"))


def test_hq_starts_115s_rubric_from_114s(shipped, hq, as_user):
    client = as_user(hq)
    page = html.fromstring(client.get(reverse("rubric-new")).content)
    assert page.xpath("//input[@name='roc_year']/@value") == ["115"]
    response = client.post(reverse("rubric-start"), {"roc_year": "115", "source": "", "title": ""})
    rubric = Rubric.objects.get(roc_year=115)
    assert response.url == reverse("rubric-edit", args=[rubric.pk]) and rubric.is_draft
    response = client.post(reverse("rubric-start"), {"roc_year": "abc"})
    assert response.status_code == 400 and "年度「abc」" in response.text


def test_saving_the_grid(draft, hq, as_user):
    client = as_user(hq)
    # 創新性: 120 + 80 + 100; a fourth item 「數位服務」 added with no cells; 擴散應用 removed
    # (its 150 points go to 可持續性, which gets 100 + 50 + 50 + 100 for the new item).
    data = form_of(
        draft,
        **{
            "cell-1-1-max": "120",
            "cell-1-2-max": "80",
            "item-4-name": "數位服務",
            "dim-3-max": "300",
            "cell-3-1-max": "100",
            "cell-3-4-max": "100",
            "cell-3-4-focus": "數位服務的評分重點",
            "dim-4-remove": "1",
        },
    )
    response = client.post(reverse("rubric-save", args=[draft.pk]), data)
    assert response.status_code == 302, response.text
    spec = rubric_spec(Rubric.objects.get(pk=draft.pk))
    assert spec.items[-1] == "數位服務" and [d.name for d in spec.dimensions] == [
        "創新性",
        "效益及影響",
        "可持續性",
    ]
    assert [(c.item, c.max) for c in spec.dimensions[2].cells][-1] == ("數位服務", 100)
    assert spec.dimensions[2].cells[-1].scoring_focus == "數位服務的評分重點"


def test_a_grid_that_does_not_add_up_is_400_and_keeps_what_was_typed(draft, hq, as_user):
    client = as_user(hq)
    response = client.post(
        reverse("rubric-save", args=[draft.pk]), form_of(draft, **{"cell-2-1-max": "150"})
    )
    assert response.status_code == 400
    assert "效益及影響：各評核項目配分合計 410 分，與構面配分 400 分不符" in response.text
    assert html.fromstring(response.content).xpath("//input[@name='cell-2-1-max']/@value") == [
        "150"
    ]
    for field, value, message in [
        ("cell-1-1-max", "一百", "配分「一百」不是數字"),
        ("title", " ", "評分表名稱不可空白"),
        ("items", "999", "items 欄位過大"),
        ("total_max", "", "請填寫總分"),
    ]:
        response = client.post(
            reverse("rubric-save", args=[draft.pk]), form_of(draft, **{field: value})
        )
        assert response.status_code == 400 and message in response.text, field
    response = client.post(reverse("rubric-save", args=[draft.pk]), form_of(draft, revision="9"))
    assert response.status_code == 409
    assert rubric_spec(Rubric.objects.get(pk=draft.pk)) == rubric_spec(draft)


def test_publishing_and_a_new_version_of_a_rubric_in_use(shipped, hq, taitung, make, as_user):
    client = as_user(hq)
    rubric = Rubric.objects.get(roc_year=114)
    make.assessment(office=taitung, rubric_=rubric)
    page = client.get(reverse("rubric-edit", args=[rubric.pk])).text
    assert "已有自行考核使用" in page and "rubric-save" not in page and 'name="title"' not in page
    response = client.post(reverse("rubric-new-version", args=[rubric.pk]))
    v2 = Rubric.objects.get(roc_year=114, version=2)
    assert response.url == reverse("rubric-edit", args=[v2.pk]) and v2.supersedes == rubric
    page = client.get(reverse("rubric-edit", args=[rubric.pk])).text
    assert "已有編修中的新版本" in page and "建立新版本（草稿）" not in page
    response = client.post(reverse("rubric-publish", args=[v2.pk]), {"revision": "1"})
    assert response.status_code == 400 and "請說明修訂理由" in response.text
    response = client.post(
        reverse("rubric-publish", args=[v2.pk]), {"revision": "1", "reason": "修正評分重點"}
    )
    assert response.status_code == 302 and Rubric.objects.get(pk=v2.pk).status == "published"
    listing = client.get(reverse("rubric-list")).text
    assert "已由新版本取代" in listing and "使用中" in listing


def test_offices_are_offered_published_rubrics_only(draft, hq, taitung, make, as_user):
    shipped_rubric = Rubric.objects.get(roc_year=114)
    clerk = as_user(make.user(office=taitung))
    page = html.fromstring(clerk.get(reverse("assessment-list")).content)
    offered = page.xpath("//select[@name='rubric']/option/@value")
    assert offered == [str(shipped_rubric.pk)]
    response = clerk.post(reverse("assessment-create"), {"period": "115-1-6", "rubric": draft.pk})
    assert response.status_code == 302
    assert not taitung.assessments.filter(rubric=draft).exists()
    new_rubric_version(user=hq, rubric=shipped_rubric)  # a draft version changes nothing yet
    page = html.fromstring(clerk.get(reverse("assessment-list")).content)
    assert page.xpath("//select[@name='rubric']/option/@value") == [str(shipped_rubric.pk)]


def test_creating_an_assessment_through_the_api_with_a_draft_is_refused(draft, taitung, make, api):
    response = api(make.user(office=taitung)).post(
        "/api/assessments/", {"office": taitung.name, "rubric": draft.pk, "period": "115-1-6"}
    )
    assert response.status_code == 400 and response.json()["where"] == "rubric"


def test_hq_opens_a_period_with_a_published_rubric_only(draft, hq, as_user, api):
    client = as_user(hq)
    page = html.fromstring(client.get(reverse("period-list")).content)
    assert page.xpath("//select[@name='rubric']/option/@value") == [
        str(Rubric.objects.get(roc_year=114).pk)
    ]
    data = {"period": "115-1-6", "rubric": draft.pk, "deadline": "115 年 7 月 15 日"}
    response = client.post(reverse("period-open"), data)
    assert response.status_code == 400 and "請選擇評分表" in response.text
    response = api(hq).post("/api/periods/", data | {"deadline": "2026-07-15"})
    assert response.status_code == 400 and response.json()["where"] == "rubric"
