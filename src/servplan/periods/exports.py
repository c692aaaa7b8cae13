"""The period ZIP from the board: HQ starts it, a background job (periods.tasks, on the
django-tasks database queue) builds it while its row says how far it got, HQ downloads it.

Only the latest finished ZIP of each period and format is kept: a newer one replaces it
(file and row), and starting one again clears the failures before it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.utils import timezone

from servplan.assessments.access import can_review
from servplan.assessments.domain import NotAllowed
from servplan.assessments.models import Assessment
from servplan.audit.domain import record
from servplan.core.errors import DomainError
from servplan.periods.models import ACTIVE_EXPORT, AssessmentPeriod, ExportStatus, PeriodExport

logger = logging.getLogger(__name__)

# What the board offers: every office's forms as PDF, or its data in one of three formats
# (`servplan export period` takes the rest as well).
EXPORT_FORMATS = {
    "pdf": "PDF 表單",
    "xlsx": "資料（XLSX）",
    "csv": "資料（CSV）",
    "json": "資料（JSON）",
}
FAILED_MESSAGE = "產生 ZIP 時發生未預期的錯誤，請稍後再試；若仍失敗請洽系統管理員。"
INTERRUPTED_MESSAGE = "背景工作程序停止，ZIP 未完成，請重新產生。"
# A job whose row has not moved for this long is taken for dead (its worker killed outright):
# starting the same ZIP again then starts a new one. A live job writes every 1 % of files.
STALLED_AFTER = dt.timedelta(minutes=30)
STALLED_MESSAGE = "背景工作逾 30 分鐘沒有進展，已停止；已重新產生。"


def visible_export(user, pk: int) -> PeriodExport:
    """The export `pk` for HQ and admins; 404 for everyone else, as for anything one may
    not see."""
    if not can_review(user):
        raise Http404
    row = PeriodExport.objects.select_related("period").filter(pk=pk).first()
    if row is None:
        raise Http404("找不到此 ZIP")
    return row


def latest_exports(period: AssessmentPeriod) -> list[PeriodExport]:
    """The newest export of each format of `period`, in EXPORT_FORMATS order (one query)."""
    latest: dict[str, PeriodExport] = {}
    for row in PeriodExport.objects.filter(period=period).select_related("period"):
        latest.setdefault(row.format, row)
    return [latest[f] for f in EXPORT_FORMATS if f in latest]


@transaction.atomic
def start_export(*, period: AssessmentPeriod, fmt: str, user) -> PeriodExport:
    """HQ asks for `period`'s ZIP in `fmt` (EXPORT_FORMATS); returns its row.

    A job of the same period and format already queued or running is returned as it is
    (nothing new starts), unless its row has not moved for STALLED_AFTER: that one is marked
    failed (STALLED_MESSAGE, audited) and a new one starts; if its worker wakes up after
    all, the job no longer finds its row queued or is replaced by the newer ZIP. Refused: anyone but HQ/admin (NotAllowed), an unknown format
    (`format`) or a period no office has an assessment of (`period`), 400.
    Side effects: the earlier failed rows of that period and format deleted; a PeriodExport
    row (queued); the job on the task queue (its row is written in this transaction, so
    the worker sees both or neither); an audit entry on the row.
    """
    from servplan.periods.tasks import build_period_export

    if not can_review(user):
        raise NotAllowed("只有總處業務處可以下載整期 ZIP", where="format")
    fmt = (fmt or "").strip().lower()
    if fmt not in EXPORT_FORMATS:
        raise DomainError(
            f"不支援的格式「{fmt}」：請選擇 {'、'.join(EXPORT_FORMATS)}", where="format"
        )
    # Serializes two clicks at once: the second waits, then finds the first's job.
    AssessmentPeriod.objects.select_for_update().filter(pk=period.pk).first()
    running = PeriodExport.objects.filter(
        period=period, format=fmt, status__in=ACTIVE_EXPORT
    ).first()
    if running is not None:
        if running.updated_at > timezone.now() - STALLED_AFTER:
            return running
        _finish(running, status=ExportStatus.FAILED, error=STALLED_MESSAGE)
    if not Assessment.objects.filter(**period.period.as_dict()).exists():
        raise DomainError(f"{period.period}沒有任何區營業處的自行考核", where="period")
    PeriodExport.objects.filter(period=period, format=fmt, status=ExportStatus.FAILED).delete()
    try:
        with transaction.atomic():
            row = PeriodExport.objects.create(period=period, format=fmt, requested_by=user)
    except IntegrityError:  # the constraint caught a start the lock did not (never on PG)
        return PeriodExport.objects.get(period=period, format=fmt, status__in=ACTIVE_EXPORT)
    result = build_period_export.enqueue(row.pk)
    row.task_id = str(result.id)
    row.save(update_fields=["task_id"])
    record(user=user, obj=row, field="export_started", new=f"{period.period} {fmt}")
    return row


class _Progress:
    """export_period's progress callback: writes done/total to the row, about a hundred
    times over the job at most (every file for small periods), so the board's bar moves
    without one UPDATE per file of a two-thousand-office period."""

    def __init__(self, row: PeriodExport) -> None:
        self.row = row
        self.written = 0

    def __call__(self, done: int, total: int, name: str) -> None:
        if done == total or done - self.written >= max(1, total // 100):
            PeriodExport.objects.filter(pk=self.row.pk).update(
                done=done, total=total, current=name[:200], updated_at=timezone.now()
            )
            self.written = done


def build_export(*, export_id: int) -> PeriodExport | None:
    """The job: build the ZIP of export `export_id` into MEDIA_ROOT/exports/, file by file.

    Not one transaction: each progress step is committed, so the board sees it. Does
    nothing (returns None) unless the row is still queued (a job delivered twice runs once).
    Side effects: the row running, then done with its file and size (the older finished ZIPs
    of that period and format, rows and files, deleted) or failed with a Chinese message
    (a DomainError's; FAILED_MESSAGE with the error logged; INTERRUPTED_MESSAGE when the
    worker is stopped mid-job; the partial file deleted); an audit entry (no user: the job)
    either way. Anything but a DomainError is raised again after that, so the task queue
    records it too (and a stopping worker stops).
    """
    from servplan.documents.batch import export_period

    started = PeriodExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, updated_at=timezone.now()
    )
    if not started:
        return None
    row = PeriodExport.objects.select_related("period").get(pk=export_id)
    name = f"exports/{row.period.slug}-{row.format}-{row.pk}.zip"
    path = Path(default_storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.part")
    try:
        with partial.open("wb") as stream:
            total = export_period(
                row.period.period, fmt=row.format, target=stream, progress=_Progress(row)
            )
        os.replace(partial, path)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, DomainError):
            _finish(row, status=ExportStatus.FAILED, error=exc.message)
            return row
        if isinstance(exc, Exception):
            logger.exception("period export %s failed", export_id)
        _finish(
            row,
            status=ExportStatus.FAILED,
            error=FAILED_MESSAGE if isinstance(exc, Exception) else INTERRUPTED_MESSAGE,
        )
        raise
    if _finish(row, status=ExportStatus.DONE, file=name, size=path.stat().st_size, done=total):
        _drop_older(row)
    else:
        path.unlink(missing_ok=True)
    return row


def _finish(row: PeriodExport, **fields) -> bool:
    """Write the outcome and audit it; False if the row is gone (replaced as stalled)."""
    fields["finished_at"] = fields["updated_at"] = timezone.now()
    if "done" in fields:
        fields["total"] = fields["done"]
    if not PeriodExport.objects.filter(pk=row.pk).update(**fields):
        return False
    row.refresh_from_db()
    record(
        user=None,
        obj=row,
        field="export_finished",
        new=row.get_status_display() + (f"：{row.error}" if row.error else ""),
    )
    return True


def _drop_older(row: PeriodExport) -> None:
    older = PeriodExport.objects.filter(
        period=row.period, format=row.format, status=ExportStatus.DONE
    ).exclude(pk=row.pk)
    for old in older:
        if old.file:
            old.file.delete(save=False)
    older.delete()


@transaction.atomic
def record_download(*, export: PeriodExport, user) -> None:
    """HQ downloads a finished ZIP. Side effect: an audit entry (who, which ZIP)."""
    record(user=user, obj=export, field="downloaded", new=export.filename)


def download(user, pk: int) -> FileResponse:
    """The finished ZIP `pk` streamed from disk, for the page and the API alike: 404 for
    anyone but HQ and admins, and until the job is done (or once a newer ZIP of the same
    format replaced it). Side effect: record_download."""
    row = visible_export(user, pk)
    if (
        row.status != ExportStatus.DONE
        or not row.file
        or not row.file.storage.exists(row.file.name)
    ):
        raise Http404("此 ZIP 尚未完成或已由較新的一份取代")
    record_download(export=row, user=user)
    return FileResponse(
        row.file.open("rb"),
        as_attachment=True,
        filename=row.filename,
        content_type="application/zip",
    )
