"""Who may bring files in: office staff for their own office, admins for any. One rule for the
pages and the API."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from servplan.core.errors import DomainError
from servplan.imports.domain import CheckResult
from servplan.imports.models import ImportRecord, PendingUpload
from servplan.offices.access import is_admin, office_id


def require_importer(user) -> None:
    """Office staff and admins import; HQ reviewers and others may not (403)."""
    if not (is_admin(user) or office_id(user)):
        raise PermissionDenied("只有區營業處同仁或系統管理者可以匯入文件")


def check_office(user, result: CheckResult) -> None:
    """Refuse a form of another office than the user's (admins may import any)."""
    if result.office is None or is_admin(user) or result.office.id == office_id(user):
        return
    raise DomainError(f"文件屬於{result.office.name}，您只能匯入本處的文件", where="office")


def visible_imports(user) -> QuerySet[ImportRecord]:
    qs = ImportRecord.objects.select_related("office", "assessment__office", "plan", "user")
    if is_admin(user):
        return qs
    own = office_id(user)
    return qs.filter(office_id=own) if own else qs.none()


def get_upload_for_user(user, pk: int) -> PendingUpload:
    """The user's own pending upload, or 404 (another user's upload is never shown)."""
    upload = PendingUpload.objects.filter(pk=pk, user_id=user.pk).first()
    if upload is None:
        raise Http404("找不到此上傳檔案")
    return upload
