import re

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from servplan.assessments.standing import todo_for
from servplan.offices.access import is_hq, membership
from servplan.offices.models import Role
from servplan.periods.board import office_deadlines
from servplan.periods.models import AssessmentPeriod, PeriodStatus
from servplan.plans.access import visible_plans
from servplan.plans.models import PlanStatus


@login_required
def home(request):
    """待辦事項: what waits for the person, by role, in a fixed number of queries."""
    m = membership(request.user)
    clerk = m is not None and m.role == Role.CLERK
    signer = m is not None and m.office_id is not None and not clerk
    plans = (
        visible_plans(request.user).filter(status=PlanStatus.DRAFT).select_related("office")
        if clerk
        else []
    )
    return render(
        request,
        "home.html",
        {
            "todo": todo_for(request.user),
            "plans": plans,
            "signer": signer,
            "deadlines": _deadlines(request.user, m),
        },
    )


def _deadlines(user, m):
    """繳交期限: the office's own deadline in each open period (and whether it is late), or
    for HQ the open periods with a link to their board."""
    if m is not None and m.office_id:
        return {"office": office_deadlines(m.office)}
    if is_hq(user):
        return {"hq": AssessmentPeriod.objects.filter(status=PeriodStatus.OPEN)}
    return {}


# The code's own refusals are written in Chinese for the person reading them; Django's
# (「No CellScore matches the given query.」, a resolver's tried patterns) are not, and stay
# off the page.
_OURS = re.compile(r"[\u3400-\u9fff]")


def reason(exception: BaseException | None) -> str:
    """The refusal's message when the code wrote it for a person, else ""."""
    message = exception.args[0] if exception is not None and exception.args else ""
    return message if isinstance(message, str) and _OURS.search(message) else ""


def _error_page(request, status: int, exception: BaseException | None):
    if request.path_info.startswith("/api/"):
        # The API answers in JSON, as its own refusals do (e.g. an unknown address under it).
        return JsonResponse(
            {"detail": reason(exception) or DEFAULT_REASONS[status]},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, f"{status}.html", {"reason": reason(exception)}, status=status)


DEFAULT_REASONS = {400: "請求無法處理", 403: "無權限", 404: "找不到資料"}


@requires_csrf_token
def bad_request(request, exception=None):
    return _error_page(request, 400, exception)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error_page(request, 403, exception)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error_page(request, 404, exception)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: most often a page left open past its session."""
    return render(request, "403_csrf.html", status=403)
