"""What POST /api/imports/ answers, as response schemas for /api/openapi.json.

The body is the record's shape (an assessment's or a plan's, as GET gives it) or, for a dry
run, what the file states in that shape: those shapes are documented with their endpoints,
so here only the fields every answer has are named and the rest is left open."""

from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from servplan.api_schemas import Out


class IssueOut(Out):
    severity: Literal["error", "warning"]
    code: str = Field(examples=["score-over-max"])
    message: str
    where: str


class ImportRecordOut(Out):
    id: int
    file: str
    created: bool = Field(description="false: the same file was imported before")


class ImportOut(Schema):
    """An assessment or plan (see GET /api/assessments/{id}/ and /api/plans/{id}/), with
    `import` (stored imports only) and the check's `issues`."""

    model_config = ConfigDict(extra="allow")

    kind: Literal["assessment", "plan"] | None
    issues: list[IssueOut]
    import_: ImportRecordOut | None = Field(None, alias="import")


class ImportRefusal(Schema):
    """400: the file has errors (`issues`, `result`), or a field was refused (`where`)."""

    model_config = ConfigDict(extra="allow")

    detail: str
    where: str = ""
    issues: list[IssueOut] | None = None
    result: dict[str, Any] | None = None
    errors: list[dict[str, Any]] | None = None
