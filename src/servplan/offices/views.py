from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from servplan.core.errors import DomainError
from servplan.core.listing import page_of
from servplan.core.parsing import parse_whole
from servplan.offices.access import may_manage_deputies, membership, sees_deputies
from servplan.offices.domain import SIGNING_ROLES, end_deputy, register_deputy, set_notifications
from servplan.offices.lookups import listed_offices
from servplan.offices.models import Deputy, Membership, Office


@login_required
def office_list(request):
    offices = listed_offices()  # a page at a time: thousands of offices with a sample
    return render(request, "offices/office_list.html", {"page": page_of(request, offices)})


@login_required
@require_GET
def notification_settings(request):
    """通知設定: whether the person gets e-mail notices, and to which address."""
    return render(
        request, "offices/notification_settings.html", {"membership": membership(request.user)}
    )


@login_required
@require_POST
def notification_settings_save(request):
    try:
        set_notifications(user=request.user, email=request.POST.get("email_notifications") == "1")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已儲存通知設定")
    return redirect("notification-settings")


# ---- deputies (職務代理人) -----------------------------------------------------------------


def _deputy_office(request, code: str) -> Office:
    """The office whose deputies the user may see (its own staff, admins), else 404."""
    office = Office.objects.filter(code=code).first()
    if office is None or not sees_deputies(request.user, office):
        raise Http404("找不到此區營業處")
    return office


def _deputy_row(user, row: Deputy, today) -> tuple[Deputy, str, bool]:
    """(the registration, its standing, whether `user` may end it now)."""
    may_end = row.is_open(today) and may_manage_deputies(user, row.office, row.principal)
    return row, row.standing(today), may_end


@login_required
@require_GET
def deputy_list(request, code: str):
    """The office's deputies, and the form to register one for whoever may."""
    office = _deputy_office(request, code)
    rows = Deputy.objects.filter(office=office).select_related(
        "office", "principal", "deputy", "created_by", "ended_by"
    )
    members = list(
        Membership.objects.filter(office=office, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    manages_all = may_manage_deputies(request.user, office)
    principals = [
        m
        for m in members
        if m.role in SIGNING_ROLES and (manages_all or m.user_id == request.user.pk)
    ]
    today = timezone.localdate()
    return render(
        request,
        "offices/deputy_list.html",
        {
            "office": office,
            "rows": [_deputy_row(request.user, d, today) for d in rows],
            "principals": principals,
            "members": members,
        },
    )


def _person(request, field: str, label: str):
    """The user whose id the form sent in `field` (a refusal naming the field otherwise)."""
    pk = parse_whole(request.POST.get(field), label=label, where=field)
    user = get_user_model().objects.filter(pk=pk).first() if pk else None
    if user is None:
        raise DomainError(f"請選擇{label}", where=field)
    return user


@login_required
@require_POST
def deputy_add(request, code: str):
    office = _deputy_office(request, code)
    try:
        row = register_deputy(
            office=office,
            principal=_person(request, "principal", "被代理人"),
            deputy=_person(request, "deputy", "代理人"),
            starts_on=request.POST.get("starts_on", ""),
            ends_on=request.POST.get("ends_on", ""),
            reason=request.POST.get("reason", ""),
            user=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已登錄職務代理：{row.deputy} 代 {row.principal}")
    return redirect("deputy-list", office.code)


@login_required
@require_POST
def deputy_end(request, code: str, deputy_id: int):
    office = _deputy_office(request, code)
    row = get_object_or_404(Deputy, pk=deputy_id, office=office)
    try:
        end_deputy(registration=row, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已結束職務代理")
    return redirect("deputy-list", office.code)
