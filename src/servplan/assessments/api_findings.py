"""Findings, improvements, follow-ups and evidence: what the results summary, the follow-up
table and a cell's files do on the pages, through the same access helpers and domain
functions (assessments.access, assessments.domain).

Refusals as for the other assessment endpoints: 400 naming the field, 403, 404 for what the
user may not see, 409 for a stale version or a record past the draft; 413 for a file over
the limit. Lists answer {"items", "count", "next"}.
"""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from servplan.api_schemas import answers, binary, example, upload_example
from servplan.assessments import domain
from servplan.assessments.access import (
    get_assessment_for_user,
    get_cell_for_user,
    get_evidence_for_user,
    get_finding_for_user,
    get_improvement_for_user,
)
from servplan.assessments.api import json, refusals
from servplan.assessments.api_schemas import (
    EvidenceList,
    EvidenceOut,
    FindingList,
    FindingOut,
    FollowUpAdded,
    ImprovementList,
    ImprovementOut,
)
from servplan.assessments.domain.evidence import ALLOWED
from servplan.assessments.models import Assessment, Evidence, Finding, FollowUp
from servplan.assessments.views import evidence_file

router = Router(tags=["findings"])

# What a download can be: the types add_evidence stores (containers are stored by suffix).
DOWNLOAD_TYPES = sorted(
    {t for t in ALLOWED if t not in ("application/zip", "application/x-cfb")}
    | {"application/octet-stream"}
)


def _findings(assessment: Assessment, *, tracked_only: bool = False):
    """The assessment's rows with their improvements and follow-ups (a fixed number of queries)."""
    rows = (
        Finding.objects.filter(assessment=assessment)
        .select_related("cell__dimension", "cell__item", "improvement__opened_in")
        .prefetch_related(
            Prefetch("improvement__follow_ups", queryset=FollowUp.objects.select_related("author"))
        )
        .order_by("cell__dimension__position", "cell__item__position")
    )
    return rows.filter(improvement__isnull=False) if tracked_only else rows


def follow_up_dict(entry: FollowUp) -> dict:
    return {
        "id": entry.id,
        "roc_year": entry.roc_year,
        "quarter": entry.quarter,
        "recorded_on": entry.recorded_on.isoformat() if entry.recorded_on else None,
        "progress": entry.progress,
        "recommendation": entry.recommendation,
        "author": entry.author.get_username() if entry.author else None,
    }


def finding_dict(finding: Finding) -> dict:
    """A row as the results summary shows it: a submitted record's rows show what they showed
    when submitted (Finding.frozen), a draft's the live improvement."""
    improvement = finding.improvement
    return {
        "id": finding.id,
        "dimension": finding.cell.dimension.name,
        "item": finding.cell.item.name,
        "strengths": finding.strengths,
        "weaknesses": finding.weaknesses,
        "recommendation": finding.recommendation,
        "improvement": improvement.id if improvement else None,
        "improvement_status": finding.improvement_status or None,
        "progress": finding.progress,
        "remarks": finding.remarks,
        "version": finding.version,
    }


def improvement_dict(assessment: Assessment, finding: Finding) -> dict:
    """A row of the follow-up table: the improvement as this record shows it, its entries, and
    the version a new entry starts from."""
    improvement = finding.improvement
    opened_in = improvement.opened_in
    return {
        "id": improvement.id,
        "finding": finding.id,
        "dimension": finding.cell.dimension.name,
        "item": finding.cell.item.name,
        "recommendation": finding.recommendation,
        "status": finding.improvement_status,
        "remarks": finding.improvement_remarks,
        "opened_in": {"id": opened_in.id, **opened_in.period.as_dict()},
        "carried_over": opened_in.id != assessment.id,
        "follow_ups": [follow_up_dict(e) for e in finding.follow_up_entries],
        "version": improvement.version,
    }


def evidence_dict(evidence: Evidence) -> dict:
    assessment_id = evidence.cell_score.assessment_id
    return {
        "id": evidence.id,
        "cell": evidence.cell_score_id,
        "name": evidence.name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "uploaded_by": evidence.uploaded_by.get_username() if evidence.uploaded_by else None,
        "uploaded_at": evidence.uploaded_at.isoformat(),
        "url": reverse("api:download_evidence", args=[assessment_id, evidence.id]),
    }


def _page(items: list) -> dict:
    return {"items": items, "count": len(items), "next": None}


# ---- the results summary (自行考核結果彙整表) ------------------------------------------------


@router.get(
    "/assessments/{assessment_id}/findings/",
    response=answers({200: FindingList}, 400, 404),
    summary="The rows of the results summary",
)
def list_findings(request, assessment_id: int):
    assessment = get_assessment_for_user(request.user, assessment_id)
    return _page([finding_dict(f) for f in _findings(assessment)])


@router.get(
    "/assessments/{assessment_id}/findings/{finding_id}/",
    response=answers({200: FindingOut}, 400, 404),
    summary="One row of the results summary",
)
def get_finding(request, assessment_id: int, finding_id: int):
    finding = get_finding_for_user(request.user, assessment_id, finding_id)
    return finding_dict(_findings(finding.assessment).get(pk=finding.pk))


class FindingIn(Schema):
    """A field left out stays as it is; `version` is the row's, as the list gives it."""

    model_config = example(
        {
            "strengths": "1. 主動關懷弱勢用戶",
            "weaknesses": "",
            "recommendation": "加強同仁訓練",
            "improvement_status": "in_progress",
            "remarks": "",
            "version": 1,
        }
    )

    strengths: str | None = None
    weaknesses: str | None = None
    recommendation: str | None = Field(
        None, description='opens the row\'s improvement; "" lets go of it'
    )
    improvement_status: str | None = Field(None, description="open, in_progress or done")
    remarks: str | None = None
    version: int


@router.patch(
    "/assessments/{assessment_id}/findings/{finding_id}/",
    response=answers({200: FindingOut}, 400, 403, 404, 409),
    summary="Edit a row of the results summary (優點, 缺點, 建議改善事項, its status, 備註)",
)
@refusals
def patch_finding(request, assessment_id: int, finding_id: int, payload: FindingIn):
    finding = get_finding_for_user(request.user, assessment_id, finding_id)
    domain.update_finding(
        finding=finding,
        user=request.user,
        strengths=payload.strengths,
        weaknesses=payload.weaknesses,
        recommendation=payload.recommendation,
        # as the page's menu: no choice leaves the status as it is
        improvement_status=payload.improvement_status or None,
        remarks=payload.remarks,
        expected_version=payload.version,
    )
    return finding_dict(_findings(finding.assessment).get(pk=finding.pk))


# ---- the follow-up table (建議改善事項辦理情形表) ---------------------------------------------


@router.get(
    "/assessments/{assessment_id}/improvements/",
    response=answers({200: ImprovementList}, 400, 404),
    summary="The follow-up table: every tracked improvement with its quarterly entries",
)
def list_improvements(request, assessment_id: int):
    assessment = get_assessment_for_user(request.user, assessment_id)
    rows = _findings(assessment, tracked_only=True)
    return _page([improvement_dict(assessment, f) for f in rows])


@router.get(
    "/assessments/{assessment_id}/improvements/{improvement_id}/",
    response=answers({200: ImprovementOut}, 400, 404),
    summary="One improvement of the follow-up table",
)
def get_improvement(request, assessment_id: int, improvement_id: int):
    assessment = get_assessment_for_user(request.user, assessment_id)
    improvement = get_improvement_for_user(request.user, assessment, improvement_id)
    finding = _findings(assessment).filter(improvement=improvement).first()
    return improvement_dict(assessment, finding)


class FollowUpIn(Schema):
    model_config = example(
        {
            "roc_year": 114,
            "quarter": 3,
            "progress": "已辦理同仁訓練 2 場",
            "recommendation": "",
            "status": "in_progress",
            "version": 1,
        }
    )

    roc_year: int = Field(description="民國年")
    quarter: int = Field(description="1 to 4")
    progress: str = Field(description="改善辦理情形")
    recommendation: str = Field("", description='the reworded recommendation; "" keeps it')
    status: str | None = Field(None, description="open, in_progress or done; null keeps it")
    version: int = Field(description="the improvement's version, as the table gives it")


@router.post(
    "/assessments/{assessment_id}/improvements/{improvement_id}/follow-ups/",
    response=answers({201: FollowUpAdded}, 400, 403, 404, 409),
    summary="Add a quarter's 改善辦理情形 (the draft's follow-up table)",
)
@refusals
def add_follow_up(request, assessment_id: int, improvement_id: int, payload: FollowUpIn):
    assessment = get_assessment_for_user(request.user, assessment_id)
    improvement = get_improvement_for_user(request.user, assessment, improvement_id)
    entry = domain.add_follow_up(
        improvement=improvement,
        user=request.user,
        assessment=assessment,
        roc_year=payload.roc_year,
        quarter=payload.quarter,
        progress=payload.progress,
        recommendation=payload.recommendation,
        status=payload.status or None,
        expected_version=payload.version,
    )
    return Status(
        201,
        {
            **follow_up_dict(entry),
            "improvement": {
                "id": improvement.id,
                "recommendation": improvement.recommendation,
                "status": improvement.status,
                "version": improvement.version,
            },
        },
    )


# ---- evidence (佐證資料) ----------------------------------------------------------------------


@router.get(
    "/assessments/{assessment_id}/cells/{cell_id}/evidence/",
    response=answers({200: EvidenceList}, 400, 404),
    summary="The files attached to a cell",
)
def list_evidence(request, assessment_id: int, cell_id: int):
    cell = get_cell_for_user(request.user, assessment_id, cell_id)
    files = cell.evidence.select_related("cell_score", "uploaded_by").order_by("uploaded_at", "id")
    return _page([evidence_dict(e) for e in files])


@router.post(
    "/assessments/{assessment_id}/cells/{cell_id}/evidence/",
    response=answers({201: EvidenceOut}, 400, 403, 404, 409, 413),
    openapi_extra=upload_example(file="佐證.pdf"),
    summary="Attach a file to a cell (multipart `file`: PDF, image or Office/ODF document)",
)
@refusals
def upload_evidence(request, assessment_id: int, cell_id: int, file: File[UploadedFile]):
    """409 when the same content is already attached (`current` is that file)."""
    cell = get_cell_for_user(request.user, assessment_id, cell_id)
    try:
        evidence = domain.add_evidence(cell_score=cell, user=request.user, upload=file)
    except domain.AlreadyAttached as exc:
        body = {"detail": exc.message, "where": exc.where, "current": evidence_dict(exc.evidence)}
        return json(body, 409)
    except domain.TooLarge as exc:
        return json({"detail": exc.message, "where": exc.where}, 413)
    return Status(201, evidence_dict(evidence))


@router.get(
    "/assessments/{assessment_id}/evidence/{evidence_id}/",
    response=answers({200: None}, 400, 404),
    openapi_extra=binary(*DOWNLOAD_TYPES),
    summary="Download an evidence file",
)
def download_evidence(request, assessment_id: int, evidence_id: int):
    return evidence_file(get_evidence_for_user(request.user, assessment_id, evidence_id))


@router.delete(
    "/assessments/{assessment_id}/evidence/{evidence_id}/",
    response=answers({204: None}, 400, 403, 404, 409),
    summary="Remove a file from its cell",
)
@refusals
def delete_evidence(request, assessment_id: int, evidence_id: int):
    evidence = get_evidence_for_user(request.user, assessment_id, evidence_id)
    domain.remove_evidence(evidence=evidence, user=request.user)
    return HttpResponse(status=204)
