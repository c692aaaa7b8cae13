"""The shapes the program endpoints answer (programs.serializers.program_to_dict), as response
schemas for /api/openapi.json."""

from typing import Literal

from pydantic import Field

from servplan.api_schemas import IsoDate, IsoDateTime, Out


class ProgramPracticeOut(Out):
    id: int
    number: int | None = Field(examples=[1])
    text: str = Field(examples=["訂定申辦業務標準作業流程"])
    departments: list[str] = Field(examples=[["業務組"]])
    period: str = Field(examples=["1~12 月"])
    # the practice of the program this one's tree was copied from (None: new in this one)
    origin: int | None


class ProgramMeasureOut(Out):
    id: int
    name: str
    practices: list[ProgramPracticeOut]


class ProgramStrategyOut(Out):
    id: int
    name: str = Field(examples=["服務一致及正確性"])
    measures: list[ProgramMeasureOut]


class ProgramFacetOut(Out):
    id: int
    name: str = Field(examples=["基礎服務"])
    strategies: list[ProgramStrategyOut]


class ProgramOut(Out):
    id: int
    roc_year: int = Field(examples=[115])
    version: int = Field(examples=[1])
    status: Literal["draft", "published"]
    title: str = Field(examples=["115年度提升服務效能執行計畫"])
    letter_number: str = Field(examples=["電業字第1150001234號"])
    issued_on: IsoDate | None
    copied_from: int | None
    supersedes: int | None
    reason: str = Field(examples=["增列線上預約臨櫃服務"])
    published_at: IsoDateTime | None
    # raised by every edit of a draft: send it back to publish (409 when stale)
    revision: int


class ProgramDetail(ProgramOut):
    facets: list[ProgramFacetOut]


class ProgramPage(Out):
    items: list[ProgramOut]
    count: int
    next: str | None
