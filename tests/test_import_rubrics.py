"""Imports don't litter the rubric list: a form on HQ's rubric of its year uses it (names compared
without numbering, spaces and full-width forms); only a real difference makes an office's own
rubric, which the check says plainly and only HQ may accept."""

import pytest

from servplan.assessments.domain import NotAllowed
from servplan.assessments.models import Assessment
from servplan.imports.domain import check_file, import_file
from servplan.offices.models import Office, Role
from servplan.programs.models import Rubric
from tests.imports.forms import WRITERS, Cell, Dimension, Sheet, small_sheet

pytestmark = pytest.mark.django_db

HQ_114 = [
    ("創新性", [100, 100, 100]),
    ("效益及影響", [140, 130, 130]),
    ("可持續性", [50, 50, 50]),
    ("擴散應用", [50, 50, 50]),
]
# How offices number and space the same items.
ITEMS = [
    ["一、提供在地化及客製化關懷服務", "二、法規及流程簡化", "三、公私協力"],
    ["（一）提供在地化及 客製化關懷服務", "（二）法規及流程簡化", "（三）公私協力"],
    ["１. 提供在地化及客製化關懷服務", "２. 法規及流程 簡化", "３. 公 私 協 力"],
]


def form_114(office: str, *, period="114 年度 7 月至 12 月", items=ITEMS[0], maxima=HQ_114):
    return Sheet(
        office=office,
        period=period,
        total_max=sum(sum(m) for _, m in maxima),
        dimensions=[
            Dimension(name, sum(m), [Cell(i, mx, mx - 5) for i, mx in zip(items, m, strict=True)])
            for name, m in maxima
        ],
    )


def imported(sheet, suffix=".docx", **kwargs):
    data = sheet if isinstance(sheet, bytes) else WRITERS[suffix](sheet.blocks())
    entry, _, result = import_file(filename=f"form{suffix}", data=data, **kwargs)
    return Assessment.objects.get(pk=entry.assessment_id), result


def test_forms_of_several_offices_numbered_their_own_way_use_hqs_rubric(shipped):
    hq = Rubric.objects.get(roc_year=114)
    rubrics = Rubric.objects.count()
    for office, items, suffix in zip(
        ["苗栗區營業處", "新竹區營業處", "澎湖區營業處"],
        ITEMS,
        [".docx", ".xlsx", ".odt"],
        strict=True,
    ):
        assessment, result = imported(form_114(office, items=items), suffix)
        assert assessment.rubric == hq and result.match.status == "existing"
        assert result.rubric_report == f"評分表：沿用系統中的「{hq}」"
        # Stored under HQ's names, not as the office wrote them.
        names = {(c.cell.dimension.name, c.cell.item.name, c.score) for c in assessment.cells.all()}
        assert names == {
            (dimension, item, maximum - 5)
            for dimension, maxima in HQ_114
            for item, maximum in zip(
                ["提供在地化及客製化關懷服務", "法規及流程簡化", "公私協力"], maxima, strict=True
            )
        }
    assert Rubric.objects.count() == rubrics


def test_the_same_form_twice_and_for_another_period_makes_no_second_rubric(shipped):
    form = WRITERS[".docx"](small_sheet().blocks())  # 苗栗 113: the system has no 113 rubric
    rubrics = Rubric.objects.count()
    first, result = imported(form)
    assert result.match.status == "new"
    assert "系統中沒有 113 年度評分表，匯入會建立" in result.rubric_report
    # The year's rubric, not one named after the office.
    assert first.rubric.office is None and "苗栗" not in first.rubric.title
    again, _ = imported(form)  # the same file: the earlier import
    assert again == first
    later, result = imported(small_sheet(period="113 年度 1 月至 6 月"), ".txt")
    assert later.rubric == first.rubric and result.match.status == "existing"
    other, _ = imported(small_sheet(office="新竹區營業處"), ".ods")
    assert other.rubric == first.rubric
    assert Rubric.objects.count() == rubrics + 1


def test_a_real_difference_makes_the_offices_own_rubric_and_says_how(shipped):
    changed = [("創新性", [100, 100, 90]), *HQ_114[1:]]
    sheet = form_114("台東區營業處", maxima=changed)
    result = check_file(filename="form.docx", data=WRITERS[".docx"](sheet.blocks()))
    assert result.errors == [] and result.rubric is None
    assert result.match.status == "new-office"
    assert result.match.differences == [
        "「創新性」配分：評分表 300 分，文件 290 分",
        "「創新性／公私協力」配分：評分表 100 分，文件 90 分",
        "總分：評分表 1000 分，文件 990 分",
    ]
    assert "台東區營業處專用的評分表" in result.rubric_report
    assert "只有總處業務處可以接受" in result.rubric_report
    assert result.as_dict()["rubric"]["status"] == "new-office"

    rubrics = Rubric.objects.count()
    assessment, _ = imported(sheet)
    own = assessment.rubric
    assert own.office.name == "台東區營業處" and own.title.endswith("（台東區營業處）")
    # The same office's next form on it reuses it; another office's same form doesn't get it.
    again, result = imported(
        form_114("台東區營業處", period="114 年度 1 月至 6 月", maxima=changed)
    )
    assert again.rubric == own and result.match.status == "office"
    other, result = imported(form_114("苗栗區營業處", maxima=changed))
    assert result.match.status == "new-office" and other.rubric != own
    assert Rubric.objects.count() == rubrics + 2


def test_only_hq_accepts_an_offices_own_rubric(shipped, make):
    office = Office.objects.get(name="台東區營業處")
    sheet = form_114(office.name, items=ITEMS[1])
    sheet.dimensions[0].cells.append(Cell("（四）數位服務", 10, 10))
    sheet.dimensions[0].max = 310
    sheet.total_max = 1010
    clerk = make.user(office=office)
    with pytest.raises(NotAllowed) as refused:
        imported(sheet, user=clerk)
    assert "與總處 114 年度評分表不同" in refused.value.message
    assert "文件的「創新性」多了評核項目「數位服務」" in refused.value.message
    assert "台東區營業處專用的評分表" in refused.value.message
    assert not Assessment.objects.exists()
    admin = make.user(role=Role.ADMIN)  # on HQ's side: may bring any office's form in
    assessment, result = imported(sheet, user=admin)
    assert assessment.rubric.office == office and result.match.status == "new-office"


def test_a_summary_on_its_own_names_the_rubric_it_needs(shipped):
    from tests.imports.forms import to_docx

    sheet = small_sheet()  # 113: no such rubric, and a summary states no item maxima
    blocks = [b for b in sheet.blocks() if not (b[0] == "table" and b[1][0][0] == "執行構面")]
    result = check_file(filename="summary.docx", data=to_docx(blocks))
    assert [i.code for i in result.errors] == ["rubric-unknown"]
    assert "請匯入含考核項目及評分表的文件" in result.errors[0].message
