"""HQ's program for a year: started from last year's as a draft, edited, published; a published
program changes only by a new version (a draft copy) published with a reason.

Every function is refused unless the user may write programs (programs.access; `user` None
is the system). A draft's edits carry its `revision`: a form from an older page is refused
(Conflict) instead of undoing what was saved in between.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from servplan.assessments.domain.errors import Conflict, NotAllowed
from servplan.audit.domain import record, record_changes
from servplan.core.errors import DomainError
from servplan.core.narrative import normalize
from servplan.core.parsing import check_length, parse_whole
from servplan.core.roc import RocError, check_roc_year, parse_date
from servplan.programs.access import can_edit_programs
from servplan.programs.domain import _name, copy_outline
from servplan.programs.lookups import hq_program
from servplan.programs.models import Outline, Practice, Program, Publication

REASON_MAX = 2000
_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def default_title(roc_year: int) -> str:
    """「115年度提升服務效能執行計畫」, as HQ's letters and the shipped files write it."""
    return f"{roc_year}年度提升服務效能執行計畫"


def require_writer(user) -> None:
    if user is not None and not can_edit_programs(user):
        raise NotAllowed("只有總處業務處可以編修總處執行計畫及評分表", where="program")


def parse_year(value: object, *, label: str = "年度") -> int:
    """A ROC year as a form or client sends it (text or number); DomainError naming roc_year."""
    year = parse_whole(value, label=label, where="roc_year")
    if year is None:
        raise DomainError(f"請填寫{label}", where="roc_year")
    try:
        return check_roc_year(year)
    except RocError as exc:
        raise DomainError(f"{label}：{exc}", where="roc_year") from None


def parse_issued_on(value: dt.date | str | None) -> dt.date | None:
    """函頒日期: a date, ISO text (the API) or ROC text (「115 年 2 月 10 日」, the page); blank: none."""
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text) if _ISO_RE.fullmatch(text) else parse_date(text)
    except (RocError, ValueError):
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise DomainError(
            f"函頒日期「{shown}」無法解讀：應為「115 年 2 月 10 日」格式", where="issued_on"
        ) from None


def _title(value: str) -> str:
    title = check_length(_name(value), limit=200, label="計畫名稱", where="title")
    if not title:
        raise DomainError("計畫名稱不可空白", where="title")
    return title


def _letter(value: str) -> str:
    return check_length(_name(value), limit=100, label="函號", where="letter_number")


def editable_program(program: Program, *, user, expected_revision: int) -> Program:
    """The program's row, locked; refused unless the user may write programs, it is a draft,
    and `expected_revision` is its current revision."""
    require_writer(user)
    current = Program.objects.select_for_update().get(pk=program.pk)
    if not current.is_draft:
        raise Conflict(f"{current}已發布，不可修改；要修改請建立新版本", where="status", current={})
    if int(expected_revision) != current.revision:
        raise Conflict(
            f"{current.title}：草稿已被他人修改（目前為第 {current.revision} 次修改），"
            "請重新載入後再修改",
            where="revision",
            current={"revision": current.revision},
        )
    return current


def touch(program: Program) -> None:
    """Raise the draft's revision after an edit (pages and clients send the one they saw)."""
    program.revision += 1
    program.save(update_fields=["revision"])


def _create_draft(**fields) -> Program:
    # The one-draft-a-year constraint settles two HQ users starting the same year at once.
    try:
        with transaction.atomic():
            return Program.objects.create(status=Publication.DRAFT, **fields)
    except IntegrityError:
        raise Conflict(
            f"{fields['roc_year']} 年度已有總處執行計畫草稿，請重新載入", where="roc_year"
        ) from None


def _no_draft_yet(roc_year: int) -> None:
    draft = Program.objects.filter(roc_year=roc_year, status=Publication.DRAFT).first()
    if draft:
        raise Conflict(
            f"{roc_year} 年度已有總處執行計畫草稿（{draft.title}），請繼續編修該草稿",
            where="roc_year",
            current={"id": draft.pk},
        )


@transaction.atomic
def start_program(
    *,
    user,
    roc_year: int | str,
    source: Program | None = None,
    title: str = "",
    letter_number: str = "",
    issued_on: dt.date | str | None = None,
) -> Program:
    """Start year `roc_year`'s program as a draft: a copy of `source`'s tree (面向 → 執行策略 →
    子策略 → 具體作法, with departments and periods), by default HQ's latest published program
    of an earlier year (last year's); an empty tree when there is none.

    Side effects: locks the year's programs, creates the draft Program and its outline (each
    copied item's `origin` is the source's item), records "created" in the audit trail.
    Refused: a year that already has a draft (Conflict) or a published program (make a new
    version instead), a source that is a draft or not of an earlier year.
    """
    require_writer(user)
    year = parse_year(roc_year)
    list(Program.objects.select_for_update().filter(roc_year=year))
    _no_draft_yet(year)
    if hq_program(year):
        raise DomainError(
            f"{year} 年度總處執行計畫已發布；要修改請由該計畫建立新版本", where="roc_year"
        )
    if source is None:
        source = hq_program(year - 1, or_earlier=True)
    elif source.is_draft or source.roc_year >= year:
        raise DomainError(f"沿用的計畫須為 {year} 年度以前已發布的總處執行計畫", where="source")
    program = _create_draft(
        roc_year=year,
        title=_title(title or default_title(year)),
        letter_number=_letter(letter_number),
        issued_on=parse_issued_on(issued_on),
        copied_from=source,
        outline=(
            copy_outline(outline=source.outline, from_program=True)
            if source
            else Outline.objects.create()
        ),
    )
    record(user=user, obj=program, field="created", new=f"沿用：{source}" if source else "空白")
    return program


@transaction.atomic
def new_program_version(*, user, program: Program) -> Program:
    """A draft of the next version of a published program: a copy of its tree and letter.

    Side effects: locks the year's programs, creates the draft (its items' `origin` the
    published version's items), records "created" in the audit trail. Refused: a draft, a
    version that is not the year's latest, a year that already has a draft (Conflict).
    """
    require_writer(user)
    list(Program.objects.select_for_update().filter(roc_year=program.roc_year))
    latest = hq_program(program.roc_year)
    if program.is_draft or latest is None or latest.pk != program.pk:
        raise DomainError(
            f"只能由 {program.roc_year} 年度最新發布的版本建立新版本", where="program"
        )
    _no_draft_yet(program.roc_year)
    draft = _create_draft(
        roc_year=program.roc_year,
        version=latest.version + 1,
        title=latest.title,
        letter_number=latest.letter_number,
        issued_on=latest.issued_on,
        copied_from=latest,
        outline=copy_outline(outline=latest.outline, from_program=True),
    )
    record(user=user, obj=draft, field="created", new=f"修訂：{latest}")
    return draft


@transaction.atomic
def update_program(
    *,
    user,
    program: Program,
    title: str | None = None,
    letter_number: str | None = None,
    issued_on: dt.date | str | None = None,
    expected_revision: int,
) -> Program:
    """Change a draft's 名稱, 函號 or 函頒日期 (None leaves a field; a blank date clears it).

    Side effects: locks the draft, saves the changed fields with its revision raised, records
    each changed field in the audit trail. Stale revision or a published program: Conflict.
    """
    current = editable_program(program, user=user, expected_revision=expected_revision)
    before = {f: getattr(current, f) for f in ("title", "letter_number", "issued_on")}
    if title is not None:
        current.title = _title(title)
    if letter_number is not None:
        current.letter_number = _letter(letter_number)
    if issued_on is not None:
        current.issued_on = parse_issued_on(issued_on)
    if record_changes(user=user, obj=current, before=before, fields=list(before)):
        current.save(update_fields=list(before))
        touch(current)
    return current


@transaction.atomic
def publish_program(*, user, program: Program, reason: str = "", expected_revision: int) -> Program:
    """Publish a draft: it becomes HQ's program of its year, offices start plans from it.

    The year's first version may have a note; a later version needs the reason for the change
    (發布說明), which offices read with what changed. Side effects: locks the year's
    programs, sets the version number (the year's latest + 1), `supersedes` (the previous
    version, which plans started from it keep), the reason and the time; records "status"
    and "reason" in the audit trail. Refused: an empty tree, a missing reason (400); a stale
    revision or a published program (Conflict).
    """
    current = editable_program(program, user=user, expected_revision=expected_revision)
    list(Program.objects.select_for_update().filter(roc_year=current.roc_year))
    previous = hq_program(current.roc_year)
    text = normalize(reason or "")
    if len(text) > REASON_MAX:
        raise DomainError(f"發布說明過長（{len(text)} 字，上限 {REASON_MAX} 字）", where="reason")
    if previous and not text:
        raise DomainError(
            f"請說明修訂理由：{current.roc_year} 年度已發布{previous}，發布新版本須說明理由",
            where="reason",
        )
    if not Practice.objects.filter(measure__strategy__facet__outline=current.outline_id).exists():
        raise DomainError(f"{current.title}沒有任何具體作法，不能發布", where="program")
    current.status = Publication.PUBLISHED
    current.version = previous.version + 1 if previous else 1
    current.supersedes = previous
    current.reason = text
    current.published_at = timezone.now()
    current.save(update_fields=["status", "version", "supersedes", "reason", "published_at"])
    record(user=user, obj=current, field="status", old=Publication.DRAFT, new=current.status)
    if text:
        record(user=user, obj=current, field="reason", new=text)
    return current
