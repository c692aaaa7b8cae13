"""The shapes the period endpoints answer, as response schemas for /api/openapi.json."""

from pydantic import Field

from servplan.api_schemas import IsoDate, IsoDateTime, Out
from servplan.assessments.api_schemas import PeriodOut


class RubricTitle(Out):
    id: int
    title: str


class PeriodRowOut(Out):
    slug: str = Field(examples=["115-1-6"])
    period: PeriodOut
    title: str = Field(examples=["115 年度 1 月至 6 月"])
    rubric: RubricTitle
    deadline: IsoDate
    status: str = Field(examples=["open"])
    released_at: IsoDateTime | None
    board: str = Field(examples=["/api/periods/115-1-6/board/"])
    office_deadline: IsoDate | None = Field(
        None, description="office staff: their office's deadline (absent for others)"
    )


class PeriodList(Out):
    items: list[PeriodRowOut]
    count: int
    next: None = None


class CreatedDraftOut(Out):
    id: int
    office: str


class OpenedOut(PeriodRowOut):
    created: list[CreatedDraftOut]


class BoardRowOut(Out):
    office: str
    office_code: str
    region: str
    assessment: int | None
    status: str
    label: str
    waiting_on: str | None
    since: IsoDateTime | None
    deadline: IsoDate
    deadline_reason: str | None
    submitted_at: IsoDateTime | None
    overdue: bool
    late: bool
    accepted_at: IsoDateTime | None


class BoardOut(Out):
    period: PeriodRowOut
    counts: dict[str, int]
    items: list[BoardRowOut]
    count: int
    next: str | None = None


class DeadlineOut(Out):
    slug: str
    office: str | None
    deadline: IsoDate
    period_deadline: IsoDate


class ClosedOut(Out):
    slug: str
    status: str
    closed_at: IsoDateTime | None


class AcceptedOut(Out):
    id: int
    status: str
    accepted_at: IsoDateTime
