"""The shapes the assessment endpoints answer (the dicts of assessments.sheet and the API
modules), as response schemas for /api/openapi.json; shared by the plan and review routers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from servplan.api_schemas import IsoDate, IsoDateTime, Number, Out


class PeriodOut(Out):
    roc_year: int = Field(examples=[114])
    start_month: int = Field(examples=[1])
    end_month: int = Field(examples=[6])


class RubricRef(Out):
    id: int
    title: str = Field(examples=["114年度提升服務效能執行計畫考核項目及評分表"])
    version: int = Field(examples=[1])


class TotalOut(Out):
    max: Number = Field(examples=[1000])
    score: Number | None = Field(examples=[939])


class ItemOut(Out):
    name: str = Field(examples=["提供在地化及客製化關懷服務"])
    max: Number
    score: Number | None
    narrative: str


class DimensionOut(Out):
    name: str = Field(examples=["創新性"])
    max: Number
    score: Number | None
    items: list[ItemOut]


class SummaryRowOut(Out):
    """A row of the results summary as the forms print it (the findings endpoints give ids,
    versions and the follow-ups)."""

    dimension: str
    item: str
    strengths: str
    weaknesses: str
    recommendation: str
    improvement: str = Field(description="the newest 改善事項辦理情形")
    remarks: str


class AssessmentOut(Out):
    id: int
    kind: Literal["assessment"]
    office: str = Field(examples=["台東區營業處"])
    period: PeriodOut
    rubric: RubricRef
    status: Literal["draft", "in_signoff", "submitted", "reviewed"]
    assessed_on: IsoDate | None
    total: TotalOut
    dimensions: list[DimensionOut]
    findings: list[SummaryRowOut]


class LinksOut(Out):
    self: str = Field(examples=["/api/assessments/1/"])
    history: str
    export: str


class AssessmentSummaryOut(Out):
    """A list row: the sheet itself comes only from the detail."""

    id: int
    office: str = Field(examples=["台東區營業處"])
    office_code: str = Field(examples=["taitung"])
    region: str
    period: PeriodOut
    status: Literal["draft", "in_signoff", "submitted", "reviewed"]
    assessed_on: IsoDate | None
    total: TotalOut
    links: LinksOut


class AssessmentPage(Out):
    """A page of a list: `next` is the URL of the following page, null on the last."""

    items: list[AssessmentSummaryOut]
    count: int
    next: str | None


class CellOut(Out):
    id: int
    dimension: str
    item: str
    max: Number
    score: Number | None
    narrative: str
    version: int


class SignOffOut(Out):
    """A sign-off (assessments and plans alike): `signer_name` as printed, 「甲 代 乙」 for a
    deputy; `on_behalf_of` the principal's username."""

    position: int
    role: str = Field(examples=["section_chief"])
    user: str
    signer_name: str
    on_behalf_of: str | None
    decision: Literal["submit", "approve", "return"]
    comment: str
    at: IsoDateTime
    content_hash: str | None


class AssessmentSignOffOut(SignOffOut):
    pdf: str | None = Field(description="the forms as this signer approved them (a URL)")
    pdf_sha256: str | None


class WaitingOut(Out):
    role: str = Field(examples=["clerk"])
    since: IsoDateTime


class ReopenedOut(Out):
    at: IsoDateTime
    by: str | None
    reason: str


class ReviewCellOut(Out):
    id: int
    score: Number | None
    review_score: Number | None
    difference: Number | None
    review_comment: str


class ReviewOut(Out):
    total: Number | None
    cells: list[ReviewCellOut]


class AssessmentDetail(AssessmentOut):
    cells: list[CellOut]
    signoffs: list[AssessmentSignOffOut]
    current_signer: str | None
    waiting_on: WaitingOut | None
    assessed_on_version: int
    reopened: ReopenedOut | None
    review: ReviewOut | None = Field(
        None, description="HQ's review: only for those who may see it (absent otherwise)"
    )


class CellSavedOut(Out):
    id: int
    max: Number
    score: Number | None
    narrative: str
    version: int


class DecisionOut(Out):
    position: int
    role: str
    signer_name: str
    on_behalf_of: str | None
    decision: Literal["approve", "return"]
    comment: str
    at: IsoDateTime
    status: str


class StatusOut(Out):
    id: int
    status: str


class ProblemOut(Out):
    level: Literal["error", "warning"]
    where: str
    message: str


class HistoryEntryOut(Out):
    user: str | None
    at: IsoDateTime
    object: str
    field: str
    old: str
    new: str


class HistoryPage(Out):
    items: list[HistoryEntryOut]
    count: int
    next: str | None


# ---- findings, improvements, follow-ups, evidence (assessments.api_findings) ---------------


class FindingOut(Out):
    """A row of the results summary; a submitted record's rows show what they showed when
    submitted."""

    id: int
    dimension: str = Field(examples=["創新性"])
    item: str = Field(examples=["提供在地化及客製化關懷服務"])
    strengths: str
    weaknesses: str
    recommendation: str = Field(examples=["加強同仁訓練"])
    improvement: int | None = Field(description="the tracked improvement (null: none)")
    improvement_status: Literal["open", "in_progress", "done"] | None
    progress: str = Field(description="the newest 改善事項辦理情形")
    remarks: str
    version: int


class FindingList(Out):
    items: list[FindingOut]
    count: int
    next: None = None


class FollowUpOut(Out):
    id: int
    roc_year: int = Field(examples=[114])
    quarter: int = Field(examples=[3])
    recorded_on: IsoDate | None
    progress: str = Field(examples=["已辦理同仁訓練 2 場"])
    recommendation: str = Field(description="the recommendation as this entry reworded it")
    author: str | None


class OpenedInOut(PeriodOut):
    id: int = Field(description="the assessment that opened the improvement")


class ImprovementOut(Out):
    id: int
    finding: int
    dimension: str
    item: str
    recommendation: str
    status: Literal["open", "in_progress", "done"]
    remarks: str
    opened_in: OpenedInOut
    carried_over: bool = Field(description="opened in an earlier period")
    follow_ups: list[FollowUpOut]
    version: int = Field(description="what a new follow-up sends as its version")


class ImprovementList(Out):
    items: list[ImprovementOut]
    count: int
    next: None = None


class ImprovementState(Out):
    id: int
    recommendation: str
    status: Literal["open", "in_progress", "done"]
    version: int


class FollowUpAdded(FollowUpOut):
    improvement: ImprovementState


class EvidenceOut(Out):
    id: int
    cell: int
    name: str = Field(examples=["佐證.pdf"])
    content_type: str = Field(examples=["application/pdf"])
    size: int
    sha256: str
    uploaded_by: str | None
    uploaded_at: IsoDateTime
    url: str = Field(examples=["/api/assessments/1/evidence/7/"])


class EvidenceList(Out):
    items: list[EvidenceOut]
    count: int
    next: None = None
