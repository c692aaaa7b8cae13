"""Upload → preview → confirm or cancel, in the browser's pages."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from servplan.assessments.models import Assessment
from servplan.imports.domain import import_file
from servplan.imports.models import ImportRecord, PendingUpload
from servplan.offices.domain import find_office
from servplan.offices.models import Role
from tests.imports.forms import small_sheet, to_docx, to_txt

SEED = (Path(__file__).parent / "imports" / "fixtures" / "seed-000.txt").read_bytes()
UPLOAD = reverse("import-upload")


@pytest.fixture
def taitung_office(shipped):
    return find_office("台東")


def login(client, make, *, role=Role.CLERK, office=None):
    user = make.user(role=role, office=office)
    client.force_login(user)
    return user


def post_file(client, name, data, **extra):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), **extra})


def test_upload_preview_confirm(client, make, taitung_office):
    login(client, make, office=taitung_office)
    response = post_file(client, "seed.txt", SEED)
    assert response.status_code == 302
    upload = PendingUpload.objects.get()
    assert response.url == reverse("import-preview", args=[upload.pk])
    assert Assessment.objects.count() == 0

    page = client.get(response.url).content.decode()
    assert "台東區營業處 114 年度 1 月至 6 月 自行考核" in page
    assert "沒有錯誤，有 1 項警告" in page
    # The duplicate is shown at both cells it names.
    assert page.count('class="issue-warning" data-cell="可持續性／') == 2
    assert "確認匯入" in page

    response = client.post(reverse("import-confirm", args=[upload.pk]))
    assessment = Assessment.objects.get()
    assert response.url == reverse("assessment-detail", args=[assessment.pk])
    assert PendingUpload.objects.count() == 0
    assert ImportRecord.objects.get().assessment == assessment


def test_cancel_stores_nothing(client, make, taitung_office):
    login(client, make, office=taitung_office)
    post_file(client, "seed.txt", SEED)
    upload = PendingUpload.objects.get()
    response = client.post(reverse("import-cancel", args=[upload.pk]))
    assert response.url == UPLOAD
    assert (PendingUpload.objects.count(), Assessment.objects.count()) == (0, 0)


def test_errors_are_shown_at_their_cells_and_nothing_is_kept(client, make, shipped):
    miaoli = find_office("苗栗")
    login(client, make, office=miaoli)
    sheet = small_sheet()
    sheet.dimensions[0].cells[1].score = 150
    response = post_file(client, "bad.docx", to_docx(sheet.blocks()))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="issue-error" data-cell="服務品質／數位服務"' in page
    assert "服務品質／數位服務：自評 150 分超過配分 100 分" in page
    assert "確認匯入" not in page
    assert PendingUpload.objects.count() == 0


def test_the_preview_says_which_rubric_and_refuses_the_clerk_a_rubric_of_the_offices_own(
    client, make, shipped
):
    miaoli = find_office("苗栗")
    login(client, make, office=miaoli)
    # 苗栗's own 114 form whose items carry other maxima than HQ's 114 rubric.
    sheet = small_sheet(period="114 年度 7 月至 12 月")
    response = post_file(client, "own.docx", to_docx(sheet.blocks()))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="rubric-match" data-status="new-office"' in page
    assert "與總處 114 年度評分表不同（文件沒有構面「創新性」" in page
    assert "苗栗區營業處專用的評分表" in page and "只有總處業務處可以接受" in page
    assert "確認匯入" not in page and PendingUpload.objects.count() == 0

    response = post_file(client, "seed.txt", SEED.replace("台東".encode(), "苗栗".encode()))
    page = client.get(response.url).content.decode()
    assert 'data-status="existing"' in page
    assert "評分表：沿用系統中的「114年度提升服務效能執行計畫考核項目及評分表」" in page
    # The follow-up table as read, beside the findings.
    assert "<h2>建議改善事項辦理情形表</h2>" in page
    assert "由先進同仁帶領強化循序各項業務訓練" in page


def test_unreadable_and_oversized_files(client, make, taitung_office, settings):
    login(client, make, office=taitung_office)
    response = post_file(client, "x.xlsx", b"garbage")
    assert response.status_code == 400 and "損毀" in response.content.decode()
    big = SimpleUploadedFile("big.txt", b"a" * (21 * 1024 * 1024))
    response = client.post(UPLOAD, {"file": big})
    assert response.status_code == 400 and "檔案過大" in response.content.decode()
    assert PendingUpload.objects.count() == 0


def test_a_form_of_another_office_is_refused(client, make, taitung_office):
    login(client, make, office=taitung_office)
    response = post_file(client, "miaoli.txt", to_txt(small_sheet().blocks()))
    assert response.status_code == 400
    assert "您只能匯入本處的文件" in response.content.decode()
    assert PendingUpload.objects.count() == 0


def test_same_office_other_role_may_import_outsiders_may_not_see_uploads(
    client, make, taitung_office
):
    login(client, make, office=taitung_office)
    post_file(client, "seed.txt", SEED)
    upload = PendingUpload.objects.get()
    # Another role of the same office imports its own uploads, but not the clerk's.
    login(client, make, role=Role.MANAGER, office=taitung_office)
    assert client.get(UPLOAD).status_code == 200
    assert client.get(reverse("import-preview", args=[upload.pk])).status_code == 404
    assert client.post(reverse("import-confirm", args=[upload.pk])).status_code == 404
    # An outsider (another office) neither.
    login(client, make, office=find_office("苗栗"))
    assert client.get(reverse("import-preview", args=[upload.pk])).status_code == 404
    # HQ reviewers don't import.
    login(client, make, role=Role.HQ_REVIEWER)
    assert client.get(UPLOAD).status_code == 403
    assert PendingUpload.objects.count() == 1


def test_anonymous_is_sent_to_login(client, shipped):
    assert client.get(UPLOAD).status_code == 302


@pytest.mark.parametrize("records", [1, 3])
def test_the_upload_page_lists_imports_in_fixed_queries(
    client, make, shipped, django_assert_num_queries, records
):
    miaoli = find_office("苗栗")
    for n in range(records):
        sheet = small_sheet(period=f"{110 + n} 年度 1 月至 6 月")
        import_file(filename=f"f{n}.txt", data=to_txt(sheet.blocks()))
    login(client, make, office=miaoli)
    with django_assert_num_queries(5):
        response = client.get(UPLOAD)
    assert response.content.decode().count("<td>f") == records


def confirm_upload_of(client, name, data, **extra):
    response = post_file(client, name, data, **extra)
    assert response.status_code == 302, response.content.decode()
    return client.post(reverse("import-confirm", args=[PendingUpload.objects.get().pk]))


def test_another_office_importing_the_same_bytes_gets_its_own_record(client, make, taitung_office):
    login(client, make, office=taitung_office)
    confirm_upload_of(client, "seed.txt", SEED)
    taitung_record = ImportRecord.objects.get()
    miaoli = find_office("苗栗")
    login(client, make, office=miaoli)
    response = confirm_upload_of(client, "seed.txt", SEED, office="苗栗")
    mine = Assessment.objects.get(office=miaoli)
    assert response.url == reverse("assessment-detail", args=[mine.pk])
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[-1] == "已匯入「seed.txt」" and "先前" not in "".join(messages)
    page = client.get(UPLOAD).content.decode()
    assert page.count("<td>seed.txt") == 1
    assert reverse("assessment-detail", args=[taitung_record.assessment_id]) not in page
    assert ImportRecord.objects.count() == 2


@pytest.mark.parametrize("role", [Role.SECTION_CHIEF, Role.DIRECTOR])
def test_other_roles_see_the_refusal_in_the_preview(client, make, taitung_office, role):
    login(client, make, role=role, office=taitung_office)
    response = post_file(client, "seed.txt", SEED)
    assert response.status_code == 400
    page = response.content.decode()
    assert "只有台東區營業處的經辦可以建立自行考核" in page and "確認匯入" not in page
    assert PendingUpload.objects.count() == 0 and Assessment.objects.count() == 0


def test_a_new_rubric_is_refused_in_the_preview_for_office_staff(client, make, shipped):
    login(client, make, office=find_office("苗栗"))
    response = post_file(client, "m.txt", to_txt(small_sheet().blocks()))
    assert response.status_code == 400
    page = response.content.decode()
    assert "評分表「113年度" in page and "只有總處業務處可以建立評分表" in page
    assert "確認匯入" not in page and PendingUpload.objects.count() == 0
    login(client, make, role=Role.ADMIN)
    response = confirm_upload_of(client, "m.txt", to_txt(small_sheet().blocks()))
    assert Assessment.objects.get(office__name="苗栗區營業處")


def test_confirming_applies_the_role_rule_again(client, make, taitung_office):
    from servplan.offices.models import Membership

    user = login(client, make, office=taitung_office)
    post_file(client, "seed.txt", SEED)
    Membership.objects.filter(user=user).update(role=Role.MANAGER)
    response = client.post(reverse("import-confirm", args=[PendingUpload.objects.get().pk]))
    assert response.status_code == 302 and Assessment.objects.count() == 0


LAYOUTS = Path(__file__).parent / "imports" / "layouts"


def test_the_preview_shows_each_row_beside_the_cells_it_was_read_from(client, make, shipped):
    login(client, make, role=Role.ADMIN)
    data = (LAYOUTS / "score-max-column.xlsx").read_bytes()
    response = post_file(client, "score.xlsx", data)
    page = client.get(response.url).content.decode()
    # 「９０」 as typed, beside the 90 read from it, where the clerk finds it in the workbook.
    assert "『評分表』工作表第 5 列『得分』欄（E 欄）</span> ９０" in page
    assert "『評分表』工作表第 5 列『評核項目』欄（B 欄）</span> 數位服務" in page
    # The wrong stated subtotal, beside the cell it stands in.
    assert "創新服務：文件所列小計 170 分（『評分表』工作表第 9 列『得分』欄（E 欄））" in page
    assert "『評分表』工作表第 9 列『得分』欄（E 欄）</span> 170" in page


def test_the_plan_preview_shows_each_practice_beside_its_cells(client, make, shipped):
    login(client, make, role=Role.ADMIN)
    data = (LAYOUTS / "plan-in-strategy-column.docx").read_bytes()
    page = client.get(post_file(client, "plan.docx", data).url).content.decode()
    assert "第 1 張表第 3 列『執行策略』欄</span> 2.提升服務及時性" in page
    assert (
        "第 1 張表第 3 列『具體作法』欄</span> (1)提升申辦案件的處理效率。(2)主動告知用戶處理情形。"
        in page
    )
    # (2) came from the same row as (1): that row's cells are shown once.
    assert page.count("(1)提升申辦案件的處理效率。(2)") == 1
    assert "同上（與上一個作法同一列：第 1 張表第 3 列）" in page
    # A merged cell stands at its first row only.
    assert page.count("『面向』欄</span> 一、基礎服務") == 1
