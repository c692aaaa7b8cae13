"""Plan timings: the plan page (editor and read-only), a save, and the plan's PDF and ODT for a
120-practice plan, on SQLite and PostgreSQL.

    .venv/bin/python bench/plans.py [--runs 15] [--no-postgres] [--write docs/benchmarks.md]

Each database is measured in its own child process, on a throw-away database (an SQLite file,
or a database created on the local PostgreSQL at 127.0.0.1 and dropped afterwards): the shipped
offices and HQ's 112 program, 台東's draft plan of 115 started from it, with practices of the
office's own added until the plan has 120. The requests go through Django's test client in
that process (the whole middleware, view and template stack, no network and no server), logged
in as 台東's clerk (the editor) and director (the read-only page). Medians of wall-clock and
CPU time; the PDF is measured warm (the process has compiled one before) on a document changed
before every run, so that Typst's cache of an identical input does not flatter it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from report import machine, write_section

ROOT = Path(__file__).resolve().parents[1]
PRACTICES = 120
SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def bootstrap(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "servplan.settings.base"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_plan():
    """台東's 115 draft from HQ's 112 program, topped up with its own practices to 120."""
    from servplan.core.setup import load_shipped_data
    from servplan.offices.domain import add_user, find_office
    from servplan.offices.models import Role
    from servplan.plans.domain import add_practice, start_plan
    from servplan.programs.models import Measure, Practice

    load_shipped_data(sample=False)
    office = find_office("台東")
    clerk = add_user(username="bench-clerk", role=Role.CLERK, office=office)
    director = add_user(username="bench-director", role=Role.DIRECTOR, office=office)
    plan = start_plan(office=office, roc_year=115, user=clerk)
    measures = list(Measure.objects.filter(strategy__facet__outline=plan.outline))
    n = Practice.objects.filter(measure__in=measures).count()
    for i in range(PRACTICES - n):
        add_practice(
            plan=plan,
            measure=measures[i % len(measures)],
            user=clerk,
            text=f"本處自辦作法第 {i + 1} 項：辦理用戶座談會並追蹤改善",
            departments=["業務組", "總務組"],
            period="每季",
        )
    assert Practice.objects.filter(measure__in=measures).count() == PRACTICES
    return plan, clerk, director


def timed(fn, runs: int, prepare=None) -> dict:
    """Median wall-clock and CPU time (ms) of `fn(i)`; `prepare(i)` runs before, untimed."""
    walls, cpus = [], []
    for i in range(runs):
        if prepare:
            prepare(i)
        wall, cpu = time.perf_counter(), time.process_time()
        fn(i)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"wall": statistics.median(walls) * 1000, "cpu": statistics.median(cpus) * 1000}


def measure(database_url: str, runs: int) -> dict:
    bootstrap(database_url)
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from servplan.plans.domain import update_practice
    from servplan.programs.models import Practice

    plan, clerk, director = build_plan()
    editor, reader = Client(SERVER_NAME="localhost"), Client(SERVER_NAME="localhost")
    editor.force_login(clerk)
    reader.force_login(director)
    page = reverse("plan-detail", args=[plan.pk])
    practices = list(
        Practice.objects.filter(measure__strategy__facet__outline=plan.outline).order_by("pk")
    )

    def get(client, url, **headers):
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
        return response

    originals = {p.pk: p.text for p in practices}

    def change_text(i):
        p = Practice.objects.get(pk=practices[i % len(practices)].pk)
        text = f"{originals[p.pk]}（第 {i} 次修改）"
        update_practice(practice=p, user=None, text=text, expected_version=p.version)

    def save(i):
        p = practices[i % len(practices)]
        p.refresh_from_db()
        response = editor.post(
            reverse("plan-practice", args=[plan.pk, p.pk]),
            {"period": f"{i % 12 + 1} 月", "version": p.version},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200, response.content[:200]

    size = len(get(editor, page).content)
    start = time.perf_counter()
    get(editor, reverse("plan-export", args=[plan.pk, "pdf"]))
    cold_pdf = (time.perf_counter() - start) * 1000
    pdf_bytes = len(get(editor, reverse("plan-export", args=[plan.pk, "pdf"])).content)
    rows = {
        "plan page, the clerk's editor": timed(lambda i: get(editor, page), runs),
        "plan page, read-only (director)": timed(lambda i: get(reader, page), runs),
        "pre-submit check panel (HTMX)": timed(
            lambda i: get(editor, reverse("plan-checks", args=[plan.pk])), runs
        ),
        "save one practice (HTMX, with the check panel)": timed(save, runs),
        "plan PDF (download, warm, changed document)": timed(
            lambda i: get(editor, reverse("plan-export", args=[plan.pk, "pdf"])),
            runs,
            prepare=change_text,
        ),
        "plan ODT (download)": timed(
            lambda i: get(editor, reverse("plan-export", args=[plan.pk, "odt"])), runs
        ),
    }
    label = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    version = connection.cursor().connection.info.server_version if label == "PostgreSQL" else None
    return {
        "database": label if version is None else f"{label} {version // 10000}.{version % 100}",
        "rows": rows,
        "cold_pdf": cold_pdf,
        "page_bytes": size,
        "pdf_bytes": pdf_bytes,
    }


def child(kind: str, runs: int) -> None:
    if kind == "sqlite":
        work = Path(tempfile.mkdtemp(prefix="servplan-bench-plans-"))
        print(json.dumps(measure(f"sqlite:///{work / 'bench.sqlite3'}", runs)))
        return
    import psycopg

    name = f"servplan_bench_plans_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        print(json.dumps(measure(f"postgres://postgres@127.0.0.1:5432/{name}", runs)))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_child(kind: str, runs: int) -> dict | None:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--runs", str(runs)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode != 0:
        print(f"{kind}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(results: list[dict], runs: int, load: tuple[float, float]) -> str:
    now = dt.datetime.now().astimezone()
    names = list(results[0]["rows"])
    lines = [
        f"## Plans: the plan page and the plan PDF ({PRACTICES} practices)",
        "",
        "Produced by `.venv/bin/python bench/plans.py --write docs/benchmarks.md`: 台東's 115 "
        f"draft plan from HQ's 112 program, topped up to {PRACTICES} practices; requests "
        "through Django's test client in one process (no network, no server).",
        "",
        f"- date: {now:%Y-%m-%d %H:%M %Z}",
        f"- machine: {machine()}",
        f"- runs per measurement: {runs} (median)",
        f"- load average (1 min) before / after: {load[0]:.2f} / {load[1]:.2f}"
        " (other work on the machine inflates wall-clock times; CPU time is this process's own)",
        f"- the editor page is {results[0]['page_bytes'] / 1024:.0f} KiB of HTML; the PDF "
        f"{results[0]['pdf_bytes'] / 1024:.0f} KiB",
        "",
        "| request | " + " | ".join(f"{r['database']} median | CPU" for r in results) + " |",
        "|---|" + "---:|---:|" * len(results),
    ]
    for name in names:
        cells = " | ".join(
            f"{r['rows'][name]['wall']:.1f} ms | {r['rows'][name]['cpu']:.1f} ms" for r in results
        )
        lines.append(f"| {name} | {cells} |")
    lines.append(
        "| plan PDF, first in a fresh process (fonts load) | "
        + " | ".join(f"{r['cold_pdf']:.0f} ms | " for r in results)
        + " |"
    )
    lines += [
        "",
        "- The page asks the same number of queries whatever the tree's size",
        "  (tests/test_plan_pages.py): its time is the template rendering the editor's",
        "  controls, about 1,000 department checkboxes for 120 practices of an office with",
        "  8 departments; the read-only page renders a plain table.",
        "- A save answers the practice's message and the whole check panel, so it reads the",
        "  plan's tree again (a fixed number of queries too).",
        "- The PDF row changes one practice before every run, so Typst's cache of an identical",
        "  input does not serve it.",
    ]
    return "\n".join(lines).replace("\n## ", "\n### ") + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--write", help="write the results as Markdown to this file")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.runs)
        return
    before = os.getloadavg()
    kinds = ["sqlite"] if args.no_postgres else ["sqlite", "postgres"]
    results = [r for r in (run_child(kind, args.runs) for kind in kinds) if r]
    if not results:
        sys.exit(1)
    text = report(results, args.runs, (before[0], os.getloadavg()[0]))
    print(text)
    if args.write:
        write_section(args.write, "plans", text)


if __name__ == "__main__":
    main()
