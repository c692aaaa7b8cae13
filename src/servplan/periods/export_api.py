"""The period ZIP in the API (HQ's and admins' only; everyone else gets 404, as on the
board): start the background job, follow its progress, download the finished file."""

from ninja import Router, Schema, Status
from pydantic import Field

from servplan.api_schemas import IsoDateTime, Out, answers, binary, example
from servplan.assessments.api import refusals
from servplan.periods import exports
from servplan.periods.api import _hq_period, _iso
from servplan.periods.models import ExportStatus, PeriodExport

router = Router(tags=["periods"])


class PeriodExportOut(Out):
    id: int
    period: str = Field(examples=["115-1-6"])
    format: str = Field(examples=["pdf"])
    status: str = Field(examples=["running"], description="queued, running, done or failed")
    done: int = Field(examples=[12], description="files written so far")
    total: int = Field(examples=[75], description="files in the ZIP (0 until the job starts)")
    current: str = Field(examples=["台東區營業處 考核項目及評分表"])
    error: str = Field(examples=[""], description="why it failed, in Chinese")
    size: int = Field(examples=[0], description="bytes of the finished ZIP")
    created_at: IsoDateTime
    finished_at: IsoDateTime | None
    file: str | None = Field(examples=["/api/exports/1/file/"], description="once done")


def export_dict(row: PeriodExport) -> dict:
    return {
        "id": row.pk,
        "period": row.period.slug,
        "format": row.format,
        "status": row.status,
        "done": row.done,
        "total": row.total,
        "current": row.current,
        "error": row.error,
        "size": row.size,
        "created_at": row.created_at.isoformat(),
        "finished_at": _iso(row.finished_at),
        "file": f"/api/exports/{row.pk}/file/" if row.status == ExportStatus.DONE else None,
    }


class ExportIn(Schema):
    model_config = example({"format": "pdf"}, {"format": "xlsx"})

    format: str = Field(description="pdf (every office's forms), xlsx, csv or json (data)")


@router.post(
    "/periods/{slug}/exports/",
    response=answers({202: PeriodExportOut}, 400, 403, 404),
    summary="Start the period ZIP as a background job (HQ)",
)
@refusals
def start_export(request, slug: str, payload: ExportIn):
    """Queues the job (or answers the one already queued or running for that format);
    follow it at GET /api/exports/{id}/."""
    row = exports.start_export(
        period=_hq_period(request, slug), fmt=payload.format, user=request.user
    )
    return Status(202, export_dict(row))


@router.get(
    "/exports/{export_id}/",
    response=answers({200: PeriodExportOut}, 400, 404),
    summary="A period ZIP job: its status and progress (HQ)",
)
def get_export(request, export_id: int):
    return export_dict(exports.visible_export(request.user, export_id))


@router.get(
    "/exports/{export_id}/file/",
    response=answers({200: None}, 400, 404),
    openapi_extra=binary("application/zip"),
    summary="The finished period ZIP (HQ)",
)
def export_file(request, export_id: int):
    """404 until the job is done (and once a newer ZIP of the same format replaced it)."""
    return exports.download(request.user, export_id)
