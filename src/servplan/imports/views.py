"""Upload → preview (the form as read, issues at their cells) → confirm or cancel."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from servplan.core.errors import DomainError
from servplan.imports import domain
from servplan.imports.access import (
    check_import,
    get_upload_for_user,
    require_importer,
    visible_imports,
)
from servplan.imports.models import ImportKind
from servplan.imports.preview import preview
from servplan.imports.readers import SUPPORTED


class UploadForm(forms.Form):
    file = forms.FileField(label="檔案")
    office = forms.CharField(label="區營業處（選填，取代標題中的區營業處）", required=False)


def _render_preview(request, result, upload=None, refusal: str = ""):
    return render(
        request,
        "imports/preview.html",
        {
            "result": result,
            "doc": result.doc,
            "view": preview(result),
            "upload": upload,
            "refusal": refusal,
        },
        status=200 if upload else 400,
    )


@login_required
def upload(request):
    require_importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        office = form.cleaned_data["office"].strip()
        result = domain.oversized(filename=file.name, size=file.size)
        if result is None:
            data = file.read()
            result = domain.check_file(filename=file.name, data=data, office=office or None)
        if result.errors:
            return _render_preview(request, result)
        try:
            check_import(request.user, result)
        except DomainError as exc:
            return _render_preview(request, result, refusal=exc.message)
        staged = domain.stage_upload(
            user=request.user, filename=file.name, data=data, office=office
        )
        return redirect("import-preview", pk=staged.pk)
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "imports": visible_imports(request.user)[:20],
            "accept": ",".join(SUPPORTED),
        },
    )


@login_required
def upload_preview(request, pk: int):
    upload = get_upload_for_user(request.user, pk)
    result = domain.check_file(
        filename=upload.filename,
        data=bytes(upload.content),
        office=upload.office_override or None,
    )
    refusal = ""
    if not result.errors:
        try:
            check_import(request.user, result)
        except DomainError as exc:
            refusal = exc.message
    return _render_preview(request, result, upload=upload, refusal=refusal)


@login_required
@require_POST
def upload_confirm(request, pk: int):
    upload = get_upload_for_user(request.user, pk)
    try:
        entry, created = domain.confirm_upload(upload=upload, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("import-preview", pk=pk)
    if created:
        messages.success(request, f"已匯入「{entry.filename}」")
    else:
        messages.info(request, f"「{entry.filename}」已於先前匯入，沿用既有紀錄，未重複建立")
    if entry.kind == ImportKind.PLAN:
        return redirect(reverse("plan-detail", args=[entry.plan_id]))
    return redirect(reverse("assessment-detail", args=[entry.assessment_id]))


@login_required
@require_POST
def upload_cancel(request, pk: int):
    upload = get_upload_for_user(request.user, pk)
    domain.cancel_upload(upload=upload)
    messages.info(request, f"已取消匯入「{upload.filename}」，未存入任何資料")
    return redirect("import-upload")
