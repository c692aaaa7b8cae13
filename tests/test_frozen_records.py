"""What was signed stays signed: a submitted record shows what it showed then, byte for byte.

Improvements are shared across periods (an open one carries over to the next assessment), so
later follow-ups and next-period edits must not reach a submitted record; every signer's step
keeps the forms they approved; a reopen starts a new round.
"""

import hashlib
import re
import time

import pytest
from django.urls import reverse

from servplan.assessments.domain import (
    Conflict,
    add_follow_up,
    chain_state,
    create_assessment,
    decide,
    reopen_assessment,
    score_cell,
    submit_assessment,
    update_finding,
)
from servplan.assessments.models import Decision, FollowUp, SignOff, Status
from servplan.assessments.sheet import build_sheet, sheet_queryset
from servplan.core.roc import Period
from servplan.documents import forms
from servplan.documents.export import export_assessment
from servplan.offices.models import ApiToken, Role
from servplan.review.domain import mark_reviewed, review_cell
from tests.documents.helpers import pdf_text, squash


def _load(a):
    return sheet_queryset().get(pk=a.pk)


def _submit_all_the_way(a, people):
    submit_assessment(assessment=a, user=people[Role.CLERK])
    while (step := chain_state(a).current) is not None:
        decide(assessment=a, user=people[step[1]], decision="approve")
    a.refresh_from_db()
    assert a.status == Status.SUBMITTED


def _between(text: str, start: str, end: str = "</table>") -> str:
    found = re.search(re.escape(start) + ".*?" + re.escape(end), text, re.S)
    assert found, start
    return found.group(0)


def _what_it_shows(a, client) -> dict:
    """Every way out of the record: exports, content hash, the tables on its pages."""
    loaded = _load(a)
    detail = client.get(reverse("assessment-detail", args=[a.pk])).text
    follow_ups = client.get(reverse("assessment-follow-ups", args=[a.pk])).text
    return {
        "json": export_assessment(loaded, fmt="json").content,
        "hash": forms.content_hash(build_sheet(loaded)),
        "pdf": export_assessment(loaded, fmt="pdf").content,
        "odt": export_assessment(loaded, fmt="odt").content,
        "docx": export_assessment(loaded, fmt="docx").content,
        "summary": _between(detail, '<table class="findings'),
        "follow_ups": _between(follow_ups, '<table class="follow-ups'),
    }


@pytest.fixture
def people(taitung, make):
    return make.staff(taitung.office)


def test_next_period_edits_and_follow_ups_leave_the_submitted_record_as_it_was(
    taitung, people, as_user
):
    _submit_all_the_way(taitung, people)
    client = as_user(people[Role.MANAGER])
    before = _what_it_shows(taitung, client)
    clerk = people[Role.CLERK]
    later = create_assessment(
        office=taitung.office, rubric=taitung.rubric, period=Period(114, 7, 12), user=clerk
    )
    carried = (
        later.findings.filter(improvement__isnull=False)
        .select_related("cell__dimension", "cell__item", "improvement")
        .first()
    )
    assert carried is not None and carried.improvement.opened_in_id == taitung.pk
    update_finding(
        finding=carried, user=clerk, recommendation="下一期改寫的建議", improvement_status="done"
    )
    add_follow_up(
        improvement=carried.improvement,
        user=clerk,
        assessment=later,
        roc_year=114,
        quarter=3,
        progress="第三季的新進度",
    )
    after = _what_it_shows(taitung, client)
    for key in before:
        assert after[key] == before[key], key
    # the later record is where the changes show
    page = client.get(reverse("assessment-detail", args=[later.pk])).text
    shown = _between(page, '<table class="findings')
    assert "下一期改寫的建議" in shown and "第三季的新進度" in shown


@pytest.mark.parametrize("status", [Status.IN_SIGNOFF, Status.SUBMITTED, Status.REVIEWED])
def test_a_follow_up_through_a_record_past_the_draft_is_refused(taitung, people, status):
    submit_assessment(assessment=taitung, user=people[Role.CLERK])
    taitung.status = status
    taitung.save()
    improvement = taitung.findings.filter(improvement__isnull=False).first().improvement
    count = FollowUp.objects.count()
    for through in (taitung, None):  # None: the record that opened it
        with pytest.raises(Conflict, match="請先建立下一期自行考核"):
            add_follow_up(
                improvement=improvement,
                user=people[Role.CLERK],
                assessment=through,
                roc_year=114,
                quarter=3,
                progress="第三季的新進度",
            )
    assert FollowUp.objects.count() == count


def test_every_step_keeps_the_forms_and_hash_its_signer_approved(taitung, people, as_user, make):
    _submit_all_the_way(taitung, people)
    steps = list(SignOff.objects.filter(assessment=taitung).select_related("signed_copy"))
    assert [s.decision for s in steps] == ["submit"] + ["approve"] * (len(steps) - 1)
    digest = forms.content_hash(build_sheet(_load(taitung)))
    client = as_user(people[Role.CLERK])
    pdfs = []
    for s in steps:
        assert s.content_hash == digest  # nothing changed while it went up the chain
        kept = bytes(s.signed_copy.pdf)
        assert s.pdf_sha256 == hashlib.sha256(kept).hexdigest()
        response = client.get(reverse("assessment-signed-copy", args=[taitung.pk, s.pk]))
        assert response.status_code == 200 and response.content == kept
        pdfs.append(kept)
    assert len({hashlib.sha256(p).hexdigest() for p in pdfs}) == len(steps)  # one per signer
    # each copy has the signatures up to its step and none after it
    for i, pdf in enumerate(pdfs):
        text = squash(pdf_text(pdf))
        assert all(t.signer_name in text for t in steps[: i + 1])
        assert not any(t.signer_name in text for t in steps[i + 1 :])
    # the published PDF is the last signer's copy, also after HQ's review
    assert export_assessment(_load(taitung), fmt="pdf").content == pdfs[-1]
    hq = make.user(role=Role.HQ_REVIEWER)
    for cell in taitung.cells.select_related("cell__dimension", "cell__item"):
        review_cell(cell_score=cell, user=hq, score="1", comment="複評")
    mark_reviewed(assessment=taitung, user=hq)
    assert export_assessment(_load(taitung), fmt="pdf").content == pdfs[-1]
    # the history page and the API show each step's hash and its copy
    history = client.get(reverse("assessment-history", args=[taitung.pk])).text
    for s in steps:
        assert s.content_hash in history
        assert reverse("assessment-signed-copy", args=[taitung.pk, s.pk]) in history
    token = ApiToken.issue(people[Role.CLERK])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = client.get(f"/api/assessments/{taitung.pk}/", **auth).json()
    assert [s["content_hash"] for s in body["signoffs"]] == [digest] * len(steps)
    last = client.get(body["signoffs"][-1]["pdf"], **auth)
    assert last.status_code == 200 and last.content == pdfs[-1]


def test_a_new_round_after_a_return_is_told_apart_by_its_hash(taitung, people):
    submit_assessment(assessment=taitung, user=people[Role.CLERK])
    first = SignOff.objects.get(assessment=taitung, decision=Decision.SUBMIT)
    step = chain_state(taitung).current
    decide(assessment=taitung, user=people[step[1]], decision="return", comment="請補充")
    cell = taitung.cells.select_related("cell__dimension", "cell__item").first()
    score_cell(cell_score=cell, narrative=cell.narrative + "\n補充說明。", user=people[Role.CLERK])
    submit_assessment(assessment=taitung, user=people[Role.CLERK])
    second = SignOff.objects.filter(assessment=taitung, decision=Decision.SUBMIT).last()
    assert first.content_hash and second.content_hash and first.content_hash != second.content_hash
    assert first.pdf_sha256 != second.pdf_sha256


def test_a_reopen_starts_a_new_round_and_shows_why(taitung, people, as_user, make):
    for user in people.values():
        user.first_name = f"簽{user.pk}"
        user.save()
    _submit_all_the_way(taitung, people)
    signers = [s.user.get_full_name() for s in SignOff.objects.filter(assessment=taitung)]
    before = squash(pdf_text(export_assessment(_load(taitung), fmt="pdf").content))
    assert all(name in before for name in signers)
    hq = make.user(role=Role.HQ_REVIEWER)
    reopen_assessment(assessment=taitung, user=hq, reason="第二項佐證需補正")
    taitung.refresh_from_db()
    assert taitung.status == Status.DRAFT and chain_state(taitung).round == []
    text = squash(pdf_text(export_assessment(_load(taitung), fmt="pdf").content))
    assert not any(name in text for name in signers) and "草稿" in text
    page = as_user(people[Role.CLERK]).get(reverse("assessment-detail", args=[taitung.pk])).text
    chain = _between(page, '<section class="signoff"', "</section>")
    assert not any(name in chain for name in signers)
    assert "核可" not in _between(chain, '<ol class="chain">', "</ol>")
    assert f"{hq.username} 於" in chain and "重新開啟為草稿：第二項佐證需補正" in chain
    token = ApiToken.issue(people[Role.CLERK])
    body = as_user(people[Role.CLERK]).get(
        f"/api/assessments/{taitung.pk}/", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert body.json()["reopened"]["reason"] == "第二項佐證需補正"
    assert body.json()["reopened"]["by"] == hq.username
    # the old round's copies stay, and the next submit starts the chain again at the clerk
    assert SignOff.objects.filter(assessment=taitung, signed_copy__isnull=False).count() == len(
        signers
    )
    submit_assessment(assessment=taitung, user=people[Role.CLERK])
    assert [s.role for s in chain_state(taitung).round] == ["clerk"]


def test_re_rendering_gives_the_same_bytes_later_in_a_fresh_process_and_after_review(
    taitung, people, make, monkeypatch
):
    from odf.element import Element

    _submit_all_the_way(taitung, people)
    Element.namespaces.clear()  # as in a worker process that has not rendered an ODT yet
    first = {
        fmt: export_assessment(_load(taitung), fmt=fmt).content for fmt in ("pdf", "odt", "docx")
    }
    real_localtime, real_time = time.localtime, time.time
    # an hour later, by the clock the ZIP writers read
    monkeypatch.setattr(
        time, "localtime", lambda secs=None: real_localtime((secs or real_time()) + 3600)
    )
    hq = make.user(role=Role.HQ_REVIEWER)
    for cell in taitung.cells.select_related("cell__dimension", "cell__item"):
        review_cell(cell_score=cell, user=hq, score="1", comment="複評")
    mark_reviewed(assessment=taitung, user=hq)
    again = {fmt: export_assessment(_load(taitung), fmt=fmt).content for fmt in first}
    assert [fmt for fmt in first if again[fmt] != first[fmt]] == []
