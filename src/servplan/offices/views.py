from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from servplan.core.errors import DomainError
from servplan.offices.access import membership
from servplan.offices.domain import set_notifications
from servplan.offices.models import Department, Office


@login_required
def office_list(request):
    # In the order of data/offices.yaml; stated here, since a GROUP BY drops Meta.ordering.
    offices = (
        Office.objects.annotate(member_count=Count("members"))
        .order_by("position", "name")
        .prefetch_related(Prefetch("departments", queryset=Department.objects.order_by("position")))
    )
    return render(request, "offices/office_list.html", {"offices": offices})


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
