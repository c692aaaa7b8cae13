"""Who may bring files in: office staff for their own office, admins for any. One rule for the
pages, the API and the import itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from servplan.assessments import access as assessments_access
from servplan.assessments.domain import NotAllowed
from servplan.core.errors import DomainError
from servplan.imports.document import ReadPlan
from servplan.imports.models import ImportRecord, PendingUpload
from servplan.offices.access import is_admin, is_hq, office_id
from servplan.plans import access as plans_access
from servplan.plans import domain as plans_domain

if TYPE_CHECKING:
    from servplan.imports.domain import CheckResult


def require_importer(user) -> None:
    """Office staff and admins import; HQ reviewers and others may not (403)."""
    if not (is_admin(user) or office_id(user)):
        raise PermissionDenied("只有區營業處同仁或系統管理者可以匯入文件")


def check_import(user, result: CheckResult) -> None:
    """Refuse what `user` may not bring in (call on an error-free result): another office's
    form (DomainError); a record the user may not create in the app, by the same rule as the
    app's; a rubric or program the system doesn't have yet, which only HQ makes, and an
    office's own rubric where its form differs from HQ's, which only HQ accepts (NotAllowed)."""
    office, doc = result.office, result.doc
    if office is None:
        return
    if not (is_admin(user) or office.id == office_id(user)):
        raise DomainError(f"文件屬於{office.name}，您只能匯入本處的文件", where="office")
    if isinstance(doc, ReadPlan):
        if not plans_access.can_start(user, office):
            raise NotAllowed(f"只有{office.name}的經辦可以建立執行計畫", where="office")
        if not is_hq(user) and plans_domain.program_for_year(doc.roc_year) is None:
            raise NotAllowed(
                f"系統中沒有 {doc.roc_year} 年度（或更早）的總處執行計畫，匯入會建立它；"
                "只有總處業務處可以建立總處執行計畫",
                where="program",
            )
        return
    if not assessments_access.can_create(user, office):
        raise NotAllowed(f"只有{office.name}的經辦可以建立自行考核", where="office")
    if result.rubric is None and not is_hq(user):
        match = result.match
        if match is not None and match.office_specific:
            raise NotAllowed(
                f"文件的評分表與總處 {doc.period.roc_year} 年度評分表不同"
                f"（{'；'.join(match.differences)}），匯入會建立{office.name}專用的評分表"
                f"「{result.rubric_title}」；只有總處業務處可以接受",
                where="rubric",
            )
        raise NotAllowed(
            f"評分表「{result.rubric_title}」不在系統中，匯入會建立新的評分表；"
            "只有總處業務處可以建立評分表",
            where="rubric",
        )


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
