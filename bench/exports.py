"""Export timings: every format for the seed assessment, the 24-office batch, and LibreOffice.

    .venv/bin/python bench/exports.py [--runs 7] [--write docs/benchmarks.md]

Builds a throw-away SQLite database (the seeds, plus the seed assessment copied to 23 more
offices for the batch), then reports medians. "warm" means the process has compiled a PDF
before (fonts loaded); the PDF is measured on a different office's document each run so
that Typst's cache of identical inputs doesn't flatter it. LibreOffice (only for this
comparison: apt-get install libreoffice-writer-nogui) converts our own ODT of the same form.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import machine, write_section

ROOT = Path(__file__).resolve().parents[1]
OFFICES = 24
WORK = Path()
NOTES = """## Reading these numbers

- The machine these were measured on is shared with other work (see the load average):
  wall-clock times are inflated, sometimes several-fold; the CPU-time column is this
  process's own work and is the steadier figure.
- A form's PDF costs about 25-60 ms of CPU: Typst lays out the tables and subsets the
  Noto Serif CJK TC font (CFF) into every PDF. The first PDF of a process also loads the
  fonts (a few hundred ms); `servplan` does that once per process, and the batch reuses
  one compiler for every form.
- The 24 offices of the batch are copies of the seed, so their narratives are identical
  and Typst's layout cache serves much of the second and later offices; real offices
  write different text, so expect the batch to approach 72 × the single-form time.
- `--jobs N` runs the PDFs in N worker processes, each with its own compiler. Each worker
  starts cold (fonts, empty cache), so it only pays off when the cores are otherwise
  idle (as here, where it is the default); on a busy machine `--jobs 1` is as fast or faster.
- LibreOffice's time is mostly its own start-up, whatever the document; it needs a
  writable HOME (the benchmark gives it a throw-away one).
"""


def bootstrap() -> None:
    """A throw-away database. Not at import time: the PDF workers are spawned processes that
    import this module again."""
    global WORK
    WORK = Path(tempfile.mkdtemp(prefix="servplan-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "servplan.settings.base"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def setup_data():
    from django.core.management import call_command

    from servplan.assessments.domain import load_assessment
    from servplan.core.data import data_path, read_yaml
    from servplan.core.setup import load_shipped_data
    from servplan.offices.models import Office

    call_command("migrate", verbosity=0)
    load_shipped_data(sample=True)
    seed = read_yaml(data_path("samples") / "assessment-taitung-114-1-6.yaml")
    others = Office.objects.exclude(name=seed["office"]).order_by("position")[: OFFICES - 1]
    for office in others:
        load_assessment(data={**seed, "office": office.name})


def median_time(fn, runs: int) -> float:
    return median_times(fn, runs)[0]


def median_times(fn, runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU time of this process (the CPU time is what a shared,
    busy machine distorts least)."""
    walls, cpus = [], []
    for i in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        fn(i)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def libreoffice_time(odt: bytes, runs: int) -> float | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    home = WORK / "lo-home"
    home.mkdir(exist_ok=True)
    source = WORK / "form.odt"
    source.write_bytes(odt)

    def convert(_):
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(WORK), str(source)],
            check=True,
            capture_output=True,
            env={**os.environ, "HOME": str(home)},
            timeout=300,
        )

    convert(0)  # the first start creates the profile
    return median_time(convert, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--write", help="write the results as Markdown to this file")
    args = parser.parse_args()
    bootstrap()

    from servplan.assessments.sheet import sheet_queryset
    from servplan.core.roc import Period
    from servplan.documents import pdf
    from servplan.documents.batch import export_period
    from servplan.documents.export import DATA_FORMATS, export_assessment, export_plan
    from servplan.plans.serializers import plans_for_export

    setup_data()
    assessments = list(sheet_queryset().order_by("office__position"))
    seed = next(a for a in assessments if a.office.name == "台東區營業處")
    plan = plans_for_export().get()
    runs = args.runs

    start = time.perf_counter()
    export_assessment(seed, fmt="pdf", form="score-sheet")
    cold = time.perf_counter() - start

    load_before = os.getloadavg()
    rows: list[tuple[str, float]] = []
    cpu_rows: dict[str, float] = {}
    for form in ("score-sheet", "summary", "follow-up", "all"):
        wall, cpu = median_times(
            lambda i, form=form: export_assessment(
                assessments[(i + 1) % len(assessments)], fmt="pdf", form=form
            ),
            runs,
        )
        rows.append((f"PDF {form}", wall))
        cpu_rows[f"PDF {form}"] = cpu
    wall, cpu = median_times(lambda i: export_assessment(seed, fmt="pdf", form="score-sheet"), runs)
    rows.append(("PDF score-sheet, same document again", wall))
    cpu_rows["PDF score-sheet, same document again"] = cpu
    for fmt in ("odt", "docx"):
        for form in ("score-sheet", "all"):
            rows.append(
                (
                    f"{fmt.upper()} {form}",
                    median_time(
                        lambda i, fmt=fmt, form=form: export_assessment(seed, fmt=fmt, form=form),
                        runs,
                    ),
                )
            )
    for fmt in DATA_FORMATS:
        rows.append(
            (
                fmt.upper(),
                median_time(lambda i, fmt=fmt: export_assessment(seed, fmt=fmt), runs),
            )
        )
    for fmt in ("pdf", "odt", "docx"):
        rows.append(
            (
                f"plan {fmt.upper()}",
                median_time(lambda i, fmt=fmt: export_plan(plan, fmt=fmt), runs),
            )
        )

    period = Period(114, 1, 6)
    batch_runs = max(3, runs // 2)
    single, single_cpu = median_times(lambda i: export_period(period, fmt="pdf"), batch_runs)
    jobs = os.cpu_count() or 1
    batch, batch_cpu = median_times(
        lambda i: export_period(period, fmt="pdf", workers=0), batch_runs
    )
    zip_size = len(export_period(period, fmt="pdf"))

    comparisons = []
    for form in ("score-sheet", "all"):
        odt = export_assessment(seed, fmt="odt", form=form).content
        lo = libreoffice_time(odt, max(3, runs // 2))
        ours = dict(rows)[f"PDF {form}"]
        comparisons.append((form, ours, lo))

    now = dt.datetime.now().astimezone()
    lines = [
        "## Document exports",
        "",
        "Produced by `.venv/bin/python bench/exports.py --write docs/benchmarks.md` "
        "(a throw-away SQLite database; the seed assessment 台東區營業處 114 年度 1 月至 6 月, "
        f"copied to {OFFICES} offices for the batch).",
        "",
        f"- date: {now:%Y-%m-%d %H:%M %Z}",
        f"- machine: {machine()}",
        f"- typst (Python) {__import__('typst').__version__}, fonts from {pdf.FONT_PATHS[0]} only",
        f"- runs per measurement: {runs} (median)",
        f"- load average (1 min) before / after: {load_before[0]:.2f} / {os.getloadavg()[0]:.2f}"
        " (other work on the machine inflates wall-clock times; CPU time is this process's own)",
        "",
        "## One export of the seed assessment (warm process)",
        "",
        "| export | median | CPU time |",
        "|---|---:|---:|",
        f"| PDF score-sheet, first in a fresh process (fonts load) | {cold * 1000:.0f} ms | |",
        *(
            f"| {name} | {t * 1000:.1f} ms | "
            + (f"{cpu_rows[name] * 1000:.1f} ms |" if name in cpu_rows else "|")
            for name, t in rows
        ),
        "",
        "The PDF rows render a different office's document each run, so Typst's cache of an",
        "identical input does not count; the 'same document again' row shows that cache.",
        "",
        f"## Batch: every office's three forms for 114 年度 1 月至 6 月 ({OFFICES} offices, {OFFICES * 3} PDFs)",
        "",
        "| export | median | CPU time |",
        "|---|---:|---:|",
        f"| `servplan export period 114-1-6 --format pdf --jobs 1` (ZIP of {zip_size / 1e6:.1f} MB, without process start): one compiler in this (warm) process | {single:.2f} s | {single_cpu:.2f} s |",
        f"| the same with `--jobs 0` (the command's default): {jobs} worker processes, started cold each run | {batch:.2f} s | {batch_cpu:.2f} s (this process only) |",
        "",
        "## Our PDF vs LibreOffice converting our own ODT",
        "",
        "| form | our PDF | `libreoffice --headless --convert-to pdf` | ratio |",
        "|---|---:|---:|---:|",
    ]
    for form, ours, lo in comparisons:
        if lo is None:
            lines.append(f"| {form} | {ours * 1000:.1f} ms | (LibreOffice not installed) | |")
        else:
            lines.append(
                f"| {form} | {ours * 1000:.1f} ms | {lo * 1000:.0f} ms | 1 : {lo / ours:.0f} |"
            )
    lines += [
        "",
        "## Aims",
        "",
        f"- a form's PDF ≤ 0.1 s warm: {'met' if max(t for n, t in rows if n.startswith('PDF') and 'all' not in n) <= 0.1 else 'NOT met'}",
        f"- ≤ 1/10 of LibreOffice's time: {'met' if all(lo and lo / ours >= 10 for _, ours, lo in comparisons) else 'NOT met (or not measured)'}",
        f"- {OFFICES * 3}-form batch ≤ 3 s: {'met' if single <= 3 else 'NOT met'} (wall, one process), "
        f"{'met' if single_cpu <= 3 else 'NOT met'} (CPU time, one process), "
        f"{'met' if batch <= 3 else 'NOT met'} (wall, --jobs 0)",
        "",
    ]
    lines += NOTES.splitlines()
    # One level down: this is one section of docs/benchmarks.md.
    report = "\n".join(lines).replace("\n## ", "\n### ") + "\n"
    print(report)
    if args.write:
        write_section(args.write, "exports", report)
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
