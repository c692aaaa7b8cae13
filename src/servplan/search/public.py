"""The public search: passages of what is published, and finding them.

Each publication is cut into passages (SearchDocument) when it is made and they are deleted
when it is taken down (public.domain, plans.publication), so the search never shows what is
not public; public.access.searchable() also leaves out a record that left the site another
way (reopened, release withdrawn). The passages come from the publication's frozen content,
so they read as the public page does.

A term of three characters or more is found through the trigram index (PostgreSQL: LIKE,
which pg_trgm's GIN index serves; SQLite: the FTS5 trigram table); a shorter one (電子,
帳單), which no trigram index can serve, through the character index (migration 0003: each
character a token, the term a phrase of them), then LIKE on the few passages it finds, since
the index skips punctuation and so would also find 「帳，單」. Every query is bounded: at
most TERMS_MAX terms and LIMIT_MAX passages a page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Min, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse

from servplan.core.errors import DomainError
from servplan.core.narrative import clean_text
from servplan.core.parsing import parse_whole
from servplan.core.roc import cjk_number
from servplan.offices.models import Office
from servplan.public.access import searchable
from servplan.public.models import (
    PlanPublication,
    ResultsPublication,
    SearchDocument,
    SearchKind,
)
from servplan.search.text import fold, snippet, terms

FTS_TABLE = "public_searchdocument_fts"
CHARS_TABLE = "public_searchdocument_chars"
# The expression public_searchdocument_body_chars indexes (PostgreSQL), written as there.
CHARS_VECTOR = (
    "to_tsvector('simple'::regconfig,"
    " regexp_replace(public_searchdocument.body, '(.)', '\\1 ', 'g'))"
)
TRIGRAM = 3  # the shortest term a trigram index can find
LIMIT = 20
LIMIT_MAX = 50
OFFSET_MAX = 10_000

PLAN_SECTIONS = (
    ("basis", "壹、計畫依據"),
    ("goals", "貳、計畫目標"),
    ("targets", "參、實施對象"),
    ("steps", "伍、實施步驟"),
    ("supplementary", "陸、附則"),
)


# ---- passages ---------------------------------------------------------------------------


def _passage(**fields) -> SearchDocument:
    return SearchDocument(body=fold(fields["text"]), **fields)


def plan_passages(publication: PlanPublication) -> list[SearchDocument]:
    """The plan's sections and practices, as its public page shows them."""
    c = publication.content
    url = reverse("public-plan-detail", args=[c["office_code"], c["roc_year"]])
    common = {
        "kind": SearchKind.PLAN,
        "plan_publication_id": publication.pk,
        "office_id": publication.plan.office_id,
        "office_name": c["office"],
        "roc_year": c["roc_year"],
        "title": c["title"],
    }
    texts = {**c, "steps": "\n".join(c["steps"])}
    out = [
        _passage(**common, part=label, url=f"{url}#{key}", text=texts[key])
        for key, label in PLAN_SECTIONS
        if texts[key].strip()
    ]
    for fi, facet in enumerate(c["facets"], 1):
        for si, strategy in enumerate(facet["strategies"], 1):
            for mi, measure in enumerate(strategy["measures"], 1):
                for pi, p in enumerate(measure["practices"], 1):
                    number = f"({p['number']}) " if p["number"] else ""
                    text = p["text"] + (f"\n預期目標：{p['target']}" if p["target"] else "")
                    out.append(
                        _passage(
                            **common,
                            facet=facet["name"],
                            part=f"{cjk_number(fi)}、{facet['name']}・"
                            f"（{cjk_number(si)}）{strategy['name']}・{number}".rstrip(" ・"),
                            url=f"{url}#p-{fi}-{si}-{mi}-{pi}",
                            text=text,
                        )
                    )
    for n, passage in enumerate(out):
        passage.position = n
    return out


def results_passages(publication: ResultsPublication) -> list[SearchDocument]:
    """The cells' narratives, the results summary's rows and the follow-up table's entries."""
    c = publication.content
    p = c["period"]
    url = reverse(
        "public-results-detail",
        args=[c["office_code"], p["roc_year"], p["start_month"], p["end_month"]],
    )
    common = {
        "kind": SearchKind.RESULTS,
        "results_publication_id": publication.pk,
        "office_id": publication.assessment.office_id,
        "office_name": c["office"],
        "roc_year": p["roc_year"],
        "title": c["title"],
    }
    out = []
    for di, d in enumerate(c["dimensions"], 1):
        for ii, item in enumerate(d["items"], 1):
            if item["narrative"].strip():
                out.append(
                    _passage(
                        **common,
                        dimension=d["name"],
                        part=f"{d['name']}／{item['name']}・執行情形",
                        url=f"{url}#cell-{di}-{ii}",
                        text=item["narrative"],
                    )
                )
    labels = (
        ("strengths", "優點"),
        ("weaknesses", "缺點"),
        ("recommendation", "建議改善事項"),
        ("progress", "改善事項辦理情形"),
        ("remarks", "備註"),
    )
    for n, f in enumerate(c["findings"], 1):
        text = "\n".join(f"{label}：{f[key]}" for key, label in labels if f[key].strip())
        if text:
            out.append(
                _passage(
                    **common,
                    dimension=f["dimension"],
                    part=f"{f['dimension']}／{f['item']}・自行考核結果彙整",
                    url=f"{url}#finding-{n}",
                    text=text,
                )
            )
    for n, row in enumerate(c["follow_ups"], 1):
        text = "\n".join(
            f"{e['roc_year']} 年第 {e['quarter']} 季：{e['progress']}" for e in row["entries"]
        )
        if text:
            out.append(
                _passage(
                    **common,
                    dimension=row["dimension"],
                    part=f"{row['dimension']}／{row['item']}・建議改善事項辦理情形",
                    url=f"{url}#follow-up-{n}",
                    text=text,
                )
            )
    for n, passage in enumerate(out):
        passage.position = n
    return out


def index(publication: PlanPublication | ResultsPublication) -> int:
    """Write the publication's passages (inside the publishing transaction); how many."""
    if isinstance(publication, PlanPublication):
        passages = plan_passages(publication)
    else:
        passages = results_passages(publication)
    SearchDocument.objects.bulk_create(passages, batch_size=500)
    return len(passages)


def unindex(publication: PlanPublication | ResultsPublication) -> None:
    """Delete the publication's passages: taken down, it is no longer found."""
    publication.search_documents.all().delete()


# ---- finding ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    office: str = ""  # an office's code
    roc_year: int | None = None
    kind: str = ""
    facet: str = ""
    dimension: str = ""


def filters(
    *,
    office: str | None = None,
    year: object = None,
    kind: str | None = None,
    facet: str | None = None,
    dimension: str | None = None,
) -> Filters:
    """The filters as a page or the API sent them; a malformed one is refused naming it."""
    kind = (kind or "").strip()
    if kind and kind not in SearchKind.values:
        raise DomainError(f"不支援的類別「{kind[:20]}」：請使用 plan 或 results", where="kind")
    roc_year = parse_whole(year, label="年度", where="year")
    if roc_year is not None and not 1 <= roc_year <= 999:
        raise DomainError(f"年度「{roc_year}」不正確（民國 1 至 999 年）", where="year")
    texts = {}
    for value, where in ((office, "office"), (facet, "facet"), (dimension, "dimension")):
        # As stored names are cleaned: PostgreSQL would refuse a NUL in the comparison.
        texts[where] = clean_text(value or "").strip()
        if len(texts[where]) > 200:
            raise DomainError(f"{where} 欄位過長", where=where)
    return Filters(roc_year=roc_year, kind=kind, **texts)


def _indexed_character(ch: str) -> bool:
    """Whether `ch` is a token of the character index on every database and locale."""
    return (ch.isascii() and ch.isalnum()) or "\u3400" <= ch <= "\u9fff"


def _with_term(qs: QuerySet[SearchDocument], term: str) -> QuerySet[SearchDocument]:
    if connection.vendor == "sqlite" and len(term) >= TRIGRAM:
        phrase = '"' + term.replace('"', '""') + '"'
        return qs.filter(
            id__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [phrase])
        )
    # PostgreSQL: LIKE '%term%', served by the pg_trgm GIN index from three characters on.
    qs = qs.filter(body__contains=term)
    if len(term) >= TRIGRAM or not any(_indexed_character(ch) for ch in term):
        # A term of punctuation only (「，，」) has no token: LIKE alone, over every passage.
        return qs
    spaced = " ".join(term)
    if connection.vendor == "sqlite":
        phrase = '"' + spaced.replace('"', '""') + '"'
        return qs.filter(
            id__in=RawSQL(f"SELECT rowid FROM {CHARS_TABLE} WHERE {CHARS_TABLE} MATCH %s", [phrase])
        )
    # Every character, not the phrase: GIN keeps no positions, so a phrase would make
    # PostgreSQL remake the tsvector of each candidate to check it (1.7 s for 帳單 over the
    # sample); LIKE above already checks that they are adjacent.
    return qs.filter(
        RawSQL(
            f"{CHARS_VECTOR} @@ plainto_tsquery('simple'::regconfig, %s)",
            [spaced],
            output_field=BooleanField(),
        )
    )


def matching(words: list[str], chosen: Filters = Filters()) -> QuerySet[SearchDocument]:
    """The public passages holding every one of the (folded) `words`, filtered, in the order
    shown: latest year first, then by office, plans before results, in reading order."""
    qs = searchable()
    for word in words:
        qs = _with_term(qs, word)
    if chosen.office:
        qs = qs.filter(office__code=chosen.office)
    if chosen.roc_year is not None:
        qs = qs.filter(roc_year=chosen.roc_year)
    if chosen.kind:
        qs = qs.filter(kind=chosen.kind)
    if chosen.facet:
        qs = qs.filter(facet=chosen.facet)
    if chosen.dimension:
        qs = qs.filter(dimension=chosen.dimension)
    return qs.order_by(*SearchDocument._meta.ordering)


def page_bounds(limit: object = None, offset: object = None) -> tuple[int, int]:
    """(limit, offset) from the request: limit 1..LIMIT_MAX (default LIMIT), offset 0..OFFSET_MAX."""
    size = parse_whole(limit, label="limit", where="limit")
    start = parse_whole(offset, label="offset", where="offset")
    size = LIMIT if size is None else size
    start = 0 if start is None else start
    if not 1 <= size <= LIMIT_MAX:
        raise DomainError(f"limit 應為 1 至 {LIMIT_MAX}", where="limit")
    if not 0 <= start <= OFFSET_MAX:
        raise DomainError(f"offset 應為 0 至 {OFFSET_MAX}", where="offset")
    return size, start


def parse_page(value: object) -> int:
    """A page number of the search page (1 when missing), within OFFSET_MAX."""
    page = parse_whole(value, label="頁碼", where="page")
    if page is None:
        return 1
    if not 1 <= page <= OFFSET_MAX // LIMIT + 1:
        raise DomainError(f"頁碼「{page}」不正確", where="page")
    return page


@dataclass(frozen=True)
class Hit:
    title: str
    part: str
    office: str
    roc_year: int
    kind: str
    url: str
    snippet: str

    def as_dict(self) -> dict:
        return {
            "title": f"{self.title}：{self.part}" if self.part else self.title,
            "office": self.office,
            "roc_year": self.roc_year,
            "kind": self.kind,
            "url": self.url,
            "snippet": str(self.snippet),
        }


@dataclass(frozen=True)
class Results:
    words: list[str]
    count: int
    hits: list[Hit]
    limit: int
    offset: int


def search(
    query: str | None, chosen: Filters = Filters(), *, limit: int = LIMIT, offset: int = 0
) -> Results:
    """One page of the public passages matching `query` (refused when malformed: where="q"),
    each with its snippet, and how many match in all. Two queries, whatever the data."""
    words = terms(query)
    if not words:
        return Results(words, 0, [], limit, offset)
    qs = matching(words, chosen)
    count = qs.count()
    rows = qs.only("title", "part", "office_name", "roc_year", "kind", "url", "text")[
        offset : offset + limit
    ]
    hits = [
        Hit(
            title=d.title,
            part=d.part,
            office=d.office_name,
            roc_year=d.roc_year,
            kind=d.kind,
            url=d.url,
            snippet=snippet(d.text, words),
        )
        for d in rows
    ]
    return Results(words, count, hits, limit, offset)


def choices() -> dict[str, list]:
    """What the filters offer: the offices, years, facets and dimensions of what is public
    (facets in the plans' order, dimensions in the rubrics'). Four queries, on the
    publications and the trees they were published from (a published plan is locked, a
    released result reviewed), never on the passages: with thousands of publications,
    grouping every passage took most of a search page's time."""
    from servplan.programs.models import Facet, RubricDimension
    from servplan.public.access import published_plans, published_results

    plans, results = published_plans(), published_results()

    def in_order(rows) -> list[str]:
        return [
            name
            for name, _ in rows.values_list("name")
            .annotate(first=Min("position"))
            .order_by("first", "name")
        ]

    years = (
        plans.order_by()
        .values_list("plan__roc_year")
        .union(results.order_by().values_list("assessment__roc_year"))
    )
    return {
        "offices": list(
            Office.objects.filter(
                Q(id__in=plans.values("plan__office_id"))
                | Q(id__in=results.values("assessment__office_id"))
            )
        ),
        "years": sorted({year for (year,) in years}, reverse=True),
        "facets": in_order(Facet.objects.filter(outline__in=plans.values("plan__outline_id"))),
        "dimensions": in_order(
            RubricDimension.objects.filter(rubric__in=results.values("assessment__rubric_id"))
        ),
    }


def pages(results: Results, params) -> dict:
    """The search page's place in the results: its number, how many, the links before and
    after (the same query string with another page)."""
    number = results.offset // results.limit + 1
    last = max(1, -(-results.count // results.limit))
    last = min(last, OFFSET_MAX // results.limit + 1)

    def link(page: int) -> str:
        query = params.copy()
        query["page"] = str(page)
        return "?" + query.urlencode()

    return {
        "number": number,
        "last": last,
        "previous": link(number - 1) if number > 1 else "",
        "next": link(number + 1) if number < last else "",
        "first_shown": results.offset + 1,
        "last_shown": results.offset + len(results.hits),
    }
