"""HQ's rubric for a year: started from last year's as a draft, edited, published.

A published rubric is not edited: a change is a new draft version that supersedes it once
published (so a rubric in use stays frozen, as revise_rubric keeps it). Offices are offered
published rubrics only (programs.lookups.published_rubrics). Every function is refused
unless the user may write programs; a draft's edits carry its `revision` (stale: Conflict).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from servplan.assessments.domain.errors import Conflict
from servplan.audit.domain import record
from servplan.core.errors import DomainError
from servplan.core.narrative import normalize
from servplan.core.scores import format_score
from servplan.programs.domain import (
    RubricSpec,
    _name,
    create_rubric,
    fill_rubric,
    rubric_spec,
    validate_rubric,
)
from servplan.programs.domain.versions import REASON_MAX, parse_year, require_writer
from servplan.programs.lookups import published_rubrics
from servplan.programs.models import Publication, Rubric, RubricCell

_YEAR_PREFIX = re.compile(r"^\d{2,3}年度")


def _focus(text: str) -> str:
    return f"「{text}」" if text else ""


def spec_summary(spec: RubricSpec) -> str:
    """「…評分表，總分 1000；創新性 300（在地化 100、流程 100、公私協力 100）；…」, with each
    評分重點 in quotes: the whole content as one text, for the audit trail."""
    parts = [f"{spec.title}，總分 {format_score(spec.total_max)}；項目：{'、'.join(spec.items)}"]
    for d in spec.dimensions:
        cells = "、".join(
            f"{c.item} {format_score(c.max)}{_focus(c.scoring_focus)}" for c in d.cells
        )
        parts.append(f"{d.name} {format_score(d.max)}{_focus(d.scoring_focus)}（{cells}）")
    return "；".join(parts)


def _editable(rubric: Rubric, *, user, expected_revision: int) -> Rubric:
    require_writer(user)
    current = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if not current.is_draft:
        raise Conflict(f"{current}已發布，不可修改；要修改請建立新版本", where="status")
    if int(expected_revision) != current.revision:
        raise Conflict(
            f"{current.title}：草稿已被他人修改（目前為第 {current.revision} 次修改），"
            "請重新載入後再修改",
            where="revision",
            current={"revision": current.revision},
        )
    return current


def _free_title(roc_year: int, title: str, version: int) -> None:
    if Rubric.objects.filter(roc_year=roc_year, title=title, version=version).exists():
        raise DomainError(f"{roc_year} 年度已有評分表「{title}」", where="title")


@transaction.atomic
def start_rubric(
    *, user, roc_year: int | str, source: Rubric | None = None, title: str = ""
) -> Rubric:
    """Start year `roc_year`'s rubric as a draft: a copy of `source` (dimensions × items with
    their maxima and 評分重點), by default HQ's latest published rubric of an earlier year.
    The title's year is rewritten (「114年度…」 → 「115年度…」) unless a title is given.

    Side effects: creates the draft rubric (version 1) with its dimensions, items and cells,
    records "created" in the audit trail. Refused: no rubric to copy, a title the year has.
    """
    require_writer(user)
    year = parse_year(roc_year)
    if source is None:
        source = (
            published_rubrics()
            .filter(office__isnull=True, roc_year__lt=year)
            .order_by("-roc_year", "-version")
            .first()
        )
        if source is None:
            raise DomainError(f"沒有 {year} 年度以前已發布的評分表可沿用", where="source")
    elif source.is_draft or source.roc_year >= year:
        raise DomainError(f"沿用的評分表須為 {year} 年度以前已發布的評分表", where="source")
    spec = rubric_spec(source)
    spec.roc_year = year
    spec.title = _name(title) or _YEAR_PREFIX.sub(f"{year}年度", spec.title)
    if not _YEAR_PREFIX.match(spec.title):
        spec.title = f"{year}年度{spec.title}"
    _free_title(year, spec.title, 1)
    rubric = create_rubric(spec=spec, status=Publication.DRAFT)
    record(user=user, obj=rubric, field="created", new=f"沿用：{source}")
    return rubric


@transaction.atomic
def new_rubric_version(*, user, rubric: Rubric) -> Rubric:
    """A draft of the next version of a published rubric (in use or not): a copy of it.

    Side effects: locks the rubric, creates the draft (version: the title's latest + 1,
    superseding this one once published), records "created". Refused: a draft, a rubric a
    published version already supersedes, one that has a draft version already (Conflict).
    """
    require_writer(user)
    current = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if current.is_draft or not published_rubrics().filter(pk=current.pk).exists():
        raise DomainError(f"只能由最新發布的評分表建立新版本（{current}）", where="rubric")
    draft = current.revisions.filter(status=Publication.DRAFT).first()
    if draft:
        raise Conflict(
            f"{current}已有草稿版本（第 {draft.version} 版），請繼續編修該草稿",
            where="rubric",
            current={"id": draft.pk},
        )
    latest = Rubric.objects.filter(roc_year=current.roc_year, title=current.title).aggregate(
        v=Max("version")
    )["v"]
    created = create_rubric(
        spec=rubric_spec(current),
        office=current.office,
        version=latest + 1,
        supersedes=current,
        status=Publication.DRAFT,
    )
    record(user=user, obj=created, field="created", new=f"修訂：{current}")
    return created


@transaction.atomic
def update_rubric(*, user, rubric: Rubric, spec: RubricSpec, expected_revision: int) -> Rubric:
    """Replace a draft's title, total, items, dimensions and cells with `spec` (validated:
    cells add up to their dimension, dimensions to the total). The year stays the draft's.

    Side effects: locks the draft, replaces its items, dimensions and cells in place (the
    rubric keeps its id), raises the revision, records "content" (old → new summary).
    """
    current = _editable(rubric, user=user, expected_revision=expected_revision)
    spec.roc_year = current.roc_year
    if not spec.title:
        raise DomainError("評分表名稱不可空白", where="title")
    validate_rubric(spec)
    if spec.title != current.title:
        _free_title(current.roc_year, spec.title, current.version)
    before, after = spec_summary(rubric_spec(current)), spec_summary(spec)
    if before == after:
        return current
    RubricCell.objects.filter(dimension__rubric=current).delete()
    current.dimensions.all().delete()
    current.items.all().delete()
    current.title, current.total_max = spec.title, spec.total_max
    current.revision += 1
    current.save(update_fields=["title", "total_max", "revision"])
    fill_rubric(rubric=current, spec=spec)
    record(user=user, obj=current, field="content", old=before, new=after)
    return current


@transaction.atomic
def publish_rubric(*, user, rubric: Rubric, reason: str = "", expected_revision: int) -> Rubric:
    """Publish a draft: offices may assess with it; the version it supersedes is no longer
    offered (assessments made with it keep it). A new version needs the reason.

    Side effects: locks the draft, sets status, reason and time, records "status" and
    "reason". Refused: a rubric that doesn't add up (400), a missing reason, stale (Conflict).
    """
    current = _editable(rubric, user=user, expected_revision=expected_revision)
    validate_rubric(rubric_spec(current))
    text = normalize(reason or "")
    if len(text) > REASON_MAX:
        raise DomainError(f"發布說明過長（{len(text)} 字，上限 {REASON_MAX} 字）", where="reason")
    if current.supersedes_id and not text:
        raise DomainError(f"請說明修訂理由：發布新版本會取代{current.supersedes}", where="reason")
    current.status = Publication.PUBLISHED
    current.reason = text
    current.published_at = timezone.now()
    current.save(update_fields=["status", "reason", "published_at"])
    record(user=user, obj=current, field="status", old=Publication.DRAFT, new=current.status)
    if text:
        record(user=user, obj=current, field="reason", new=text)
    return current
