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


def _page_back(request) -> str:
    """The page an HTMX request came from (its HX-Current-URL), as a path on this site."""
    from urllib.parse import urlsplit

    from django.utils.http import url_has_allowed_host_and_scheme

    parts = urlsplit(request.headers.get("HX-Current-URL", ""))
    if parts.netloc and parts.netloc != request.get_host():
        return "/"
    back = parts.path + (f"?{parts.query}" if parts.query else "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return back
    return "/"


def _unsaved(request, why: str, status: int):
    """The fragment an HTMX save shows in its message area when nothing was stored."""
    from django.conf import settings
    from django.http import QueryDict
    from django.shortcuts import render, resolve_url

    login = QueryDict(mutable=True)
    login["next"] = _page_back(request)
    response = render(
        request,
        "core/_unsaved.html",
        {"why": why, "login_url": f"{resolve_url(settings.LOGIN_URL)}?{login.urlencode(safe='/')}"},
        status=status,
    )
    # servplan.js reads it: keep the typed value, mark the field 未儲存 (never swap this in).
    response["X-Servplan-Unsaved"] = why
    response["HX-Reswap"] = "none"
    return response


class HtmxSessionMiddleware:
    """An HTMX request whose session is gone answers 401 with a fragment saying so.

    login_required would redirect it to the login page, which htmx follows and swaps into a
    cell's message area while the typed score is lost without a word. Cookies cleared take
    the CSRF cookie too, so the CSRF check refuses such a save before login_required is
    reached: answered the same. A CSRF refusal while logged in (a token from before logging in
    again) is a 403 saying to reload. Requests without HX-Request keep Django's answers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.shortcuts import resolve_url

        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true":
            return response
        logged_in = request.user.is_authenticated
        login_path = resolve_url(settings.LOGIN_URL)
        if response.status_code == 302 and not logged_in:
            from urllib.parse import urlsplit

            if urlsplit(response["Location"]).path == login_path:
                return _unsaved(request, "session", 401)
        # A refused CSRF check never reaches the view, so it never marks the request done.
        if response.status_code == 403 and not getattr(request, "csrf_processing_done", False):
            return (
                _unsaved(request, "csrf", 403) if logged_in else _unsaved(request, "session", 401)
            )
        return response
