"""Program endpoints: published programs for everyone signed in, drafts for HQ; HQ starts a
year's program from an earlier one and publishes it (the same domain functions as the pages).

Refusals as elsewhere: DomainError 400 naming the field, NotAllowed 403, Conflict 409 with
the newer values, a program the user may not see 404.
"""

from typing import Any

from ninja import Router, Schema, Status
from pydantic import Field

from servplan.api_schemas import answers, example
from servplan.assessments.api import refusals
from servplan.core.errors import DomainError
from servplan.core.listing import paginate
from servplan.core.parsing import parse_whole
from servplan.programs.access import get_program_for_user, visible_programs
from servplan.programs.api_schemas import ProgramDetail, ProgramPage
from servplan.programs.domain import versions
from servplan.programs.lookups import published_programs
from servplan.programs.models import Program
from servplan.programs.serializers import outline_prefetch, program_to_dict

router = Router(tags=["programs"])


def _detail(user, pk: int) -> dict:
    queryset = Program.objects.select_related("outline").prefetch_related(
        *outline_prefetch("outline__")
    )
    return program_to_dict(get_program_for_user(user, pk, queryset), facets=True)


@router.get(
    "/programs/",
    response=answers({200: ProgramPage}, 400),
    summary="HQ's programs the user may see, a page at a time: published ones (HQ sees drafts)",
)
def list_programs(request):
    """{"items", "count", "next"}, newest year and version first; `limit`/`offset` page."""
    rows = visible_programs(request.user).order_by("-roc_year", "-version", "pk")
    return paginate(request, rows, program_to_dict)


@router.get(
    "/programs/{program_id}/",
    response=answers({200: ProgramDetail}, 400, 404),
    summary="A program with its tree (面向 → 執行策略 → 子策略 → 具體作法)",
)
def get_program(request, program_id: int):
    return _detail(request.user, program_id)


class StartIn(Schema):
    model_config = example(
        {"roc_year": 115, "letter_number": "電業字第1150001234號", "issued_on": "2026-02-10"}
    )

    roc_year: Any = Field(None, description="民國年")
    source: Any = Field(
        None, description="the published program to copy (default: the latest earlier one)"
    )
    title: str = ""
    letter_number: str = ""
    issued_on: str | None = Field(None, description="函頒日期, ISO")


@router.post(
    "/programs/",
    response=answers({201: ProgramDetail}, 400, 403, 409),
    summary="Start a year's program as a draft, copied from an earlier one (HQ)",
)
@refusals
def start_program(request, payload: StartIn):
    """Start year `roc_year`'s draft from `source` (default: HQ's latest earlier program)."""
    source = None
    source_id = parse_whole(payload.source, label="沿用的計畫", where="source")
    if source_id is not None:
        source = published_programs().filter(pk=source_id).first()
        if source is None:
            raise DomainError(f"找不到已發布的總處執行計畫 {source_id}", where="source")
    program = versions.start_program(
        user=request.user,
        roc_year=payload.roc_year,
        source=source,
        title=payload.title,
        letter_number=payload.letter_number,
        issued_on=payload.issued_on,
    )
    return Status(201, _detail(request.user, program.pk))


class PublishIn(Schema):
    model_config = example({"reason": "增列線上預約臨櫃服務", "revision": 3})

    reason: str = Field("", description="發布說明; required for a version after the first")
    revision: int


@router.post(
    "/programs/{program_id}/publish/",
    response=answers({200: ProgramDetail}, 400, 403, 404, 409),
    summary="Publish a draft program (HQ); a new version needs the reason",
)
@refusals
def publish_program(request, program_id: int, payload: PublishIn):
    program = get_program_for_user(request.user, program_id)
    versions.publish_program(
        user=request.user,
        program=program,
        reason=payload.reason,
        expected_revision=payload.revision,
    )
    return _detail(request.user, program.pk)


@router.post(
    "/programs/{program_id}/versions/",
    response=answers({201: ProgramDetail}, 400, 403, 404, 409),
    summary="Start the next version of a published program as a draft (HQ)",
)
@refusals
def new_program_version(request, program_id: int):
    """A draft of the next version of a published program (HQ)."""
    draft = versions.new_program_version(
        user=request.user, program=get_program_for_user(request.user, program_id)
    )
    return Status(201, _detail(request.user, draft.pk))
