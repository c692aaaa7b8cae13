"""Input no export, database or view can choke on: control characters, years and lengths one
database accepts and the other refuses, malformed form fields. Run on SQLite and PostgreSQL.

Control characters are cleaned where text comes in (core.narrative.clean_text), so every
export of what was saved works; a year, a name or a number the columns can't hold is refused
in the domain, the same on both databases; every malformed field is a 4xx naming the field.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from servplan.assessments.domain import reopen_assessment
from servplan.assessments.models import Assessment, CellScore, Evidence, SignOff
from servplan.assessments.sheet import sheet_queryset
from servplan.core.errors import DomainError
from servplan.documents.export import export_assessment
from servplan.offices.domain import add_user
from servplan.offices.models import ApiToken, Role
from servplan.plans.domain import create_plan
from servplan.programs.domain import build_outline, load_program
from tests import factories
from tests.test_access_matrix import PDF, RULES, build_world, route_names

CONTROLS = ["\x0b", "\x00", "\x1f", "\x85"]


def api(client, user):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}

    def send(method, url, body=None):
        return client.generic(
            method, url, json.dumps(body or {}), content_type="application/json", **headers
        )

    return send


@pytest.fixture
def case(db, make):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=2, cell_max=10))
    return a, make.staff(a.office)


def first_cell(a) -> CellScore:
    return a.cells.select_related("cell__dimension", "cell__item").order_by("id").first()


def assert_every_export_works(a) -> None:
    loaded = sheet_queryset().get(pk=a.pk)
    ET.fromstring(export_assessment(loaded, fmt="xml").content)
    openpyxl.load_workbook(io.BytesIO(export_assessment(loaded, fmt="xlsx").content))
    for fmt in ("docx", "odt", "ods"):
        zipfile.ZipFile(io.BytesIO(export_assessment(loaded, fmt=fmt).content)).testzip()
    export_assessment(loaded, fmt="csv")
    assert export_assessment(loaded, fmt="pdf", form="score-sheet").content.startswith(b"%PDF")


# ---- control characters ---------------------------------------------------------------------


def test_control_characters_saved_through_the_page_are_cleaned_and_every_export_works(
    case, as_user
):
    a, people = case
    client = as_user(people[Role.CLERK])
    cell = first_cell(a)
    narrative = "".join(f"第{n}段{c}說明" for n, c in enumerate(CONTROLS)) + "\r\n- 條列\t項"
    response = client.post(
        reverse("assessment-cell", args=[a.pk, cell.pk]),
        {"score": "5", "narrative": narrative, "version": "1"},
    )
    assert response.status_code == 200
    cell.refresh_from_db()
    assert cell.narrative == "第0段說明第1段說明第2段說明第3段說明\n- 條列\t項"
    finding = a.findings.order_by("id").first()
    response = client.post(
        reverse("assessment-finding", args=[a.pk, finding.pk]),
        {
            "strengths": "優\x00點",
            "weaknesses": "缺\x0b點",
            "recommendation": "建議\x1f事項",
            "remarks": "備\x85註",
            "version": "1",
        },
    )
    assert response.status_code == 200
    finding.refresh_from_db()
    assert (finding.strengths, finding.weaknesses, finding.remarks) == ("優點", "缺點", "備註")
    assert finding.improvement.recommendation == "建議事項"
    response = client.post(
        reverse("assessment-follow-up-add", args=[a.pk, finding.improvement_id]),
        {"roc_year": "114", "quarter": "2", "progress": "辦\x00理\x0b中", "version": ""},
    )
    assert response.status_code == 302
    assert finding.improvement.follow_ups.last().progress == "辦理中"
    assert_every_export_works(a)


def test_control_characters_sent_to_the_api_are_cleaned_and_every_export_works(case, client, make):
    a, people = case
    clerk = api(client, people[Role.CLERK])
    cell = first_cell(a)
    for n, c in enumerate(CONTROLS, start=1):
        response = clerk(
            "PATCH",
            f"/api/assessments/{a.pk}/cells/{cell.pk}/",
            {"score": 5, "narrative": f"說{c}明{n}", "version": n},
        )
        assert response.status_code == 200, response.content
        assert response.json()["narrative"] == f"說明{n}"
    second = a.cells.order_by("id").last()
    response = clerk(
        "PATCH",
        f"/api/assessments/{a.pk}/cells/{second.pk}/",
        {"score": 5, "narrative": "另一格\x00", "version": 1},
    )
    assert response.status_code == 200
    response = clerk("POST", f"/api/assessments/{a.pk}/submit/", {"comment": "送\x00出\x0b"})
    assert response.status_code == 200, response.content
    response = api(client, people[Role.SECTION_CHIEF])(
        "POST", f"/api/assessments/{a.pk}/signoffs/", {"decision": "return", "comment": "退\x00回"}
    )
    assert response.status_code == 201, response.content
    comments = list(SignOff.objects.filter(assessment=a).values_list("comment", flat=True))
    assert comments == ["送出", "退回"]
    assert_every_export_works(a)


def test_sign_off_comments_review_comments_and_reopen_reasons_are_cleaned(db, make, client):
    a = factories.submitted(make.assessment(rubric_=make.rubric(dimensions=1, items=1)))
    hq = make.user(role=Role.HQ_REVIEWER)
    cell = first_cell(a)
    response = api(client, hq)(
        "PATCH",
        f"/api/review/assessments/{a.pk}/cells/{cell.pk}/",
        {"score": 4, "comment": "複\x00評\x85", "version": cell.review_version},
    )
    assert response.status_code == 200, response.content
    assert response.json()["review_comment"] == "複評"
    assert_every_export_works(a)
    reopen_assessment(assessment=a, user=hq, reason="補\x00正")
    assert a.status == "draft"


def test_an_evidence_name_is_cleaned(case, as_user):
    a, people = case
    cell = first_cell(a)
    response = as_user(people[Role.CLERK]).post(
        reverse("assessment-evidence-upload", args=[a.pk, cell.pk]),
        {"file": SimpleUploadedFile("佐\x00證\x0b資料\x85.pdf", PDF)},
    )
    assert response.status_code == 302
    assert Evidence.objects.get(cell_score=cell).name == "佐證資料.pdf"


def test_plan_texts_and_tree_names_are_cleaned(db, make):
    outline = build_outline(
        facets=[
            {
                "name": "基礎\x00服務",
                "strategies": [{"name": "策\x0b略", "measures": [{"name": "子\x1f策略"}]}],
            }
        ]
    )
    facet = outline.facets.get()
    assert facet.name == "基礎服務" and facet.strategies.get().name == "策略"
    program, _ = load_program(data={"roc_year": 113, "title": "計\x00畫", "facets": []})
    plan = create_plan(
        office=make.office(),
        program=program,
        title="台東\x00計畫",
        basis="依\x0b據",
        steps=["一\x00"],
    )
    plan.refresh_from_db()
    assert (plan.title, plan.basis, plan.steps, program.title) == ("台東計畫", "依據", "一", "計畫")


# ---- values one database takes and the other refuses ----------------------------------------


@pytest.mark.parametrize("year", [40000, 1000, 0, -1])
def test_a_year_out_of_range_is_400_naming_the_field(db, make, client, year):
    office, rubric = make.office(), make.rubric()
    clerk = api(client, make.user(office=office))
    body = {"office": office.name, "rubric": rubric.pk}
    response = clerk(
        "POST",
        "/api/assessments/",
        {**body, "period": {"roc_year": year, "start_month": 1, "end_month": 6}},
    )
    assert response.status_code == 400, response.content
    assert response.json()["where"] == "period"
    assert f"民國年度 {year} 不正確" in response.json()["detail"]
    response = api(client, make.user(role=Role.HQ_REVIEWER))(
        "POST",
        "/api/review/releases/",
        {"period": {"roc_year": year, "start_month": 1, "end_month": 6}},
    )
    assert response.status_code == 400 and response.json()["where"] == "period"


def test_a_year_out_of_range_is_refused_on_the_page_and_in_the_domain(db, make, as_user):
    office, rubric = make.office(), make.rubric()
    client = as_user(make.user(office=office))
    response = client.post(
        reverse("assessment-create"), {"period": "9999-1-6", "rubric": rubric.pk}, follow=True
    )
    assert "民國年度 9999 不正確" in response.text
    assert not Assessment.objects.filter(office=office).exists()
    with pytest.raises(DomainError, match="年度：民國年度 40000 不正確") as refused:
        load_program(data={"roc_year": 40000, "title": "計畫"})
    assert refused.value.where == "roc_year"
    with pytest.raises(DomainError, match="民國年度 40000 不正確"):
        make.rubric(roc_year=40000)


def test_names_longer_than_their_column_are_refused_naming_the_field(db, make):
    program, _ = load_program(data={"roc_year": 113, "title": "計畫", "facets": []})
    with pytest.raises(DomainError, match="計畫名稱過長（201 字，上限 200 字）"):
        create_plan(office=make.office(), program=program, title="計" * 201)
    with pytest.raises(DomainError, match="面向過長（101 字，上限 100 字）"):
        build_outline(facets=[{"name": "面" * 101}])
    with pytest.raises(DomainError, match="承辦部門名稱過長"):
        build_outline(
            facets=[
                {
                    "name": "面向",
                    "strategies": [
                        {
                            "name": "策略",
                            "measures": [
                                {"departments": ["部" * 51], "practices": [{"text": "作法"}]}
                            ],
                        }
                    ],
                }
            ]
        )
    with pytest.raises(DomainError, match="帳號過長（151 字，上限 150 字）"):
        add_user(username="u" * 151, role=Role.HQ_REVIEWER)


def test_rubric_points_the_column_cannot_hold_are_refused(db):
    from decimal import Decimal

    from servplan.programs.domain import CellSpec, DimensionSpec, RubricSpec, create_rubric

    spec = RubricSpec(
        roc_year=114,
        title="評分表",
        total_max=Decimal("100000000"),
        items=["項" * 101],
        dimensions=[
            DimensionSpec("構面", Decimal("100000000"), [CellSpec("項" * 101, Decimal(10**8))])
        ],
    )
    with pytest.raises(DomainError, match="評核項目名稱過長"):
        create_rubric(spec=spec)
    spec.items, spec.dimensions[0].cells[0].item = ["項目"], "項目"
    with pytest.raises(DomainError, match="構面／項目：配分 100000000 不正確"):
        create_rubric(spec=spec)


# ---- malformed fields -------------------------------------------------------------------------


def test_a_cell_save_needs_a_well_formed_version_and_keeps_what_was_not_sent(case, as_user):
    a, people = case
    client = as_user(people[Role.CLERK])
    cell = first_cell(a)
    url = reverse("assessment-cell", args=[a.pk, cell.pk])
    assert client.post(url, {"score": "5", "narrative": "說明", "version": "1"}).status_code == 200
    for version in ("abc", "", "1e308", "-1", "1.5", "9" * 50):
        response = client.post(url, {"score": "6", "version": version})
        assert response.status_code == 400, version
        assert "version 欄位" in response.text
    response = client.post(url, {"score": "6"})
    assert response.status_code == 400 and "缺少 version 欄位" in response.text
    response = client.post(url, {"narrative": "只改說明", "version": "2"})
    assert response.status_code == 200
    cell.refresh_from_db()
    assert (cell.score, cell.narrative, cell.version) == (5, "只改說明", 3)


@pytest.mark.parametrize("score", ["1e308", "inf", "nan", "9" * 400, "1e-400", "0x1"])
def test_a_malformed_score_is_400_naming_the_cell(case, as_user, client, score):
    a, people = case
    cell = first_cell(a)
    response = as_user(people[Role.CLERK]).post(
        reverse("assessment-cell", args=[a.pk, cell.pk]), {"score": score, "version": "1"}
    )
    assert response.status_code == 400 and "構面1／項目1：分數" in response.text
    response = api(client, people[Role.CLERK])(
        "PATCH", f"/api/assessments/{a.pk}/cells/{cell.pk}/", {"score": score, "version": 1}
    )
    assert response.status_code == 400 and response.json()["where"] == "構面1／項目1"


def test_finding_and_review_saves_need_a_well_formed_version(case, as_user, make):
    a, people = case
    finding = a.findings.order_by("id").first()
    url = reverse("assessment-finding", args=[a.pk, finding.pk])
    client = as_user(people[Role.CLERK])
    for version in ("abc", "", None):
        body = {"strengths": "優點"} | ({} if version is None else {"version": version})
        response = client.post(url, body)
        assert response.status_code == 400 and "version 欄位" in response.text
    finding.refresh_from_db()
    assert finding.strengths == "" and finding.version == 1
    done = factories.submitted(make.assessment(rubric_=make.rubric(dimensions=1, items=1)))
    client = as_user(make.user(role=Role.HQ_REVIEWER))
    url = reverse("review-cell", args=[done.pk, first_cell(done).pk])
    assert client.post(url, {"review_score": "4", "version": "abc"}).status_code == 400
    assert client.post(url, {"review_score": "4"}).status_code == 400


def test_the_api_names_the_field_of_a_body_of_the_wrong_shape(case, client):
    a, people = case
    response = api(client, people[Role.CLERK])(
        "PATCH", f"/api/assessments/{a.pk}/cells/{first_cell(a).pk}/", {"score": 3}
    )
    assert response.status_code == 400 and response.json()["where"] == "version"


# Values that have broken a view: not numbers, numbers too big, too long, NUL, wrong types.
GARBAGE = ["abc", "", "1e308", "-1", "40000", "9" * 30, "字" * 20000, "\x00", "a\x0bb"]
JSON_GARBAGE = [*GARBAGE, None, 10**30, -(10**30), 1e308, [], {"x": 1}, True]
# Fields a route reads that its access-matrix rule does not send.
MORE_FIELDS = {
    "assessment-create": ["copy_previous"],
    "assessment-submit": ["comment"],
    "assessment-follow-up-add": ["version", "recommendation", "status"],
    "api:submit": ["comment"],
    "plan-submit": ["comment"],
    "api:submit_plan": ["comment"],
    "api:create_import": ["office", "dry_run"],
    "import-upload": ["office"],
    "plan-practice": ["text", "period", "departments_shown", "departments", "department_up"],
    "plan-practice-add": ["departments", "target"],
    "plan-sections": ["basis", "targets", "steps", "supplementary"],
}
# The state each route's allowed user can use it in; others are refused before any field is read.
STATE_OF = {
    "assessment-signoff": "in_signoff",
    "api:sign_off": "in_signoff",
    "assessment-reopen": "submitted",
    "api:reopen": "submitted",
    "plan-signoff": "in_signoff",
    "api:sign_plan": "in_signoff",
    "plan-reopen": "submitted",
    "api:reopen_plan": "submitted",
    "review-cell": "submitted",
    "api:review_cell": "submitted",
    "review-mark": "submitted",
    "api:mark_reviewed": "submitted",
    "review-accept": "submitted",
    "api:accept_submission": "submitted",
    "review-return": "submitted",
    "api:return_submission": "submitted",
    "results-publish": "reviewed",
    "results-unpublish": "reviewed",
    "api:publish_assessment_results": "reviewed",
    "api:unpublish_assessment_results": "reviewed",
}
STATES = sorted(set(STATE_OF.values()) | {"draft"})


def _writes() -> list[str]:
    return [n for n in route_names() if RULES[n].method != "GET"]


def test_every_write_route_is_walked():
    assert len(_writes()) >= 20 and set(STATE_OF) <= set(_writes())


@pytest.mark.parametrize("state", STATES)
def test_no_field_value_makes_any_write_route_fail_with_500(db, state):
    """Every POST/PATCH route of the URL configuration, every field it reads, garbage values."""
    world = build_world(state)
    world.tokens = {role: ApiToken.issue(user) for role, user in world.users.items()}
    failures = []
    for name in _writes():
        if STATE_OF.get(name, "draft") != state:
            continue
        rule = RULES[name]
        role = next(
            (r for r in world.users if rule.allowed(r, state)), "admin"
        )  # someone who gets past the access rule
        url = reverse(name, kwargs=rule.kwargs(world))
        fields = [*(rule.data(world) if rule.data else {}), *MORE_FIELDS.get(name, [])]
        is_api = url.startswith("/api/")
        client = Client(raise_request_exception=False)
        client.force_login(world.users[role])
        headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[role]}"} if is_api else {}
        cases = [(f, v) for f in fields for v in (JSON_GARBAGE if is_api else GARBAGE)]
        cases += [(None, None)]  # nothing at all
        for field, value in cases:
            data = dict(rule.data(world)) if rule.data else {}
            if field is not None:
                data[field] = value
            with transaction.atomic():
                if is_api and not rule.multipart:
                    body = json.dumps(data if field else {})
                    response = client.generic(
                        rule.method, url, body, content_type="application/json", **headers
                    )
                else:
                    data = {k: "" if v is None else v for k, v in data.items()}
                    if field is not None and not isinstance(data[field], str | SimpleUploadedFile):
                        data[field] = json.dumps(data.get(field))
                    response = client.post(url, data if field else {}, **headers)
                transaction.set_rollback(True)
            if response.status_code >= 500:
                failures.append(f"{rule.method} {name} {field}={str(value)[:20]!r}: 500")
    assert not failures, "\n".join(failures)


def test_a_body_that_is_not_json_is_a_4xx(case, client):
    a, people = case
    response = client.generic(
        "PATCH",
        f"/api/assessments/{a.pk}/cells/{first_cell(a).pk}/",
        b"{not json\x00",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(people[Role.CLERK])}",
    )
    assert 400 <= response.status_code < 500
