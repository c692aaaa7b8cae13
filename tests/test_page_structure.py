"""What every page gives keyboards and screen readers: a skip link to the main landmark, the
current menu entry, named downloads, save messages announced and tied to their inputs, and
wide tables that scroll in a labelled, focusable box (browser checks: tests/browser/)."""

import pytest
from django.urls import reverse
from lxml import html

from servplan.offices.models import Role


@pytest.fixture
def draft(db, make):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=2, cell_max=10))
    return a, make.staff(a.office)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.fromstring(response.content)


def test_skip_link_leads_to_the_main_landmark(draft, as_user):
    a, people = draft
    doc = page(as_user(people[Role.CLERK]), reverse("assessment-list"))
    first_link = doc.xpath("//body//a")[0]
    assert first_link.text == "跳到主要內容" and first_link.get("href") == "#main"
    assert len(doc.xpath("//main[@id='main']")) == 1


def test_menu_marks_the_current_page_and_section(draft, as_user):
    a, people = draft
    client = as_user(people[Role.CLERK])
    menu = "//nav[@aria-label='主選單']/a"
    doc = page(client, reverse("assessment-list"))
    assert [(x.text, x.get("aria-current")) for x in doc.xpath(menu)] == [
        ("待辦事項", None),
        ("自行考核", "page"),
        ("執行計畫", None),
        ("區營業處", None),
        ("匯入文件", None),
        ("搜尋", None),
    ]
    doc = page(client, reverse("assessment-detail", args=[a.pk]))
    assert doc.xpath(f"{menu}[@aria-current]/text()") == ["自行考核"]
    assert doc.xpath(f"{menu}[@aria-current]/@aria-current") == ["true"]
    doc = page(client, reverse("office-list"))
    assert doc.xpath(f"{menu}[@aria-current]/text()") == ["區營業處"]
    doc = page(client, reverse("home"))
    assert doc.xpath(f"{menu}[@aria-current]/text()") == ["待辦事項"]


def test_download_links_are_named_with_their_form(draft, as_user):
    a, people = draft
    doc = page(as_user(people[Role.CLERK]), reverse("assessment-detail", args=[a.pk]))
    names = [x.text_content() for x in doc.xpath("//a[contains(@class, 'download')]")]
    assert "評分表 PDF" in names and "結果彙整表 Word" in names and "三表合併 ODT" in names
    assert "資料 CSV" in names
    assert not {"PDF", "ODT", "Word"} & set(names)


def test_save_messages_are_live_and_describe_their_inputs(draft, as_user, make):
    a, people = draft
    doc = page(as_user(people[Role.CLERK]), reverse("assessment-detail", args=[a.pk]))
    inputs = doc.xpath("//input[@name='score'] | //textarea[@name='narrative']")
    inputs += doc.xpath("//table[@id='findings']//textarea")
    assert len(inputs) == 2 + 2 + 2 * 4
    for field in inputs:
        (message,) = doc.xpath(f"//*[@id='{field.get('aria-describedby')}']")
        assert message.get("role") == "status" and message.get("aria-live") == "polite"

    done = make.submitted(make.assessment(rubric_=make.rubric(dimensions=1, items=2)))
    doc = page(as_user(make.user(role=Role.HQ_REVIEWER)), reverse("review-detail", args=[done.pk]))
    fields = doc.xpath("//input[@name='review_score'] | //textarea[@name='review_comment']")
    assert len(fields) == 4
    for field in fields:
        (message,) = doc.xpath(f"//*[@id='{field.get('aria-describedby')}']")
        assert message.get("role") == "status" and message.get("aria-live") == "polite"


def test_list_tables_scroll_in_a_labelled_focusable_box(draft, as_user, make):
    a, people = draft
    make.submitted(a)
    hq = as_user(make.user(role=Role.HQ_REVIEWER))
    for url in (reverse("assessment-list"), reverse("plan-list"), reverse("review-list")):
        doc = page(hq, url)
        for table in doc.xpath("//main//table"):
            box = table.getparent()
            assert "table-scroll" in box.get("class", "").split(), url
            assert box.get("role") == "region" and box.get("aria-label") and box.get("tabindex")
    headers = page(hq, reverse("review-list")).xpath("//th")
    assert all(th.text_content().strip() for th in headers)
