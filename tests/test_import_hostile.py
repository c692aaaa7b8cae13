"""Damaged, empty, oversized and zip-bomb files: a clear error within seconds, nothing stored."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servplan.assessments.models import Assessment
from servplan.imports.checks import check_document
from servplan.imports.domain import ImportRefused, check_file, import_file
from servplan.imports.models import ImportRecord
from servplan.imports.readers.base import UnreadableFile
from servplan.imports.reading import read_document
from servplan.programs.models import Rubric
from tests.imports import hostile
from tests.imports.forms import FONTS, WRITERS, small_sheet

FORMATS = list(WRITERS)


def refused(name: str, data: bytes) -> str:
    """Import `data`: it must be refused as unreadable, with nothing stored (the sandbox's own
    deadline bounds how long that may take)."""
    before = (Assessment.objects.count(), Rubric.objects.count(), ImportRecord.objects.count())
    with pytest.raises(ImportRefused) as refusal:
        import_file(filename=name, data=data)
    [issue] = refusal.value.result.issues
    assert issue.code == "unreadable"
    after = (Assessment.objects.count(), Rubric.objects.count(), ImportRecord.objects.count())
    assert after == before
    return issue.message


@pytest.mark.parametrize("suffix", FORMATS)
def test_zero_byte_file(shipped, suffix):
    assert "0 位元組" in refused(f"empty{suffix}", b"")


@pytest.mark.parametrize("suffix", FORMATS)
def test_corrupted_file(shipped, suffix):
    good = WRITERS[suffix](small_sheet().blocks())
    # Keep the head (zip signature, %PDF-) and break everything after it.
    damaged = good[:40] + bytes(range(256)) * 8
    assert "損毀" in refused(f"damaged{suffix}", damaged) or suffix == ".txt"


@pytest.mark.parametrize("suffix", [".docx", ".odt", ".xlsx", ".ods"])
def test_truncated_office_file(shipped, suffix):
    good = WRITERS[suffix](small_sheet().blocks())
    assert "損毀" in refused(f"cut{suffix}", good[: len(good) // 2])


def test_a_file_that_is_not_what_its_name_says(shipped):
    assert "損毀" in refused("form.docx", WRITERS[".pdf"](small_sheet().blocks()))
    assert "不是 PDF" in refused("form.pdf", WRITERS[".docx"](small_sheet().blocks()))


def _bomb(members: dict[str, int]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, size in members.items():
            with archive.open(name, "w") as member:
                chunk = b"\0" * (1024 * 1024)
                for _ in range(size // len(chunk)):
                    member.write(chunk)
    return out.getvalue()


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".odt", ".ods"])
def test_zip_bomb_is_refused_before_parsing(shipped, suffix):
    data = _bomb({"[Content_Types].xml": 0, "word/document.xml": 64 * 1024 * 1024})
    assert len(data) < 1024 * 1024
    assert "壓縮炸彈" in refused(f"bomb{suffix}", data)


def test_zip_of_many_moderate_members_is_refused(shipped):
    data = _bomb({f"xl/worksheets/sheet{n}.xml": 2 * 1024 * 1024 for n in range(60)})
    assert "壓縮炸彈" in refused("many.xlsx", data)


@pytest.mark.parametrize("suffix", [".txt", ".pdf", ".docx"])
def test_fifty_megabyte_file(shipped, suffix):
    assert "檔案過大" in refused(f"huge{suffix}", b"%PDF-" + b"a" * (50 * 1024 * 1024))


def test_scanned_pdf_without_text(shipped):
    import typst

    data = typst.compile(
        b"#rect(width: 5cm, height: 3cm, fill: gray)",
        font_paths=[FONTS],
        ignore_system_fonts=True,
        format="pdf",
    )
    assert "沒有文字" in refused("scan.pdf", data)


def test_unsupported_extension(shipped):
    assert "不支援" in refused("form.doc", b"\xd0\xcf\x11\xe0")


def test_check_never_writes(shipped):
    before = ImportRecord.objects.count(), Rubric.objects.count()
    result = check_file(filename="f.xlsx", data=WRITERS[".xlsx"](small_sheet().blocks()))
    assert result.errors == []
    assert (ImportRecord.objects.count(), Rubric.objects.count()) == before


PIECES = st.sampled_from(
    [
        "台東區營業處 114 年度 1 月至 6 月提升服務效能執行計畫考核項目及評分表",
        "苗栗區營業處 112 年度提升服務效能執行計畫",
        "0 年度 13 月至 0 月執行計畫",
        "執行構面",
        "評核項目",
        "評分重點",
        "自評",
        "考核項目",
        "分數",
        "優點",
        "建議改善事項",
        "改善辦理情形",
        "面向",
        "執行策略",
        "具體作法",
        "承辦部門",
        "執行期間",
        "總分：",
        "總分（滿分 1000 分）",
        "小計",
        "創新性 (300 分)",
        "一、公私協力 (100 分)",
        "(1)",
        "1.",
        "-",
        "無",
        "95",
        "-5",
        "94.3",
        "1e400",
        "NaN",
        "99999999999999999999999999999",
        "(99999999999999 分)",
        "<p>",
        "</p>",
        "<ol><li>",
        "</li></ol>",
        "<ul>",
        "<b>",
        "&amp;",
        "\t",
        "\t",
        "\n",
        "\n",
        " ",
        "考核日期：114 年 2 月 30 日",
        "112 年 3 月 21 日陳准實施",
        "壹、計畫依據",
        "參、實施對象：",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(PIECES, max_size=80).map(lambda p: "".join(p).encode()), st.binary()))
def test_the_text_reader_raises_only_its_own_error(data):
    try:
        doc = read_document("fuzz.txt", data)
    except UnreadableFile as exc:
        assert exc.reason
        return
    for issue in check_document(doc):
        assert issue.message


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_the_text_reader_on_any_text(text):
    try:
        read_document("fuzz.txt", text.encode("utf-8", "surrogatepass"))
    except UnreadableFile as exc:
        assert exc.reason


# Small files that expand (tests/imports/hostile.py): each is refused, or read, by the readers'
# own limits (imports/readers/base.py), without running into the sandbox's.


def test_a_text_line_of_tens_of_thousands_of_spaces(shipped):
    data = hostile.spaces_txt()
    assert len(data) < 300_000
    assert "找不到評分表" in refused("spaces.txt", data)


def test_an_odt_space_run_of_a_billion(shipped):
    data = hostile.odt_spaces()
    assert len(data) < 10_000 and b'text:c="1000000000"' in _member(data, "content.xml")
    result = check_file(filename="spaces.odt", data=data)
    assert result.errors == []
    assert result.doc.cells[0].narrative.endswith("2. 延長 服務時間。")


def test_an_xlsx_cell_at_the_last_row_and_column(shipped):
    data = hostile.far_xlsx()
    assert len(data) < 10_000
    assert "超過 50,000 列" in refused("far.xlsx", data)


def test_an_xlsx_row_tens_of_thousands_of_columns_wide(shipped):
    assert "超過 500 欄" in refused("wide.xlsx", hostile.xlsx(("A1", "執行構面"), ("XA1", "x")))


def test_an_xlsx_that_claims_the_whole_sheet_reads_what_it_holds(shipped):
    data = hostile.claiming_xlsx()
    assert b'ref="A1:XFD1048576"' in _member(data, "xl/worksheets/sheet1.xml")
    good = WRITERS[".xlsx"](small_sheet().blocks())
    assert check_file(filename="claims.xlsx", data=data).doc == read_document("f.xlsx", good)


def test_an_xlsx_merge_that_claims_the_whole_sheet_reads_what_it_holds(shipped):
    good = WRITERS[".xlsx"](small_sheet().blocks())
    data = hostile.merging_xlsx(["A1:XFD1048576", "B5:XFD1048576", "A3:A1048576"])
    # The same record (the cells shown beside it differ: a merge fills what it covers).
    read = check_file(filename="merges.xlsx", data=data).doc.as_dict(office="", rubric={})
    assert read == read_document("f.xlsx", good).as_dict(office="", rubric={})


def test_an_xlsx_of_twenty_thousand_merged_ranges(shipped):
    data = hostile.many_merges_xlsx()
    assert len(data) < 500_000
    assert "合併儲存格超過 10,000 個的上限" in refused("merges.xlsx", data)


def test_an_ods_of_repeated_rows_and_columns(shipped):
    data = hostile.repeated_ods()
    assert len(data) < 20_000
    assert "儲存格超過 200,000 格" in refused("repeat.ods", data)


def test_a_docx_of_tens_of_megabytes_of_xml_under_the_zip_limits(shipped):
    data = hostile.big_docx()
    member = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    assert member.file_size > 24 * 1024 * 1024
    assert member.file_size / member.compress_size < 200 and len(data) < 10 * 1024 * 1024
    assert "超過單一成員 10 MB 的上限" in refused("big.docx", data)


def test_a_docx_table_cell_spanning_a_hundred_thousand_columns(shipped):
    assert "超過 500 欄" in refused("span.docx", hostile.wide_docx())


def test_a_docx_cell_merged_down_thousands_of_rows_reads_in_linear_time(shipped):
    # Read whole: python-docx's own walk up the merge recursed past Python's limit.
    assert "找不到評分表" in refused("merged.docx", hostile.merged_docx())


def test_a_docx_nested_deeper_than_the_xml_parser_allows(shipped):
    assert "損毀" in refused("deep.docx", hostile.nested_docx())


def test_a_tagged_pdf_whose_structure_loops_reads_by_its_pages(shipped):
    # Each element is visited once; a tree without a table leaves the page geometry to read.
    result = check_file(filename="loop.pdf", data=hostile.tagged_pdf("loop"))
    assert result.errors == [] and len(result.doc.cells) == 4


def test_a_tagged_pdf_nested_thousands_deep(shipped):
    assert "結構標記層數過多" in refused("deep.pdf", hostile.tagged_pdf("deep"))


def test_tagged_pdf_cells_spanning_a_million_rows_and_columns(shipped):
    # Spans are charged to the budget before they are laid out.
    assert "檔案內容過多" in refused("span.pdf", hostile.tagged_pdf("span"))


def _member(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)
