"""Every URL and API endpoint × every role × every assessment state.

The routes come from the URL configuration: a route without a rule here fails
`test_every_route_has_a_rule`, so a new endpoint cannot ship without deciding who may use it.

For each route, state and role the test makes the request and checks the outcome against the
rule: allowed requests succeed (and a write changes something); a refused one changes nothing;
someone who may not see the object gets 404 (never 403: existence does not leak); anonymous
visitors are sent to the login page (HTML) or get 401 (API).

The rules live above the database (views, access helpers, querysets any backend runs alike):
the matrix runs once, on SQLite (`sqlite_only`); what differs by database is tested on both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from servplan.assessments.domain import (
    add_evidence,
    create_assessment,
    decide,
    score_cell,
    submit_assessment,
)
from servplan.assessments.models import Assessment, Evidence, SignOff
from servplan.audit.models import AuditEntry
from servplan.core.roc import Period, format_date
from servplan.imports.domain import check_file, rubric_spec_for, stage_upload
from servplan.imports.models import ImportRecord, PendingUpload
from servplan.offices.domain import register_deputy
from servplan.offices.models import OFFICE_ROLES, ApiToken, Department, Role
from servplan.plans.domain import add_practice, create_plan, sign_plan, submit_plan
from servplan.programs.domain import build_outline, create_rubric
from servplan.programs.models import Program
from servplan.review.domain import mark_reviewed, review_cell
from tests import factories
from tests.imports.forms import small_sheet, to_txt

STATES = ["draft", "in_signoff", "submitted", "reviewed"]
OFFICE = [r.value for r in OFFICE_ROLES]
ROLES = ["anonymous", *OFFICE, "other_clerk", "hq_reviewer", "admin"]
HQ = {"hq_reviewer", "admin"}
SEES_SUBMITTED = {*OFFICE, *HQ}
LOCKED = {"submitted", "reviewed"}
pytestmark = pytest.mark.sqlite_only

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    users: dict
    assessment: Assessment
    cells: list
    evidence: Evidence
    plan: object
    upload: PendingUpload
    tokens: dict = field(default_factory=dict)
    hq_drafts: dict = field(default_factory=dict)  # HQ's drafts, made when a rule needs one


def build_world(state: str) -> World:
    office, other = factories.office("矩陣區營業處"), factories.office("鄰近區營業處")
    users = {role: factories.user(office=office, role=role) for role in OFFICE}
    users["other_clerk"] = factories.user(office=other)
    users["hq_reviewer"] = factories.user(role=Role.HQ_REVIEWER)
    users["admin"] = factories.user(role=Role.ADMIN)
    assessment = create_assessment(
        office=office, rubric=factories.rubric(dimensions=1, items=2), period=Period(114, 1, 6)
    )
    cells = list(assessment.cells.select_related("cell__dimension", "cell__item", "assessment"))
    for n, cell in enumerate(cells):
        score_cell(cell_score=cell, score="5", narrative=f"第 {n} 格的說明，各不相同。")
    evidence = add_evidence(
        cell_score=cells[0], user=users["clerk"], upload=SimpleUploadedFile("佐證.pdf", PDF)
    )
    if state != "draft":
        submit_assessment(assessment=assessment, user=users["clerk"])
    if state in LOCKED:
        for role in ["section_chief", "manager", "deputy_director", "director"]:
            decide(assessment=assessment, user=users[role], decision="approve")
    if state in LOCKED:
        for cell in assessment.cells.select_related("cell__dimension", "cell__item"):
            review_cell(cell_score=cell, user=users["hq_reviewer"], score="4", comment="複評")
    if state == "reviewed":
        mark_reviewed(assessment=assessment, user=users["hq_reviewer"])
    assessment.refresh_from_db()
    assert assessment.status == state
    cells = list(assessment.cells.select_related("cell__dimension", "cell__item", "assessment"))
    outline = build_outline(
        facets=[
            {
                "name": "基礎服務",
                "strategies": [
                    {
                        "name": "服務一致",
                        "measures": [
                            {
                                "name": "標準作業",
                                "departments": ["業務組"],
                                "period": "1~12 月",
                                "practices": [{"number": 1, "text": "訂定標準作業流程"}],
                            }
                        ],
                    }
                ],
            }
        ]
    )
    program = Program.objects.create(roc_year=114, title="114年度計畫", outline=outline)
    office.departments.add(Department.objects.get(name="業務組"))
    plan = create_plan(office=office, program=program)
    # The plan follows the state too: a draft, in its chain (submitted), approved, published.
    add_practice(
        plan=plan,
        measure=plan.outline.facets.get().strategies.get().measures.get(),
        user=None,
        text="自辦作法",
        departments=["業務組"],
        period="1~12 月",
    )
    if PLAN_STATES[state] != "draft":
        submit_plan(plan=plan, user=users["clerk"])
    if PLAN_STATES[state] in ("approved", "published"):
        for role in ["section_chief", "manager", "deputy_director", "director"]:
            sign_plan(plan=plan, user=users[role], decision="approve")
    plan.refresh_from_db()
    if PLAN_STATES[state] == "published":
        plan.status = "published"
        plan.save(update_fields=["status"])
        publish_directly(plan)
    sheet = small_sheet(office=office.name, period="113 年度 7 月至 12 月")
    data = to_txt(sheet.blocks())
    # HQ's rubric of the form: an office's import reuses it (only HQ makes new ones).
    create_rubric(spec=rubric_spec_for(check_file(filename="form.txt", data=data).doc))
    upload = stage_upload(user=users["clerk"], filename="form.txt", data=data)
    return World(users, assessment, cells, evidence, plan, upload)


PLAN_STATES = {
    "draft": "draft",
    "in_signoff": "submitted",
    "submitted": "approved",
    "reviewed": "published",
}


def publish_directly(plan) -> None:
    """The plan's publication as publish_plan leaves it, with stand-in documents (no render)."""
    import hashlib

    from servplan.plans.publication import public_content
    from servplan.plans.serializers import plans_for_export
    from servplan.public.models import PlanPublication, PublishedDocument

    publication = PlanPublication.objects.create(
        plan=plan,
        published_at=dt.datetime(2025, 3, 25, tzinfo=dt.UTC),
        content=public_content(plans_for_export().get(pk=plan.pk)),
    )
    for fmt, content in (("pdf", PDF), ("odt", b"PK\x03\x04 odt")):
        PublishedDocument.objects.create(
            publication=publication,
            format=fmt,
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
        )


def fingerprint(world: World) -> tuple:
    """What any change leaves behind: every change writes the audit trail or one of these."""
    return (
        Assessment.objects.filter(pk=world.assessment.pk).values_list("status", flat=True).first(),
        Assessment.objects.count(),
        AuditEntry.objects.count(),
        SignOff.objects.count(),
        Evidence.objects.count(),
        PendingUpload.objects.count(),
        ImportRecord.objects.count(),
    )


# ---- the rules ----------------------------------------------------------------------------


def sees(role, state):
    return role in OFFICE or role == "admin" or (role == "hq_reviewer" and state in LOCKED)


def logged_in(role, state):
    return role != "anonymous"


def hq(role, state):
    return role in HQ


def hq_sees(role, state):
    return role in HQ and state in LOCKED


def review_page(role, state):
    """HQ's review pages: reviewers for submitted work, admins always."""
    return (role == "hq_reviewer" and state in LOCKED) or role == "admin"


def creates_own(role, state):
    """The page opens an assessment for the user's own office: any office's clerk."""
    return role in {"clerk", "other_clerk"}


def edits(role, state):
    return role in {"clerk", "admin"} and state == "draft"


def submits(role, state):
    return role == "clerk" and state == "draft"


def signs(role, state):
    # Right after the clerk submits, the section chief is the current signer.
    return role == "section_chief" and state == "in_signoff"


def reopens(role, state):
    return role in HQ and state in LOCKED


def reopens_plan(role, state):
    """HQ reopens an approved plan; a published one is publication's to withdraw."""
    return role in HQ and PLAN_STATES[state] == "approved"


def reviews(role, state):
    return role in HQ and state == "submitted"


def releases(role, state):
    """Releasing a period: HQ, once an office's assessment of it is reviewed."""
    return role in HQ and state == "reviewed"


def plan_sees(role, state):
    """Plans: the office and admins always, HQ once submitted (the plan is a draft in "draft")."""
    return role in OFFICE or role == "admin" or (role == "hq_reviewer" and state != "draft")


def deputy_sees(role, state):
    """An office's deputies: its own staff and admins."""
    return role in OFFICE or role == "admin"


def manages_deputies(role, state):
    """Registering the section chief's deputy: the chief (for themselves), the director, admins."""
    return role in {"section_chief", "director", "admin"}


def creates(role, state):
    return role in {"clerk", "admin"}


def uploader(role, state):
    return role == "clerk"


def import_page(role, state):
    return role in {*OFFICE, "other_clerk", "admin"}


def imports_here(role, state):
    """Importing a form of this office opens its assessment: its clerk (and admins)."""
    return role in {"clerk", "admin"}


def signed_copy(role, state):
    """The forms as a signer approved them: whoever sees the record, once it has been signed."""
    return state != "draft" and sees(role, state)


def no_page(role, state):
    """A route that exists but answers 404 to everyone (the API's root)."""
    return False


def public(role, state):
    return True


def published(role, state):
    """The public site's pages of a plan: everyone, logged in or not, once it is published."""
    return PLAN_STATES[state] == "published"


def results_public(role, state):
    """The public site's pages of the world's results: once reviewed, released and published."""
    return state == "reviewed"


# Routes anyone may open: refusing them is a 404, never the login page.
OPEN = (public, published, results_public)


def publishes(role, state):
    """Publishing the approved plan: the office's clerk and director, and admins."""
    return role in {"clerk", "director", "admin"} and PLAN_STATES[state] == "approved"


def unpublishes(role, state):
    return role in {"clerk", "director", "admin"} and PLAN_STATES[state] == "published"


def publishes_results(role, state):
    """Publishing the office's results: HQ, once reviewed (and the period released)."""
    return role in HQ and state == "reviewed"


@dataclass
class Rule:
    method: str
    allowed: Callable[[str, str], bool]
    visible: Callable[[str, str], bool] | None = None  # None: same as allowed
    kwargs: Callable[[World], dict] = lambda w: {}
    data: Callable[[World], dict] | None = None
    write: bool = False
    multipart: bool = False
    # Logging out ends on the login page: there, that redirect is the success.
    ends_at_login: bool = False


A = lambda w: {"pk": w.assessment.pk}  # noqa: E731
A_API = lambda w: {"assessment_id": w.assessment.pk}  # noqa: E731
CELL = lambda w: {"pk": w.assessment.pk, "cell_id": w.cells[1].pk}  # noqa: E731
CELL_API = lambda w: {"assessment_id": w.assessment.pk, "cell_id": w.cells[1].pk}  # noqa: E731


def cell_data(w):
    return {"score": "4.5", "narrative": "改過的說明", "version": w.cells[1].version}


def signed(w, pk="pk"):
    """The latest sign-off (with the forms it approved), or none yet (draft)."""
    latest = w.assessment.signoffs.order_by("at", "id").last()
    return {pk: w.assessment.pk, "signoff_id": latest.pk if latest else 0}


FINDING = lambda w: {  # noqa: E731
    "pk": w.assessment.pk,
    "finding_id": w.assessment.findings.order_by("id").first().pk,
}


def finding_data(w):
    return {
        "strengths": "改過的優點",
        "weaknesses": "",
        "recommendation": "加強訓練",
        "improvement_status": "open",
        "remarks": "",
        "version": 1,
    }


def tracked(w):
    """The first finding's improvement, as the clerk opened it while drafting."""
    from servplan.assessments.models import Improvement

    finding = w.assessment.findings.order_by("id").first()
    if finding.improvement_id is None:
        finding.improvement = Improvement.objects.create(
            office=w.assessment.office, opened_in=w.assessment, recommendation="加強訓練"
        )
        finding.save(update_fields=["improvement"])
    return {"pk": w.assessment.pk, "improvement_id": finding.improvement_id}


def FINDING_API(w):  # noqa: N802 (a kwargs maker, named like the others)
    return {
        "assessment_id": w.assessment.pk,
        "finding_id": w.assessment.findings.order_by("id").first().pk,
    }


def TRACKED_API(w):  # noqa: N802
    return {"assessment_id": w.assessment.pk, "improvement_id": tracked(w)["improvement_id"]}


def EVIDENCE_API(w):  # noqa: N802
    return {"assessment_id": w.assessment.pk, "evidence_id": w.evidence.pk}


def form_file(w):
    """A correct score sheet of the world's office, as the extracted-text form."""
    sheet = small_sheet(office=w.assessment.office.name, period="113 年度 7 月至 12 月")
    return SimpleUploadedFile("form.txt", to_txt(sheet.blocks()))


PERIOD = lambda w: {"period": "114-1-6"}  # noqa: E731


def released(w):
    """The world's period released (as if HQ had), to withdraw with a reason."""
    from servplan.review.models import ReviewRelease

    ReviewRelease.objects.get_or_create(roc_year=114, start_month=1, end_month=6)
    return {"period": "114-1-6", "reason": "複評分數有誤"}


def opened(w):
    """The world's period as HQ opened it (its assessment is of 114-1-6)."""
    from servplan.periods.models import AssessmentPeriod

    AssessmentPeriod.objects.get_or_create(
        roc_year=114,
        start_month=1,
        end_month=6,
        defaults={"rubric": w.assessment.rubric, "deadline": dt.date(2025, 7, 15)},
    )
    return {"slug": "114-1-6"}


def opened_and_released(w):
    """The world's period opened and its review released (as if HQ had), to close it."""
    released(w)
    return opened(w)


def finished_export(w):
    """The world's period's data ZIP, built as the background job builds it."""
    from servplan.periods import exports
    from servplan.periods.models import AssessmentPeriod

    opened(w)
    row = exports.start_export(
        period=AssessmentPeriod.objects.get(roc_year=114, start_month=1, end_month=6),
        fmt="json",
        user=w.users["hq_reviewer"],
    )
    exports.build_export(export_id=row.pk)
    return {"pk": row.pk}


def new_period(w, deadline="115 年 7 月 15 日"):
    return {"period": "115-1-6", "rubric": w.assessment.rubric_id, "deadline": deadline}


def moved_deadline(w):
    return {"office": "", "deadline": "114 年 7 月 31 日", "reason": "颱風停班"}


def mapping_pair(w):
    """The world's rubric and a newer one with the same cells, to map the first onto."""
    if not hasattr(w, "mapping_target"):
        w.mapping_target = factories.rubric(dimensions=1, items=2, roc_year=115)
    return {"source": w.assessment.rubric_id, "target": w.mapping_target.pk}


def mapping_data(w):
    from servplan.programs.models import RubricCell

    mapping_pair(w)
    theirs = {
        c.item.name: c.pk for c in RubricCell.objects.filter(dimension__rubric=w.mapping_target)
    }
    return {f"cell-{c.cell_id}": theirs[c.cell.item.name] for c in w.cells}


def typo_entry(w):
    from servplan.periods.models import TypoCorrection

    entry, _ = TypoCorrection.objects.get_or_create(wrong="嫓熟", defaults={"right": "嫻熟"})
    return {"pk": entry.pk}


PERIOD_SLUG_FMT = lambda w: {**opened(w), "fmt": "csv"}  # noqa: E731
PERIOD_UNIT = lambda w: {**opened(w), "key": "total"}  # noqa: E731
PLAN_API = lambda w: {"plan_id": w.plan.pk}  # noqa: E731
PUBLIC_PLAN = lambda w: {"office_code": w.plan.office.code, "roc_year": w.plan.roc_year}  # noqa: E731
PLAN = lambda w: {"pk": w.plan.pk}  # noqa: E731
OFFICE_CODE = lambda w: {"code": w.plan.office.code}  # noqa: E731


def release_period(w):
    """The world's period released, as HQ does once an office is reviewed (reviewed only:
    releasing needs a reviewed office)."""
    from servplan.review.models import ReviewRelease

    if w.assessment.status == "reviewed":
        ReviewRelease.objects.get_or_create(roc_year=114, start_month=1, end_month=6)


def publish_results_directly(w) -> None:
    """The reviewed results as publish_results leaves them, with stand-in files (no render)."""
    import hashlib

    from servplan.assessments.sheet import build_sheet, sheet_queryset
    from servplan.public.models import ResultsDocument, ResultsPublication
    from servplan.public.results import results_content

    release_period(w)
    if w.assessment.status != "reviewed" or w.assessment.publications.exists():
        return
    content = results_content(
        build_sheet(sheet_queryset().get(pk=w.assessment.pk)), released_at=timezone.now()
    )
    publication = ResultsPublication.objects.create(
        assessment=w.assessment,
        published_at=dt.datetime(2025, 8, 1, tzinfo=dt.UTC),
        content=content,
        content_hash=content["content_hash"],
    )
    for fmt in ("pdf", "odt", "csv", "ods", "json"):
        body = f"{fmt} stand-in".encode()
        ResultsDocument.objects.create(
            publication=publication,
            format=fmt,
            content=body,
            sha256=hashlib.sha256(body).hexdigest(),
            size=len(body),
        )


def public_results(w):
    publish_results_directly(w)
    return {
        "office_code": w.assessment.office.code,
        "roc_year": 114,
        "start_month": 1,
        "end_month": 6,
    }


def to_publish(w, pk="pk"):
    release_period(w)
    return {pk: w.assessment.pk}


def to_unpublish(w, pk="pk"):
    publish_results_directly(w)
    return {pk: w.assessment.pk}


SEARCH = lambda w: {"q": "說明"}  # noqa: E731


def deputy_data(w):
    """The manager to stand in for the section chief, from today for a week."""
    today = timezone.localdate()
    return {
        "principal": w.users["section_chief"].pk,
        "deputy": w.users["manager"].pk,
        "starts_on": format_date(today),
        "ends_on": (today + dt.timedelta(days=7)).isoformat(),
        "reason": "休假",
    }


def registered(w):
    """The manager registered as the section chief's deputy (as the director would)."""
    data = deputy_data(w)
    row = register_deputy(
        office=w.plan.office,
        principal=w.users["section_chief"],
        deputy=w.users["manager"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        reason="休假",
        user=w.users["director"],
    )
    return {"code": w.plan.office.code, "deputy_id": row.pk}


def plan_practice(w, *, own: bool):
    """The world's plan has one practice of HQ's and, after it, one of the office's own."""
    from servplan.programs.models import Practice

    return Practice.objects.get(
        measure__strategy__facet__outline=w.plan.outline_id, origin__isnull=own
    )


def starts_own(role, state):
    """The page starts a plan for the user's own office: any office's clerk."""
    return role in {"clerk", "other_clerk"}


def plan_item(w, name: str, item) -> dict:
    return {"pk": w.plan.pk, name: item.pk}


def own_strategy(w):
    """An office-level strategy of the world's plan, as the clerk added it while drafting."""
    from servplan.programs.models import Measure, Strategy

    facet = w.plan.outline.facets.get()
    strategy, created = Strategy.objects.get_or_create(
        facet=facet, name="自訂策略", defaults={"position": 99}
    )
    if created:
        Measure.objects.create(strategy=strategy, position=1)
    return strategy


def not_applicable(w):
    """HQ's practice of the world's plan, marked 不適用 while drafting."""
    practice = plan_practice(w, own=False)
    type(practice).objects.filter(pk=practice.pk).update(
        not_applicable=True, not_applicable_reason="本處無此業務"
    )
    return plan_item(w, "practice_id", practice)


def hq_draft(w):
    """HQ's 115 program: a draft copied from the world's 114 one, with a second practice."""
    from servplan.programs.domain import tree
    from servplan.programs.domain.versions import start_program
    from servplan.programs.models import Measure

    if "program" not in w.hq_drafts:
        draft = start_program(user=None, roc_year=115)
        measure = Measure.objects.get(strategy__facet__outline=draft.outline_id)
        tree.add_node(
            user=None,
            program=draft,
            kind="practice",
            parent=measure,
            text="第二項作法",
            expected_revision=1,
        )
        w.hq_drafts["program"] = draft
    return w.hq_drafts["program"]


def revision(w):
    return Program.objects.get(pk=hq_draft(w).pk).revision


DRAFT = lambda w: {"pk": hq_draft(w).pk}  # noqa: E731
PUBLISHED = lambda w: {"pk": w.plan.program_id}  # noqa: E731


def draft_practice(w):
    from servplan.programs.models import Practice

    first = (
        Practice.objects.filter(measure__strategy__facet__outline=hq_draft(w).outline_id)
        .order_by("position")
        .first()
    )
    return {"pk": hq_draft(w).pk, "kind": "practice", "node_id": first.pk}


def rubric_draft(w):
    """HQ's 115 rubric: a draft copied from the world's rubric."""
    from servplan.programs.domain.rubric_drafts import start_rubric

    if "rubric" not in w.hq_drafts:
        w.hq_drafts["rubric"] = start_rubric(user=None, roc_year=115, source=w.assessment.rubric)
    return w.hq_drafts["rubric"]


RUBRIC_DRAFT = lambda w: {"pk": rubric_draft(w).pk}  # noqa: E731


def new_assessment(w):
    return {
        "office": w.assessment.office.name,
        "rubric": w.assessment.rubric_id,
        "period": "115-1-6",
    }


RULES: dict[str, Rule] = {
    # public and session pages
    "login": Rule("GET", public),
    "logout": Rule("POST", public, ends_at_login=True),
    "home": Rule("GET", logged_in),
    "office-list": Rule("GET", logged_in),
    "assessment-list": Rule("GET", logged_in),
    "plan-list": Rule("GET", logged_in),
    "review-list": Rule("GET", hq, visible=hq),
    "notification-settings": Rule("GET", logged_in),
    "notification-settings-save": Rule("POST", logged_in, data=lambda w: {}, write=True),
    "import-upload": Rule("GET", import_page, visible=logged_in),
    # an assessment, read
    "assessment-detail": Rule("GET", sees, kwargs=A),
    "assessment-history": Rule("GET", sees, kwargs=A),
    "assessment-cell-row": Rule("GET", sees, kwargs=CELL),
    "assessment-finding-row": Rule("GET", sees, kwargs=FINDING),
    "assessment-follow-ups": Rule("GET", sees, kwargs=A),
    "assessment-evidence": Rule(
        "GET", sees, kwargs=lambda w: {"pk": w.assessment.pk, "evidence_id": w.evidence.pk}
    ),
    "assessment-export": Rule("GET", sees, kwargs=lambda w: {"pk": w.assessment.pk, "fmt": "json"}),
    "assessment-signed-copy": Rule("GET", signed_copy, kwargs=signed),
    "review-detail": Rule("GET", review_page, kwargs=A),
    # an assessment, changed
    "assessment-create": Rule(
        "POST", creates_own, visible=logged_in, data=new_assessment, write=True
    ),
    "assessment-cell": Rule("POST", edits, visible=sees, kwargs=CELL, data=cell_data, write=True),
    "assessment-evidence-upload": Rule(
        "POST",
        edits,
        visible=sees,
        kwargs=CELL,
        write=True,
        multipart=True,
        data=lambda w: {"file": SimpleUploadedFile("新佐證.pdf", PDF)},
    ),
    "assessment-evidence-delete": Rule(
        "POST",
        edits,
        visible=sees,
        write=True,
        kwargs=lambda w: {"pk": w.assessment.pk, "evidence_id": w.evidence.pk},
    ),
    "assessment-finding": Rule(
        "POST", edits, visible=sees, kwargs=FINDING, data=finding_data, write=True
    ),
    "assessment-follow-up-add": Rule(
        "POST",
        edits,  # on a draft only: a submitted table stays as submitted
        visible=sees,
        kwargs=tracked,
        data=lambda w: {"roc_year": 114, "quarter": 2, "progress": "已辦理訓練 2 場"},
        write=True,
    ),
    "assessment-submit": Rule("POST", submits, visible=sees, kwargs=A, write=True),
    "assessment-assessed-on": Rule(
        "POST",
        edits,
        visible=sees,
        kwargs=A,
        data=lambda w: {"assessed_on": "114 年 6 月 30 日", "version": 1},
        write=True,
    ),
    "assessment-signoff": Rule(
        "POST",
        signs,
        visible=sees,
        kwargs=A,
        data=lambda w: {"decision": "approve", "comment": ""},
        write=True,
    ),
    "assessment-reopen": Rule(
        "POST", reopens, visible=sees, kwargs=A, data=lambda w: {"reason": "補正資料"}, write=True
    ),
    "review-cell": Rule(
        "POST",
        reviews,
        visible=review_page,
        kwargs=CELL,
        data=lambda w: {
            "review_score": "3.5",
            "review_comment": "複評二",
            "version": w.cells[1].version,
        },
        write=True,
    ),
    "review-mark": Rule("POST", reviews, visible=review_page, kwargs=A, write=True),
    "review-release": Rule(
        "POST", releases, visible=logged_in, data=lambda w: {"period": "114-1-6"}, write=True
    ),
    "review-release-confirm": Rule("GET", hq, kwargs=PERIOD),
    "review-withdraw-confirm": Rule("GET", hq, kwargs=PERIOD),
    "review-withdraw": Rule("POST", hq, visible=logged_in, data=released, write=True),
    "review-accept": Rule("POST", reviews, visible=review_page, kwargs=A, write=True),
    "review-return": Rule(
        "POST",
        reviews,
        visible=review_page,
        kwargs=A,
        data=lambda w: {"reason": "資料不全"},
        write=True,
    ),
    # periods: HQ's pages (everyone else 404)
    "period-list": Rule("GET", hq),
    "period-open": Rule("POST", hq, data=new_period, write=True),
    "period-board": Rule("GET", hq, kwargs=opened),
    "period-deadline": Rule("POST", hq, kwargs=opened, data=moved_deadline, write=True),
    "period-close": Rule("POST", hq, kwargs=opened_and_released, write=True),
    # HQ's comparison, trends, reviewer aids and what they read (everyone else 404)
    "period-comparison": Rule("GET", hq, kwargs=opened),
    "period-comparison-export": Rule("GET", hq, kwargs=PERIOD_SLUG_FMT),
    "period-comparison-chart": Rule("GET", hq, kwargs=opened),
    "period-unit": Rule("GET", hq, kwargs=PERIOD_UNIT),
    "period-unit-export": Rule("GET", hq, kwargs=lambda w: {**PERIOD_UNIT(w), "fmt": "xlsx"}),
    "period-unit-chart": Rule("GET", hq, kwargs=PERIOD_UNIT),
    "period-aids": Rule("GET", hq, kwargs=opened),
    "period-exports": Rule("GET", hq, kwargs=opened),
    "period-export-start": Rule(
        "POST", hq, kwargs=opened, data=lambda w: {"format": "csv"}, write=True
    ),
    "period-export-download": Rule("GET", hq, kwargs=finished_export),
    "period-office-trend": Rule("GET", hq, kwargs=OFFICE_CODE),
    "period-office-trend-export": Rule(
        "GET", hq, kwargs=lambda w: {**OFFICE_CODE(w), "fmt": "csv"}
    ),
    # a chart needs a record that reached HQ: before, HQ finds none to draw (404)
    "period-office-trend-chart": Rule("GET", hq_sees, visible=hq, kwargs=OFFICE_CODE),
    "period-mappings": Rule("GET", hq),
    "period-mapping": Rule("GET", hq, kwargs=mapping_pair),
    "period-mapping-save": Rule("POST", hq, kwargs=mapping_pair, data=mapping_data, write=True),
    "period-typos": Rule("GET", hq),
    "period-typo-add": Rule(
        "POST", hq, data=lambda w: {"wrong": "問券", "right": "問卷"}, write=True
    ),
    "period-typo-retire": Rule("POST", hq, kwargs=typo_entry, write=True),
    # plans
    "plan-detail": Rule("GET", plan_sees, kwargs=lambda w: {"pk": w.plan.pk}),
    "plan-export": Rule("GET", plan_sees, kwargs=lambda w: {"pk": w.plan.pk, "fmt": "odt"}),
    "plan-checks": Rule("GET", plan_sees, kwargs=PLAN),
    # the editor's fragments (reloaded after a conflict): for who may change the draft
    "plan-sections-form": Rule("GET", edits, visible=plan_sees, kwargs=PLAN),
    "plan-facet": Rule(
        "GET",
        edits,
        visible=plan_sees,
        kwargs=lambda w: plan_item(w, "facet_id", w.plan.outline.facets.get()),
    ),
    "plan-practice-row": Rule(
        "GET",
        edits,
        visible=plan_sees,
        kwargs=lambda w: plan_item(w, "practice_id", plan_practice(w, own=False)),
    ),
    # plans, changed
    "plan-new": Rule(
        "POST",
        starts_own,
        visible=logged_in,
        data=lambda w: {"roc_year": 115, "start_from": "program"},
        write=True,
    ),
    "plan-sections": Rule(
        "POST",
        edits,
        visible=plan_sees,
        kwargs=PLAN,
        data=lambda w: {"goals": "新的計畫目標", "version": w.plan.version},
        write=True,
    ),
    "plan-strategy-add": Rule(
        "POST",
        edits,
        visible=plan_sees,
        kwargs=lambda w: plan_item(w, "facet_id", w.plan.outline.facets.get()),
        data=lambda w: {"name": "新的執行策略"},
        write=True,
    ),
    "plan-strategy": Rule(
        "POST",
        edits,
        visible=plan_sees,
        kwargs=lambda w: plan_item(w, "strategy_id", own_strategy(w)),
        data=lambda w: {"name": "改名的策略", "version": 1},
        write=True,
    ),
    "plan-strategy-remove": Rule(
        "POST",
        edits,
        visible=plan_sees,
        kwargs=lambda w: plan_item(w, "strategy_id", own_strategy(w)),
        write=True,
    ),
    "plan-practice-add": Rule(
        "POST",
        edits,
        visible=plan_sees,
        kwargs=lambda w: plan_item(w, "measure_id", plan_practice(w, own=True).measure),
        data=lambda w: {"text": "新增作法", "period": "每季"},
        write=True,
    ),
    "plan-practice": Rule(
        "POST",
        edits,
        visible=plan_sees,
        kwargs=lambda w: plan_item(w, "practice_id", plan_practice(w, own=False)),
        data=lambda w: {"target": "每季 1 場", "version": 1},
        write=True,
    ),
    "plan-practice-move": Rule(
        "POST",
        edits,
        visible=plan_sees,
        kwargs=lambda w: plan_item(w, "practice_id", plan_practice(w, own=True)),
        data=lambda w: {"direction": "up"},
        write=True,
    ),
    "plan-practice-remove": Rule(
        "POST",
        edits,
        visible=plan_sees,
        kwargs=lambda w: plan_item(w, "practice_id", plan_practice(w, own=True)),
        write=True,
    ),
    "plan-practice-not-applicable": Rule(
        "POST",
        edits,
        visible=plan_sees,
        kwargs=lambda w: plan_item(w, "practice_id", plan_practice(w, own=False)),
        data=lambda w: {"reason": "本處無此業務", "version": 1},
        write=True,
    ),
    "plan-practice-applicable": Rule(
        "POST",
        edits,
        visible=plan_sees,
        kwargs=not_applicable,
        data=lambda w: {"version": 1},
        write=True,
    ),
    "plan-compare": Rule(
        "GET", plan_sees, kwargs=lambda w: {"pk": w.plan.pk}, data=lambda w: {"against": "program"}
    ),
    "plan-compare-export": Rule(
        "GET",
        plan_sees,
        kwargs=lambda w: {"pk": w.plan.pk, "fmt": "csv"},
        data=lambda w: {"against": "last-year"},
    ),
    "plan-publish": Rule(
        "POST", publishes, visible=plan_sees, kwargs=lambda w: {"pk": w.plan.pk}, write=True
    ),
    "plan-unpublish": Rule(
        "POST",
        unpublishes,
        visible=plan_sees,
        kwargs=lambda w: {"pk": w.plan.pk},
        data=lambda w: {"reason": "內容更新"},
        write=True,
    ),
    # the public site: no login; a plan's pages only while it is published
    "public-plan-index": Rule("GET", public),
    "public-plan-detail": Rule("GET", published, kwargs=PUBLIC_PLAN),
    "public-plan-pdf": Rule("GET", published, kwargs=PUBLIC_PLAN),
    "public-plan-odt": Rule("GET", published, kwargs=PUBLIC_PLAN),
    "public-index": Rule("GET", public),
    "public-search": Rule("GET", public, data=SEARCH),
    "public-datasets": Rule("GET", public),
    "public-results-detail": Rule("GET", results_public, kwargs=public_results),
    "public-results-pdf": Rule("GET", results_public, kwargs=public_results),
    "public-results-odt": Rule("GET", results_public, kwargs=public_results),
    "public-results-csv": Rule("GET", results_public, kwargs=public_results),
    "public-results-ods": Rule("GET", results_public, kwargs=public_results),
    "public-results-json": Rule("GET", results_public, kwargs=public_results),
    # HQ publishes an office's results from its review page
    "results-publish": Rule(
        "POST", publishes_results, visible=review_page, kwargs=to_publish, write=True
    ),
    "results-unpublish": Rule(
        "POST",
        publishes_results,
        visible=review_page,
        kwargs=to_unpublish,
        data=lambda w: {"reason": "分數更正"},
        write=True,
    ),
    # signed-in search: whatever the person may see
    "search": Rule("GET", logged_in, data=SEARCH),
    "plan-history": Rule("GET", plan_sees, kwargs=PLAN),
    "plan-submit": Rule("POST", submits, visible=plan_sees, kwargs=PLAN, write=True),
    "plan-signoff": Rule(
        "POST",
        signs,
        visible=plan_sees,
        kwargs=PLAN,
        data=lambda w: {"decision": "approve", "comment": ""},
        write=True,
    ),
    "plan-reopen": Rule(
        "POST",
        reopens_plan,
        visible=plan_sees,
        kwargs=PLAN,
        data=lambda w: {"reason": "補正"},
        write=True,
    ),
    # deputies (職務代理人)
    "deputy-list": Rule("GET", deputy_sees, kwargs=OFFICE_CODE),
    "deputy-add": Rule(
        "POST",
        manages_deputies,
        visible=deputy_sees,
        kwargs=OFFICE_CODE,
        data=deputy_data,
        write=True,
    ),
    "deputy-end": Rule(
        "POST", manages_deputies, visible=deputy_sees, kwargs=registered, write=True
    ),
    # HQ's programs and rubrics
    "program-list": Rule("GET", hq),
    "program-new": Rule("GET", hq),
    "program-start": Rule("POST", hq, data=lambda w: {"roc_year": "116"}, write=True),
    "program-edit": Rule("GET", hq, kwargs=DRAFT),
    "program-header": Rule(
        "POST",
        hq,
        kwargs=DRAFT,
        data=lambda w: {
            "title": "115年度新計畫",
            "letter_number": "電業字第1號",
            "revision": revision(w),
        },
        write=True,
    ),
    "program-node-add": Rule(
        "POST",
        hq,
        kwargs=DRAFT,
        data=lambda w: {"kind": "facet", "name": "新面向", "revision": revision(w)},
        write=True,
    ),
    "program-node-save": Rule(
        "POST",
        hq,
        kwargs=draft_practice,
        data=lambda w: {
            "text": "改寫的作法",
            "departments-sent": "1",
            "departments": "業務組",
            "period": "每季",
            "revision": revision(w),
        },
        write=True,
    ),
    "program-node-move": Rule(
        "POST",
        hq,
        kwargs=draft_practice,
        data=lambda w: {"direction": "down", "revision": revision(w)},
        write=True,
    ),
    "program-node-remove": Rule(
        "POST", hq, kwargs=draft_practice, data=lambda w: {"revision": revision(w)}, write=True
    ),
    "program-publish": Rule(
        "POST",
        hq,
        kwargs=DRAFT,
        data=lambda w: {"reason": "", "revision": revision(w)},
        write=True,
    ),
    "program-new-version": Rule("POST", hq, kwargs=PUBLISHED, write=True),
    "program-changes": Rule("GET", logged_in, kwargs=PUBLISHED),
    "rubric-list": Rule("GET", hq),
    "rubric-new": Rule("GET", hq),
    "rubric-start": Rule("POST", hq, data=lambda w: {"roc_year": "116"}, write=True),
    "rubric-edit": Rule("GET", hq, kwargs=RUBRIC_DRAFT),
    "rubric-save": Rule(
        "POST",
        hq,
        kwargs=RUBRIC_DRAFT,
        data=lambda w: factories.rubric_form(rubric_draft(w), title="115年度改名的評分表"),
        write=True,
    ),
    "rubric-publish": Rule(
        "POST",
        hq,
        kwargs=RUBRIC_DRAFT,
        data=lambda w: {"reason": "", "revision": rubric_draft(w).revision},
        write=True,
    ),
    "rubric-new-version": Rule(
        "POST", hq, kwargs=lambda w: {"pk": w.assessment.rubric_id}, write=True
    ),
    # imports
    "import-preview": Rule("GET", uploader, kwargs=lambda w: {"pk": w.upload.pk}),
    "import-confirm": Rule("POST", uploader, kwargs=lambda w: {"pk": w.upload.pk}, write=True),
    "import-cancel": Rule("POST", uploader, kwargs=lambda w: {"pk": w.upload.pk}, write=True),
    # the API (bearer tokens)
    "api:api-root": Rule("GET", no_page, visible=no_page),
    "api:openapi-json": Rule("GET", public),
    "api:openapi-view": Rule("GET", public),
    "api:list_assessments": Rule("GET", logged_in),
    "api:create_assessment": Rule(
        "POST", creates, visible=logged_in, data=new_assessment, write=True
    ),
    "api:get_assessment": Rule("GET", sees, kwargs=A_API),
    "api:patch_assessment": Rule(
        "PATCH",
        edits,
        visible=sees,
        kwargs=A_API,
        data=lambda w: {"assessed_on": "2025-06-30", "version": 1},
        write=True,
    ),
    "api:checks": Rule("GET", sees, kwargs=A_API),
    "api:history": Rule("GET", sees, kwargs=A_API),
    "api:assessment_export": Rule(
        "GET", sees, kwargs=A_API, data=lambda w: {"format": "json", "form": "all"}
    ),
    "api:signed_copy": Rule("GET", signed_copy, kwargs=lambda w: signed(w, pk="assessment_id")),
    "api:patch_cell": Rule(
        "PATCH", edits, visible=sees, kwargs=CELL_API, data=cell_data, write=True
    ),
    "api:submit": Rule("POST", submits, visible=sees, kwargs=A_API, write=True),
    "api:sign_off": Rule(
        "POST",
        signs,
        visible=sees,
        kwargs=A_API,
        data=lambda w: {"decision": "approve", "comment": ""},
        write=True,
    ),
    "api:reopen": Rule(
        "POST",
        reopens,
        visible=sees,
        kwargs=A_API,
        data=lambda w: {"reason": "補正資料"},
        write=True,
    ),
    "api:review_cell": Rule(
        "PATCH",
        reviews,
        visible=sees,
        kwargs=CELL_API,
        data=lambda w: {"score": "3.5", "comment": "複評二", "version": w.cells[1].version},
        write=True,
    ),
    "api:mark_reviewed": Rule("POST", reviews, visible=sees, kwargs=A_API, write=True),
    "api:release": Rule(
        "POST", releases, visible=logged_in, data=lambda w: {"period": "114-1-6"}, write=True
    ),
    "api:withdraw_release": Rule("POST", hq, visible=logged_in, data=released, write=True),
    "api:accept_submission": Rule("POST", reviews, visible=sees, kwargs=A_API, write=True),
    "api:return_submission": Rule(
        "POST",
        reviews,
        visible=sees,
        kwargs=A_API,
        data=lambda w: {"reason": "資料不全"},
        write=True,
    ),
    "api:list_periods": Rule("GET", logged_in),
    "api:open_period": Rule(
        "POST",
        hq,
        visible=logged_in,
        data=lambda w: new_period(w, deadline="2026-07-15"),
        write=True,
    ),
    "api:period_board": Rule("GET", hq, kwargs=opened),
    "api:move_deadline": Rule(
        "POST",
        hq,
        kwargs=opened,
        data=lambda w: {"deadline": "2025-07-31", "reason": "颱風停班"},
        write=True,
    ),
    "api:close_period": Rule("POST", hq, kwargs=opened_and_released, write=True),
    "api:start_export": Rule(
        "POST", hq, kwargs=opened, data=lambda w: {"format": "csv"}, write=True
    ),
    "api:get_export": Rule("GET", hq, kwargs=lambda w: {"export_id": finished_export(w)["pk"]}),
    "api:export_file": Rule("GET", hq, kwargs=lambda w: {"export_id": finished_export(w)["pk"]}),
    "api:period_comparison": Rule("GET", hq, kwargs=opened),
    "api:period_aids": Rule("GET", hq, kwargs=opened),
    "api:list_plans": Rule("GET", logged_in),
    "api:list_offices": Rule("GET", logged_in),
    "api:get_plan": Rule("GET", plan_sees, kwargs=lambda w: {"plan_id": w.plan.pk}),
    "api:plan_export": Rule(
        "GET", plan_sees, kwargs=lambda w: {"plan_id": w.plan.pk}, data=lambda w: {"format": "odt"}
    ),
    "api:start_plan": Rule(
        "POST",
        creates,
        visible=logged_in,
        data=lambda w: {"office": w.plan.office.name, "roc_year": 115},
        write=True,
    ),
    "api:patch_plan": Rule(
        "PATCH",
        edits,
        visible=plan_sees,
        kwargs=PLAN_API,
        data=lambda w: {"goals": "新的計畫目標", "version": w.plan.version},
        write=True,
    ),
    "api:plan_checks": Rule("GET", plan_sees, kwargs=PLAN_API),
    "api:plan_history": Rule("GET", plan_sees, kwargs=PLAN_API),
    "api:submit_plan": Rule("POST", submits, visible=plan_sees, kwargs=PLAN_API, write=True),
    "api:sign_plan": Rule(
        "POST",
        signs,
        visible=plan_sees,
        kwargs=PLAN_API,
        data=lambda w: {"decision": "approve", "comment": ""},
        write=True,
    ),
    "api:reopen_plan": Rule(
        "POST",
        reopens_plan,
        visible=plan_sees,
        kwargs=PLAN_API,
        data=lambda w: {"reason": "補正"},
        write=True,
    ),
    "api:add_practice": Rule(
        "POST",
        edits,
        visible=plan_sees,
        kwargs=PLAN_API,
        data=lambda w: {"measure": plan_practice(w, own=True).measure_id, "text": "新增作法"},
        write=True,
    ),
    "api:patch_practice": Rule(
        "PATCH",
        edits,
        visible=plan_sees,
        kwargs=lambda w: {"plan_id": w.plan.pk, "practice_id": plan_practice(w, own=False).pk},
        data=lambda w: {"target": "每季 1 場", "version": 1},
        write=True,
    ),
    "api:delete_practice": Rule(
        "DELETE",
        edits,
        visible=plan_sees,
        kwargs=lambda w: {"plan_id": w.plan.pk, "practice_id": plan_practice(w, own=True).pk},
        write=True,
    ),
    "api:move_practice": Rule(
        "POST",
        edits,
        visible=plan_sees,
        kwargs=lambda w: {"plan_id": w.plan.pk, "practice_id": plan_practice(w, own=True).pk},
        data=lambda w: {"direction": "up"},
        write=True,
    ),
    "api:add_strategy": Rule(
        "POST",
        edits,
        visible=plan_sees,
        kwargs=PLAN_API,
        data=lambda w: {"facet": w.plan.outline.facets.get().pk, "name": "新的執行策略"},
        write=True,
    ),
    "api:patch_strategy": Rule(
        "PATCH",
        edits,
        visible=plan_sees,
        kwargs=lambda w: {"plan_id": w.plan.pk, "strategy_id": own_strategy(w).pk},
        data=lambda w: {"name": "改名的策略", "version": 1},
        write=True,
    ),
    "api:delete_strategy": Rule(
        "DELETE",
        edits,
        visible=plan_sees,
        kwargs=lambda w: {"plan_id": w.plan.pk, "strategy_id": own_strategy(w).pk},
        write=True,
    ),
    "api:publish": Rule("POST", publishes, visible=plan_sees, kwargs=PLAN_API, write=True),
    "api:unpublish": Rule(
        "POST",
        unpublishes,
        visible=plan_sees,
        kwargs=PLAN_API,
        data=lambda w: {"reason": "內容更新"},
        write=True,
    ),
    "api:compare": Rule("GET", plan_sees, kwargs=PLAN_API, data=lambda w: {"against": "last-year"}),
    # findings, improvements, follow-ups and evidence (assessments.api_findings)
    "api:list_findings": Rule("GET", sees, kwargs=A_API),
    "api:get_finding": Rule("GET", sees, kwargs=FINDING_API),
    "api:patch_finding": Rule(
        "PATCH", edits, visible=sees, kwargs=FINDING_API, data=finding_data, write=True
    ),
    "api:list_improvements": Rule("GET", sees, kwargs=A_API),
    "api:get_improvement": Rule("GET", sees, kwargs=TRACKED_API),
    "api:add_follow_up": Rule(
        "POST",
        edits,  # on a draft only, as on the page
        visible=sees,
        kwargs=TRACKED_API,
        data=lambda w: {"roc_year": 114, "quarter": 2, "progress": "已辦理訓練 2 場", "version": 1},
        write=True,
    ),
    "api:list_evidence": Rule("GET", sees, kwargs=CELL_API),
    "api:upload_evidence": Rule(
        "POST",
        edits,
        visible=sees,
        kwargs=CELL_API,
        write=True,
        multipart=True,
        data=lambda w: {"file": SimpleUploadedFile("新佐證.pdf", PDF)},
    ),
    "api:download_evidence": Rule("GET", sees, kwargs=EVIDENCE_API),
    "api:delete_evidence": Rule("DELETE", edits, visible=sees, kwargs=EVIDENCE_API, write=True),
    "api:public_search": Rule("GET", public, data=SEARCH),
    "api:public_datasets": Rule("GET", public),
    "api:publish_assessment_results": Rule(
        "POST",
        publishes_results,
        visible=sees,
        kwargs=lambda w: to_publish(w, "assessment_id"),
        write=True,
    ),
    "api:unpublish_assessment_results": Rule(
        "POST",
        publishes_results,
        visible=sees,
        kwargs=lambda w: to_unpublish(w, "assessment_id"),
        data=lambda w: {"reason": "分數更正"},
        write=True,
    ),
    "api:list_programs": Rule("GET", logged_in),
    "api:get_program": Rule("GET", logged_in, kwargs=lambda w: {"program_id": w.plan.program_id}),
    "api:start_program": Rule(
        "POST", hq, visible=logged_in, data=lambda w: {"roc_year": 116}, write=True
    ),
    "api:publish_program": Rule(
        "POST",
        hq,
        kwargs=lambda w: {"program_id": hq_draft(w).pk},
        data=lambda w: {"reason": "", "revision": revision(w)},
        write=True,
    ),
    "api:new_program_version": Rule(
        "POST",
        hq,
        visible=logged_in,
        kwargs=lambda w: {"program_id": w.plan.program_id},
        write=True,
    ),
    "api:create_import": Rule(
        "POST",
        imports_here,
        visible=logged_in,
        write=True,
        multipart=True,
        data=lambda w: {"file": form_file(w)},
    ),
}


def route_names() -> list[str]:
    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name == "admin":
                    continue  # Django's admin: staff only, its own permission system
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern):
                yield f"{namespace}:{p.name}" if namespace else p.name

    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_route_has_a_rule():
    missing = [name for name in route_names() if name not in RULES]
    assert not missing, f"routes without an access rule (add them to RULES): {missing}"
    stale = [name for name in RULES if name not in route_names()]
    assert not stale, f"rules for routes that no longer exist: {stale}"


# The API's operations share URL names per path; the method picks the operation.
def _request(client: Client, rule: Rule, url: str, world: World, role: str):
    is_api = url.startswith("/api/")
    headers = {}
    if is_api and role != "anonymous":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[role]}"
    data = rule.data(world) if rule.data else None
    if rule.method == "GET":
        return client.get(url, data or {}, **headers)
    if is_api and not rule.multipart:
        return client.generic(
            rule.method,
            url,
            __import__("json").dumps(data or {}),
            content_type="application/json",
            **headers,
        )
    return client.post(url, data or {}, **headers)


def _denied_as_anonymous(response, url: str) -> bool:
    if url.startswith("/api/"):
        return response.status_code == 401
    return response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", sorted(RULES))
def test_access(db, name, state):
    rule = RULES[name]
    world = build_world(state)
    world.tokens = {role: ApiToken.issue(user) for role, user in world.users.items()}
    url = reverse(name, kwargs=rule.kwargs(world))
    failures = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(world.users[role])
        with transaction.atomic():
            before = fingerprint(world)
            response = _request(client, rule, url, world, role)
            changed = fingerprint(world) != before
            transaction.set_rollback(True)
        allowed = rule.allowed(role, state)
        visible = (rule.visible or rule.allowed)(role, state)
        code = response.status_code
        if allowed:
            at_login = code == 302 and response.url.startswith(reverse("login"))
            ok = code < 400 and (rule.ends_at_login or not (role != "anonymous" and at_login))
            if rule.write:
                ok = ok and changed
        elif rule.allowed is no_page:
            ok = code == 404
        elif role == "anonymous" and rule.allowed not in OPEN:
            ok = _denied_as_anonymous(response, url) and not changed
        elif not visible:
            ok = code == 404 and not changed
        else:
            ok = (
                not changed
                and code in (302, 400, 403, 404, 405, 409)
                or (code == 200 and not changed)
            )
        if not ok:
            failures.append(
                f"{role}: {code} (allowed={allowed}, visible={visible}, changed={changed})"
            )
    assert not failures, f"{rule.method} {name} [{state}]\n" + "\n".join(failures)


def test_every_html_post_needs_a_csrf_token(db):
    """A logged-in clerk's forms are refused without the CSRF token (the API takes tokens, not cookies)."""
    world = build_world("draft")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["clerk"])
    checked = 0
    for name, rule in RULES.items():
        if rule.method == "GET" or name.startswith("api:") or name == "logout":
            continue
        url = reverse(name, kwargs=rule.kwargs(world))
        before = fingerprint(world)
        response = client.post(url, rule.data(world) if rule.data else {})
        assert response.status_code == 403, f"{name}: {response.status_code} without a CSRF token"
        assert fingerprint(world) == before
        checked += 1
    assert checked >= 10
