"""The history page: newest first, filtered by field and by person."""

import re

import pytest
from django.urls import reverse

from servplan.assessments.domain import score_cell
from servplan.assessments.history import HistoryFilter, history_entries
from servplan.offices.models import Role


@pytest.fixture
def trail(db, make):
    """Three changes in order: clerk scores, clerk writes, an admin scores again."""
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=1))
    cell = a.cells.select_related("cell__dimension", "cell__item").get()
    clerk, admin = make.user(office=a.office), make.user(role=Role.ADMIN)
    score_cell(cell_score=cell, user=clerk, score="3")
    score_cell(cell_score=cell, user=clerk, narrative="第一版說明")
    score_cell(cell_score=cell, user=admin, score="7")
    return a, clerk, admin


def rows(html: str) -> list[str]:
    body = html.split('<table class="history cards">', 1)[1]
    return re.findall(r"<tr><td class=\"when\">.*?</tr>", body, re.S)


def test_the_page_runs_newest_first(trail, as_user):
    a, clerk, admin = trail
    html = as_user(clerk).get(reverse("assessment-history", args=[a.pk])).text
    found = rows(html)
    position = {
        value: next(
            i for i, r in enumerate(found) if f'<td class="new" data-label="新值">{value}</td>' in r
        )
        for value in ("7", "第一版說明", "3")
    }
    assert position["7"] < position["第一版說明"] < position["3"]
    assert admin.username in found[position["7"]]
    assert "最新的在前" in html


def test_the_page_filters_by_field_and_by_person(trail, as_user):
    a, clerk, admin = trail
    client = as_user(clerk)
    url = reverse("assessment-history", args=[a.pk])
    html = client.get(url).text
    assert '<option value="score">自評</option>' in html
    assert f'<option value="{admin.username}">{admin.username}</option>' in html
    scores = rows(client.get(url, {"field": "score"}).text)
    assert len(scores) == 2 and all("自評" in r for r in scores)
    mine = rows(client.get(url, {"person": clerk.username}).text)
    assert len(mine) == 2 and all(clerk.username in r for r in mine)
    both = client.get(url, {"field": "score", "person": admin.username}).text
    assert len(rows(both)) == 1 and "清除篩選" in both
    assert '<option value="score" selected>' in both
    nothing = client.get(url, {"field": "narrative", "person": admin.username}).text
    assert "沒有符合篩選的異動紀錄" in nothing
    # the sign-off table stays whole whatever the filter
    assert 'class="signoffs cards"' in nothing


def test_the_filter_and_the_api_order(trail):
    a, clerk, admin = trail
    oldest = history_entries(a, user=admin)
    newest = history_entries(a, user=admin, newest_first=True)
    assert newest == oldest[::-1]
    assert [e.person for e in HistoryFilter(person=admin.username).apply(newest)] == [
        admin.username
    ]
