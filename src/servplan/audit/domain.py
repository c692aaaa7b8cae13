"""Writing the audit trail. Domain functions call these inside their own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import models

from servplan.audit.models import AuditEntry


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        from servplan.core.scores import format_score

        return format_score(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def record(
    *,
    user,
    obj: models.Model,
    field: str,
    old: object = None,
    new: object = None,
    assessment_id: int | None = None,
    plan_id: int | None = None,
) -> AuditEntry:
    """Record one change of `field` on `obj` (or an action such as "status" or "created");
    `assessment_id`/`plan_id` name the record it belongs to, for that record's history."""
    return AuditEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        assessment_id=assessment_id,
        plan_id=plan_id,
        field=field,
        old=_text(old),
        new=_text(new),
    )


def record_changes(
    *,
    user,
    obj: models.Model,
    before: dict[str, object],
    fields: Iterable[str],
    assessment_id: int | None = None,
    plan_id: int | None = None,
) -> list[AuditEntry]:
    """Record every field of `fields` whose value on `obj` differs from `before[field]`."""
    return [
        record(
            user=user,
            obj=obj,
            field=f,
            old=before.get(f),
            new=getattr(obj, f),
            assessment_id=assessment_id,
            plan_id=plan_id,
        )
        for f in fields
        if _text(before.get(f)) != _text(getattr(obj, f))
    ]
