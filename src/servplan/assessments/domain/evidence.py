"""Evidence files per cell: checked by content, size-limited, kept outside the web root."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

import filetype
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from servplan.assessments.access import can_edit
from servplan.assessments.domain.cells import cell_label, ensure_editable
from servplan.assessments.domain.errors import AlreadyAttached, NotAllowed, TooLarge
from servplan.assessments.models import Assessment, CellScore, Evidence
from servplan.audit.domain import record
from servplan.core.errors import DomainError
from servplan.core.narrative import clean_text

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024

# What the file's bytes say it is → what it may be called. Office documents (docx, xlsx,
# pptx, odt …) are ZIP containers; old Word/Excel files are OLE containers.
ALLOWED = {
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
    "image/gif": {".gif"},
    "image/webp": {".webp"},
    "application/zip": {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"},
    "application/x-cfb": {".doc", ".xls", ".ppt"},
    "application/msword": {".doc"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
    "application/vnd.oasis.opendocument.text": {".odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {".ods"},
    "application/vnd.oasis.opendocument.presentation": {".odp"},
    "application/vnd.ms-excel": {".xls"},
    "application/vnd.ms-powerpoint": {".ppt"},
}
ACCEPT = ",".join(sorted({s for suffixes in ALLOWED.values() for s in suffixes}))
# Longer than this after the last dot, it is part of the name, not an extension.
LONGEST_SUFFIX = 10


def display_name(filename: str) -> str:
    """The uploader's file name as kept (Evidence.name): a long one is shortened in the
    middle, 「…」 marking the cut, so that its extension (which decides the format) stays."""
    name = PurePath(filename).name
    limit = Evidence._meta.get_field("name").max_length
    if len(name) <= limit:
        return name
    suffix = PurePath(name).suffix
    if len(suffix) > LONGEST_SUFFIX:
        suffix = ""
    return name[: limit - len(suffix) - 1] + "…" + suffix


def sniff(upload: UploadedFile) -> str | None:
    """The MIME type the content says (None when unknown), whatever the name claims."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/x-cfb"
    return None


@transaction.atomic
def add_evidence(*, cell_score: CellScore, user, upload: UploadedFile) -> Evidence:
    """Attach a file to a cell after checking its size and its content against its name.

    A file whose content is already attached to the cell (same SHA-256, whatever its name) is
    not stored again: AlreadyAttached names the one there. Side effects: writes the file under
    MEDIA_ROOT/evidence/, an Evidence row, an audit entry.
    """
    where = cell_label(cell_score.cell)
    assessment = Assessment.objects.select_for_update().get(pk=cell_score.assessment_id)
    if not can_edit(user, assessment):
        raise NotAllowed(
            f"{where}：只有{assessment.office.name}的經辦可以上傳佐證資料", where=where
        )
    ensure_editable(assessment, where)
    name = display_name(" ".join(clean_text(upload.name or "").split()))
    if upload.size > MAX_EVIDENCE_BYTES:
        raise TooLarge(
            f"{where}：檔案「{name}」超過 {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB 上限",
            where=where,
        )
    if upload.size == 0:
        raise DomainError(f"{where}：檔案「{name}」是空的", where=where)
    mime = sniff(upload)
    suffix = PurePath(name).suffix.lower()
    if mime is None or suffix not in ALLOWED.get(mime, set()):
        raise DomainError(
            f"{where}：檔案「{name}」不是可接受的格式（PDF、圖片或 Office／ODF 文件）", where=where
        )
    digest = sha256_of(upload)
    existing = Evidence.objects.filter(cell_score=cell_score, sha256=digest).first()
    if existing is not None:
        raise AlreadyAttached(
            f"{where}：此檔案已附於本格（「{existing.name}」），未重複上傳",
            where=where,
            evidence=existing,
        )
    evidence = Evidence(
        cell_score=cell_score,
        sha256=digest,
        name=name,
        content_type=mime
        if mime not in ("application/zip", "application/x-cfb")
        else _by_suffix(suffix),
        size=upload.size,
        uploaded_by=user,
    )
    evidence.file.save(name, upload, save=False)
    evidence.save()
    record(user=user, obj=evidence, field="evidence", new=name, assessment_id=assessment.pk)
    return evidence


def sha256_of(upload) -> str:
    """The hex SHA-256 of an uploaded (or stored) file's content, read in chunks."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _by_suffix(suffix: str) -> str:
    for mime, suffixes in ALLOWED.items():
        if suffix in suffixes and mime not in ("application/zip", "application/x-cfb"):
            return mime
    return "application/octet-stream"


@transaction.atomic
def remove_evidence(*, evidence: Evidence, user) -> None:
    """Take a file off a cell. Side effects: deletes the row and the stored file, audit entry."""
    cell_score = evidence.cell_score
    where = cell_label(cell_score.cell)
    assessment = Assessment.objects.select_for_update().get(pk=cell_score.assessment_id)
    if not can_edit(user, assessment):
        raise NotAllowed(
            f"{where}：只有{assessment.office.name}的經辦可以刪除佐證資料", where=where
        )
    ensure_editable(assessment, where)
    record(
        user=user, obj=evidence, field="evidence", old=evidence.name, assessment_id=assessment.pk
    )
    storage, path = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(path))
