"""Bringing a database up to date with the shipped data: what `servplan init` does."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.management import call_command

from servplan.assessments.domain import load_assessment
from servplan.core.data import data_path, read_yaml
from servplan.offices.domain import sync_offices
from servplan.periods.domain import load_typos
from servplan.plans.domain import load_plan
from servplan.programs.domain import load_program, load_rubric


@dataclass
class InitReport:
    offices_created: int = 0
    loaded: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)

    def note(self, label: str, created: bool) -> None:
        (self.loaded if created else self.existing).append(label)


def init_database(*, sample: bool = False) -> InitReport:
    """Migrate, then load the shipped data (see load_shipped_data)."""
    call_command("migrate", interactive=False, verbosity=0)
    return load_shipped_data(sample=sample)


def load_shipped_data(*, sample: bool = False) -> InitReport:
    """Load offices, programs, rubrics and the list of typos (and with `sample` the seed records).

    Idempotent: what exists already is left as it is. Each file loads in its own transaction.
    """
    report = InitReport(offices_created=sync_offices(data=read_yaml(data_path("offices.yaml"))))
    for path in sorted(data_path("programs").glob("*.yaml")):
        program, created = load_program(data=read_yaml(path))
        report.note(program.title, created)
    for path in sorted(data_path("rubrics").glob("*.yaml")):
        rubric, created = load_rubric(data=read_yaml(path))
        report.note(str(rubric), created)
    added = load_typos(data=read_yaml(data_path("typos.yaml")))
    report.note(f"常見錯別字清單（新增 {added} 筆）" if added else "常見錯別字清單", bool(added))
    if sample:
        for path in sorted(data_path("samples").glob("plan-*.yaml")):
            plan, created = load_plan(data=read_yaml(path))
            report.note(plan.title, created)
        for path in sorted(data_path("samples").glob("assessment-*.yaml")):
            assessment, created = load_assessment(data=read_yaml(path))
            report.note(f"{assessment} 自行考核", created)
    return report
