"""Security headers Django doesn't set by itself."""

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        # Scripts only from our own static files: no inline script, no eval. A narrative or a
        # file name that slips through as markup still cannot run.
        "script-src 'self'",
        # htmx adds a small <style> for its indicators; no script can come through this.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


# Room above an upload's file limit for the multipart framing and the form's other fields:
# a file just over its limit still reaches the view, which says so in words.
UPLOAD_SLACK = 5 * 1024 * 1024


def _upload_limits() -> dict[str, int]:
    """The routes that take files, by view name, and the largest file each accepts."""
    from servplan.assessments.domain.evidence import MAX_EVIDENCE_BYTES
    from servplan.imports.readers.base import MAX_FILE_BYTES

    return {
        "assessment-evidence-upload": MAX_EVIDENCE_BYTES,
        "import-upload": MAX_FILE_BYTES,
        "api:create_import": MAX_FILE_BYTES,
    }


def body_limit(path: str) -> int | None:
    """The largest request body `path` accepts: its file limit (and slack) for the upload
    routes, DATA_UPLOAD_MAX_MEMORY_SIZE for every other (None: no limit)."""
    from django.conf import settings
    from django.urls import Resolver404, resolve

    try:
        view_name = resolve(path).view_name
    except Resolver404:
        view_name = ""
    upload = _upload_limits().get(view_name)
    return upload + UPLOAD_SLACK if upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _refusal(request, message: str, status: int):
    from django.http import HttpResponse, JsonResponse

    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class BodySizeLimitMiddleware:
    """Refuses a body larger than its route accepts before any of it is read.

    Django would otherwise stream a multipart upload of any size to a temporary file before
    a view could look at its size. The declared Content-Length decides (413); a chunked body
    declares none, and Django would read nothing of it anyway, so it is refused (411).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or ""
        if not declared:
            if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
                return _refusal(request, "請求須註明內容長度（Content-Length）", 411)
            return self.get_response(request)
        try:
            length = int(declared)
        except ValueError:
            return _refusal(request, "內容長度（Content-Length）無效", 400)
        limit = body_limit(request.path_info)
        if limit is not None and length > limit:
            return _refusal(request, f"上傳內容過大，上限為 {limit / (1024 * 1024):.3g} MB", 413)
        return self.get_response(request)
