"""plans/publication.py and the public site (servplan.public): publishing an approved plan,
taking it down, and what the public sees without logging in."""

import hashlib

import pytest
from django.urls import reverse
from django.utils.http import quote_etag

from servplan.assessments.domain.errors import Conflict, NotAllowed
from servplan.audit.models import AuditEntry
from servplan.core.errors import DomainError
from servplan.offices.models import Role
from servplan.plans.models import PlanStatus
from servplan.plans.publication import publish_plan, unpublish_plan
from servplan.programs.models import Practice
from servplan.public.models import PlanPublication
from tests.documents.helpers import pdf_text, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(make):
    return make.approved_plan(roc_year=114, practices=2)


@pytest.fixture
def clerk(make, plan):
    return make.user(office=plan.office)


@pytest.fixture
def published(plan, clerk):
    publish_plan(plan=plan, user=clerk)
    return plan


def urls(plan):
    where = [plan.office.code, plan.roc_year]
    return {
        "page": reverse("public-plan-detail", args=where),
        "pdf": reverse("public-plan-pdf", args=where),
        "odt": reverse("public-plan-odt", args=where),
    }


def audited(plan, field):
    return list(
        AuditEntry.objects.filter(
            object_type="plans.officeplan", object_id=plan.pk, field=field
        ).values_list("old", "new")
    )


# ---- the domain ---------------------------------------------------------------------------


def test_publishing_freezes_the_approved_plan_as_pdf_and_odt(plan, clerk):
    publication = publish_plan(plan=plan, user=clerk)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    documents = {d.format: d for d in publication.documents.all()}
    assert set(documents) == {"pdf", "odt"}
    for d in documents.values():
        assert d.sha256 == hashlib.sha256(bytes(d.content)).hexdigest()
        assert d.size == len(bytes(d.content))
    assert bytes(documents["pdf"].content).startswith(b"%PDF-")
    assert bytes(documents["odt"].content).startswith(b"PK")
    text = squash(pdf_text(bytes(documents["pdf"].content)))
    assert "114年3月21日陳准實施" in text and squash(plan.title) in text
    assert publication.content["approved_on"] == "2025-03-21"
    assert publication.content["facets"][0]["strategies"][0]["measures"][0]["practices"][0][
        "text"
    ] == ("面向1的作法1")
    assert audited(plan, "status") == [("approved", "published")]
    [(_, digests)] = audited(plan, "published")
    assert documents["pdf"].sha256 in digests and documents["odt"].sha256 in digests


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.ADMIN])
def test_the_director_and_admins_publish_too(plan, make, role):
    user = make.user(role=role, office=None if role == Role.ADMIN else plan.office)
    publish_plan(plan=plan, user=user)
    assert PlanPublication.objects.filter(plan=plan, unpublished_at__isnull=True).count() == 1


@pytest.mark.parametrize("role", [Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR])
def test_other_roles_of_the_office_may_not_publish(plan, make, role):
    with pytest.raises(NotAllowed):
        publish_plan(plan=plan, user=make.user(role=role, office=plan.office))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and not PlanPublication.objects.exists()


def test_outsiders_may_not_publish(plan, make):
    for user in (make.user(office=make.office()), make.user(role=Role.HQ_REVIEWER)):
        with pytest.raises(NotAllowed):
            publish_plan(plan=plan, user=user)
    assert not PlanPublication.objects.exists()


@pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.SUBMITTED])
def test_only_an_approved_plan_is_published(plan, clerk, status):
    plan.status = status
    plan.save(update_fields=["status"])
    with pytest.raises(Conflict, match="只有陳准實施的執行計畫可以公開"):
        publish_plan(plan=plan, user=clerk)
    assert not PlanPublication.objects.exists()


def test_a_published_plan_is_not_published_twice(published, clerk):
    with pytest.raises(Conflict):
        publish_plan(plan=published, user=clerk)
    assert PlanPublication.objects.count() == 1


def test_unpublishing_keeps_the_record_and_needs_a_reason(published, clerk):
    with pytest.raises(DomainError) as refused:
        unpublish_plan(plan=published, user=clerk, reason="  ")
    assert refused.value.where == "reason"
    publication = unpublish_plan(plan=published, user=clerk, reason="內容有誤，修正後再公開")
    published.refresh_from_db()
    assert published.status == PlanStatus.APPROVED
    assert publication.unpublished_at is not None and publication.unpublished_by == clerk
    assert publication.documents.count() == 2  # what was public stays on record
    assert audited(published, "unpublished") == [("", "內容有誤，修正後再公開")]
    assert ("published", "approved") in audited(published, "status")
    with pytest.raises(Conflict):
        unpublish_plan(plan=published, user=clerk, reason="再撤一次")


def test_unpublishing_is_refused_to_others(published, make):
    with pytest.raises(NotAllowed):
        unpublish_plan(
            plan=published, user=make.user(role=Role.MANAGER, office=published.office), reason="x"
        )
    published.refresh_from_db()
    assert published.status == PlanStatus.PUBLISHED


def test_publishing_again_makes_a_new_publication(published, clerk):
    unpublish_plan(plan=published, user=clerk, reason="暫時撤下")
    publish_plan(plan=published, user=clerk)
    assert PlanPublication.objects.filter(plan=published).count() == 2
    assert PlanPublication.objects.filter(plan=published, unpublished_at__isnull=True).count() == 1


# ---- the public site ----------------------------------------------------------------------


def test_published_plan_is_public_without_login(published, client):
    page = client.get(urls(published)["page"])
    assert page.status_code == 200
    html = page.content.decode()
    assert published.title in html and published.office.name in html
    assert "114 年 3 月 21 日" in html  # 陳准實施, in the ROC calendar
    assert "面向1的作法2" in html and "業務組" in html and "1~12 月" in html
    assert urls(published)["pdf"] in html and urls(published)["odt"] in html
    assert 'lang="zh-Hant-TW"' in html and 'name="viewport"' in html
    assert "登出" not in html and "待辦事項" not in html  # no staff menu
    assert not page.cookies  # no session, no CSRF cookie: nothing to post here


def test_index_lists_published_plans_by_year_then_office(make, client):
    late = make.approved_plan(office=make.office("乙區營業處"), roc_year=113)
    early = make.approved_plan(office=make.office("甲區營業處"), roc_year=113)
    other_year = make.approved_plan(roc_year=112)
    hidden = make.approved_plan(roc_year=111)  # approved, not published
    for plan in (late, early, other_year):
        publish_plan(plan=plan, user=None)
    html = client.get(reverse("public-plan-index")).content.decode()
    assert html.index("113 年度") < html.index("乙區營業處") < html.index("甲區營業處")
    assert html.index("甲區營業處") < html.index("112 年度") < html.index(other_year.office.name)
    assert hidden.office.name not in html
    assert urls(early)["page"] in html


@pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED])
def test_plans_not_published_are_404(plan, client, status):
    plan.status = status
    plan.save(update_fields=["status"])
    for url in urls(plan).values():
        assert client.get(url).status_code == 404
    assert plan.title not in client.get(reverse("public-plan-index")).content.decode()


def test_an_unpublished_plan_leaves_the_site(published, clerk, client):
    unpublish_plan(plan=published, user=clerk, reason="撤下")
    for url in urls(published).values():
        assert client.get(url).status_code == 404
    assert published.title not in client.get(reverse("public-plan-index")).content.decode()


def test_unknown_office_or_year_is_404(published, client):
    assert client.get(reverse("public-plan-detail", args=["nowhere", 114])).status_code == 404
    assert (
        client.get(reverse("public-plan-pdf", args=[published.office.code, 113])).status_code == 404
    )


@pytest.mark.parametrize("fmt", ["pdf", "odt"])
def test_downloads_are_the_stored_bytes_with_etag_and_304(published, client, fmt):
    stored = published.publications.get().documents.get(format=fmt)
    response = client.get(urls(published)[fmt])
    assert response.status_code == 200 and response.content == bytes(stored.content)
    assert response["ETag"] == quote_etag(stored.sha256)
    assert response["Last-Modified"]
    assert f'filename="{published.office.code}-114-plan.{fmt}"' in response["Content-Disposition"]
    again = client.get(urls(published)[fmt], HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.content
    assert again["ETag"] == response["ETag"]
    changed = client.get(urls(published)[fmt], HTTP_IF_NONE_MATCH='"something-else"')
    assert changed.status_code == 200 and changed.content == response.content


def test_the_public_copy_does_not_follow_the_live_records(published, client):
    before = {k: client.get(u).content for k, u in urls(published).items()}
    Practice.objects.filter(measure__strategy__facet__outline=published.outline).update(
        text="之後改掉的文字"
    )
    published.office.name = "改名區營業處"
    published.office.save(update_fields=["name"])
    after = {k: client.get(u).content for k, u in urls(published).items()}
    assert after == before
    assert "之後改掉的文字" not in after["page"].decode()


def test_public_pages_ask_a_fixed_number_of_queries(make, client, django_assert_num_queries):
    def plans(n):
        made = [make.approved_plan(roc_year=110 + i, practices=n) for i in range(n)]
        for plan in made:
            publish_plan(plan=plan, user=None)
        return made

    for n in (1, 3):
        made = plans(n)
        with django_assert_num_queries(1):
            assert client.get(reverse("public-plan-index")).status_code == 200
        with django_assert_num_queries(2):
            assert client.get(urls(made[-1])["page"]).status_code == 200
        with django_assert_num_queries(2):  # the digest, then the bytes
            response = client.get(urls(made[-1])["pdf"], HTTP_IF_NONE_MATCH='"x"')
            etag = response["ETag"]
        with django_assert_num_queries(1):  # only the digest
            assert client.get(urls(made[-1])["pdf"], HTTP_IF_NONE_MATCH=etag).status_code == 304
        PlanPublication.objects.all().delete()
        for plan in made:
            plan.status = PlanStatus.APPROVED
            plan.save(update_fields=["status"])


def test_every_page_links_to_the_public_site(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("public-index")}">公開資訊</a>' in html


# ---- from the plan's page and the API -----------------------------------------------------


def test_the_clerk_publishes_from_the_plan_page(plan, clerk, as_user):
    page = as_user(clerk).get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert reverse("plan-publish", args=[plan.pk]) in page
    response = as_user(clerk).post(reverse("plan-publish", args=[plan.pk]), follow=True)
    assert "已公開於公開資訊網頁" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    page = response.content.decode()
    assert urls(plan)["page"] in page and reverse("plan-unpublish", args=[plan.pk]) in page
    response = as_user(clerk).post(
        reverse("plan-unpublish", args=[plan.pk]), {"reason": "資料更新"}, follow=True
    )
    assert "已自公開資訊網頁撤下" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_other_roles_see_no_publish_button_and_are_refused(plan, make, as_user):
    chief = make.user(role=Role.SECTION_CHIEF, office=plan.office)
    page = as_user(chief).get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert reverse("plan-publish", args=[plan.pk]) not in page
    response = as_user(chief).post(reverse("plan-publish", args=[plan.pk]), follow=True)
    assert "只有" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    outsider = make.user(office=make.office())
    assert as_user(outsider).post(reverse("plan-publish", args=[plan.pk])).status_code == 404


def test_api_publishes_and_unpublishes(plan, clerk, api):
    client = api(clerk)
    response = client.post(f"/api/plans/{plan.pk}/publish/")
    assert response.status_code == 201
    body = response.json()
    stored = {d.format: d.sha256 for d in plan.publications.get().documents.all()}
    assert {d["format"]: d["sha256"] for d in body["documents"]} == stored
    assert body["status"] == "published" and body["url"] == urls(plan)["page"]
    assert client.post(f"/api/plans/{plan.pk}/publish/").status_code == 409
    refused = client.post(f"/api/plans/{plan.pk}/unpublish/", {"reason": ""})
    assert refused.status_code == 400 and refused.json()["where"] == "reason"
    done = client.post(f"/api/plans/{plan.pk}/unpublish/", {"reason": "撤下"})
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert done.json()["unpublished_at"]


def test_api_refuses_hq_and_hides_from_other_offices(plan, make, api):
    hq = api(make.user(role=Role.HQ_REVIEWER))
    assert hq.post(f"/api/plans/{plan.pk}/publish/").status_code == 403
    other = api(make.user(office=make.office()))
    assert other.post(f"/api/plans/{plan.pk}/publish/").status_code == 404
    assert not PlanPublication.objects.exists()
