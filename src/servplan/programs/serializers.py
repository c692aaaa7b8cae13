"""A strategy tree as plain data (the JSON shape of plans and programs)."""

from django.db.models import Prefetch

from servplan.programs.models import Facet, Outline, Practice, PracticeDepartment


def outline_prefetch(prefix: str = "") -> list:
    """Prefetches that load a whole tree in a fixed number of queries."""
    return [
        Prefetch(f"{prefix}facets", queryset=Facet.objects.order_by("position")),
        f"{prefix}facets__strategies",
        f"{prefix}facets__strategies__measures",
        Prefetch(
            f"{prefix}facets__strategies__measures__practices",
            queryset=Practice.objects.prefetch_related(
                Prefetch(
                    "department_links",
                    queryset=PracticeDepartment.objects.select_related("department"),
                )
            ),
        ),
    ]


def outline_to_list(outline: Outline) -> list[dict]:
    return [
        {
            "name": facet.name,
            "strategies": [
                {
                    "name": strategy.name,
                    "measures": [
                        {
                            "name": measure.name,
                            "practices": [
                                {
                                    "number": practice.number,
                                    "text": practice.text,
                                    "departments": [
                                        link.department.name
                                        for link in practice.department_links.all()
                                    ],
                                    "period": practice.period,
                                }
                                for practice in measure.practices.all()
                            ],
                        }
                        for measure in strategy.measures.all()
                    ],
                }
                for strategy in facet.strategies.all()
            ],
        }
        for facet in outline.facets.all()
    ]
