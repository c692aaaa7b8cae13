"""The signed-in search page (/search/?q=): what the person may see (search.staff)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from servplan.core.errors import DomainError
from servplan.search.staff import LIMIT, search_staff


@login_required
@require_safe
def staff_search(request):
    q = request.GET.get("q", "")
    status, error, hits = 200, "", []
    try:
        hits = search_staff(request.user, q)
    except DomainError as exc:
        status, error = 400, exc.message
    return render(
        request,
        "search/staff.html",
        {
            "q": q,
            "error": error,
            "plans": [h for h in hits if h.kind == "plan"],
            "assessments": [h for h in hits if h.kind == "assessment"],
            "searched": bool(q.strip()) and not error,
            "limit": LIMIT,
        },
        status=status,
    )
