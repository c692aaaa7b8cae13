"""ODT and DOCX of the forms, parsed back with odfpy and python-docx."""

import io
import os
import shutil
import subprocess
import zipfile

import docx
import pytest
from odf import opendocument, table, text
from odf.namespaces import STYLENS, TABLENS

from servplan.assessments.sheet import build_sheet, sheet_queryset
from servplan.core.scores import format_score
from servplan.documents import forms
from servplan.documents.export import export_assessment, export_plan
from servplan.offices.models import Office
from servplan.plans.serializers import plans_for_export
from tests.documents.helpers import pdf_text, squash

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _load(assessment):
    return sheet_queryset().get(pk=assessment.pk)


def _score_sheet_cells(sheet) -> int:
    """Cells the score sheet draws: header 4; per dimension its rows (dimension cell once,
    item/narrative/score per item) and a 2-cell 小計 row; the 2-cell 總分 row."""
    return 4 + sum(1 + 3 * len(d.cells) + 2 for d in sheet.dimensions) + 2


def _odt_tables(content: bytes):
    doc = opendocument.load(io.BytesIO(content))
    return doc, doc.getElementsByType(table.Table)


def _odt_text(element) -> str:
    return "".join(str(p) for p in element.getElementsByType(text.P))


def test_odt_score_sheet_tables_fonts_and_repeating_header(taitung):
    content = export_assessment(_load(taitung), fmt="odt", form="score-sheet").content
    doc, tables = _odt_tables(content)
    sheet = build_sheet(_load(taitung))
    score_table, signatures = tables
    columns = score_table.getElementsByType(table.TableColumn)
    assert len(columns) == 4
    assert len(score_table.getElementsByType(table.TableHeaderRows)) == 1
    assert len(score_table.getElementsByType(table.TableCell)) == _score_sheet_cells(sheet)
    for row in score_table.getElementsByType(table.TableRow):  # every row fills the grid
        cells = row.getElementsByType(table.TableCell)
        covered = row.getElementsByType(table.CoveredTableCell)
        assert len(cells) + len(covered) == 4
    widths = {
        s.getAttrNS(STYLENS, "name"): s
        for s in doc.automaticstyles.childNodes
        if s.qname[1] == "style" and s.getAttrNS(STYLENS, "family") == "table-column"
    }
    for col in columns:
        style = widths[col.getAttrNS(TABLENS, "style-name")]
        assert style.childNodes[0].getAttrNS(STYLENS, "column-width").endswith("cm")
    assert len(signatures.getElementsByType(table.TableCell)) == 10  # default chain of five

    body = squash(_odt_text(doc.text))
    assert "台東區營業處114年度1月至6月" in body
    for d in sheet.dimensions:
        assert f"{d.name}({format_score(d.max_score)}分)" in body
        for c in d.cells:
            assert c.cell.item.name in body and format_score(c.score) in body
    styles = zipfile.ZipFile(io.BytesIO(content)).read("styles.xml").decode()
    assert 'style:font-name-asian="Noto Serif CJK TC"' in styles
    assert 'style:language-asian="zh"' in styles and 'style:country-asian="TW"' in styles


def test_docx_score_sheet_tables_fonts_and_repeating_header(taitung):
    content = export_assessment(_load(taitung), fmt="docx", form="score-sheet").content
    document = docx.Document(io.BytesIO(content))
    sheet = build_sheet(_load(taitung))
    score_table, signatures = document.tables
    tbl = score_table._tbl
    assert len(tbl.tblGrid.findall(f"{W}gridCol")) == 4
    assert all(int(col.get(f"{W}w")) > 0 for col in tbl.tblGrid.findall(f"{W}gridCol"))
    drawn = [
        tc
        for tc in tbl.iter(f"{W}tc")
        if (m := tc.find(f"{W}tcPr/{W}vMerge")) is None or m.get(f"{W}val") == "restart"
    ]
    assert len(drawn) == _score_sheet_cells(sheet)
    for tr in tbl.findall(f"{W}tr"):  # every row fills the grid
        spans = [
            int(s.get(f"{W}val")) if (s := tc.find(f"{W}tcPr/{W}gridSpan")) is not None else 1
            for tc in tr.findall(f"{W}tc")
        ]
        assert sum(spans) == 4
    assert tbl.findall(f"{W}tr")[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert len(signatures.rows[0].cells) == 5

    body = squash(" ".join(c.text for row in score_table.rows for c in row.cells))
    for d in sheet.dimensions:
        for c in d.cells:
            assert c.cell.item.name in body and format_score(c.score) in body
    styles = zipfile.ZipFile(io.BytesIO(content)).read("word/styles.xml").decode()
    assert 'w:eastAsia="Noto Serif CJK TC"' in styles
    assert 'w:eastAsia="zh-TW"' in styles


@pytest.mark.parametrize("fmt", ["odt", "docx"])
def test_summary_and_follow_up_tables(taitung, fmt):
    content = export_assessment(_load(taitung), fmt=fmt, form="all").content
    findings = len(build_sheet(_load(taitung)).findings)
    if fmt == "odt":
        _, tables = _odt_tables(content)
        counts = [len(t.getElementsByType(table.TableCell)) for t in tables]
    else:
        counts = [
            sum(1 for row in t.rows for _ in {id(c._tc) for c in row.cells})
            for t in docx.Document(io.BytesIO(content)).tables
        ]
    # score sheet + signatures, scores table, findings table + signatures, follow-up + signatures
    assert len(counts) == 7
    dims = len(build_sheet(_load(taitung)).dimensions)
    assert counts[2] == 2 + 3 * dims + 1
    assert counts[3] == 6 * (findings + 1)
    assert counts[4] == 8  # the summary's own chain: four roles
    assert counts[5] == 4 * (findings + 1)
    assert counts[6] == 10  # the follow-up's chain: five roles


@pytest.mark.parametrize("fmt", ["odt", "docx"])
def test_plan_table(sample, fmt):
    plan = plans_for_export().get(office=Office.objects.get(name="苗栗區營業處"))
    content = export_plan(plan, fmt=fmt).content
    doc = forms.plan_document(plan)
    [tree] = [b for b in doc["forms"][0]["blocks"] if b["kind"] == "table"]
    expected = sum(len(r) for r in tree["header"] + tree["rows"])
    if fmt == "odt":
        _, tables = _odt_tables(content)
        assert len(tables[0].getElementsByType(table.TableCell)) == expected
        body = squash(_odt_text(tables[0]))
    else:
        t = docx.Document(io.BytesIO(content)).tables[0]
        drawn = [
            tc
            for tc in t._tbl.iter(f"{W}tc")
            if (m := tc.find(f"{W}tcPr/{W}vMerge")) is None or m.get(f"{W}val") == "restart"
        ]
        assert len(drawn) == expected
        body = squash(" ".join(tc.xpath("string(.)") for tc in drawn))
    assert "業務組" in body and "1~12月" in body and "甲、持續推廣行動支付繳電費服務" in body


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is installed for the benchmark only")
@pytest.mark.parametrize("fmt", ["odt", "docx"])
def test_libreoffice_opens_them(taitung, fmt, tmp_path):
    source = tmp_path / f"forms.{fmt}"
    source.write_bytes(export_assessment(_load(taitung), fmt=fmt, form="all").content)
    subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    converted = squash(pdf_text((tmp_path / "forms.pdf").read_bytes()))
    assert "台東區營業處114年度1月至6月" in converted and "939" in converted
