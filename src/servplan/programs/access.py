"""Who may see and change HQ's programs and rubrics (one rule for the pages and the API).

HQ reviewers and admins write them; everyone signed in reads the published ones; a draft does
not exist for anyone else (404, as for anything one may not see).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from servplan.offices.access import is_hq
from servplan.programs.models import Program, Publication, Rubric


def can_edit_programs(user) -> bool:
    """HQ's program and rubric are HQ's (業務處) and the admins' to write and publish."""
    return is_hq(user)


def require_hq(user) -> None:
    """HQ's pages do not exist for anyone else (404)."""
    if not can_edit_programs(user):
        raise Http404


def visible_programs(user, queryset: QuerySet[Program] | None = None) -> QuerySet[Program]:
    qs = Program.objects.all() if queryset is None else queryset
    return qs if can_edit_programs(user) else qs.filter(status=Publication.PUBLISHED)


def get_program_for_user(user, pk: int, queryset: QuerySet[Program] | None = None) -> Program:
    """The program, or 404 when it doesn't exist or is a draft the user may not see."""
    try:
        return visible_programs(user, queryset).get(pk=pk)
    except Program.DoesNotExist:
        raise Http404("找不到此總處執行計畫") from None


def get_rubric_for_hq(user, pk: int) -> Rubric:
    require_hq(user)
    try:
        return Rubric.objects.select_related("office").get(pk=pk)
    except Rubric.DoesNotExist:
        raise Http404("找不到此評分表") from None
