"""Request bodies are refused by their declared size before any of them is read."""

import pytest
from django.urls import reverse

from servplan.core.middleware import UPLOAD_SLACK, body_limit

HUGE = str(10 * 1024 * 1024 * 1024)  # 10 GB declared; the test client holds one byte


def post_declaring(client, path, length, **extra):
    # The test client's payload refuses to be read past the one byte it has: if anything
    # read the body, the request would fail with an AssertionError instead of answering.
    return client.generic(
        "POST",
        path,
        b"x",
        content_type="multipart/form-data; boundary=b",
        CONTENT_LENGTH=length,
        **extra,
    )


@pytest.fixture
def clerk(db, make, as_user):
    office = make.office()
    assessment = make.assessment(office=office, rubric_=make.rubric())
    return as_user(make.user(office=office)), assessment


def test_a_huge_evidence_upload_is_refused_unread(clerk):
    client, assessment = clerk
    cell = assessment.cells.first()
    url = reverse("assessment-evidence-upload", args=[assessment.pk, cell.pk])
    response = post_declaring(client, url, HUGE)
    assert response.status_code == 413
    assert "上傳內容過大，上限為 25 MB" in response.text


def test_a_huge_import_is_refused_unread(clerk):
    client, _ = clerk
    assert post_declaring(client, reverse("import-upload"), HUGE).status_code == 413


def test_the_api_says_it_in_json(db):
    from django.test import Client

    response = post_declaring(Client(), "/api/imports/", HUGE)
    assert response.status_code == 413
    assert response.json() == {"detail": "上傳內容過大，上限為 25 MB"}


def test_other_routes_take_only_a_small_body(db, client, settings):
    response = post_declaring(
        client, reverse("login"), str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    )
    assert response.status_code == 413
    assert post_declaring(client, "/no/such/page/", HUGE).status_code == 413


def test_a_body_within_the_limit_goes_through(db, client):
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 200


def test_a_chunked_body_without_a_length_is_refused(db, client):
    response = client.generic(
        "POST", reverse("login"), b"", content_type="text/plain", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411


def test_a_length_that_is_no_number_is_refused(db, client):
    assert post_declaring(client, reverse("login"), "lots").status_code == 400


def test_upload_routes_accept_their_file_limit_and_the_form_around_it():
    from servplan.assessments.domain.evidence import MAX_EVIDENCE_BYTES
    from servplan.imports.readers.base import MAX_FILE_BYTES

    assert body_limit("/assessments/1/cells/2/evidence/") == MAX_EVIDENCE_BYTES + UPLOAD_SLACK
    assert body_limit("/api/imports/") == MAX_FILE_BYTES + UPLOAD_SLACK
