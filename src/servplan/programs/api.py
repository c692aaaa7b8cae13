"""Program endpoints: published programs for everyone signed in, drafts for HQ; HQ starts a
year's program from an earlier one and publishes it (the same domain functions as the pages).

Refusals as elsewhere: DomainError 400 naming the field, NotAllowed 403, Conflict 409 with
the newer values, a program the user may not see 404.
"""

from typing import Any

from ninja import Router, Schema

from servplan.assessments.api import json, refusals
from servplan.core.errors import DomainError
from servplan.core.parsing import parse_whole
from servplan.programs.access import get_program_for_user, visible_programs
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


@router.get("/programs/")
def list_programs(request):
    return [
        program_to_dict(p) for p in visible_programs(request.user).order_by("-roc_year", "-version")
    ]


@router.get("/programs/{program_id}/")
def get_program(request, program_id: int):
    return _detail(request.user, program_id)


class StartIn(Schema):
    roc_year: Any = None
    source: Any = None
    title: str = ""
    letter_number: str = ""
    issued_on: str | None = None


@router.post("/programs/")
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
    return json(_detail(request.user, program.pk), 201)


class PublishIn(Schema):
    reason: str = ""
    revision: int


@router.post("/programs/{program_id}/publish/")
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


@router.post("/programs/{program_id}/versions/")
@refusals
def new_program_version(request, program_id: int):
    """A draft of the next version of a published program (HQ)."""
    draft = versions.new_program_version(
        user=request.user, program=get_program_for_user(request.user, program_id)
    )
    return json(_detail(request.user, draft.pk), 201)
