"""The JSON API (/api/): bearer tokens, the same access rules and domain functions as the pages.

Each app adds its endpoints in its own `api.py` router; this module only wires them up and
turns domain errors into HTTP answers.
"""

from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError
from ninja.security import HttpBearer

from servplan.core.errors import DomainError
from servplan.offices.models import ApiToken


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` as printed by `servplan token USERNAME`; an expired or
    revoked token is refused like an unknown one (401)."""

    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user__membership__office")
            .filter(
                digest=ApiToken.digest_of(token),
                user__is_active=True,
                expires_at__gt=timezone.now(),
            )
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="servplan API",
    version="1",
    auth=BearerToken(),
    urls_namespace="api",
    # No online validator badge: it would call swagger.io from an office without the internet.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, {"detail": exc.message, "where": exc.where}, status=400)


SOURCES = ("body", "query", "path", "header", "cookie", "form", "file")


@api.exception_handler(ValidationError)
def invalid_request(request, exc: ValidationError):
    """A body or parameter of the wrong shape: 400 like every refused field, `where` naming
    the first field at fault (as a domain refusal does), pydantic's own list in `errors`."""
    loc = list(exc.errors[0].get("loc", ())) if exc.errors else []
    # ninja puts where the value came from first ("file", "file" for a missing upload)
    if loc and loc[0] in SOURCES:
        loc = loc[1:]
    fields = [str(part) for part in loc if part not in ("body", "payload", "query", "form")]
    where = ".".join(fields)
    detail = f"欄位「{where}」缺少或格式不正確" if where else "請求內容格式不正確"
    return api.create_response(
        request, {"detail": detail, "where": where, "errors": exc.errors}, status=400
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "找不到資料"}, status=404)


def _register_routers() -> None:
    from servplan.assessments.api import router as assessments_router
    from servplan.assessments.api_findings import router as findings_router
    from servplan.documents.api import router as documents_router
    from servplan.imports.api import router as imports_router
    from servplan.offices.api import router as offices_router
    from servplan.periods.api import router as periods_router
    from servplan.periods.compare_api import router as period_comparison_router
    from servplan.periods.export_api import router as period_exports_router
    from servplan.plans.api import router as plans_router
    from servplan.plans.publish_compare_api import router as plan_outputs_router
    from servplan.programs.api import router as programs_router
    from servplan.public.api import router as public_router
    from servplan.review.api import router as review_router

    for router in (
        assessments_router,
        findings_router,
        plans_router,
        programs_router,
        plan_outputs_router,
        review_router,
        periods_router,
        period_comparison_router,
        period_exports_router,
        documents_router,
        imports_router,
        public_router,
        offices_router,
    ):
        api.add_router("/", router)


_register_routers()
