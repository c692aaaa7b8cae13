"""`servplan dump` / `servplan restore`: everything moves, between SQLite and PostgreSQL too."""

import json
import os
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from servplan.assessments.sheet import assessment_to_dict, sheet_queryset
from servplan.audit.models import AuditEntry
from servplan.core.backup import dump, restore
from servplan.core.errors import DomainError
from servplan.offices.models import ApiToken

SERVPLAN = str(Path(sys.executable).with_name("servplan"))
PG = os.environ.get("SERVPLAN_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/servplan")


def snapshot():
    return {
        "assessments": [assessment_to_dict(a) for a in sheet_queryset().order_by("pk")],
        "users": sorted(get_user_model().objects.values_list("username", "password", "is_staff")),
        "tokens": sorted(ApiToken.objects.values_list("digest", "user__username")),
        "audit": list(
            AuditEntry.objects.order_by("pk").values_list(
                "object_type", "object_id", "field", "old", "new"
            )
        ),
    }


@pytest.fixture
def filled(transactional_db, make):
    from servplan.core.setup import load_shipped_data

    load_shipped_data(sample=True)
    user = make.user(office=make.office())
    ApiToken.issue(user)
    from servplan.audit.domain import record

    record(user=user, obj=user, field="測試", old="舊", new="新")
    evidence = Path(settings.MEDIA_ROOT, "evidence", "1", "佐證.pdf")
    evidence.parent.mkdir(parents=True, exist_ok=True)
    evidence.write_bytes(b"%PDF-1.4 test")
    return evidence


def test_round_trip_is_lossless(filled, tmp_path):
    before = snapshot()
    backup = tmp_path / "backup.zip"
    counts = dump(target=backup)
    assert counts["assessments.cellscore"] == 12
    with zipfile.ZipFile(backup) as zf:
        assert "media/evidence/1/佐證.pdf" in zf.namelist()
    filled.unlink()

    restore(source=backup, replace=True)
    assert snapshot() == before
    assert filled.read_bytes() == b"%PDF-1.4 test"
    # New rows get fresh ids after a restore (sequences were moved past the restored ids).
    ApiToken.issue(get_user_model().objects.first())


def test_login_lockouts_are_left_out_and_the_login_history_kept(filled, tmp_path):
    from axes.models import AccessAttempt, AccessLog

    common = {"ip_address": "192.0.2.1", "user_agent": "t", "http_accept": "*/*", "path_info": "/"}
    AccessAttempt.objects.create(
        username="x", get_data="", post_data="", failures_since_start=5, **common
    )
    AccessLog.objects.create(username="x", **common)
    backup = tmp_path / "backup.zip"
    counts = dump(target=backup)
    assert "axes.accessattempt" not in counts and counts["axes.accesslog"] == 1
    restore(source=backup, replace=True)
    assert not AccessAttempt.objects.exists() and AccessLog.objects.get().username == "x"


def test_a_backup_with_retired_login_failures_still_restores(filled, tmp_path):
    """Backups taken before the throttle moved to django-axes hold core.loginfailure rows."""
    backup, old = tmp_path / "backup.zip", tmp_path / "old.zip"
    dump(target=backup)
    with zipfile.ZipFile(backup) as zf, zipfile.ZipFile(old, "w") as out:
        for name in zf.namelist():
            data = zf.read(name)
            if name == "records.json":
                rows = json.loads(data)
                rows.append(
                    {"model": "core.loginfailure", "pk": 1, "fields": {"username": "x", "ip": None}}
                )
                data = json.dumps(rows).encode()
            out.writestr(name, data)
    before = snapshot()
    restore(source=old, replace=True)
    assert snapshot() == before


def test_restore_refuses_a_database_with_records(filled, tmp_path):
    backup = tmp_path / "backup.zip"
    dump(target=backup)
    with pytest.raises(DomainError, match="--replace"):
        restore(source=backup)


def test_restore_refuses_a_file_that_is_not_a_backup(transactional_db, tmp_path):
    bad = tmp_path / "x.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(DomainError, match="無法讀取備份檔"):
        restore(source=bad)


def _run(*args, url):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "servplan.settings.base"}
    env["SERVPLAN_MEDIA_ROOT"] = (
        env.get("SERVPLAN_MEDIA_ROOT_TEST", env.get("TMPDIR", "/tmp"))
        + "/servplan-media-"
        + url.rsplit("/", 1)[-1]
    )
    result = subprocess.run([SERVPLAN, *args], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _pg_admin():
    import dj_database_url
    import psycopg

    c = dj_database_url.parse(PG)
    try:
        return psycopg.connect(
            host=c["HOST"],
            port=c["PORT"] or 5432,
            user=c["USER"],
            dbname="postgres",
            autocommit=True,
            connect_timeout=3,
        ), c
    except psycopg.OperationalError:
        if os.environ.get("CI"):
            raise
        pytest.skip("PostgreSQL not reachable")


def test_sqlite_to_postgresql_and_back(tmp_path):
    conn, c = _pg_admin()
    name = f"servplan_backup_{uuid.uuid4().hex[:8]}"
    conn.execute(f'CREATE DATABASE "{name}"')
    try:
        sqlite_a = f"sqlite:///{tmp_path / 'a.sqlite3'}"
        sqlite_b = f"sqlite:///{tmp_path / 'b.sqlite3'}"
        pg = f"postgres://{c['USER']}@{c['HOST']}:{c['PORT'] or 5432}/{name}"
        _run("init", "--sample", url=sqlite_a)
        original = json.loads(_run("list", "assessments", "--json", url=sqlite_a))
        _run("dump", "-o", str(tmp_path / "a.zip"), url=sqlite_a)
        _run("restore", str(tmp_path / "a.zip"), url=pg)
        assert json.loads(_run("list", "assessments", "--json", url=pg)) == original
        _run("dump", "-o", str(tmp_path / "pg.zip"), url=pg)
        _run("restore", str(tmp_path / "pg.zip"), url=sqlite_b)
        assert json.loads(_run("list", "assessments", "--json", url=sqlite_b)) == original
        assert json.loads(_run("list", "plans", "--json", url=sqlite_b)) == json.loads(
            _run("list", "plans", "--json", url=sqlite_a)
        )
    finally:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


def test_period_zips_and_the_task_queue_are_left_out(db, make, tmp_path, settings):
    """Rebuilt from the records (HQ starts a ZIP again): not worth carrying across."""
    import datetime as dt

    from servplan.core.roc import Period
    from servplan.offices.models import Role
    from servplan.periods import domain, exports

    settings.MEDIA_ROOT = tmp_path / "media"
    hq = make.user(role=Role.HQ_REVIEWER)
    make.office("備份區營業處")
    period, _ = domain.open_period(
        period=Period(115, 1, 6), rubric=make.rubric(), deadline=dt.date(2026, 7, 15), user=hq
    )
    row = exports.start_export(period=period, fmt="json", user=hq)
    exports.build_export(export_id=row.pk)
    backup = tmp_path / "backup.zip"
    counts = dump(target=backup)
    assert "periods.periodexport" not in counts and "django_tasks_db.dbtaskresult" not in counts
    with zipfile.ZipFile(backup) as zf:
        assert not [n for n in zf.namelist() if n.startswith("media/exports/")]
