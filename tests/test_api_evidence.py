"""The evidence API: a cell's files listed, uploaded, downloaded and removed, with the pages'
checks (content against name, size, the same file twice) and access rules."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servplan.assessments.models import Evidence
from servplan.offices.models import ApiToken, Role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def office_a(db, make):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=1))
    return a, make.staff(a.office), a.cells.get()


def headers(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def upload(client, a, cell, user, name="佐證.pdf", content=PDF):
    return client.post(
        f"/api/assessments/{a.pk}/cells/{cell.pk}/evidence/",
        {"file": SimpleUploadedFile(name, content)},
        **headers(user),
    )


def test_upload_list_download_delete(office_a, client):
    a, people, cell = office_a
    clerk = people[Role.CLERK]
    response = upload(client, a, cell, clerk)
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "佐證.pdf" and body["content_type"] == "application/pdf"
    assert body["size"] == len(PDF) and body["cell"] == cell.pk
    assert body["uploaded_by"] == clerk.username
    listed = client.get(f"/api/assessments/{a.pk}/cells/{cell.pk}/evidence/", **headers(clerk))
    assert listed.json() == {"items": [body], "count": 1, "next": None}
    download = client.get(body["url"], **headers(clerk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "sandbox"
    assert client.delete(body["url"], **headers(clerk)).status_code == 204
    assert not Evidence.objects.exists()
    assert client.get(body["url"], **headers(clerk)).status_code == 404


def test_the_same_file_again_is_409_naming_the_one_there(office_a, client):
    a, people, cell = office_a
    first = upload(client, a, cell, people[Role.CLERK]).json()
    response = upload(client, a, cell, people[Role.CLERK], name="另一個名字.pdf")
    assert response.status_code == 409
    assert response.json()["current"] == first
    assert Evidence.objects.count() == 1


def test_a_file_whose_content_is_not_its_name_is_400(office_a, client):
    a, people, cell = office_a
    response = upload(client, a, cell, people[Role.CLERK], name="照片.pdf", content=PNG)
    assert response.status_code == 400
    assert response.json()["where"] == "構面1／項目1"
    assert "不是可接受的格式" in response.json()["detail"]


def test_no_file_is_400_naming_the_field(office_a, client):
    a, people, cell = office_a
    response = client.post(
        f"/api/assessments/{a.pk}/cells/{cell.pk}/evidence/", {}, **headers(people[Role.CLERK])
    )
    assert response.status_code == 400 and response.json()["where"] == "file"


def test_a_file_over_the_limit_is_413(office_a, client, monkeypatch):
    monkeypatch.setattr("servplan.assessments.domain.evidence.MAX_EVIDENCE_BYTES", len(PDF) - 1)
    a, people, cell = office_a
    response = upload(client, a, cell, people[Role.CLERK])
    assert response.status_code == 413 and "上限" in response.json()["detail"]
    assert not Evidence.objects.exists()


def test_who_may_upload_and_download(office_a, client, make):
    """Own-office clerk uploads; the same office's manager sees but may not (403); another
    office's clerk and HQ (a draft) get 404 for the cell and for the file."""
    a, people, cell = office_a
    url = upload(client, a, cell, people[Role.CLERK]).json()["url"]
    manager, outsider = people[Role.MANAGER], make.user(office=make.office())
    hq = make.user(role=Role.HQ_REVIEWER)
    assert upload(client, a, cell, manager, content=PNG, name="a.png").status_code == 403
    assert client.get(url, **headers(manager)).status_code == 200
    assert client.delete(url, **headers(manager)).status_code == 403
    for user in (outsider, hq):
        assert upload(client, a, cell, user, content=PNG, name="a.png").status_code == 404
        assert client.get(url, **headers(user)).status_code == 404
        assert client.delete(url, **headers(user)).status_code == 404
    assert Evidence.objects.count() == 1


def test_a_submitted_record_keeps_its_files(make, client, db):
    a = make.assessment(rubric_=make.rubric(dimensions=1, items=1))
    clerk = make.user(office=a.office)
    cell = a.cells.get()
    url = upload(client, a, cell, clerk).json()["url"]
    make.submitted(a)
    assert client.delete(url, **headers(clerk)).status_code == 409
    assert upload(client, a, cell, clerk, content=PNG, name="a.png").status_code == 409
    hq = make.user(role=Role.HQ_REVIEWER)
    assert client.get(url, **headers(hq)).status_code == 200
    listed = client.get(f"/api/assessments/{a.pk}/cells/{cell.pk}/evidence/", **headers(hq))
    assert listed.json()["count"] == 1


def test_a_file_of_another_assessment_is_404(office_a, client, make):
    a, people, cell = office_a
    url = upload(client, a, cell, people[Role.CLERK]).json()["url"]
    other = make.assessment(office=a.office, period=(114, 7, 12))
    wrong = url.replace(f"/assessments/{a.pk}/", f"/assessments/{other.pk}/")
    assert client.get(wrong, **headers(people[Role.CLERK])).status_code == 404
