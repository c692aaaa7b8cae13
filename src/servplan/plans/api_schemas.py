"""The shapes the plan endpoints answer (plans.serializers, plans.compare, the publication), as
response schemas for /api/openapi.json."""

from typing import Literal

from pydantic import Field

from servplan.api_schemas import IsoDate, IsoDateTime, Out
from servplan.assessments.api_schemas import (
    DecisionOut,
    LinksOut,
    ReopenedOut,
    SignOffOut,
    WaitingOut,
)

PlanStatus = Literal["draft", "submitted", "approved", "published"]


class PracticeOut(Out):
    id: int
    number: int | None = Field(examples=[1])
    text: str = Field(examples=["訂定申辦業務標準作業流程"])
    departments: list[str] = Field(examples=[["業務組"]])
    period: str = Field(examples=["1~12 月"])
    target: str
    from_hq: bool
    not_applicable: bool
    not_applicable_reason: str
    version: int


class MeasureOut(Out):
    id: int
    name: str
    practices: list[PracticeOut]


class StrategyOut(Out):
    id: int
    name: str = Field(examples=["服務一致及正確性"])
    from_hq: bool
    version: int


class StrategyTreeOut(StrategyOut):
    measures: list[MeasureOut]


class FacetOut(Out):
    id: int
    name: str = Field(examples=["基礎服務"])
    strategies: list[StrategyTreeOut]


class SectionsOut(Out):
    """壹 計畫依據 … 陸 附則 and the one version that covers them."""

    basis: str
    goals: str
    targets: str
    steps: list[str]
    supplementary: str
    version: int


class PlanOut(SectionsOut):
    id: int
    kind: Literal["plan"]
    office: str = Field(examples=["苗栗區營業處"])
    roc_year: int = Field(examples=[112])
    program_year: int
    title: str
    status: PlanStatus
    approved_on: IsoDate | None
    facets: list[FacetOut]


class PlanSummaryOut(Out):
    """A list row: the plan's tree comes only from the detail."""

    id: int
    office: str = Field(examples=["苗栗區營業處"])
    office_code: str = Field(examples=["miaoli"])
    region: str
    roc_year: int = Field(examples=[112])
    title: str
    status: PlanStatus
    approved_on: IsoDate | None
    links: LinksOut


class PlanPage(Out):
    items: list[PlanSummaryOut]
    count: int
    next: str | None


class ChainStepOut(Out):
    position: int
    role: str
    current: bool


class PlanDetail(PlanOut):
    signoffs: list[SignOffOut]
    chain: list[ChainStepOut]
    current_signer: str | None
    waiting_on: WaitingOut | None
    reopened: ReopenedOut | None


class PlanDecisionOut(DecisionOut):
    approved_on: IsoDate | None


class PlanStatusOut(Out):
    id: int
    status: PlanStatus


class PublishedDocumentOut(Out):
    format: Literal["pdf", "odt"]
    sha256: str
    size: int
    url: str


class PublicationOut(Out):
    plan: int
    status: PlanStatus
    published_at: IsoDateTime
    unpublished_at: IsoDateTime | None
    unpublish_reason: str
    url: str = Field(examples=["/public/plans/miaoli/112/"])
    documents: list[PublishedDocumentOut]


class SegmentOut(Out):
    text: str
    changed: bool


class SideOut(Out):
    number: int | None
    text: str
    departments: list[str]
    period: str
    not_applicable: bool
    segments: list[SegmentOut]


class ComparedRowOut(Out):
    change: str = Field(examples=["reworded"])
    facet: str
    strategy: str
    measure: str
    practice_id: int | None
    from_hq: bool
    departments_changed: bool
    period_changed: bool
    applicability_changed: bool
    old: SideOut | None
    new: SideOut | None


class ComparisonOut(Out):
    against: Literal["last-year", "program"]
    base: str | None = Field(description="what the plan is compared with (null: nothing)")
    counts: dict[str, int]
    rows: list[ComparedRowOut]
