"""Putting an office's results of a period on the public site (政府資訊公開), and taking
them down. Plans are published by plans.publication; both write the search passages.

The public copy is frozen when it is published: the page's content as data, the three forms
as PDF and ODT, the data as CSV, ODS and JSON, each file with its SHA-256, and the record's
content hash (the one its PDF prints). The public site reads only those.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from servplan.assessments.access import can_review
from servplan.assessments.models import Assessment, Status
from servplan.assessments.sheet import build_sheet, sheet_queryset
from servplan.audit.domain import record
from servplan.core.errors import Conflict, DomainError, NotAllowed
from servplan.core.narrative import normalize
from servplan.public.models import ResultsDocument, ResultsFormat, ResultsPublication
from servplan.public.results import render_files, results_content
from servplan.review.models import ReviewRelease
from servplan.search.public import index, unindex

REASON_MAX = 500


def _locked(assessment: Assessment, user) -> Assessment:
    if user is not None and not can_review(user):
        raise NotAllowed("只有總處業務處可以公開或撤下考核結果", where="publication")
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("office")
        .get(pk=assessment.pk)
    )


def _release(assessment: Assessment) -> ReviewRelease | None:
    return ReviewRelease.objects.filter(
        roc_year=assessment.roc_year,
        start_month=assessment.start_month,
        end_month=assessment.end_month,
    ).first()


def live_publication(assessment: Assessment) -> ResultsPublication | None:
    """The assessment's publication that is up (taken down ones are kept, for the record)."""
    return ResultsPublication.objects.filter(
        assessment=assessment, unpublished_at__isnull=True
    ).first()


@transaction.atomic
def publish_results(*, assessment: Assessment, user) -> ResultsPublication:
    """Put a reviewed assessment of a released period on the public site.

    `user` None is the CLI or the demo (trusted); otherwise HQ (a reviewer or an admin).
    Refused (Conflict) unless the assessment is reviewed, HQ has released its period and it
    is not up already. Side effects: locks the assessment, renders the forms (PDF, ODT) and
    the data (CSV, ODS, JSON), stores them with their SHA-256, the page's content and the
    content hash in a ResultsPublication, writes its search passages, and records the
    publication with the files' digests in the audit trail. The assessment's status stays.
    """
    current = _locked(assessment, user)
    if current.status != Status.REVIEWED:
        raise Conflict(
            f"{current}：{current.get_status_display()}，只有完成複評的自行考核可以公開",
            where="status",
        )
    release = _release(current)
    if release is None:
        raise Conflict(f"{current.period} 的複評尚未公布，公布後才能公開考核結果", where="period")
    if live_publication(current) is not None:
        raise Conflict(f"{current} 的考核結果已公開", where="status")
    loaded = sheet_queryset().get(pk=current.pk)
    sheet = build_sheet(loaded)
    content = results_content(sheet, released_at=timezone.localtime(release.released_at))
    publication = ResultsPublication.objects.create(
        assessment=current,
        published_at=timezone.now(),
        published_by=user if user is not None and user.is_authenticated else None,
        content=content,
        content_hash=content["content_hash"],
    )
    digests = []
    for fmt, body in render_files(sheet, content).items():
        digest = hashlib.sha256(body).hexdigest()
        ResultsDocument.objects.create(
            publication=publication, format=fmt, content=body, sha256=digest, size=len(body)
        )
        digests.append(f"{ResultsFormat(fmt).label} sha256:{digest}")
    index(publication)
    record(
        user=user,
        obj=current,
        field="published",
        new=f"內容雜湊 sha256:{publication.content_hash}；" + "；".join(digests),
        assessment_id=current.pk,
    )
    return publication


@transaction.atomic
def unpublish_results(*, assessment: Assessment, user, reason: str) -> ResultsPublication:
    """Take an assessment's results off the public site, with the reason (required).

    Side effects: locks the assessment, sets the publication's unpublished_at, _by and
    reason (the row and its files stay, for the record), deletes its search passages, and
    records the reason in the audit trail.
    """
    current = _locked(assessment, user)
    publication = (
        ResultsPublication.objects.select_for_update()
        .filter(assessment=current, unpublished_at__isnull=True)
        .first()
    )
    if publication is None:
        raise Conflict(f"{current} 的考核結果尚未公開，無須撤下", where="status")
    text = normalize(reason or "").strip()
    if not text:
        raise DomainError("請說明撤下公開的理由", where="reason")
    if len(text) > REASON_MAX:
        raise DomainError(f"撤下理由過長（{len(text)} 字，上限 {REASON_MAX} 字）", where="reason")
    publication.unpublished_at = timezone.now()
    publication.unpublished_by = user if user is not None and user.is_authenticated else None
    publication.unpublish_reason = text
    publication.save(update_fields=["unpublished_at", "unpublished_by", "unpublish_reason"])
    unindex(publication)
    record(user=user, obj=current, field="unpublished", new=text, assessment_id=current.pk)
    return publication
