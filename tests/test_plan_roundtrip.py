"""A plan written in the app, exported to DOCX, ODT and PDF (documents) and read back by the
importer (imports), has the same tree: facets, strategies, sub-strategies, practices with
their numbers, texts, departments and periods."""

import pytest

from servplan.documents.export import export_plan
from servplan.imports.domain import check_file
from servplan.offices.models import Office
from servplan.plans import domain
from servplan.plans.serializers import plans_for_export
from servplan.programs.models import Measure, Practice
from servplan.programs.serializers import outline_to_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(shipped, make):
    """台東's 112 plan from HQ's program, then edited as a clerk would."""
    office = Office.objects.get(name="台東區營業處")
    clerk = make.user(office=office)
    plan = domain.start_plan(office=office, roc_year=112, user=clerk)
    practices = list(
        Practice.objects.filter(measure__strategy__facet__outline=plan.outline).order_by(
            "measure__strategy__facet__position",
            "measure__strategy__position",
            "measure__position",
            "position",
        )
    )
    domain.update_practice(
        practice=practices[1],
        user=clerk,
        text="提升申辦案件的處理效率，具體作法如下：\n甲、每月檢討逾期案件。\n乙、主動告知用戶進度。",
        departments=["業務組", "電務組"],
        period="每季",
        expected_version=1,
    )
    domain.update_practice(
        practice=practices[0], user=clerk, period="6 月、12 月", expected_version=1
    )
    domain.mark_not_applicable(
        practice=practices[4], user=clerk, reason="本處無此業務", expected_version=1
    )
    domain.move_practice(practice=practices[3], user=clerk, direction="up")
    lone = Measure.objects.get(pk=practices[0].measure_id)  # a sub-strategy of one practice
    domain.add_practice(
        plan=plan,
        measure=lone,
        user=clerk,
        text="辦理申辦流程說明會。",
        departments=["業務組"],
        period="每年 1 次",
    )
    last = Measure.objects.filter(strategy__facet__outline=plan.outline).order_by(
        "-strategy__facet__position", "-strategy__position", "-position"
    )[0]
    domain.add_practice(
        plan=plan,
        measure=last,
        user=clerk,
        text="與地方政府合作推動節電。",
        departments=["總務組", "人資組"],
        period="1~12 月",
    )
    return plans_for_export().get(pk=plan.pk)


@pytest.mark.parametrize("fmt", ["docx", "odt", "pdf"])
def test_exported_plan_reads_back_as_the_same_tree(written, fmt):
    exported = export_plan(written, fmt=fmt)
    result = check_file(filename=exported.filename, data=exported.content)
    assert result.doc is not None and not result.issues, [i.message for i in result.issues]
    assert (result.doc.office_name, result.doc.roc_year) == ("台東區營業處", 112)
    assert result.doc.title == written.title
    assert result.doc.outline() == outline_to_list(written.outline)
