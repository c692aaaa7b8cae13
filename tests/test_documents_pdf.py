"""PDF of the assessment forms and the plan, read back with poppler (pdftotext, pdffonts)."""

import hashlib

import pytest
from pypdf import PdfReader

from servplan.assessments.models import Decision, SignOff, Status
from servplan.assessments.sheet import build_sheet, sheet_queryset
from servplan.core.errors import DomainError
from servplan.core.scores import format_score
from servplan.documents import forms
from servplan.documents.export import export_assessment, export_plan
from servplan.offices.models import Office, Role
from servplan.plans.serializers import plans_for_export
from tests.documents.helpers import pdf_fonts, pdf_text, save_pages, squash


def _load(assessment):
    return sheet_queryset().get(pk=assessment.pk)


def _sign(assessment, role, user, decision):
    position = SignOff.objects.filter(assessment=assessment).count() + 1
    return SignOff.objects.create(
        assessment=assessment, position=position, role=role, user=user, decision=decision
    )


@pytest.mark.parametrize("form", ["score-sheet", "summary", "follow-up"])
def test_each_form_prints_office_period_items_and_scores(taitung, form, tmp_path):
    content = export_assessment(_load(taitung), fmt="pdf", form=form).content
    assert content.startswith(b"%PDF")
    text = squash(pdf_text(content))
    assert "台東區營業處" in text and "114年度1月至6月" in text
    sheet = build_sheet(_load(taitung))
    for d in sheet.dimensions:
        assert d.name in text
        for c in d.cells:
            assert squash(c.cell.item.name) in text
    if form != "follow-up":
        for d in sheet.dimensions:
            assert format_score(d.score) in text
        assert "939" in text
    if form == "score-sheet":
        raw = pdf_text(content, layout=True)
        for c in (c for d in sheet.dimensions for c in d.cells):
            assert f" {format_score(c.score)}" in raw
        assert "總分（滿分1000分）：939分" in text
        assert "考核日期：年月日" in text
        assert "創新性(300分)" in text and "一、提供在地化及客製化關懷服務(100分)" in text
    fonts = pdf_fonts(content, tmp_path)
    cjk = [line for line in fonts.splitlines() if "NotoSerifCJKtc" in line]
    assert cjk and all(" yes yes yes " in line for line in cjk)
    pages = save_pages(content, f"taitung-{form}")
    assert pages


def test_numbered_paragraphs_and_bullets_are_kept(taitung):
    text = pdf_text(export_assessment(_load(taitung), fmt="pdf", form="score-sheet").content)
    assert "•" in text  # the seed's (1)(2) list under paragraph 2
    assert "(1)開放多元管道" in squash(text)
    assert "3.提供「時間電價試算評估系統」" in squash(text)


def test_summary_and_follow_up_use_their_own_chains(taitung):
    summary = squash(pdf_text(export_assessment(_load(taitung), fmt="pdf", form="summary").content))
    follow = squash(
        pdf_text(export_assessment(_load(taitung), fmt="pdf", form="follow-up").content)
    )
    assert "課長" not in summary and "課長" in follow
    for role in ("經辦", "經理", "副處長", "處長"):
        assert role in summary and role in follow
    doc = forms.assessment_document(_load(taitung), ["summary", "follow-up"])
    chains = [[s["role"] for s in f["blocks"][-1]["slots"]] for f in doc["forms"]]
    assert chains == [
        ["經辦", "經理", "副處長", "處長"],
        ["經辦", "課長", "經理", "副處長", "處長"],
    ]


def test_signed_blocks_show_name_and_roc_date_after_the_latest_return(taitung, make):
    taitung.status = Status.IN_SIGNOFF  # as the last submit left it
    taitung.save()
    clerk = make.user(office=taitung.office)
    clerk.first_name = "王小明"
    clerk.save()
    chief = make.user(role=Role.SECTION_CHIEF, office=taitung.office, username="chief-a")
    manager = make.user(role=Role.MANAGER, office=taitung.office, username="manager-b")
    _sign(taitung, Role.CLERK, clerk, Decision.SUBMIT)
    _sign(taitung, Role.SECTION_CHIEF, chief, Decision.APPROVE)
    _sign(taitung, Role.MANAGER, manager, Decision.RETURN)
    _sign(taitung, Role.CLERK, clerk, Decision.SUBMIT)
    signed = forms.signed_by_role(taitung)
    assert set(signed) == {"clerk"}  # the return restarted the chain
    assert signed["clerk"].name == "王小明" and signed["clerk"].date.endswith(" 日")
    _sign(taitung, Role.SECTION_CHIEF, chief, Decision.APPROVE)
    text = squash(pdf_text(export_assessment(_load(taitung), fmt="pdf", form="follow-up").content))
    assert "王小明" in text and "chief-a" in text and "manager-b" not in text


def test_published_pdf_carries_the_content_hash(taitung):
    draft = export_assessment(_load(taitung), fmt="pdf", form="summary").content
    taitung.status = Status.SUBMITTED
    taitung.save()
    loaded = _load(taitung)
    exported_json = export_assessment(loaded, fmt="json").content
    digest = hashlib.sha256(exported_json).hexdigest()
    assert digest == forms.content_hash(build_sheet(loaded))
    published = export_assessment(loaded, fmt="pdf", form="summary").content
    meta = PdfReader(__import__("io").BytesIO(published)).metadata
    assert digest in str(meta.get("/Keywords"))
    assert digest in squash(pdf_text(published))
    assert digest not in squash(pdf_text(draft)) and "草稿" in pdf_text(draft)
    again = export_assessment(_load(taitung), fmt="pdf", form="summary").content
    assert again == published  # frozen: same record, same bytes


def test_all_forms_in_one_document(taitung):
    content = export_assessment(_load(taitung), fmt="pdf", form="all").content
    text = squash(pdf_text(content))
    for title in ("考核項目及評分表", "自行考核結果彙整表", "建議改善事項辦理情形表"):
        assert title in text
    save_pages(content, "taitung-all")


def test_follow_up_lists_the_quarterly_entries(taitung):
    text = squash(pdf_text(export_assessment(_load(taitung), fmt="pdf", form="follow-up").content))
    assert "【114年第2季】補充人力後由資深同仁帶領強化訓練。" in text
    assert "由先進同仁帶領強化循序各項業務訓練" in text
    assert "因應補充人力、人員調動頻繁" in text  # the current wording


def test_unknown_form_or_format_is_refused_in_chinese(taitung):
    with pytest.raises(DomainError, match="不支援的表單"):
        export_assessment(_load(taitung), fmt="pdf", form="nope")
    with pytest.raises(DomainError, match="不支援的格式"):
        export_assessment(_load(taitung), fmt="rtf")


def test_plan_pdf(sample, tmp_path):
    plan = plans_for_export().get(office=Office.objects.get(name="苗栗區營業處"))
    content = export_plan(plan, fmt="pdf").content
    text = squash(pdf_text(content))
    assert "苗栗區營業處112年度提升服務效能執行計畫" in text
    assert "112年3月21日陳准實施" in text
    for heading in (
        "壹、計畫依據",
        "貳、計畫目標",
        "參、實施對象：本處各部門",
        "肆、執行策略及具體作法",
    ):
        assert heading in text
    assert "伍、實施步驟" in text and "陸、本計畫如有未盡事宜" in text
    for facet in plan.outline.facets.all():
        assert squash(facet.name) in text
        for strategy in facet.strategies.all():
            for measure in strategy.measures.all():
                for practice in measure.practices.all():
                    assert squash(practice.text)[:12] in text
                    for link in practice.department_links.all():
                        assert link.department.name in text
    assert "1~12月" in text and "每年1次" in text
    assert "NotoSerifCJKtc" in pdf_fonts(content, tmp_path)
    save_pages(content, "miaoli-plan")


def test_batch_workers_give_the_same_pdfs_as_in_process(taitung):
    import datetime as dt

    from servplan.documents import pdf

    when = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    loaded = _load(taitung)
    docs = [forms.assessment_document(loaded, [f]) for f in forms.ASSESSMENT_FORMS]
    with pdf.Batch(size=pdf.MIN_PARALLEL, workers=2) as batch:
        assert batch._workers  # really in worker processes
        futures = [batch.submit(d, timestamp=when) for d in docs]
        broken = batch.submit({"title": "x"})  # not a form description
        results = [f.result(timeout=120) for f in futures]
        with pytest.raises(RuntimeError):
            broken.result(timeout=120)
    assert results == [pdf.render(d, timestamp=when) for d in docs]
