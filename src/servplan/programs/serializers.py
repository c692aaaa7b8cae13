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


def program_to_dict(program, *, facets: bool = False) -> dict:
    """A program as the API gives it (ISO dates); with `facets`, its tree with ids (the
    outline prefetched with outline_prefetch("outline__"))."""
    body = {
        "id": program.id,
        "roc_year": program.roc_year,
        "version": program.version,
        "status": program.status,
        "title": program.title,
        "letter_number": program.letter_number,
        "issued_on": program.issued_on.isoformat() if program.issued_on else None,
        "copied_from": program.copied_from_id,
        "supersedes": program.supersedes_id,
        "reason": program.reason,
        "published_at": program.published_at.isoformat() if program.published_at else None,
        "revision": program.revision,
    }
    if facets:
        body["facets"] = [
            {
                "id": facet.id,
                "name": facet.name,
                "strategies": [
                    {
                        "id": strategy.id,
                        "name": strategy.name,
                        "measures": [
                            {
                                "id": measure.id,
                                "name": measure.name,
                                "practices": [
                                    {
                                        "id": p.id,
                                        "number": p.number,
                                        "text": p.text,
                                        "departments": [
                                            link.department.name
                                            for link in p.department_links.all()
                                        ],
                                        "period": p.period,
                                        "origin": p.origin_id,
                                    }
                                    for p in measure.practices.all()
                                ],
                            }
                            for measure in strategy.measures.all()
                        ],
                    }
                    for strategy in facet.strategies.all()
                ],
            }
            for facet in program.outline.facets.all()
        ]
    return body
