"""programs/views.py: HQ's program pages and the changes page offices read."""

import pytest
from django.urls import reverse
from lxml import html

from servplan.audit.models import AuditEntry
from servplan.offices.models import Office, Role
from servplan.plans.domain import start_plan
from servplan.programs.domain.versions import new_program_version, publish_program, start_program
from servplan.programs.lookups import hq_program
from servplan.programs.models import Practice, Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def hq(make):
    return make.user(role=Role.HQ_REVIEWER)


@pytest.fixture
def taitung(shipped):
    return Office.objects.get(name="台東區營業處")


@pytest.fixture
def draft(shipped, hq):
    return start_program(user=hq, roc_year=115)


def practices(program):
    return list(
        Practice.objects.filter(measure__strategy__facet__outline=program.outline_id).order_by(
            "measure__strategy__facet__position",
            "measure__strategy__position",
            "measure__position",
            "position",
        )
    )


def fresh(program):
    return Program.objects.get(pk=program.pk)


def hq_pages(program):
    return [
        reverse("program-list"),
        reverse("program-new"),
        reverse("program-edit", args=[program.pk]),
    ]


def test_hq_and_admins_open_the_pages(draft, hq, make, as_user):
    for user in (hq, make.user(role=Role.ADMIN)):
        client = as_user(user)
        for url in hq_pages(draft):
            assert client.get(url).status_code == 200, url


def test_office_staff_get_404_and_visitors_the_login(draft, taitung, make, as_user, client):
    for role in (Role.CLERK, Role.DIRECTOR):
        staff = as_user(make.user(office=taitung, role=role))
        for url in hq_pages(draft):
            assert staff.get(url).status_code == 404, url
        url = reverse("program-header", args=[draft.pk])
        assert staff.post(url, {"title": "偷改", "revision": "1"}).status_code == 404
    assert fresh(draft).title == "115年度提升服務效能執行計畫"
    client.logout()
    response = client.get(reverse("program-list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_menu_links_hqs_pages_for_hq_only(draft, hq, taitung, make, as_user):
    menu = "//nav[@aria-label='主選單']/a/text()"
    doc = html.fromstring(as_user(hq).get(reverse("program-list")).content)
    assert {"總處計畫", "評分表"} <= set(doc.xpath(menu))
    assert doc.xpath("//nav/a[@aria-current='page']/text()") == ["總處計畫"]
    doc = html.fromstring(as_user(make.user(office=taitung)).get(reverse("home")).content)
    assert not {"總處計畫", "評分表"} & set(doc.xpath(menu))


def test_the_list_shows_years_versions_and_status(draft, hq, as_user):
    text = as_user(hq).get(reverse("program-list")).text
    assert "草稿（編修中）" in text and "現行版本" in text
    assert text.index("115年度") < text.index("114年度") < text.index("112年度")


def test_hq_starts_next_years_program_from_last_years(shipped, hq, as_user):
    client = as_user(hq)
    form = html.fromstring(client.get(reverse("program-new")).content)
    assert form.xpath("//input[@name='roc_year']/@value") == ["115"]
    assert form.xpath("//select[@name='source']/option[@selected]/text()") == [
        "114年度提升服務效能執行計畫"
    ]
    response = client.post(
        reverse("program-start"),
        {
            "roc_year": "115",
            "source": str(hq_program(114).pk),
            "title": "115年度提升服務效能執行計畫",
            "letter_number": "電業字第1150001234號",
            "issued_on": "115 年 2 月 10 日",
        },
    )
    program = Program.objects.get(roc_year=115)
    assert response.status_code == 302 and response.url == reverse(
        "program-edit", args=[program.pk]
    )
    assert program.is_draft and program.letter_number == "電業字第1150001234號"
    assert len(practices(program)) == len(practices(hq_program(114)))


def test_a_refused_start_says_why_and_keeps_what_was_typed(shipped, hq, as_user):
    response = as_user(hq).post(
        reverse("program-start"),
        {"roc_year": "115", "source": "", "title": "我的標題", "issued_on": "明年"},
    )
    assert response.status_code == 400 and "函頒日期「明年」無法解讀" in response.text
    assert 'value="我的標題"' in response.text
    assert not Program.objects.filter(roc_year=115).exists()


def test_editing_a_practice_through_the_page(draft, hq, as_user):
    client = as_user(hq)
    practice = practices(draft)[0]
    url = reverse("program-node-save", args=[draft.pk, "practice", practice.pk])
    response = client.post(
        url,
        {
            "text": "改寫的作法",
            "departments-sent": "1",
            "departments": ["總務組", "業務組"],
            "period": "每季",
            "revision": "1",
        },
    )
    assert response.status_code == 302 and response.url.endswith(f"#practice-{practice.pk}")
    practice.refresh_from_db()
    assert (practice.text, practice.period) == ("改寫的作法", "每季")
    # The practice kept 業務組 first (its order), 總務組 was added after it.
    assert [d.department.name for d in practice.department_links.all()] == ["業務組", "總務組"]
    assert fresh(draft).revision == 2


def test_a_stale_page_is_409_and_keeps_what_was_typed(draft, hq, as_user):
    client = as_user(hq)
    practice = practices(draft)[0]
    url = reverse("program-node-save", args=[draft.pk, "practice", practice.pk])
    client.post(url, {"text": "第一次", "revision": "1"})
    response = client.post(url, {"text": "過時的頁面", "revision": "1"})
    assert response.status_code == 409 and "草稿已被他人修改" in response.text
    assert "過時的頁面" in response.text
    practice.refresh_from_db()
    # and the departments, which the form did not send, stay
    assert practice.text == "第一次" and practice.department_links.count() == 1


def test_bad_input_is_400_naming_the_field(draft, hq, as_user):
    client = as_user(hq)
    measure = practices(draft)[0].measure
    url = reverse("program-node-add", args=[draft.pk])
    response = client.post(
        url, {"kind": "practice", "parent": measure.pk, "text": "", "revision": "1"}
    )
    assert response.status_code == 400 and "具體作法不可空白" in response.text
    response = client.post(url, {"kind": "facet", "name": "新面向"})
    assert response.status_code == 400 and "缺少 version 欄位" in response.text
    response = client.post(
        reverse("program-header", args=[draft.pk]), {"issued_on": "abc", "revision": "1"}
    )
    assert response.status_code == 400 and "函頒日期「abc」" in response.text
    assert 'value="abc"' in response.text
    assert fresh(draft).revision == 1


def test_adding_moving_and_removing_through_the_page(draft, hq, as_user):
    client = as_user(hq)
    measure = practices(draft)[1].measure
    before = list(Practice.objects.filter(measure=measure).order_by("position"))
    assert len(before) == 5
    response = client.post(
        reverse("program-node-add", args=[draft.pk]),
        {
            "kind": "practice",
            "parent": measure.pk,
            "text": "新增的作法",
            "departments-sent": "1",
            "departments": "業務組",
            "period": "1~12 月",
            "revision": "1",
        },
    )
    added = Practice.objects.get(text="新增的作法")
    assert response.status_code == 302 and response.url.endswith(f"#practice-{added.pk}")
    client.post(
        reverse("program-node-move", args=[draft.pk, "practice", added.pk]),
        {"direction": "up", "revision": "2"},
    )
    client.post(
        reverse("program-node-remove", args=[draft.pk, "practice", before[0].pk]),
        {"revision": "3"},
    )
    after = list(Practice.objects.filter(measure=measure).order_by("position"))
    assert [p.pk for p in after] == [*(p.pk for p in before[1:4]), added.pk, before[4].pk]
    assert [p.number for p in after] == [1, 2, 3, 4, 5]
    assert fresh(draft).revision == 4


def test_a_node_of_another_program_is_404(draft, hq, as_user):
    other = practices(hq_program(114))[0]
    url = reverse("program-node-save", args=[draft.pk, "practice", other.pk])
    assert as_user(hq).post(url, {"text": "x", "revision": "1"}).status_code == 404
    url = reverse("program-node-save", args=[draft.pk, "branch", other.pk])
    assert as_user(hq).post(url, {"text": "x", "revision": "1"}).status_code == 404


def test_publishing_then_a_new_version_with_a_reason(draft, hq, as_user):
    client = as_user(hq)
    response = client.post(reverse("program-publish", args=[draft.pk]), {"revision": "1"})
    assert response.status_code == 302
    published = fresh(draft)
    assert (published.status, published.version) == ("published", 1)
    page = client.get(reverse("program-edit", args=[published.pk])).text
    assert "建立新版本" in page and 'name="text"' not in page
    response = client.post(reverse("program-new-version", args=[published.pk]))
    v2 = Program.objects.get(roc_year=115, status="draft")
    assert response.url == reverse("program-edit", args=[v2.pk])
    page = client.get(reverse("program-edit", args=[published.pk])).text
    assert "已有編修中的草稿" in page and "建立新版本（草稿）" not in page
    response = client.post(reverse("program-publish", args=[v2.pk]), {"revision": "1"})
    assert response.status_code == 400 and "請說明修訂理由" in response.text
    client.post(reverse("program-publish", args=[v2.pk]), {"revision": "1", "reason": "修正文字"})
    assert hq_program(115) == v2 and fresh(v2).supersedes == published
    assert AuditEntry.objects.filter(object_id=v2.pk, field="reason", new="修正文字").exists()


def test_offices_read_the_changes_of_a_published_version(draft, hq, taitung, make, as_user, client):
    v1 = publish_program(user=hq, program=draft, expected_revision=1)
    v2 = new_program_version(user=hq, program=v1)
    clerk = as_user(make.user(office=taitung))
    assert clerk.get(reverse("program-changes", args=[v2.pk])).status_code == 404
    from servplan.programs.domain import tree

    tree.update_practice(
        user=hq, program=v2, practice=practices(v2)[0], text="第二版的寫法", expected_revision=1
    )
    v2 = publish_program(user=hq, program=fresh(v2), reason="改寫第一項作法", expected_revision=2)
    response = clerk.get(reverse("program-changes", args=[v2.pk]))
    assert response.status_code == 200
    assert "改寫第一項作法" in response.text and "第二版的寫法" in response.text
    assert "修改文字" in response.text and "修改 1 項" in response.text
    response = clerk.get(reverse("program-changes", args=[v2.pk]), {"against": "abc"})
    assert response.status_code == 404
    client.logout()
    response = client.get(reverse("program-changes", args=[v2.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_plan_page_tells_of_a_newer_version(draft, hq, taitung, make, as_user):
    v1 = publish_program(user=hq, program=draft, expected_revision=1)
    clerk = make.user(office=taitung)
    plan = start_plan(office=taitung, roc_year=115, user=clerk)
    page = as_user(clerk).get(reverse("plan-detail", args=[plan.pk])).text
    assert "總處已發布" not in page
    publish_program(
        user=hq,
        program=new_program_version(user=hq, program=v1),
        reason="修訂",
        expected_revision=1,
    )
    page = as_user(clerk).get(reverse("plan-detail", args=[plan.pk])).text
    assert "總處已發布" in page and f"?against={v1.pk}" in page


@pytest.mark.parametrize("n", [1, 3])
def test_the_edit_page_asks_a_fixed_number_of_queries(
    db, make, hq, as_user, django_assert_num_queries, n
):
    make.program(roc_year=114, facets=n, practices=n)
    program = start_program(user=hq, roc_year=115)
    client = as_user(hq)
    with django_assert_num_queries(12):
        response = client.get(reverse("program-edit", args=[program.pk]))
    assert (
        response.text.count('name="text"') == n * n + n
    )  # each practice, and an add form per measure


def test_the_plan_start_page_names_published_programs_only(draft, taitung, make, as_user):
    page = as_user(make.user(office=taitung)).get(reverse("plan-new")).text
    assert "「114年度提升服務效能執行計畫」" in page
    assert "「115年度提升服務效能執行計畫」" not in page  # the draft
