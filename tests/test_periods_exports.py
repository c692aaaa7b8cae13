"""The period ZIP as a background job (periods.exports): started by HQ, built by the
django-tasks database worker with its progress on the row, the latest kept, failures in
Chinese."""

import datetime as dt
import io
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import Http404
from django_tasks_db.models import DBTaskResult

from servplan.assessments.domain import NotAllowed
from servplan.audit.models import AuditEntry
from servplan.core.errors import DomainError
from servplan.core.roc import Period
from servplan.documents.batch import export_period
from servplan.offices.models import Role
from servplan.periods import domain, exports
from servplan.periods.models import ExportStatus, PeriodExport

PERIOD = Period(115, 1, 6)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(db, make):
    """115 1–6 opened by HQ for two offices (their drafts are what the ZIP holds)."""
    hq = make.user(role=Role.HQ_REVIEWER)
    east, west = make.office("匯出東區營業處"), make.office("匯出西區營業處")
    rubric = make.rubric(dimensions=1, items=2)
    period, drafts = domain.open_period(
        period=PERIOD, rubric=rubric, deadline=dt.date(2026, 7, 15), user=hq
    )
    return {"hq": hq, "period": period, "east": east, "west": west, "drafts": drafts}


def run_worker() -> None:
    """The django-tasks database worker, as `servplan db_worker` runs it, until the queue
    is empty. Its tests commit (transactional_db): the worker closes a connection it finds
    inside a transaction, as it would be after a crash."""
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0",
        verbosity=0, stdout=StringIO(),
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_hq_starts_a_job_that_the_worker_builds(world):
    row = exports.start_export(period=world["period"], fmt="json", user=world["hq"])
    assert row.status == ExportStatus.QUEUED
    task = DBTaskResult.objects.get(id=row.task_id)
    assert task.task_path == "servplan.periods.tasks.build_period_export"
    assert AuditEntry.objects.filter(object_id=row.pk, field="export_started").exists()

    run_worker()

    row.refresh_from_db()
    assert row.status == ExportStatus.DONE
    assert (row.done, row.total, row.percent) == (2, 2, 100)
    assert row.finished_at is not None
    assert row.size == row.file.size > 0
    with zipfile.ZipFile(row.file.path) as archive:
        names = archive.namelist()
    assert names == [
        f"115-1-6/{o.name}/{o.name} 115 年度 1 月至 6 月 資料.json"
        for o in sorted((world["east"], world["west"]), key=lambda o: (o.position, o.name))
    ]
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert AuditEntry.objects.filter(object_id=row.pk, field="export_finished").exists()


def test_a_second_start_joins_the_running_job(world):
    first = exports.start_export(period=world["period"], fmt="csv", user=world["hq"])
    again = exports.start_export(period=world["period"], fmt="CSV ", user=world["hq"])
    assert again.pk == first.pk
    assert DBTaskResult.objects.count() == 1
    other = exports.start_export(period=world["period"], fmt="xlsx", user=world["hq"])
    assert other.pk != first.pk


def test_progress_is_written_to_the_row_file_by_file(world, monkeypatch):
    row = exports.start_export(period=world["period"], fmt="pdf", user=world["hq"])
    seen = []
    real = exports._Progress.__call__

    def spy(self, done, total, name):
        real(self, done, total, name)
        fresh = PeriodExport.objects.get(pk=row.pk)
        seen.append((fresh.status, fresh.done, fresh.total, fresh.current))

    monkeypatch.setattr(exports._Progress, "__call__", spy)
    exports.build_export(export_id=row.pk)
    assert [s[1] for s in seen] == [1, 2, 3, 4, 5, 6]
    assert all(s[0] == ExportStatus.RUNNING and s[2] == 6 for s in seen)
    assert seen[0][3].endswith("考核項目及評分表")
    row.refresh_from_db()
    assert row.status == ExportStatus.DONE


def test_a_job_runs_once(world):
    row = exports.start_export(period=world["period"], fmt="json", user=world["hq"])
    assert exports.build_export(export_id=row.pk) is not None
    assert exports.build_export(export_id=row.pk) is None


def test_only_the_latest_zip_of_a_format_is_kept(world):
    first = exports.start_export(period=world["period"], fmt="json", user=world["hq"])
    exports.build_export(export_id=first.pk)
    first.refresh_from_db()
    old_path = first.file.path
    second = exports.start_export(period=world["period"], fmt="json", user=world["hq"])
    assert second.pk != first.pk
    exports.build_export(export_id=second.pk)
    assert list(PeriodExport.objects.values_list("pk", flat=True)) == [second.pk]
    assert not Path(old_path).exists()
    assert [e.pk for e in exports.latest_exports(world["period"])] == [second.pk]


def test_an_expected_failure_says_why_in_chinese(world, monkeypatch):
    row = exports.start_export(period=world["period"], fmt="json", user=world["hq"])

    def refuse(*args, **kwargs):
        raise DomainError("115 年度 1 月至 6 月沒有任何區營業處的自行考核", where="period")

    monkeypatch.setattr("servplan.documents.batch.export_period", refuse)
    exports.build_export(export_id=row.pk)
    row.refresh_from_db()
    assert row.status == ExportStatus.FAILED
    assert row.error == "115 年度 1 月至 6 月沒有任何區營業處的自行考核"
    assert not row.file


@pytest.mark.django_db(transaction=True)
def test_an_unexpected_failure_is_recorded_by_the_worker_too(world, monkeypatch, media):
    row = exports.start_export(period=world["period"], fmt="json", user=world["hq"])

    def broken(*args, target, **kwargs):
        target.write(b"half")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("servplan.documents.batch.export_period", broken)
    run_worker()
    row.refresh_from_db()
    assert row.status == ExportStatus.FAILED
    assert row.error == exports.FAILED_MESSAGE
    assert DBTaskResult.objects.get(id=row.task_id).status == "FAILED"
    assert not list((media / "exports").iterdir())  # no partial file left
    # Starting again clears the failure and queues a new job.
    again = exports.start_export(period=world["period"], fmt="json", user=world["hq"])
    assert list(PeriodExport.objects.values_list("pk", flat=True)) == [again.pk]


def test_refusals(world, make):
    with pytest.raises(DomainError, match="不支援的格式「rtf」") as refused:
        exports.start_export(period=world["period"], fmt="rtf", user=world["hq"])
    assert refused.value.where == "format"
    empty, _ = domain.open_period(
        period=Period(115, 7, 12),
        rubric=world["period"].rubric,
        deadline=dt.date(2027, 1, 15),
        user=world["hq"],
    )
    type(world["drafts"][0]).objects.filter(roc_year=115, start_month=7).delete()
    with pytest.raises(DomainError, match="沒有任何區營業處的自行考核"):
        exports.start_export(period=empty, fmt="pdf", user=world["hq"])
    assert not PeriodExport.objects.exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("own_clerk", False), ("own_director", False), ("outsider", False), ("hq", True), ("admin", True)],
)  # fmt: skip
def test_who_may_start_and_see_an_export(world, make, who, allowed):
    users = {
        "own_clerk": make.user(office=world["east"]),
        "own_director": make.user(office=world["east"], role=Role.DIRECTOR),
        "outsider": make.user(office=make.office("無關區營業處")),
        "hq": world["hq"],
        "admin": make.user(role=Role.ADMIN),
    }
    user = users[who]
    if allowed:
        row = exports.start_export(period=world["period"], fmt="csv", user=user)
        assert exports.visible_export(user, row.pk) == row
        return
    with pytest.raises(NotAllowed):
        exports.start_export(period=world["period"], fmt="csv", user=user)
    row = exports.start_export(period=world["period"], fmt="csv", user=world["hq"])
    with pytest.raises(Http404):
        exports.visible_export(user, row.pk)


class OneWay(io.RawIOBase):
    """A stream that can only be written forward (a response, a pipe): no seek, no tell."""

    def __init__(self):
        self.chunks = []

    def writable(self):
        return True

    def write(self, b):
        self.chunks.append(bytes(b))
        return len(b)


def test_export_period_streams_to_a_forward_only_target(world):
    """Each file reaches the target as soon as it is made: the archive is never built in
    memory first."""
    target = OneWay()
    written = []

    def progress(done, total, name):
        written.append(sum(len(c) for c in target.chunks))

    assert export_period(PERIOD, fmt="csv", target=target, progress=progress) == 2
    assert 0 < written[0] < written[1]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(target.chunks)))
    assert len(archive.namelist()) == 2
    assert all(archive.read(n).startswith(b"\xef\xbb\xbf") for n in archive.namelist())


def test_progress_is_written_about_a_hundred_times_however_many_files(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    row = exports.start_export(period=world["period"], fmt="pdf", user=world["hq"])
    progress = exports._Progress(row)
    with CaptureQueriesContext(connection) as queries:
        for done in range(1, 1001):
            progress(done, 1000, f"第 {done} 個")
    assert len(queries) == 100
    row.refresh_from_db()
    assert (row.done, row.total, row.current) == (1000, 1000, "第 1000 個")


def test_a_stalled_job_gives_way_to_a_new_one(world):
    """A job whose worker was killed outright never moves again: after STALLED_AFTER a new
    start replaces it, and the old job, should it wake up, changes nothing."""
    from django.utils import timezone

    stuck = exports.start_export(period=world["period"], fmt="json", user=world["hq"])
    PeriodExport.objects.filter(pk=stuck.pk).update(status=ExportStatus.RUNNING, done=1, total=2)
    assert exports.start_export(period=world["period"], fmt="json", user=world["hq"]) == stuck
    PeriodExport.objects.filter(pk=stuck.pk).update(
        updated_at=timezone.now() - exports.STALLED_AFTER - dt.timedelta(seconds=1)
    )
    fresh = exports.start_export(period=world["period"], fmt="json", user=world["hq"])
    assert fresh.pk != stuck.pk and fresh.status == ExportStatus.QUEUED
    assert AuditEntry.objects.filter(
        object_id=stuck.pk, field="export_finished", new=f"失敗：{exports.STALLED_MESSAGE}"
    ).exists()
    assert exports.build_export(export_id=stuck.pk) is None  # woke up: nothing to do
    exports.build_export(export_id=fresh.pk)
    assert list(PeriodExport.objects.values_list("status", flat=True)) == ["done"]
