import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from servplan.assessments.domain import add_evidence
from servplan.assessments.domain.evidence import MAX_EVIDENCE_BYTES
from servplan.assessments.models import Evidence
from servplan.core.errors import DomainError
from servplan.offices.models import Role
from tests.factories import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


def docx_bytes() -> bytes:
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


@pytest.fixture
def case(db, make):
    a = make.assessment()
    cell = a.cells.select_related("cell__dimension", "cell__item").first()
    return a, cell, make.user(office=a.office)


@pytest.mark.parametrize(
    ("name", "content"), [("報告.pdf", PDF), ("照片.PNG", PNG), ("說明.docx", None)]
)
def test_accepted_files_are_stored_under_media_root(case, name, content):
    a, cell, clerk = case
    evidence = add_evidence(
        cell_score=cell, user=clerk, upload=SimpleUploadedFile(name, content or docx_bytes())
    )
    path = evidence.file.path
    assert path.startswith(str(settings.MEDIA_ROOT)) and name not in path
    assert evidence.name == name


@pytest.mark.parametrize(
    ("name", "content"),
    [("假的.pdf", b"MZ\x90\x00 not a pdf"), ("script.html", b"<script>x</script>"), ("a.pdf", PNG)],
)
def test_content_must_match_an_accepted_kind(case, name, content):
    _, cell, clerk = case
    with pytest.raises(DomainError, match=f"構面1／項目1：檔案「{name}」不是可接受的格式"):
        add_evidence(cell_score=cell, user=clerk, upload=SimpleUploadedFile(name, content))


def test_size_limit(case):
    _, cell, clerk = case
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_EVIDENCE_BYTES)
    with pytest.raises(DomainError, match="超過 20 MB 上限"):
        add_evidence(cell_score=cell, user=clerk, upload=big)


def test_download_follows_the_assessment_access_rule(case, make, client):
    a, cell, clerk = case
    evidence = add_evidence(cell_score=cell, user=clerk, upload=SimpleUploadedFile("r.pdf", PDF))
    url = reverse("assessment-evidence", args=[a.pk, evidence.pk])
    assert client.get(url).status_code == 302  # to the login page
    director = make.user(office=a.office, role=Role.DIRECTOR)
    client.login(username=director.username, password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    client.logout()
    for outsider in (make.user(office=make.office()), make.user(role=Role.HQ_REVIEWER)):
        client.login(username=outsider.username, password=PASSWORD)
        assert client.get(url).status_code == 404


def test_upload_and_delete_through_the_page(case, client):
    a, cell, clerk = case
    client.login(username=clerk.username, password=PASSWORD)
    client.post(
        reverse("assessment-evidence-upload", args=[a.pk, cell.pk]),
        {"file": SimpleUploadedFile("r.pdf", PDF)},
    )
    evidence = Evidence.objects.get(cell_score=cell)
    assert "r.pdf" in client.get(reverse("assessment-detail", args=[a.pk])).text
    client.post(reverse("assessment-evidence-delete", args=[a.pk, evidence.pk]))
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_copying_the_previous_period_copies_its_evidence(case, make):
    from servplan.assessments.domain import create_assessment
    from servplan.core.roc import Period

    a, cell, clerk = case
    add_evidence(cell_score=cell, user=clerk, upload=SimpleUploadedFile("r.pdf", PDF))
    new = create_assessment(
        office=a.office, rubric=a.rubric, period=Period(114, 7, 12), user=clerk, copy_from=a
    )
    [copy] = Evidence.objects.filter(cell_score__assessment=new)
    assert copy.name == "r.pdf" and copy.file.read() == PDF


@pytest.mark.parametrize("stem", ["報" * 250, "a" * 300])
def test_a_long_file_name_is_shortened_keeping_its_extension(case, stem):
    _, cell, clerk = case
    evidence = add_evidence(
        cell_score=cell, user=clerk, upload=SimpleUploadedFile(stem + ".pdf", PDF)
    )
    evidence.refresh_from_db()
    assert len(evidence.name) == 200
    assert evidence.name == stem[:195] + "….pdf"
    assert evidence.file.name.endswith(".pdf")


def test_a_name_that_fits_is_kept_whole(case):
    _, cell, clerk = case
    name = "報" * 196 + ".pdf"
    evidence = add_evidence(cell_score=cell, user=clerk, upload=SimpleUploadedFile(name, PDF))
    assert evidence.name == name


def test_the_same_file_is_not_attached_twice(case):
    from servplan.assessments.domain import AlreadyAttached

    a, cell, clerk = case
    first = add_evidence(cell_score=cell, user=clerk, upload=SimpleUploadedFile("r.pdf", PDF))
    with pytest.raises(AlreadyAttached, match="此檔案已附於本格（「r.pdf」）") as refused:
        add_evidence(cell_score=cell, user=clerk, upload=SimpleUploadedFile("改名.pdf", PDF))
    assert refused.value.evidence == first
    assert Evidence.objects.filter(cell_score=cell).count() == 1
    other = a.cells.exclude(pk=cell.pk).first()
    add_evidence(cell_score=other, user=clerk, upload=SimpleUploadedFile("r.pdf", PDF))
    add_evidence(cell_score=cell, user=clerk, upload=SimpleUploadedFile("r2.pdf", PDF + b" "))
    assert Evidence.objects.count() == 3


def test_uploading_a_file_again_on_the_page_says_it_is_there(case, client):
    a, cell, clerk = case
    client.login(username=clerk.username, password=PASSWORD)
    url = reverse("assessment-evidence-upload", args=[a.pk, cell.pk])
    for _ in range(3):
        response = client.post(url, {"file": SimpleUploadedFile("r.pdf", PDF)}, follow=True)
    assert "此檔案已附於本格" in response.text
    assert Evidence.objects.filter(cell_score=cell).count() == 1


def test_deleting_asks_first(case, client):
    """✕ opens a confirmation (a <details>, no script); only its button deletes."""
    import re

    a, cell, clerk = case
    evidence = add_evidence(cell_score=cell, user=clerk, upload=SimpleUploadedFile("r.pdf", PDF))
    client.login(username=clerk.username, password=PASSWORD)
    html = client.get(reverse("assessment-detail", args=[a.pk])).text
    delete_url = reverse("assessment-evidence-delete", args=[a.pk, evidence.pk])
    [block] = [
        b
        for b in re.findall(r"<details[^>]*>(?:(?!</details>).)*</details>", html, re.S)
        if delete_url in b
    ]
    assert "<summary" in block and delete_url in block and "確定刪除「r.pdf」" in block
    assert html.count(delete_url) == 1  # no delete button outside the confirmation


def test_copied_evidence_keeps_its_digest(case, make):
    from servplan.assessments.domain import create_assessment
    from servplan.core.roc import Period

    a, cell, clerk = case
    first = add_evidence(cell_score=cell, user=clerk, upload=SimpleUploadedFile("r.pdf", PDF))
    new = create_assessment(
        office=a.office, rubric=a.rubric, period=Period(114, 7, 12), user=clerk, copy_from=a
    )
    [copy] = Evidence.objects.filter(cell_score__assessment=new)
    assert copy.sha256 == first.sha256 and len(first.sha256) == 64


def test_the_migration_digests_files_attached_before(case):
    import importlib

    from django.apps import apps

    _, cell, clerk = case
    evidence = add_evidence(cell_score=cell, user=clerk, upload=SimpleUploadedFile("r.pdf", PDF))
    digest = evidence.sha256
    Evidence.objects.filter(pk=evidence.pk).update(sha256="")
    migration = importlib.import_module("servplan.assessments.migrations.0004_evidence_sha256")
    migration.digest_stored_files(apps, None)
    evidence.refresh_from_db()
    assert evidence.sha256 == digest
