"""Backups: everything (records, users, tokens, audit trail, uploaded files) in one ZIP.

The records go through Django's serializer with natural keys for content types and
permissions, so a dump taken from SQLite restores into PostgreSQL and back.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction

from servplan.core.errors import DomainError

FORMAT = "servplan-backup"
VERSION = 1
# Rebuilt by migrate or short-lived (sessions, login lockouts): not worth carrying across.
# Axes' login history (axes.accesslog) is kept.
SKIPPED_MODELS = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    # The task queue and the period ZIPs it built: HQ builds a ZIP again from the records.
    "django_tasks_db.dbtaskresult",
    "periods.periodexport",
}
# Media folders of such rebuilt files, left out of the backup.
SKIPPED_MEDIA = {"exports"}
# Models a backup from an older version may hold that no longer exist: left out on restore.
RETIRED_MODELS = {"core.loginfailure"}


def _models_in_dependency_order():
    from django.core.serializers import sort_dependencies

    app_list = {
        config: None for config in apps.get_app_configs() if config.models_module is not None
    }
    return [
        model
        for model in sort_dependencies(app_list.items(), allow_cycles=True)
        if model._meta.label_lower not in SKIPPED_MODELS and not model._meta.proxy
    ]


def dump(*, target: Path) -> dict[str, int]:
    """Write a backup ZIP to `target`; returns the number of rows per model.

    Side effects: writes the file (to a temporary name first, then renamed, so a half-written
    backup never takes the place of a good one).
    """
    counts: dict[str, int] = {}
    objects = []
    for model in _models_in_dependency_order():
        rows = list(model._default_manager.order_by("pk"))
        counts[model._meta.label_lower] = len(rows)
        objects.extend(rows)
    data = serializers.serialize(
        "json", objects, use_natural_foreign_keys=True, use_natural_primary_keys=False, indent=1
    )
    media_root = Path(settings.MEDIA_ROOT)
    tmp = target.with_name(target.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "manifest.json", json.dumps({"format": FORMAT, "version": VERSION, "counts": counts})
        )
        zf.writestr("records.json", data)
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                relative = path.relative_to(media_root)
                if path.is_file() and relative.parts[0] not in SKIPPED_MEDIA:
                    zf.write(path, f"media/{relative.as_posix()}")
    tmp.replace(target)
    return counts


def _has_records() -> bool:
    return any(
        model._default_manager.exists()
        for model in _models_in_dependency_order()
        if model._meta.app_label not in {"auth", "admin"}
    )


def restore(*, source: Path, replace: bool = False) -> dict[str, int]:
    """Load a backup into this database (migrated first) and its files into MEDIA_ROOT.

    Refuses a database that already holds records unless `replace` (which empties it first).
    Side effects: migrates; with `replace` flushes every table; loads all records in one
    transaction (nothing is loaded if anything fails); writes the media files.
    """
    try:
        zf = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise DomainError(f"無法讀取備份檔「{source}」：{exc}", where="file") from exc
    with zf:
        try:
            manifest = json.loads(zf.read("manifest.json"))
            records = zf.read("records.json")
        except (KeyError, ValueError) as exc:
            raise DomainError(f"「{source}」不是 servplan 備份檔", where="file") from exc
        if manifest.get("format") != FORMAT:
            raise DomainError(f"「{source}」不是 servplan 備份檔", where="file")
        call_command("migrate", interactive=False, verbosity=0)
        if _has_records() and not replace:
            raise DomainError("資料庫已有資料；若要以備份取代，請加上 --replace", where="database")
        with transaction.atomic():
            if replace:
                call_command("flush", interactive=False, verbosity=0)
            # Save as we go: natural keys (users, permissions) resolve against rows saved so far.
            deferred = []
            for obj in serializers.deserialize(
                "json", _loadable(records), handle_forward_references=True
            ):
                obj.save()
                if obj.deferred_fields:
                    deferred.append(obj)
            for obj in deferred:
                obj.save_deferred_fields()
            _reset_sequences()
        media_root = Path(settings.MEDIA_ROOT)
        for name in zf.namelist():
            if name.startswith("media/") and not name.endswith("/"):
                relative = Path(name[len("media/") :])
                if relative.is_absolute() or ".." in relative.parts:
                    continue
                dest = media_root / relative
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(zf.read(name))
    return manifest.get("counts", {})


def _loadable(records: bytes) -> io.StringIO:
    """The backup's records less those of models this version skips or no longer has."""
    kept = [
        row
        for row in json.loads(records)
        if row.get("model") not in SKIPPED_MODELS | RETIRED_MODELS
    ]
    return io.StringIO(json.dumps(kept))


def _reset_sequences() -> None:
    """After loading rows with explicit ids, point PostgreSQL's id sequences past them."""
    models = _models_in_dependency_order()
    statements = connection.ops.sequence_reset_sql(_NoStyle(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text
