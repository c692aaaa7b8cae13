"""Changes to programs (their strategy trees) and rubrics.

Loading and copying trees and rubrics lives here; HQ's drafts, versions and publication in
`versions` (programs), `tree` (a draft program's tree) and `rubric_drafts` (rubrics).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from servplan.core.errors import DomainError
from servplan.core.narrative import clean_text, normalize
from servplan.core.parsing import check_length
from servplan.core.roc import RocError, check_roc_year
from servplan.core.scores import format_score
from servplan.offices.models import Department, Office
from servplan.programs.lookups import hq_program
from servplan.programs.models import (
    Facet,
    Measure,
    Outline,
    Practice,
    PracticeDepartment,
    Program,
    Publication,
    Rubric,
    RubricCell,
    RubricDimension,
    RubricItem,
    Strategy,
)


class RubricError(DomainError):
    pass


def _name(text: str | None) -> str:
    """A name as stored: cleaned (core.narrative) and on one line."""
    return " ".join(clean_text(text or "").split())


def _year(value: object, *, what: str) -> int:
    try:
        return check_roc_year(value)
    except RocError as exc:
        raise DomainError(f"{what}：{exc}", where="roc_year") from None


# The score columns hold seven digits, one of them after the point.
MAX_POINTS = Decimal("99999.5")


def _points(value: Decimal, *, where: str) -> None:
    if not (value.is_finite() and 0 < value <= MAX_POINTS and value * 2 == int(value * 2)):
        raise RubricError(
            f"{where}：配分 {value} 不正確（須大於 0、不超過 {format_score(MAX_POINTS)}，整數或 0.5 分）",
            where=where,
        )


@dataclass
class CellSpec:
    item: str
    max: Decimal
    scoring_focus: str = ""


@dataclass
class DimensionSpec:
    name: str
    max: Decimal
    cells: list[CellSpec]
    scoring_focus: str = ""


@dataclass
class RubricSpec:
    """A rubric as data: what a file, a form or an import says it is."""

    roc_year: int
    title: str
    total_max: Decimal
    items: list[str]
    dimensions: list[DimensionSpec] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Every way a rubric comes in (a data file, an import) is a spec: clean its texts here.
        self.title = _name(self.title)
        self.items = [_name(i) for i in self.items]
        for d in self.dimensions:
            d.name, d.scoring_focus = _name(d.name), normalize(d.scoring_focus or "")
            for c in d.cells:
                c.item, c.scoring_focus = _name(c.item), normalize(c.scoring_focus or "")

    @classmethod
    def from_data(cls, data: dict) -> RubricSpec:
        return cls(
            roc_year=int(data["roc_year"]),
            title=data["title"],
            total_max=Decimal(str(data["total_max"])),
            items=list(data["items"]),
            dimensions=[
                DimensionSpec(
                    name=d["name"],
                    max=Decimal(str(d["max"])),
                    scoring_focus=d.get("scoring_focus", "") or "",
                    cells=[
                        CellSpec(
                            c["item"], Decimal(str(c["max"])), c.get("scoring_focus", "") or ""
                        )
                        for c in d["cells"]
                    ],
                )
                for d in data["dimensions"]
            ],
        )


def validate_rubric(spec: RubricSpec) -> None:
    """Refuse a rubric whose cells don't add up to their dimension, or dimensions to the total,
    or whose year, names or points the database columns would not hold."""
    _year(spec.roc_year, what="評分表年度")
    check_length(spec.title, limit=200, label="評分表名稱", where="title")
    for name in spec.items:
        check_length(name, limit=100, label="評核項目名稱", where="items")
    for d in spec.dimensions:
        check_length(d.name, limit=100, label="執行構面名稱", where="dimensions")
    if not spec.dimensions:
        raise RubricError("評分表至少須有一個執行構面", where="dimensions")
    if len(set(spec.items)) != len(spec.items):
        raise RubricError("評核項目名稱重複", where="items")
    names = [d.name for d in spec.dimensions]
    if len(set(names)) != len(names):
        raise RubricError("執行構面名稱重複", where="dimensions")
    for dimension in spec.dimensions:
        for cell in dimension.cells:
            if cell.item not in spec.items:
                raise RubricError(
                    f"{dimension.name}：評核項目「{cell.item}」不在評分表的項目中",
                    where=dimension.name,
                )
            _points(cell.max, where=f"{dimension.name}／{cell.item}")
        cell_sum = sum((c.max for c in dimension.cells), Decimal(0))
        if cell_sum != dimension.max:
            raise RubricError(
                f"{dimension.name}：各評核項目配分合計 {format_score(cell_sum)} 分，"
                f"與構面配分 {format_score(dimension.max)} 分不符",
                where=dimension.name,
            )
    total = sum((d.max for d in spec.dimensions), Decimal(0))
    _points(total, where="總分")
    if total != spec.total_max:
        raise RubricError(
            f"各執行構面配分合計 {format_score(total)} 分，與總分 {format_score(spec.total_max)} 分不符",
            where="total",
        )


@transaction.atomic
def create_rubric(
    *,
    spec: RubricSpec,
    office: Office | None = None,
    version: int = 1,
    supersedes: Rubric | None = None,
    status: str = Publication.PUBLISHED,
) -> Rubric:
    """Store a validated rubric (published unless HQ starts a draft: rubric_drafts).
    Side effects: creates the rubric with its dimensions, items and cells."""
    validate_rubric(spec)
    rubric = Rubric.objects.create(
        roc_year=spec.roc_year,
        title=spec.title,
        total_max=spec.total_max,
        office=office,
        version=version,
        supersedes=supersedes,
        status=status,
        published_at=timezone.now() if status == Publication.PUBLISHED else None,
    )
    fill_rubric(rubric=rubric, spec=spec)
    return rubric


def fill_rubric(*, rubric: Rubric, spec: RubricSpec) -> None:
    """Create the items, dimensions and cells of a validated spec under an empty rubric."""
    items = {
        name: RubricItem.objects.create(rubric=rubric, position=position, name=name)
        for position, name in enumerate(spec.items, start=1)
    }
    for position, d in enumerate(spec.dimensions, start=1):
        dimension = RubricDimension.objects.create(
            rubric=rubric,
            position=position,
            name=d.name,
            max_score=d.max,
            scoring_focus=d.scoring_focus,
        )
        RubricCell.objects.bulk_create(
            RubricCell(
                dimension=dimension,
                item=items[c.item],
                max_score=c.max,
                scoring_focus=c.scoring_focus,
            )
            for c in d.cells
        )


def rubric_spec(rubric: Rubric) -> RubricSpec:
    """The spec a stored rubric was made from (to revise it)."""
    cells = defaultdict(list)
    for cell in RubricCell.objects.filter(dimension__rubric=rubric).select_related("item"):
        cells[cell.dimension_id].append(
            CellSpec(cell.item.name, cell.max_score, cell.scoring_focus)
        )
    return RubricSpec(
        roc_year=rubric.roc_year,
        title=rubric.title,
        total_max=rubric.total_max,
        items=[i.name for i in rubric.items.all()],
        dimensions=[
            DimensionSpec(d.name, d.max_score, cells[d.id], d.scoring_focus)
            for d in rubric.dimensions.all()
        ],
    )


@transaction.atomic
def revise_rubric(*, rubric: Rubric, spec: RubricSpec) -> Rubric:
    """Change a rubric. One in use by an assessment is frozen: the change makes a new version
    and the assessments keep the old one.

    Side effects: either replaces the rubric's dimensions/items/cells in place (unused rubric)
    or creates a new Rubric with version + 1 that supersedes it. Returns the rubric to use.
    """
    validate_rubric(spec)
    if rubric.is_frozen:
        latest = (
            Rubric.objects.filter(roc_year=spec.roc_year, title=spec.title)
            .order_by("-version")
            .first()
        )
        next_version = (latest.version if latest else rubric.version) + 1
        return create_rubric(
            spec=spec, office=rubric.office, version=next_version, supersedes=rubric
        )
    RubricCell.objects.filter(dimension__rubric=rubric).delete()
    rubric.dimensions.all().delete()
    rubric.items.all().delete()
    version, office, supersedes = rubric.version, rubric.office, rubric.supersedes
    status = rubric.status
    rubric.delete()
    return create_rubric(
        spec=spec, office=office, version=version, supersedes=supersedes, status=status
    )


@transaction.atomic
def load_rubric(*, data: dict) -> tuple[Rubric, bool]:
    """The rubric of a data file: found by year, title and version, created when missing."""
    spec = RubricSpec.from_data(data)
    version = int(data.get("version", 1))
    existing = Rubric.objects.filter(
        roc_year=spec.roc_year, title=spec.title, version=version
    ).first()
    if existing:
        return existing, False
    return create_rubric(spec=spec, version=version), True


def _departments(names: list[str]) -> list[Department]:
    names = [
        check_length(_name(n), limit=50, label="承辦部門名稱", where="departments") for n in names
    ]
    found = {d.name: d for d in Department.objects.filter(name__in=names)}
    missing = [n for n in names if n not in found]
    if missing:
        found.update(
            {d.name: d for d in Department.objects.bulk_create(Department(name=n) for n in missing)}
        )
    return [found[n] for n in names]


@transaction.atomic
def build_outline(*, facets: list[dict]) -> Outline:
    """Store a strategy tree given as data (facets → strategies → measures → practices).

    Departments and period may be given per measure (as the forms print them) or per practice.
    Texts are cleaned (core.narrative); a name longer than its column is refused.
    Side effects: creates the Outline and its nodes; creates unknown departments.
    """

    def name(text: str | None, label: str, limit: int = 100) -> str:
        return check_length(_name(text), limit=limit, label=label, where=label)

    outline = Outline.objects.create()
    for f_pos, f in enumerate(facets, start=1):
        facet = Facet.objects.create(outline=outline, position=f_pos, name=name(f["name"], "面向"))
        for s_pos, s in enumerate(f.get("strategies", []), start=1):
            strategy = Strategy.objects.create(
                facet=facet, position=s_pos, name=name(s["name"], "執行策略")
            )
            for m_pos, m in enumerate(s.get("measures", []), start=1):
                measure = Measure.objects.create(
                    strategy=strategy, position=m_pos, name=name(m.get("name"), "子策略")
                )
                for p_pos, p in enumerate(m.get("practices", []), start=1):
                    number = p.get("number")
                    if number is not None and not 0 <= number <= 32767:
                        raise DomainError(f"具體作法編號 {number} 不正確", where="具體作法")
                    practice = Practice.objects.create(
                        measure=measure,
                        position=p_pos,
                        number=number,
                        text=normalize(p["text"]),
                        period=name(p.get("period", m.get("period", "")), "執行期間", 50),
                    )
                    names = p.get("departments", m.get("departments", []))
                    PracticeDepartment.objects.bulk_create(
                        PracticeDepartment(practice=practice, department=d, position=i)
                        for i, d in enumerate(_departments(names), start=1)
                    )
    return outline


@transaction.atomic
def copy_outline(*, outline: Outline, from_program: bool) -> Outline:
    """A new, independent copy of a tree (an office adapts HQ's program in its own copy).

    Each copied strategy and practice links to the program item it stands for (`origin`):
    copying HQ's program (`from_program`) links to the program's own items; copying a plan
    (last year's) keeps its items' links, so the office's own additions stay its own.
    Side effects: creates the Outline and its nodes (with bulk inserts, level by level);
    practices start again at version 1.
    """

    def origin_of(item):
        return item.pk if from_program else item.origin_id

    copy = Outline.objects.create()
    facets = list(Facet.objects.filter(outline=outline).order_by("position"))
    new_facets = Facet.objects.bulk_create(
        Facet(outline=copy, position=f.position, name=f.name) for f in facets
    )
    facet_map = {old.pk: new for old, new in zip(facets, new_facets, strict=True)}
    strategies = list(Strategy.objects.filter(facet__outline=outline))
    new_strategies = Strategy.objects.bulk_create(
        Strategy(
            facet=facet_map[s.facet_id], position=s.position, name=s.name, origin_id=origin_of(s)
        )
        for s in strategies
    )
    strategy_map = {old.pk: new for old, new in zip(strategies, new_strategies, strict=True)}
    measures = list(Measure.objects.filter(strategy__facet__outline=outline))
    new_measures = Measure.objects.bulk_create(
        Measure(strategy=strategy_map[m.strategy_id], position=m.position, name=m.name)
        for m in measures
    )
    measure_map = {old.pk: new for old, new in zip(measures, new_measures, strict=True)}
    practices = list(Practice.objects.filter(measure__strategy__facet__outline=outline))
    new_practices = Practice.objects.bulk_create(
        Practice(
            measure=measure_map[p.measure_id],
            position=p.position,
            number=p.number,
            text=p.text,
            period=p.period,
            target=p.target,
            origin_id=origin_of(p),
            not_applicable=p.not_applicable,
            not_applicable_reason=p.not_applicable_reason,
        )
        for p in practices
    )
    practice_map = {old.pk: new for old, new in zip(practices, new_practices, strict=True)}
    PracticeDepartment.objects.bulk_create(
        PracticeDepartment(
            practice=practice_map[link.practice_id],
            department_id=link.department_id,
            position=link.position,
        )
        for link in PracticeDepartment.objects.filter(
            practice__measure__strategy__facet__outline=outline
        )
    )
    return copy


@transaction.atomic
def load_program(*, data: dict) -> tuple[Program, bool]:
    """The program of a data file, found by ROC year (HQ's latest published version of it),
    created with its tree when the year has none, as its published version 1 (a draft HQ is
    writing for the year stays a draft). `reason` is the publication's note.
    Side effects: creates the Program and its tree (build_outline) when missing."""
    year = _year(data["roc_year"], what="總處執行計畫年度")
    existing = hq_program(year)
    if existing:
        return existing, False
    program = Program.objects.create(
        roc_year=year,
        reason=normalize(data.get("reason", "") or ""),
        published_at=timezone.now(),
        title=check_length(_name(data["title"]), limit=200, label="計畫名稱", where="title"),
        issued_on=data.get("issued_on"),
        letter_number=check_length(
            _name(data.get("letter_number")), limit=100, label="函號", where="letter_number"
        ),
        outline=build_outline(facets=data.get("facets", [])),
    )
    return program, True
