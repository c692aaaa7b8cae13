"""public/domain.py and the public results pages: HQ publishes an office's reviewed results of
a released period, takes them down with a reason; what the public sees without logging in."""

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils.http import quote_etag

from servplan.assessments.domain import add_evidence, reopen_assessment, update_finding
from servplan.audit.models import AuditEntry
from servplan.core.errors import Conflict, DomainError, NotAllowed
from servplan.documents.forms import content_hash
from servplan.offices.models import Role
from servplan.public.domain import publish_results, unpublish_results
from servplan.public.models import ResultsPublication, SearchDocument
from servplan.public.results import canonical
from servplan.review.domain import withdraw_release
from tests.documents.helpers import pdf_text, squash

pytestmark = pytest.mark.django_db

FORMATS = ("pdf", "odt", "csv", "ods", "json")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def hq(make):
    return make.user(role=Role.HQ_REVIEWER)


def reviewed_with_findings(make, hq, office=None, period=(114, 1, 6)):
    """A 2 × 2 assessment with a findings row, its recommendation and a progress report, an
    evidence file and HQ's review comment, reviewed by `hq` (not released)."""
    a = make.assessment(
        office=office, rubric_=make.rubric(dimensions=2, items=2, cell_max=10), period=period
    )
    clerk = make.user(office=a.office)
    make.fill(a)
    finding = a.findings.select_related("cell__dimension", "cell__item").order_by("id").first()
    update_finding(
        finding=finding,
        user=clerk,
        strengths="推廣電子帳單成效良好",
        weaknesses="偏鄉宣導不足",
        recommendation="加強偏鄉宣導",
        progress="已辦理宣導 3 場",
        remarks="持續追蹤",
    )
    cell = a.cells.select_related("cell__dimension", "cell__item").order_by("id").first()
    add_evidence(cell_score=cell, user=clerk, upload=_upload())
    make.submitted(a, fill_cells=False)
    from servplan.review.domain import mark_reviewed, review_cell

    for n, c in enumerate(a.cells.select_related("cell__dimension", "cell__item").order_by("id")):
        review_cell(cell_score=c, user=hq, score=str(8 + n % 2), comment="總處內部意見不公開")
    return mark_reviewed(assessment=a, user=hq)


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("佐證不公開.pdf", PDF)


@pytest.fixture
def released(make, hq):
    from servplan.review.domain import release_reviews

    a = reviewed_with_findings(make, hq)
    release_reviews(period=a.period, user=hq)
    return a


@pytest.fixture
def published(released, hq):
    publish_results(assessment=released, user=hq)
    return released


def urls(a):
    where = [a.office.code, a.roc_year, a.start_month, a.end_month]
    found = {"page": reverse("public-results-detail", args=where)}
    for fmt in FORMATS:
        found[fmt] = reverse(f"public-results-{fmt}", args=where)
    return found


def audited(a, field):
    return list(
        AuditEntry.objects.filter(
            object_type="assessments.assessment", object_id=a.pk, field=field
        ).values_list("new", flat=True)
    )


# ---- the domain ---------------------------------------------------------------------------


def test_publishing_freezes_scores_findings_and_follow_ups_with_their_files(released, hq):
    publication = publish_results(assessment=released, user=hq)
    files = {d.format: d for d in publication.documents.all()}
    assert set(files) == set(FORMATS)
    for d in files.values():
        assert d.sha256 == hashlib.sha256(bytes(d.content)).hexdigest()
        assert d.size == len(bytes(d.content))
    c = publication.content
    assert [d["score"] for d in c["dimensions"]] == [10, 10]  # the office's 5 + 5
    assert [d["review_score"] for d in c["dimensions"]] == [17, 17]  # HQ's 8 + 9
    assert c["total"] == {"max": 40, "score": 20, "review_score": 34}
    [finding] = [f for f in c["findings"] if f["strengths"]]
    assert finding["recommendation"] == "加強偏鄉宣導" and finding["progress"] == "已辦理宣導 3 場"
    [row] = [r for r in c["follow_ups"] if r["entries"]]
    assert row["entries"][0]["progress"] == "已辦理宣導 3 場"
    from servplan.assessments.sheet import build_sheet, sheet_queryset

    expected = content_hash(build_sheet(sheet_queryset().get(pk=released.pk)))
    assert publication.content_hash == c["content_hash"] == expected
    text = squash(pdf_text(bytes(files["pdf"].content)))
    assert expected in text and "加強偏鄉宣導" in text
    zipfile.ZipFile(io.BytesIO(bytes(files["odt"].content))).testzip()
    zipfile.ZipFile(io.BytesIO(bytes(files["ods"].content))).testzip()
    assert bytes(files["json"].content) == canonical(c)
    [entry] = audited(released, "published")
    assert publication.content_hash in entry and files["csv"].sha256 in entry
    released.refresh_from_db()
    assert released.status == "reviewed"  # publishing is no step of the workflow


def test_the_data_carry_hq_review_per_dimension_beside_the_office_scores(published):
    d = published.publications.get().documents.get(format="csv")
    rows = list(csv.reader(io.StringIO(bytes(d.content).decode("utf-8-sig"))))
    assert rows[0][4:7] == ["配分", "自評", "複評"]
    subtotals = [r for r in rows if r[3] == "小計"]
    assert [(r[5], r[6]) for r in subtotals] == [("10", "17"), ("10", "17")]
    assert [r[5:7] for r in rows if r[2] == "總分"] == [["20", "34"]]
    assert {r[6] for r in rows[1:] if r[3] not in ("小計", "")} == {""}  # not per cell


def test_review_comments_evidence_and_drafts_are_not_published(published, client):
    publication = published.publications.get()
    shown = [json.dumps(publication.content, ensure_ascii=False)]
    shown += [
        bytes(d.content).decode("utf-8-sig")
        for d in publication.documents.all()
        if d.format in ("csv", "json")
    ]
    shown.append(client.get(urls(published)["page"]).content.decode())
    shown += [s.text for s in SearchDocument.objects.all()]
    for text in shown:
        assert "總處內部意見不公開" not in text and "佐證不公開" not in text


@pytest.mark.parametrize("role", [Role.CLERK, Role.DIRECTOR])
def test_the_office_may_not_publish_its_results(released, make, role):
    with pytest.raises(NotAllowed):
        publish_results(assessment=released, user=make.user(role=role, office=released.office))
    assert not ResultsPublication.objects.exists()


def test_an_admin_publishes_too(released, make):
    publish_results(assessment=released, user=make.user(role=Role.ADMIN))
    assert ResultsPublication.objects.filter(unpublished_at__isnull=True).count() == 1


def test_only_a_reviewed_assessment_is_published(make, hq):
    a = make.submitted(make.assessment(rubric_=make.rubric(dimensions=1, items=2)))
    with pytest.raises(Conflict, match="只有完成複評的自行考核可以公開") as refused:
        publish_results(assessment=a, user=hq)
    assert refused.value.where == "status"
    assert not ResultsPublication.objects.exists()


def test_only_once_the_period_is_released(make, hq):
    a = reviewed_with_findings(make, hq)
    with pytest.raises(Conflict, match="複評尚未公布") as refused:
        publish_results(assessment=a, user=hq)
    assert refused.value.where == "period"
    assert not ResultsPublication.objects.exists()


def test_results_are_not_published_twice(published, hq):
    with pytest.raises(Conflict, match="已公開"):
        publish_results(assessment=published, user=hq)
    assert ResultsPublication.objects.count() == 1


def test_unpublishing_needs_a_reason_and_keeps_the_record(published, hq):
    with pytest.raises(DomainError) as refused:
        unpublish_results(assessment=published, user=hq, reason=" \x00 ")
    assert refused.value.where == "reason"
    with pytest.raises(DomainError, match="過長"):
        unpublish_results(assessment=published, user=hq, reason="字" * 501)
    assert SearchDocument.objects.exists()
    publication = unpublish_results(assessment=published, user=hq, reason="分數誤植，更正後再公開")
    assert publication.unpublished_at is not None and publication.unpublished_by == hq
    assert publication.documents.count() == len(FORMATS)  # kept for the record
    assert not SearchDocument.objects.exists()
    assert audited(published, "unpublished") == ["分數誤植，更正後再公開"]
    with pytest.raises(Conflict, match="尚未公開"):
        unpublish_results(assessment=published, user=hq, reason="再撤一次")


def test_the_office_may_not_unpublish(published, make):
    with pytest.raises(NotAllowed):
        unpublish_results(assessment=published, user=make.user(office=published.office), reason="x")
    assert ResultsPublication.objects.get().unpublished_at is None


def test_publishing_again_makes_a_new_publication(published, hq):
    unpublish_results(assessment=published, user=hq, reason="暫時撤下")
    publish_results(assessment=published, user=hq)
    assert ResultsPublication.objects.filter(assessment=published).count() == 2
    assert ResultsPublication.objects.filter(unpublished_at__isnull=True).count() == 1


# ---- the public site ----------------------------------------------------------------------


def test_published_results_are_public_without_login(published, client):
    page = client.get(urls(published)["page"])
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{published.office.name} 114 年度 1 月至 6 月" in html
    assert "推廣電子帳單成效良好" in html and "加強偏鄉宣導" in html and "已辦理宣導 3 場" in html
    assert '<td class="num">17</td>' in html and '<td class="num">34</td>' in html  # HQ's
    for fmt in FORMATS:
        assert urls(published)[fmt] in html
    assert published.publications.get().content_hash in html
    assert "登出" not in html and not page.cookies


@pytest.mark.parametrize("fmt", FORMATS)
def test_downloads_are_the_stored_bytes_with_etag_and_304(published, client, fmt):
    stored = published.publications.get().documents.get(format=fmt)
    response = client.get(urls(published)[fmt])
    assert response.status_code == 200 and response.content == bytes(stored.content)
    assert response["ETag"] == quote_etag(stored.sha256)
    assert response["Last-Modified"] and response["Cache-Control"] == "public, no-cache"
    name = {"pdf": "results.pdf", "odt": "results.odt"}.get(fmt, f"data.{fmt}")
    assert f'filename="{published.office.code}-114-1-6-{name}"' in response["Content-Disposition"]
    again = client.get(urls(published)[fmt], HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.content
    since = client.get(urls(published)[fmt], HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304


def test_results_not_published_are_404(released, client):
    for url in urls(released).values():
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("how", ["unpublished", "reopened", "release withdrawn"])
def test_results_that_leave_the_site_are_404_everywhere(published, hq, client, how):
    if how == "unpublished":
        unpublish_results(assessment=published, user=hq, reason="撤下")
    elif how == "reopened":
        reopen_assessment(assessment=published, user=hq, reason="補正資料")
    else:
        withdraw_release(period=published.period, user=hq, reason="複評分數有誤")
    for url in urls(published).values():
        assert client.get(url).status_code == 404
    assert urls(published)["page"] not in client.get(reverse("public-index")).content.decode()


def test_unknown_office_or_period_is_404(published, client):
    assert (
        client.get(reverse("public-results-detail", args=["nowhere", 114, 1, 6])).status_code == 404
    )
    code = published.office.code
    assert client.get(reverse("public-results-detail", args=[code, 114, 7, 12])).status_code == 404
    assert client.get(reverse("public-results-detail", args=[code, 114, 6, 1])).status_code == 404
    assert client.get(f"/public/results/{code}/114-1-13/").status_code == 404


def test_the_public_copy_does_not_follow_the_live_records(published, client):
    before = {k: client.get(u).content for k, u in urls(published).items()}
    published.cells.update(narrative="之後改掉的文字")
    published.office.name = "改名區營業處"
    published.office.save(update_fields=["name"])
    after = {k: client.get(u).content for k, u in urls(published).items()}
    assert after == before


def test_the_index_lists_plans_and_results_by_year_then_office(published, make, client):
    from servplan.plans.publication import publish_plan

    plan = make.approved_plan(office=published.office, roc_year=114)
    publish_plan(plan=plan, user=None)
    other = make.approved_plan(roc_year=113)
    publish_plan(plan=other, user=None)
    html = client.get(reverse("public-index")).content.decode()
    assert html.index("114 年度") < html.index(published.office.name) < html.index("113 年度")
    assert html.index("113 年度") < html.index(other.office.name)
    assert urls(published)["page"] in html
    assert reverse("public-plan-detail", args=[plan.office.code, 114]) in html


def test_public_pages_ask_a_fixed_number_of_queries(make, hq, client, django_assert_num_queries):
    from servplan.review.domain import release_reviews
    from servplan.review.models import ReviewRelease

    for n in (1, 3):
        made = [reviewed_with_findings(make, hq) for _ in range(n)]
        release_reviews(period=made[0].period, user=hq)
        for a in made:
            publish_results(assessment=a, user=hq)
        with django_assert_num_queries(2):  # plans, results
            assert client.get(reverse("public-index")).status_code == 200
        with django_assert_num_queries(2):  # the publication, its files' digests
            assert client.get(urls(made[-1])["page"]).status_code == 200
        with django_assert_num_queries(2):  # the digest, then the bytes
            etag = client.get(urls(made[-1])["csv"])["ETag"]
        with django_assert_num_queries(1):
            assert client.get(urls(made[-1])["csv"], HTTP_IF_NONE_MATCH=etag).status_code == 304
        ResultsPublication.objects.all().delete()
        ReviewRelease.objects.all().delete()


# ---- from HQ's review page and the API ----------------------------------------------------


def test_hq_publishes_and_takes_down_from_the_review_page(released, hq, as_user, client):
    staff = as_user(hq)
    page = staff.get(reverse("review-detail", args=[released.pk])).content.decode()
    assert reverse("results-publish", args=[released.pk]) in page
    response = staff.post(reverse("results-publish", args=[released.pk]))
    assert response.status_code == 302
    assert ResultsPublication.objects.filter(unpublished_at__isnull=True).exists()
    page = staff.get(reverse("review-detail", args=[released.pk])).content.decode()
    assert (
        urls(released)["page"] in page and reverse("results-unpublish", args=[released.pk]) in page
    )
    refused = staff.post(
        reverse("results-unpublish", args=[released.pk]), {"reason": ""}, follow=True
    )
    assert "請說明撤下公開的理由" in refused.content.decode()
    staff.post(reverse("results-unpublish", args=[released.pk]), {"reason": "更正"})
    assert client.get(urls(released)["page"]).status_code == 404


def test_the_review_page_offers_publishing_only_after_the_release(make, hq, as_user):
    a = reviewed_with_findings(make, hq)
    page = as_user(hq).get(reverse("review-detail", args=[a.pk])).content.decode()
    assert "公布本期複評結果後，才能公開考核結果" in page
    assert reverse("results-publish", args=[a.pk]) not in page


@pytest.mark.parametrize("role", ["clerk", "outsider"])
def test_office_staff_get_404_from_the_staff_route(released, make, as_user, role):
    user = make.user(office=released.office if role == "clerk" else make.office())
    response = as_user(user).post(reverse("results-publish", args=[released.pk]))
    assert response.status_code == 404 and not ResultsPublication.objects.exists()


def test_the_api_publishes_and_unpublishes(released, hq, api, make, client):
    done = api(hq).post(f"/api/assessments/{released.pk}/publish/")
    assert done.status_code == 201
    body = done.json()
    assert body["url"] == urls(released)["page"]
    assert {d["format"] for d in body["documents"]} == set(FORMATS)
    assert client.get(body["documents"][0]["url"]).status_code == 200
    assert api(hq).post(f"/api/assessments/{released.pk}/publish/").status_code == 409
    assert (
        api(make.user(office=released.office))
        .post(f"/api/assessments/{released.pk}/unpublish/", {"reason": "x"})
        .status_code
        == 403
    )
    assert (
        api(make.user(office=make.office()))
        .post(f"/api/assessments/{released.pk}/unpublish/", {"reason": "x"})
        .status_code
        == 404
    )
    missing = api(hq).post(f"/api/assessments/{released.pk}/unpublish/", {"reason": ""})
    assert missing.status_code == 400 and missing.json()["where"] == "reason"
    gone = api(hq).post(f"/api/assessments/{released.pk}/unpublish/", {"reason": "更正"})
    assert gone.status_code == 200 and gone.json()["unpublished_at"]
    assert client.post(f"/api/assessments/{released.pk}/publish/").status_code == 401
