"""考核日期: set by the clerk on the draft (page and API), checked, defaulted at submit, printed."""

import datetime as dt

import pytest
from django.urls import reverse

from servplan.assessments.domain import date_version, set_assessed_on, submit_assessment
from servplan.assessments.models import Assessment, SignOff
from servplan.audit.models import AuditEntry
from servplan.core.errors import DomainError
from servplan.documents.export import export_assessment
from servplan.offices.models import ApiToken, Role
from tests.documents.helpers import pdf_text, squash

TODAY = dt.date(2025, 8, 15)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The site's today, fixed: the checks and the submit's default read it."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def draft(db, make):
    a = make.fill(make.assessment(period=(114, 1, 6)))
    return a, make.staff(a.office)


def save(client, a, text, version):
    return client.post(
        reverse("assessment-assessed-on", args=[a.pk]), {"assessed_on": text, "version": version}
    )


def stored(a) -> dt.date | None:
    return Assessment.objects.get(pk=a.pk).assessed_on


def test_the_clerk_sets_it_on_the_page_in_roc_and_the_version_goes_up(draft, as_user):
    a, people = draft
    client = as_user(people[Role.CLERK])
    page = client.get(reverse("assessment-detail", args=[a.pk])).text
    assert 'name="assessed_on"' in page and 'id="assessed-on-version" value="1"' in page
    response = save(client, a, "114 年 7 月 1 日", 1)
    assert response.status_code == 200
    assert "已儲存（114 年 7 月 1 日）" in response.text
    assert 'id="assessed-on-version" value="2"' in response.text
    assert stored(a) == dt.date(2025, 7, 1)
    entry = AuditEntry.objects.get(field="assessed_on")
    assert (entry.user, entry.old, entry.new) == (people[Role.CLERK], "", "2025-07-01")
    assert 'value="114 年 7 月 1 日"' in client.get(reverse("assessment-detail", args=[a.pk])).text


def test_a_stale_page_is_refused_with_the_newer_date(draft, as_user):
    a, people = draft
    client = as_user(people[Role.CLERK])
    save(client, a, "114 年 7 月 1 日", 1)
    response = save(client, a, "114 年 7 月 2 日", 1)
    assert response.status_code == 409
    assert "目前為 114 年 7 月 1 日" in response.text
    assert stored(a) == dt.date(2025, 7, 1)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("114 年 13 月 1 日", "無法解讀"),
        ("明天", "無法解讀"),
        ("113 年 12 月 31 日", "早於考核期間"),
        ("114 年 8 月 16 日", "晚於今天"),
    ],
)
def test_a_date_outside_the_period_or_ahead_is_refused(draft, as_user, text, says):
    a, people = draft
    response = save(as_user(people[Role.CLERK]), a, text, 1)
    assert response.status_code == 400 and says in response.text and "考核日期" in response.text
    assert stored(a) is None


def test_the_first_day_of_the_period_and_today_are_fine_and_blank_clears(draft):
    a, people = draft
    clerk = people[Role.CLERK]
    set_assessed_on(assessment=a, user=clerk, assessed_on="2025-01-01", expected_version=1)
    set_assessed_on(assessment=a, user=clerk, assessed_on=TODAY, expected_version=2)
    assert stored(a) == TODAY
    set_assessed_on(assessment=a, user=clerk, assessed_on="", expected_version=3)
    assert stored(a) is None and date_version(a) == 4


def test_without_a_version_it_is_refused(draft, as_user):
    a, people = draft
    response = as_user(people[Role.CLERK]).post(
        reverse("assessment-assessed-on", args=[a.pk]), {"assessed_on": "114 年 7 月 1 日"}
    )
    assert response.status_code == 400 and "version" in response.text


def test_only_the_offices_clerk_while_a_draft(draft, make, as_user):
    a, people = draft
    assert save(as_user(people[Role.DIRECTOR]), a, "114 年 7 月 1 日", 1).status_code == 403
    assert (
        save(as_user(make.user(office=make.office())), a, "114 年 7 月 1 日", 1).status_code == 404
    )
    submit_assessment(assessment=a, user=people[Role.CLERK])
    response = save(as_user(people[Role.CLERK]), a, "114 年 7 月 1 日", date_version(a))
    assert response.status_code == 409
    page = as_user(people[Role.DIRECTOR]).get(reverse("assessment-detail", args=[a.pk])).text
    assert 'name="assessed_on"' not in page and "考核日期：114 年 8 月 15 日" in page


def test_submit_dates_an_undated_draft_before_the_forms_are_signed(draft):
    a, people = draft
    submit_assessment(assessment=a, user=people[Role.CLERK])
    assert stored(a) == TODAY and a.assessed_on == TODAY
    signed = SignOff.objects.get(assessment=a).signed_copy.pdf
    assert "考核日期：114年8月15日" in squash(pdf_text(bytes(signed)))


def test_submit_keeps_a_date_the_clerk_set(draft):
    a, people = draft
    set_assessed_on(
        assessment=a, user=people[Role.CLERK], assessed_on="2025-07-01", expected_version=1
    )
    submit_assessment(assessment=a, user=people[Role.CLERK])
    assert stored(a) == dt.date(2025, 7, 1)


def test_submit_with_a_date_checks_it_and_refuses_without_submitting(draft):
    a, people = draft
    with pytest.raises(DomainError, match="晚於今天"):
        submit_assessment(assessment=a, user=people[Role.CLERK], assessed_on="2026-01-01")
    assert Assessment.objects.get(pk=a.pk).status == "draft"


def test_the_exported_score_sheet_prints_it(draft):
    from servplan.assessments.sheet import sheet_queryset

    a, people = draft
    text = squash(pdf_text(export_assessment(sheet_queryset().get(pk=a.pk), fmt="pdf").content))
    assert "考核日期：年月日" in text
    set_assessed_on(
        assessment=a, user=people[Role.CLERK], assessed_on="2025-07-01", expected_version=1
    )
    content = export_assessment(sheet_queryset().get(pk=a.pk), fmt="pdf", form="score-sheet")
    assert "考核日期：114年7月1日" in squash(pdf_text(content.content))


@pytest.fixture
def api(client):
    def call(user, method, url, data=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}
        return client.generic(
            method, url, __import__("json").dumps(data or {}), "application/json", **headers
        )

    return call


def test_the_api_patches_it_in_iso_with_the_version_the_detail_gives(draft, api):
    a, people = draft
    clerk = people[Role.CLERK]
    url = f"/api/assessments/{a.pk}/"
    detail = api(clerk, "GET", url).json()
    assert detail["assessed_on"] is None and detail["assessed_on_version"] == 1
    response = api(clerk, "PATCH", url, {"assessed_on": "2025-07-01", "version": 1})
    assert response.status_code == 200
    assert response.json()["assessed_on"] == "2025-07-01"
    assert response.json()["assessed_on_version"] == 2
    stale = api(clerk, "PATCH", url, {"assessed_on": "2025-07-02", "version": 1})
    assert stale.status_code == 409 and stale.json()["current"]["assessed_on"] == "2025-07-01"
    bad = api(clerk, "PATCH", url, {"assessed_on": "2024-12-31", "version": 2})
    assert bad.status_code == 400 and bad.json()["where"] == "assessed_on"
    assert api(people[Role.DIRECTOR], "PATCH", url, {"version": 2}).status_code == 200
    refused = api(people[Role.DIRECTOR], "PATCH", url, {"assessed_on": None, "version": 2})
    assert refused.status_code == 403
    assert stored(a) == dt.date(2025, 7, 1)


def test_the_api_submit_takes_the_date(draft, api):
    a, people = draft
    response = api(
        people[Role.CLERK],
        "POST",
        f"/api/assessments/{a.pk}/submit/",
        {"assessed_on": "2025-07-03"},
    )
    assert response.status_code == 200 and response.json()["assessed_on"] == "2025-07-03"
