"""search/ (text, public, staff) and the search pages and API: Chinese without spaces, on SQLite
(FTS5 trigram) and PostgreSQL (pg_trgm), 2-character terms (the character index), highlighting that escapes the rest,
and nothing found that is not public (or, signed in, that the person may not see)."""

import pytest
from django.db import connection
from django.urls import reverse

from servplan.assessments.domain import reopen_assessment
from servplan.core.errors import DomainError
from servplan.offices.models import Role
from servplan.plans.models import OfficePlan
from servplan.plans.publication import publish_plan, unpublish_plan
from servplan.programs.models import Practice
from servplan.public.domain import publish_results, unpublish_results
from servplan.public.models import SearchDocument
from servplan.review.domain import withdraw_release
from servplan.search import public as search
from servplan.search.text import fold, snippet, terms

pytestmark = pytest.mark.django_db

API_KEYS = {"title", "office", "roc_year", "kind", "url", "snippet"}


@pytest.fixture
def no_render(monkeypatch):
    """Stand-in files: the search reads the publications' content, not their documents."""
    monkeypatch.setattr(
        "servplan.public.domain.render_files",
        lambda sheet, content: {f: f"{f} stand-in".encode() for f in ("pdf", "csv")},
    )
    monkeypatch.setattr(
        "servplan.plans.publication.render_document",
        lambda document, fmt, timestamp=None: b"stand-in",
    )


@pytest.fixture
def hq(make):
    return make.user(role=Role.HQ_REVIEWER)


def published_plan(make, text: str, *, office=None, roc_year=114):
    plan = make.approved_plan(office=office, roc_year=roc_year, practices=2)
    Practice.objects.filter(measure__strategy__facet__outline=plan.outline, number=1).update(
        text=text
    )
    publish_plan(plan=plan, user=None)
    return plan


def published_results(make, hq, text: str, *, office=None, period=(114, 1, 6)):
    """An assessment of 構面1／構面2 whose first cell says `text`, reviewed, released, published."""
    a = make.assessment(office=office, rubric_=make.rubric(dimensions=2, items=1), period=period)
    make.fill(a)
    first = a.cells.order_by("cell__dimension__position").first()
    a.cells.filter(pk=first.pk).update(narrative=text)
    make.released(a, hq, fill_cells=False)
    publish_results(assessment=a, user=hq)
    return a


def found(query, **chosen):
    return search.search(query, search.Filters(**chosen), limit=search.LIMIT_MAX)


def titles(query, **chosen):
    return sorted({(h.kind, h.office) for h in found(query, **chosen).hits})


# ---- folding, terms and snippets -----------------------------------------------------------


def test_folding_makes_full_width_and_case_the_same():
    assert fold("ＡＰＰ 電子帳單１２") == "app 電子帳單12"
    assert terms("  電子帳單　APP 電子帳單 ") == ["電子帳單", "app"]
    assert terms("") == [] and terms(None) == []
    assert terms("帳\x00單") == ["帳單"]


def test_a_query_too_long_or_of_too_many_terms_is_refused_naming_q():
    with pytest.raises(DomainError) as refused:
        terms("字" * 101)
    assert refused.value.where == "q"
    with pytest.raises(DomainError, match="最多 5 個"):
        terms("甲 乙 丙 丁 戊 己")


def test_snippets_mark_every_match_and_escape_everything_else():
    text = '<script>alert("x")</script>推廣電子帳單 & 電子帳單<b>'
    html = snippet(text, ["帳單"])
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert html.count("<mark>帳單</mark>") == 2 and "&lt;b&gt;" in html
    assert snippet("請用ＡＰＰ申辦", ["app"]) == "請用<mark>ＡＰＰ</mark>申辦"
    assert snippet("電子帳單", ["電子", "子帳"]) == "<mark>電子帳</mark>單"  # overlaps merge


def test_a_snippet_is_a_window_around_the_first_match():
    text = "前" * 200 + "電子帳單" + "後" * 200
    html = snippet(text, ["電子帳單"])
    assert html.startswith("…") and html.endswith("…") and "<mark>電子帳單</mark>" in html
    assert len(html) < 120
    assert snippet("沒有符合", ["帳單"]) == "沒有符合"


# ---- the seed records on the public site ---------------------------------------------------


@pytest.fixture
def seeds(no_render, taitung, hq, make):
    """The 苗栗 112 plan and the 台東 114 年度 1 月至 6 月 results, published (seeds 001, 000)."""
    publish_plan(plan=OfficePlan.objects.get(office__name="苗栗區營業處", roc_year=112), user=None)
    make.released(taitung, hq, fill_cells=False)
    publish_results(assessment=taitung, user=hq)
    return taitung


def test_the_seeds_are_found_with_three_four_and_two_characters(seeds):
    everything = {("plan", "苗栗區營業處"), ("results", "台東區營業處")}
    assert titles("電子帳單") == sorted(everything)
    assert titles("無障礙") == [("plan", "苗栗區營業處")]
    assert titles("帳單") == sorted(everything)
    hits = found("帳單").hits
    assert all("<mark>帳單</mark>" in h.snippet for h in hits)
    assert any("電子<mark>帳單</mark>" in h.snippet for h in hits)


@pytest.mark.parametrize(
    "query", ["電子帳單", "帳單", "無障礙", "app", "1", "電子 帳單", "問券", "、", "子帳", "ap"]
)
def test_search_finds_exactly_the_passages_that_hold_every_term(seeds, query):
    """The index (trigram, characters or LIKE) agrees with reading every passage."""
    words = terms(query)
    expected = {d.pk for d in SearchDocument.objects.all() if all(w in d.body for w in words)}
    assert expected or query == "1"
    assert set(search.matching(words).values_list("pk", flat=True)) == expected


def test_every_filter_narrows_the_search(seeds):
    assert titles("帳單", kind="plan") == [("plan", "苗栗區營業處")]
    assert titles("帳單", kind="results") == [("results", "台東區營業處")]
    assert titles("帳單", office="taitung") == [("results", "台東區營業處")]
    assert titles("帳單", roc_year=112) == [("plan", "苗栗區營業處")]
    assert titles("帳單", roc_year=113) == []
    facets = search.choices()["facets"]
    assert facets[0] == "基礎服務" and "服務遞送" in facets
    only = found("帳單", facet="服務遞送").hits
    assert only and {h.kind for h in only} == {"plan"}
    assert "效益及影響" in search.choices()["dimensions"]
    assert {h.kind for h in found("帳單", dimension="效益及影響").hits} == {"results"}


# ---- the index follows publication ---------------------------------------------------------


def _fts_rows(table: str = search.FTS_TABLE) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def test_passages_are_written_at_publication_and_deleted_when_taken_down(make, hq, no_render):
    plan = published_plan(make, "推廣電子帳單服務")
    a = published_results(make, hq, "達成電子帳單目標")
    assert SearchDocument.objects.filter(kind="plan").count() > 0
    assert SearchDocument.objects.filter(kind="results").count() > 0
    if connection.vendor == "sqlite":  # the triggers keep the FTS5 tables in step
        assert _fts_rows() == SearchDocument.objects.count()
        assert _fts_rows(search.CHARS_TABLE) == SearchDocument.objects.count()
    unpublish_plan(plan=plan, user=None, reason="撤下")
    unpublish_results(assessment=a, user=hq, reason="撤下")
    assert not SearchDocument.objects.exists()
    if connection.vendor == "sqlite":
        assert _fts_rows() == 0
        assert _fts_rows(search.CHARS_TABLE) == 0
    assert found("電子帳單").count == 0


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_serves_the_search_from_the_trigram_index(make, no_render):
    published_plan(make, "推廣電子帳單服務")
    qs = search.matching(terms("電子帳單"))
    # A handful of rows: the planner would read the table; without a full scan of a table or
    # an index left to it, the trigram index must be able to answer LIKE '%電子帳單%'.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        plan = qs.explain()
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    assert "Bitmap Index Scan on public_searchdocument_body_trgm" in plan


def test_two_characters_are_found_as_written_and_not_across_punctuation(make, no_render):
    """The character index skips punctuation (「帳，單」 is its 帳 then 單); LIKE decides."""
    published_plan(make, "寄送紙本帳，單獨處理")
    assert found("帳，").count == 1
    assert found("帳單").count == 0
    SearchDocument.objects.update(body=fold("推廣電子帳單"))  # the update trigger re-indexes
    assert found("帳單").count == SearchDocument.objects.count()
    assert found("帳，").count == 0


def test_the_character_index_answers_two_characters(make, no_render):
    published_plan(make, "推廣電子帳單服務")
    qs = search.matching(terms("帳單"))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            sql, params = qs.query.sql_with_params()
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert f"{search.CHARS_TABLE} VIRTUAL TABLE INDEX" in plan
        assert "SCAN public_searchdocument " not in plan + " "
        return
    # As for the trigram index: a handful of rows, so the planner is left only the index.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        plan = qs.explain()
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    assert "Bitmap Index Scan on public_searchdocument_body_chars" in plan


@pytest.mark.parametrize("how", ["unpublished", "reopened", "release withdrawn"])
def test_results_off_the_site_are_never_found(make, hq, client, no_render, how):
    a = published_results(make, hq, "唯一字詞甲乙丙")
    assert found("甲乙").count == 1
    if how == "unpublished":
        unpublish_results(assessment=a, user=hq, reason="撤下")
    elif how == "reopened":
        reopen_assessment(assessment=a, user=hq, reason="補正")
    else:
        withdraw_release(period=a.period, user=hq, reason="有誤")
    assert found("甲乙").count == 0 and found("唯一字詞甲乙丙").count == 0
    assert "唯一字詞" not in client.get("/public/search/?q=甲乙").content.decode()
    assert client.get("/api/public/search/?q=甲乙").json() == {"items": [], "count": 0}


def test_an_unpublished_plan_is_never_found(make, client, no_render):
    plan = published_plan(make, "只在這份計畫的字詞")
    assert found("這份").count == 1
    unpublish_plan(plan=plan, user=None, reason="撤下")
    assert client.get("/api/public/search/?q=這份").json()["count"] == 0
    draft = make.plan(roc_year=113)
    Practice.objects.filter(measure__strategy__facet__outline=draft.outline).update(
        text="草稿的字詞"
    )
    assert client.get("/api/public/search/?q=草稿").json()["count"] == 0


# ---- the API and the page -----------------------------------------------------------------


def test_the_api_answers_without_a_token_in_its_contract(make, hq, client, no_render):
    published_plan(make, "推廣電子帳單服務")
    published_results(make, hq, "達成電子帳單目標")
    body = client.get("/api/public/search/", {"q": "帳單"}).json()
    assert set(body) == {"items", "count"} and body["count"] == 2
    for item in body["items"]:
        assert set(item) == API_KEYS and "<mark>帳單</mark>" in item["snippet"]
    assert {i["kind"] for i in body["items"]} == {"plan", "results"}
    assert client.get(body["items"][0]["url"].split("#")[0]).status_code == 200


def test_the_api_pages_with_a_bounded_limit(make, client, no_render):
    for year in (112, 113, 114):
        published_plan(make, "推廣電子帳單服務", roc_year=year)
    first = client.get("/api/public/search/", {"q": "帳單", "limit": 2}).json()
    rest = client.get("/api/public/search/", {"q": "帳單", "limit": 2, "offset": 2}).json()
    assert first["count"] == rest["count"] == 3
    assert [i["roc_year"] for i in first["items"] + rest["items"]] == [114, 113, 112]
    for params, where in (
        ({"limit": 51}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": 10_001}, "offset"),
        ({"kind": "draft"}, "kind"),
        ({"year": 1000}, "year"),
        ({"year": "abc"}, "year"),
        ({"q": "字" * 101}, "q"),
    ):
        answer = client.get("/api/public/search/", {"q": "帳單", **params})
        assert answer.status_code == 400 and answer.json()["where"] == where, params


@pytest.mark.parametrize("field", ["q", "office", "facet", "dimension", "kind", "year", "page"])
@pytest.mark.parametrize("value", ["\x00", "a\x0bb", "字" * 300, "%", "_", "'\"", "1e308"])
def test_no_value_makes_the_search_fail(make, client, no_render, field, value):
    published_plan(make, "推廣電子帳單服務")
    params = {"q": "帳單", field: value}
    for url in ("/public/search/", "/api/public/search/"):
        assert client.get(url, params).status_code in (200, 400), (url, params)


def test_like_wildcards_are_taken_as_written(make, client, no_render):
    published_plan(make, "達成率100%的作法")
    assert client.get("/api/public/search/", {"q": "0%"}).json()["count"] == 1
    assert client.get("/api/public/search/", {"q": "%"}).json()["count"] == 1
    assert client.get("/api/public/search/", {"q": "_"}).json()["count"] == 0


def test_the_page_marks_matches_and_escapes_the_text(make, hq, client, no_render):
    published_results(make, hq, "<script>alert(1)</script>推廣電子帳單")
    html = client.get("/public/search/", {"q": "帳單"}).content.decode()
    assert "<mark>帳單</mark>" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    api = client.get("/api/public/search/", {"q": "帳單"}).json()["items"][0]["snippet"]
    assert "&lt;script&gt;" in api and "<mark>帳單</mark>" in api


def test_the_page_goes_from_page_to_page(make, client, no_render, monkeypatch):
    monkeypatch.setattr(search, "LIMIT", 2)
    for year in (112, 113, 114):
        published_plan(make, "推廣電子帳單服務", roc_year=year)
    first = client.get("/public/search/", {"q": "帳單"}).content.decode()
    assert "共 3 筆，第 1–2 筆" in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get("/public/search/", {"q": "帳單", "page": 2}).content.decode()
    assert "共 3 筆，第 3–3 筆" in second and 'rel="prev"' in second and 'rel="next"' not in second
    beyond = client.get("/public/search/", {"q": "帳單", "page": 9}).content.decode()
    assert "此頁之後沒有更多結果" in beyond


def test_the_page_refuses_a_bad_query_with_its_reason(client):
    response = client.get("/public/search/", {"q": "字" * 101})
    assert response.status_code == 400 and "搜尋字詞過長" in response.content.decode()
    assert client.get("/public/search/", {"page": "x"}).status_code == 400
    empty = client.get("/public/search/")
    assert empty.status_code == 200 and not empty.cookies


def test_the_page_asks_a_fixed_number_of_queries(
    make, hq, client, django_assert_num_queries, no_render
):
    made = 0
    for n in (1, 3):
        for _ in range(n):
            published_plan(make, "推廣電子帳單服務", roc_year=100 + n)
            published_results(make, hq, "達成電子帳單目標", period=(100 + n, 1, 6))
        made += n
        # count, the page of hits, then the filters: offices, years, facets, dimensions
        with django_assert_num_queries(6):
            html = client.get("/public/search/", {"q": "帳單", "kind": "plan"}).content.decode()
        assert html.count("<mark>帳單</mark>") == made
        with django_assert_num_queries(2):
            assert client.get("/api/public/search/", {"q": "帳單"}).json()["count"] == 2 * made


# ---- signed in: what the person may see -----------------------------------------------------


@pytest.fixture
def drafts(make, hq):
    """Two offices' drafts saying 電子帳單, one submitted assessment, HQ's review comment."""
    mine = make.assessment(rubric_=make.rubric(dimensions=1, items=2))
    make.fill(mine)
    mine.cells.update(narrative="甲處自辦電子帳單")
    theirs = make.assessment(rubric_=make.rubric(dimensions=1, items=2))
    make.fill(theirs)
    theirs.cells.update(narrative="乙處自辦電子帳單")
    sent = make.submitted(make.assessment(rubric_=make.rubric(dimensions=1, items=2)))
    sent.cells.update(narrative="丙處已送電子帳單")
    from servplan.review.domain import review_cell

    for c in sent.cells.select_related("cell__dimension", "cell__item"):
        review_cell(cell_score=c, user=hq, score="1", comment="複評意見帳單不搜尋")
    plan = make.plan(office=mine.office)
    Practice.objects.filter(measure__strategy__facet__outline=plan.outline).update(
        text="丁處計畫草稿電子帳單"
    )
    return mine, theirs, sent, plan


def staff_texts(client, query="帳單"):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_office_staff_find_their_own_drafts_and_nothing_else(drafts, make, as_user):
    mine, theirs, sent, plan = drafts
    html = staff_texts(as_user(make.user(role=Role.MANAGER, office=mine.office)))
    assert "甲處自辦電子<mark>帳單</mark>" in html and "丁處計畫草稿電子<mark>帳單</mark>" in html
    assert "乙處" not in html and "丙處" not in html and "複評意見" not in html
    assert reverse("assessment-detail", args=[mine.pk]) in html


def test_hq_finds_what_was_submitted_to_it_and_no_draft(drafts, hq, as_user):
    mine, theirs, sent, plan = drafts
    html = staff_texts(as_user(hq))
    assert "丙處已送電子<mark>帳單</mark>" in html
    assert "甲處" not in html and "乙處" not in html and "丁處" not in html
    assert "複評意見" not in html


def test_staff_search_needs_a_login_and_refuses_a_bad_query(as_user, make, client):
    response = client.get(reverse("search"), {"q": "帳單"})
    assert response.status_code == 302 and reverse("login") in response.url
    refused = as_user(make.user(office=make.office())).get(reverse("search"), {"q": "字" * 101})
    assert refused.status_code == 400 and "搜尋字詞過長" in refused.content.decode()


def test_staff_search_asks_a_fixed_number_of_queries(make, as_user, django_assert_num_queries):
    office = make.office()
    client = as_user(make.user(office=office))
    for n in (1, 3):
        for i in range(n):
            a = make.assessment(
                office=office,
                rubric_=make.rubric(dimensions=1, items=1),
                period=(100 + n + i, 1, 6),
            )
            make.fill(a)
            a.cells.update(narrative=f"第 {n} 輪的電子帳單")
        # session, user, membership; plans, practices, narratives, findings; the menu's office
        with django_assert_num_queries(8):
            html = staff_texts(client)
        assert html.count("<mark>帳單</mark>") >= n
