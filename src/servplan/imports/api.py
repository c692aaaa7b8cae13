"""POST /api/imports/: check (dry run) or import an uploaded file."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from ninja import File, Form, Router
from ninja.files import UploadedFile

from servplan.api_schemas import answers, upload_example
from servplan.assessments.api import refusals
from servplan.imports.access import check_import, require_importer
from servplan.imports.api_schemas import ImportOut, ImportRefusal
from servplan.imports.domain import (
    ImportRefused,
    check_file,
    import_file,
    oversized,
    record_as_dict,
)

router = Router(tags=["imports"])


def _json(body, status: int) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _refused(result) -> JsonResponse:
    first = result.errors[0]
    return _json(
        {
            "detail": f"{first.message}（共 {len(result.errors)} 項錯誤，未匯入）",
            "where": first.where,
            "issues": [i.as_dict() for i in result.issues],
            "result": result.as_dict(),
        },
        400,
    )


@router.post(
    "/imports/",
    response={**answers({200: ImportOut, 201: ImportOut}, 403, 404, 409), 400: ImportRefusal},
    openapi_extra=upload_example(file="台東區營業處114年度1月至6月自行考核.docx", dry_run="true"),
    summary="Check (dry run) or import a score sheet or plan file (multipart `file`)",
)
@refusals
def create_import(
    request,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    office: Form[str] = "",
):
    """Multipart `file` (and `dry_run`, `office`): 200 the check, 201 the stored record, 200 the
    record an identical file became earlier for the same office, 400 with the issues when there
    are errors, 403 when the user may not import it (a dry run answers as the import would)."""
    try:
        require_importer(request.user)
    except PermissionDenied as exc:
        return _json({"detail": str(exc)}, 403)
    name = file.name or "upload"
    if (refusal := oversized(filename=name, size=file.size)) is not None:
        return _refused(refusal)
    data = file.read()
    result = check_file(filename=name, data=data, office=office or None)
    if result.errors:
        return _refused(result)
    check_import(request.user, result)
    if dry_run:
        return _json(result.as_dict(), 200)
    try:
        entry, created, _ = import_file(
            filename=name, data=data, office=office or None, user=request.user
        )
    except ImportRefused as exc:
        return _refused(exc.result)
    body = {
        **record_as_dict(entry),
        "import": {"id": entry.id, "file": entry.filename, "created": created},
        "issues": [i.as_dict() for i in result.issues],
    }
    return _json(body, 201 if created else 200)
