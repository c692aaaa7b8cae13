from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import render

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
