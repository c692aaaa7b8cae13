"""What every API operation may answer besides its success: the refusals' shapes, and the
helpers the routers use to declare them (so /api/openapi.json documents every status).

Response schemas forbid unknown fields: a field the code sends but the schema does not name
fails the tests (and the schemathesis run), so the documentation cannot fall behind.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field


class Out(Schema):
    """A response body: exactly the fields named (additionalProperties: false)."""

    model_config = ConfigDict(extra="forbid")


def example(*values: dict) -> ConfigDict:
    """A request body's model_config with example values (shown by /api/docs, tried first by
    schemathesis)."""
    return ConfigDict(json_schema_extra={"examples": list(values)})


# ISO 8601 text, as every date and time in the API (the ROC calendar is for pages).
IsoDate = Annotated[str, Field(json_schema_extra={"format": "date"}, examples=["2025-07-01"])]
IsoDateTime = Annotated[
    str,
    Field(json_schema_extra={"format": "date-time"}, examples=["2025-07-01T09:30:00+00:00"]),
]
# Scores go out as numbers: whole points as integers, half points as 0.5 steps.
Number = int | float


class Refusal(Out):
    """400 (a field refused: `where` names it), 403 (not allowed), 413 (too large)."""

    detail: str = Field(examples=["構面1／項目1：分數 11 超過最高分 10 分"])
    where: str = Field("", examples=["構面1／項目1"])
    # a body or parameter of the wrong shape: pydantic's own list
    errors: list[dict[str, Any]] | None = None


class NotSignedIn(Out):
    """401: no token, or an unknown, expired or revoked one."""

    detail: str = Field(examples=["Unauthorized"])


class NotFound(Out):
    """404: nothing there, or nothing the user may see (the two answer the same)."""

    detail: str = Field(examples=["找不到資料"])


class Stale(Out):
    """409: changed in between (`current` holds the newer values) or no longer changeable."""

    detail: str = Field(examples=["構面1／項目1：此格已被他人修改（目前為第 2 版），請重新載入"])
    where: str = Field("", examples=["構面1／項目1"])
    current: dict[str, Any] = Field(default_factory=dict, examples=[{"score": 8, "version": 2}])


ERRORS: dict[int, type[Out]] = {
    400: Refusal,
    401: NotSignedIn,
    403: Refusal,
    404: NotFound,
    409: Stale,
    413: Refusal,
}


def answers(ok: dict[int, Any], *refusals: int, public: bool = False) -> dict[int, Any]:
    """The `response=` of an operation: its successes and the refusals it can give; every
    operation that needs a token can also answer 401."""
    out = dict(ok)
    for code in (*refusals, *(() if public else (401,))):
        out[code] = ERRORS[code]
    return out


def upload_example(**fields: str) -> dict:
    """`openapi_extra` giving a multipart body its example (a file part shown by its name)."""
    return {"requestBody": {"content": {"multipart/form-data": {"example": fields}}}}


def binary(*media_types: str) -> dict:
    """`openapi_extra` for an operation whose 200 is a file of one of these types (a JSON
    file is an object, everything else bytes)."""

    def schema(media_type: str) -> dict:
        if media_type == "application/json":
            return {"type": "object"}
        return {"type": "string", "format": "binary"}

    content = {t.split(";")[0]: {"schema": schema(t)} for t in media_types}
    return {"responses": {200: {"content": content}}}
