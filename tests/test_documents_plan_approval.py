"""「N 年 M 月 D 日陳准實施」 and the signatures on the plan's PDF, ODT and DOCX, read back as
a person's tools would (pdftotext, odfpy, python-docx); 「甲 代 乙」 on the forms."""

import datetime as dt
import io
from unittest import mock

import docx
import pytest
from django.utils import timezone
from odf import opendocument, teletype
from odf import text as odf_text

from servplan.assessments.domain import decide, submit_assessment
from servplan.assessments.sheet import sheet_queryset
from servplan.documents.export import export_assessment, export_plan
from servplan.offices.domain import register_deputy
from servplan.offices.models import Role
from servplan.plans.domain import reopen_plan, sign_plan, submit_plan
from servplan.plans.serializers import plans_for_export
from tests.documents.helpers import pdf_text, squash

pytestmark = pytest.mark.django_db

SIGNERS = [Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR, Role.DIRECTOR]
# 02:00 UTC on 21 March 2025 is 10:00 the same day in Taipei: 民國 114 年 3 月 21 日
APPROVED_AT = dt.datetime(2025, 3, 21, 2, 0, tzinfo=dt.UTC)


def odt_text(content: bytes) -> str:
    doc = opendocument.load(io.BytesIO(content))
    return "\n".join(teletype.extractText(p) for p in doc.getElementsByType(odf_text.P))


def docx_text(content: bytes) -> str:
    doc = docx.Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


READ = {"pdf": pdf_text, "odt": odt_text, "docx": docx_text}


def exported(plan, fmt: str) -> str:
    return squash(READ[fmt](export_plan(plans_for_export().get(pk=plan.pk), fmt=fmt).content))


@pytest.fixture
def case(make):
    plan = make.plan(practices=2)
    people = make.staff(plan.office)
    for role, name in zip(SIGNERS, ["陳課長", "林經理", "黃副處長", "張處長"], strict=True):
        people[role].first_name = name
        people[role].save()
    return plan, people


def on_the_day():
    """Every step on APPROVED_AT (ordered by id within the same moment)."""
    return mock.patch("django.utils.timezone.now", return_value=APPROVED_AT)


def approve(plan, people, *, signers=SIGNERS):
    with on_the_day():
        submit_plan(plan=plan, user=people[Role.CLERK])
        for role in signers:
            sign_plan(plan=plan, user=people[role], decision="approve")


@pytest.mark.parametrize("fmt", ["pdf", "odt", "docx"])
def test_an_approved_plan_prints_the_day_it_was_approved(case, fmt):
    plan, people = case
    approve(plan, people)
    text = exported(plan, fmt)
    assert "114年3月21日陳准實施" in text
    # under the title, as the paper form prints it
    assert text.index(squash(plan.title)) < text.index("陳准實施") < text.index("壹、")
    for name in ("陳課長", "林經理", "黃副處長", "張處長"):
        assert name in text


@pytest.mark.parametrize("fmt", ["pdf", "odt", "docx"])
def test_a_plan_not_approved_prints_no_date(case, fmt):
    plan, people = case
    assert "陳准實施" not in exported(plan, fmt)
    submit_plan(plan=plan, user=people[Role.CLERK])
    sign_plan(plan=plan, user=people[Role.SECTION_CHIEF], decision="approve")
    text = exported(plan, fmt)
    assert "陳准實施" not in text and "陳課長" in text and "林經理" not in text


def test_a_reopened_plan_prints_no_date_nor_the_old_signatures(case, make):
    plan, people = case
    approve(plan, people)
    reopen_plan(plan=plan, user=make.user(role=Role.HQ_REVIEWER), reason="重擬")
    text = exported(plan, "pdf")
    assert "陳准實施" not in text and "張處長" not in text


@pytest.mark.parametrize("fmt", ["pdf", "odt", "docx"])
def test_a_deputys_signature_prints_as_deputy_for_principal(case, make, fmt):
    plan, people = case
    stand_in = make.user(office=plan.office, role=Role.CLERK)
    stand_in.first_name = "王代理"
    stand_in.save()
    approve(plan, people, signers=SIGNERS[:-1])
    with on_the_day():
        register_deputy(
            office=plan.office,
            principal=people[Role.DIRECTOR],
            deputy=stand_in,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            reason="出國",
            user=people[Role.DIRECTOR],
        )
        sign_plan(plan=plan, user=stand_in, decision="approve")
    text = exported(plan, fmt)
    assert "王代理代張處長" in text and "114年3月21日陳准實施" in text


def test_the_assessment_forms_print_a_deputy_as_deputy_for_principal(make):
    a = make.fill(make.assessment())
    people = make.staff(a.office)
    people[Role.SECTION_CHIEF].first_name = "陳課長"
    people[Role.SECTION_CHIEF].save()
    stand_in = make.user(office=a.office, role=Role.CLERK)
    stand_in.first_name = "王代理"
    stand_in.save()
    today = timezone.localdate()
    register_deputy(
        office=a.office,
        principal=people[Role.SECTION_CHIEF],
        deputy=stand_in,
        starts_on=today,
        ends_on=today,
        reason="休假",
        user=people[Role.SECTION_CHIEF],
    )
    submit_assessment(assessment=a, user=people[Role.CLERK])
    decide(assessment=a, user=stand_in, decision="approve")
    content = export_assessment(sheet_queryset().get(pk=a.pk), fmt="pdf", form="follow-up")
    assert "王代理代陳課長" in squash(pdf_text(content.content))
