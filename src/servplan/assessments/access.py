"""Which assessments a user may see (one rule, used by pages, the API and the CLI)."""

from django.db.models import QuerySet
from django.http import Http404

from servplan.assessments.models import (
    LOCKED_STATUSES,
    Assessment,
    CellScore,
    Evidence,
    Finding,
    Improvement,
)
from servplan.core.errors import DomainError
from servplan.offices.access import is_admin, is_clerk_of, is_hq, office_id
from servplan.offices.domain import find_office
from servplan.offices.models import Office


def visible_assessments(user, queryset: QuerySet[Assessment] | None = None) -> QuerySet[Assessment]:
    """Office staff: their office's. HQ reviewers: submitted and reviewed ones. Admins: all."""
    qs = Assessment.objects.all() if queryset is None else queryset
    if is_admin(user):
        return qs
    if is_hq(user):
        return qs.filter(status__in=LOCKED_STATUSES)
    own = office_id(user)
    return qs.filter(office_id=own) if own else qs.none()


def get_assessment_for_user(
    user, pk: int, queryset: QuerySet[Assessment] | None = None
) -> Assessment:
    """The assessment, or 404 when it doesn't exist or the user may not see it (no leaking)."""
    try:
        return visible_assessments(user, queryset).get(pk=pk)
    except Assessment.DoesNotExist:
        raise Http404("找不到此自行考核") from None


def _within(queryset: QuerySet, message: str, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404(message)
    return found


def get_cell_for_user(user, assessment_id: int, cell_id: int) -> CellScore:
    """A cell of an assessment the user may see (404 otherwise, as for the assessment)."""
    assessment = get_assessment_for_user(user, assessment_id)
    return _within(
        CellScore.objects.select_related("cell__dimension", "cell__item", "assessment"),
        "找不到此評分格",
        pk=cell_id,
        assessment=assessment,
    )


def get_evidence_for_user(user, assessment_id: int, evidence_id: int) -> Evidence:
    """An evidence file of an assessment the user may see (404 otherwise)."""
    assessment = get_assessment_for_user(user, assessment_id)
    return _within(
        Evidence.objects.select_related(
            "cell_score__cell__dimension", "cell_score__cell__item", "uploaded_by"
        ),
        "找不到此佐證資料",
        pk=evidence_id,
        cell_score__assessment=assessment,
    )


def get_finding_for_user(user, assessment_id: int, finding_id: int) -> Finding:
    """A row of the results summary of an assessment the user may see (404 otherwise)."""
    assessment = get_assessment_for_user(user, assessment_id)
    return _within(
        Finding.objects.select_related("cell__dimension", "cell__item", "assessment__office"),
        "找不到此考核發現",
        pk=finding_id,
        assessment=assessment,
    )


def get_improvement_for_user(user, assessment: Assessment, improvement_id: int) -> Improvement:
    """An improvement on the follow-up table of `assessment` (which the user may see)."""
    return _within(
        Improvement.objects.filter(findings__assessment=assessment)
        .select_related("office", "opened_in")
        .distinct(),
        "找不到此建議改善事項",
        pk=improvement_id,
    )


def can_create(user, office) -> bool:
    """The office's clerk opens its assessments (admins may too)."""
    return is_clerk_of(user, office)


def office_to_create_in(user, name: str) -> Office:
    """The office `name` for opening an assessment in: the user's own (admins: any), else 404
    exactly as for an office that doesn't exist, so nothing of another office's records shows."""
    try:
        office = find_office(name)
    except DomainError:
        office = None
    if office is None or not (is_admin(user) or office.id == office_id(user)):
        raise Http404("找不到區營業處")
    return office


def can_edit(user, assessment: Assessment) -> bool:
    """Who may change the office's own entries (scores, narratives, findings, evidence)."""
    return can_create(user, assessment.office)


def can_review(user) -> bool:
    """HQ reviewers (and admins) enter review scores, mark reviewed, release and reopen."""
    return is_hq(user)
