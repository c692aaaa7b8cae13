"""The offices as their list shows them, for the page and the API alike."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from servplan.offices.models import Department, Membership, Office


def listed_offices() -> QuerySet[Office]:
    """Every office in its order, with `member_count` and its departments in order.

    The members are counted by a subquery, so counting the offices for a page sums nothing
    (thousands of offices with a sample)."""
    members = (
        Membership.objects.filter(office=OuterRef("pk"))
        .order_by()
        .values("office")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Office.objects.annotate(member_count=Coalesce(Subquery(members), 0))
        .order_by("position", "name")
        .prefetch_related(Prefetch("departments", queryset=Department.objects.order_by("position")))
    )
