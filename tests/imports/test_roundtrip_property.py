"""Any assessment the app can hold, exported in every format, reads back and imports as the same
record: generated rubrics, half points, Chinese narratives with numbered paragraphs and bullets,
findings with and without recommendations, follow-ups over several quarters.

Bounded and deterministic (derandomize, few examples): each example renders and reads half a
dozen documents.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servplan.assessments.domain import (
    add_follow_up,
    create_assessment,
    score_cell,
    update_finding,
)
from servplan.assessments.models import Assessment
from servplan.core.roc import Period
from servplan.imports.checks import check_document
from servplan.imports.domain import import_file
from servplan.offices.models import Office
from servplan.programs.domain import CellSpec, DimensionSpec, RubricSpec, create_rubric
from servplan.programs.models import Rubric
from tests import factories
from tests.imports.roundtrip import (
    FORM_PARTS,
    STORED_PARTS,
    as_read,
    doc_view,
    export,
    parts,
    record_view,
)

pytestmark = pytest.mark.django_db

OFFICES = ["台東區營業處", "苗栗區營業處", "澎湖區營業處", "新竹區營業處"]
WORDS = [
    "服務",
    "效能",
    "提升",
    "用戶",
    "申辦",
    "流程",
    "簡化",
    "線上",
    "資訊",
    "公開",
    "透明",
    "節電",
    "宣導",
    "訓練",
    "同仁",
    "專人",
    "拜訪",
    "滿意度",
    "調查",
    "關懷",
    "弱勢",
    "偏遠",
    "地區",
    "到府",
    "案件",
    "處理",
    "進度",
    "查詢",
    "電子帳單",
    "行動支付",
    "綠電",
    "方案",
    "溝通",
    "座談會",
    "跨機關",
    "合作",
    "便民",
    "措施",
    "櫃台",
    "一站式",
    "表單",
    "標準化",
    "檢討",
    "改善",
]
# Mixed into the text as people write it: 「行動裝置 APP 等」, 「辦理3場」, 「47.5%」.
TOKENS = [*WORDS, *WORDS, " APP ", "AMI", "3", "12", "47.5%", "（含）", "「節能」"]
NAMES = [
    "在地化關懷服務",
    "法規及流程簡化",
    "公私協力",
    "數位服務",
    "便民措施",
    "創新性",
    "效益及影響",
    "可持續性",
    "擴散應用",
    "服務品質",
]


@st.composite
def sentence(draw, min_words=2, max_words=24) -> str:
    words = draw(st.lists(st.sampled_from(TOKENS), min_size=min_words, max_size=max_words))
    text = "".join(words).replace("  ", " ").strip()
    if not text or not ("\u4e00" <= text[0] <= "\u9fff"):
        text = "辦理" + text
    return text + draw(st.sampled_from(["。", "：", "", "；"]))


@st.composite
def narrative(draw, max_paragraphs=4) -> str:
    paragraphs = []
    for n in range(1, draw(st.integers(0, max_paragraphs)) + 1):
        kind = draw(st.sampled_from(["plain", "numbered", "bracketed", "bullet"]))
        text = draw(sentence())
        paragraphs.append(
            {"plain": text, "numbered": f"{n}. {text}", "bracketed": f"({n}){text}"}.get(
                kind, f"- {text}"
            )
        )
    return "\n".join(paragraphs)


@st.composite
def records(draw) -> dict:
    names = draw(st.permutations(NAMES))
    dimensions, items = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    maxima = [[draw(st.integers(5, 150)) for _ in range(items)] for _ in range(dimensions)]
    year = draw(st.integers(101, 130))
    start, end = draw(st.sampled_from([(1, 6), (7, 12), (1, 3), (10, 12)]))
    cells = []
    for d in range(dimensions):
        for i in range(items):
            recommendation = draw(st.one_of(st.just(""), sentence()))
            cells.append(
                {
                    "score": Decimal(draw(st.integers(0, 2 * maxima[d][i]))) / 2,
                    "narrative": draw(narrative()),
                    "strengths": draw(st.one_of(st.just(""), narrative(2))),
                    "weaknesses": draw(st.one_of(st.just(""), sentence())),
                    "remarks": draw(st.one_of(st.just(""), sentence(1, 4))),
                    "recommendation": recommendation,
                    "progress": draw(st.one_of(st.just(""), narrative(2)))
                    if recommendation
                    else "",
                    "later": draw(
                        st.lists(
                            st.tuples(
                                st.integers(0, 1), st.integers(1, 4), narrative(2), sentence()
                            ),
                            max_size=2,
                        )
                    )
                    if recommendation
                    else [],
                }
            )
    return {
        "office": draw(st.sampled_from(OFFICES)),
        "dimensions": names[:dimensions],
        "items": names[dimensions : dimensions + items],
        "maxima": maxima,
        "period": Period(year, start, end),
        "assessed_on": draw(
            st.one_of(st.none(), st.dates(dt.date(year + 1911, 1, 1), dt.date(year + 1911, 12, 28)))
        ),
        "cells": cells,
        "single": draw(
            st.tuples(
                st.sampled_from(["docx", "odt", "pdf"]), st.sampled_from(list(FORM_PARTS)[:3])
            )
        ),
    }


def build(data: dict) -> Assessment:
    """The record, made as a clerk would make it in the app."""
    office = Office.objects.get(name=data["office"])
    clerk = factories.user(office=office)
    period = data["period"]
    rubric = create_rubric(
        spec=RubricSpec(
            roc_year=period.roc_year,
            title=f"{period.roc_year}年度考核項目及評分表（產生）",
            total_max=Decimal(sum(map(sum, data["maxima"]))),
            items=data["items"],
            dimensions=[
                DimensionSpec(
                    name,
                    Decimal(sum(maxima)),
                    [
                        CellSpec(item, Decimal(m))
                        for item, m in zip(data["items"], maxima, strict=True)
                    ],
                )
                for name, maxima in zip(data["dimensions"], data["maxima"], strict=True)
            ],
        )
    )
    assessment = create_assessment(
        office=office,
        rubric=rubric,
        period=period,
        assessed_on=data["assessed_on"],
        user=clerk,
    )
    cells = assessment.cells.order_by("cell__dimension__position", "cell__item__position")
    findings = {f.cell_id: f for f in assessment.findings.all()}
    for cell, wanted in zip(cells, data["cells"], strict=True):
        score_cell(cell_score=cell, score=wanted["score"], narrative=wanted["narrative"])
        finding = update_finding(
            finding=findings[cell.cell_id],
            user=clerk,
            strengths=wanted["strengths"],
            weaknesses=wanted["weaknesses"],
            remarks=wanted["remarks"],
            recommendation=wanted["recommendation"],
            progress=wanted["progress"] or None,
        )
        for later, quarter, progress, reworded in wanted["later"]:
            add_follow_up(
                improvement=finding.improvement,
                user=clerk,
                roc_year=period.roc_year + later,
                quarter=quarter,
                progress=progress or "持續辦理。",
                recommendation=reworded if quarter == 4 else "",
            )
    return assessment


def issues(found) -> list[tuple[str, str, str]]:
    return sorted((i.severity, i.code, i.where) for i in found)


@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=records())
def test_every_export_reads_back_and_imports_as_the_record(shipped, data):
    with transaction.atomic():
        record = build(data)
        original = record_view(record)
        expected = issues(check_document(as_read(record)))
        exports = [
            ("docx", "all"),
            ("odt", "all"),
            ("pdf", "all"),
            ("xlsx", "data"),
            ("ods", "data"),
        ]
        exports.append(data["single"])
        files = [(fmt, form, *export(record, fmt, form)) for fmt, form in exports]
        rubrics = Rubric.objects.count()
        for fmt, form, filename, content in files:
            with transaction.atomic():
                Assessment.objects.filter(pk=record.pk).delete()
                entry, created, result = import_file(filename=filename, data=content)
                where = f"{fmt} {form}"
                wanted = expected if "cells" in FORM_PARTS[form] else []
                assert issues(result.issues) == wanted, (where, [i.message for i in result.issues])
                read = parts(doc_view(result.doc), FORM_PARTS[form])
                assert read == parts(original, FORM_PARTS[form]), where
                assert Rubric.objects.count() == rubrics, where
                imported = Assessment.objects.get(pk=entry.assessment_id)
                assert imported.rubric_id == record.rubric_id, where
                stored = parts(record_view(imported), STORED_PARTS[form])
                assert stored == parts(original, STORED_PARTS[form]), where
                transaction.set_rollback(True)
        transaction.set_rollback(True)
