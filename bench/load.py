"""Bounded load test: N concurrent clerks editing cells and signers approving, across offices.

Starts the production server (gunicorn, `servplan serve`) on 127.0.0.1 against a fresh
PostgreSQL database (or --database-url), drives a fixed number of requests for at most a fixed
number of seconds, then checks that every acknowledged change is in the database and that
none was overwritten. Optionally restarts the server in the middle (--restart-after-writes N):
after the first N acknowledged cell writes the server is stopped, kept down until a client has
been refused, started again, and the clients go on until N more writes are acknowledged by the
new server, so the restart always falls among writes in flight, however fast the machine.

    .venv/bin/python bench/load.py --clients 50 --requests 6000 --seconds 120
    .venv/bin/python bench/load.py --clients 10 --requests 5000 --restart-after-writes 100

Exit status: 0 when there were no errors and no lost updates, 1 otherwise.
Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from report import machine, write_section  # bench/report.py

from servplan.core.management.commands.serve import default_workers

REPO = Path(__file__).resolve().parent.parent
SERVPLAN = str(Path(sys.executable).with_name("servplan"))
PASSWORD = "load-test-password"
SIGNERS = ["section_chief", "manager", "deputy_director", "director"]


@dataclass
class Office:
    name: str
    editing_id: int
    signing_ids: list[int]
    tokens: dict[str, str]
    clerk_username: str


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    retried: int = 0
    requests: int = 0
    cell_writes: int = 0
    # acknowledged cell writes when the server was stopped, and when it answered again
    writes_at_stop: int | None = None
    writes_at_restart: int | None = None
    # cell id → list of (version, score, narrative) acknowledged with 200
    acked_cells: dict[int, list[tuple[int, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # assessment id → acknowledged decisions, in order
    acked_signoffs: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))


# ---- set-up (in this process, through the domain layer) ------------------------------------


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servplan.settings.base")
    import django

    django.setup()


def prepare(*, offices: int, signing_per_office: int) -> list[Office]:
    """Migrate, load the shipped data, and give each office users, tokens and assessments."""
    from django.core.management import call_command

    from servplan.assessments.domain import create_assessment, score_cell
    from servplan.core.roc import Period
    from servplan.core.setup import load_shipped_data
    from servplan.offices.domain import add_user
    from servplan.offices.models import ApiToken
    from servplan.offices.models import Office as OfficeModel
    from servplan.programs.models import Rubric

    call_command("migrate", interactive=False, verbosity=0)
    load_shipped_data(sample=False)
    rubric = Rubric.objects.get(roc_year=114, version=1)
    result = []
    for index, office in enumerate(OfficeModel.objects.order_by("position")[:offices]):
        tokens = {}
        clerk_username = f"load-{index}-clerk"
        for role in ["clerk", *SIGNERS]:
            user = add_user(
                username=f"load-{index}-{role}", role=role, office=office, password=PASSWORD
            )
            tokens[role] = ApiToken.issue(user)
        editing = create_assessment(office=office, rubric=rubric, period=Period(114, 1, 6))
        signing = []
        for k in range(signing_per_office):
            assessment = create_assessment(
                office=office, rubric=rubric, period=Period(100 + k, 1, 6)
            )
            # Complete, so that the pre-submit check lets the clerk submit it.
            for n, cell in enumerate(
                assessment.cells.select_related("cell__dimension", "cell__item")
            ):
                score_cell(
                    cell_score=cell,
                    score=cell.max_score,
                    narrative=f"第 {n + 1} 格的執行情形說明，內容各不相同。",
                )
            signing.append(assessment.pk)
        result.append(Office(office.name, editing.pk, signing, tokens, clerk_username))
    return result


def verify(stats: Stats) -> list[str]:
    """Every acknowledged write is in the database, and none was overwritten by a stale one."""
    from servplan.assessments.models import CellScore, SignOff
    from servplan.core.scores import format_score

    problems = []
    cells = CellScore.objects.in_bulk(list(stats.acked_cells))
    for cell_id, acks in stats.acked_cells.items():
        cell = cells[cell_id]
        versions = [v for v, _, _ in acks]
        if len(set(versions)) != len(versions):
            problems.append(
                f"cell {cell_id}: two acknowledged writes got the same version {versions}"
            )
        last_version, last_score, last_narrative = max(acks)
        if cell.version < last_version:
            problems.append(
                f"cell {cell_id}: acknowledged version {last_version} but database has {cell.version}"
            )
        elif cell.version == last_version and (
            format_score(cell.score) != last_score or cell.narrative != last_narrative
        ):
            problems.append(
                f"cell {cell_id}: acknowledged value of version {last_version} was overwritten"
            )
    for assessment_id, decisions in stats.acked_signoffs.items():
        stored = list(
            SignOff.objects.filter(assessment_id=assessment_id)
            .order_by("at", "id")
            .values_list("decision", flat=True)
        )
        if stored != decisions:
            problems.append(
                f"assessment {assessment_id}: acknowledged sign-offs {decisions}, stored {stored}"
            )
    return problems


# ---- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(*, database_url: str, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "servplan.settings.base",
    }
    proc = subprocess.Popen(
        [SERVPLAN, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login/", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server did not start: {proc.stderr.read().decode()[-2000:]}")


def stop_server(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)  # gunicorn: finish requests in flight, then exit
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ---- the clients ------------------------------------------------------------------------------


class Budget:
    """Requests left and a deadline; `enough` (when set) ends the run early once it holds."""

    def __init__(self, requests: int, seconds: float, enough=None) -> None:
        self.left = requests
        self.deadline = time.monotonic() + seconds
        self.enough = enough

    def take(self) -> bool:
        if self.left <= 0 or time.monotonic() > self.deadline:
            return False
        if self.enough is not None and self.enough():
            return False
        self.left -= 1
        return True


async def wait_for(condition, *, deadline: float) -> bool:
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


async def call(client, stats, label, method, url, *, retry=True, **kwargs):
    """One request, timed. Connection errors (a restarting server) are retried, not acknowledged."""
    for attempt in range(300):  # 60 s of retries: longer than a restart on a busy machine
        started = time.perf_counter()
        try:
            response = await client.request(method, url, **kwargs)
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
            if not retry or attempt == 299:
                stats.errors.append(f"{label}: {exc!r}")
                return None
            stats.retried += 1
            await asyncio.sleep(0.2)
            continue
        stats.latencies[label].append(time.perf_counter() - started)
        stats.requests += 1
        return response
    return None


async def clerk(base, office: Office, budget: Budget, stats: Stats, rng: random.Random) -> None:
    headers = {"Authorization": f"Bearer {office.tokens['clerk']}"}
    async with (
        httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as api,
        httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=False) as web,
    ):
        await login(web, office.clerk_username, stats)
        detail = f"/api/assessments/{office.editing_id}/"
        while budget.take():
            await think(rng)
            if rng.random() < 0.2:
                r = await call(
                    web, stats, "GET assessment page", "GET", f"/assessments/{office.editing_id}/"
                )
                if r is not None and r.status_code != 200:
                    stats.errors.append(f"page: {r.status_code}")
                continue
            r = await call(api, stats, "GET assessment (API)", "GET", detail)
            if r is None or r.status_code != 200:
                stats.errors.append(f"GET detail: {r.status_code if r else 'no answer'}")
                continue
            cell = rng.choice(r.json()["cells"])
            if not budget.take():
                break
            score = str(rng.randint(0, int(cell["max"]) * 2) / 2).removesuffix(".0")
            narrative = f"負載測試 {uuid.uuid4().hex[:8]}"
            body = {"score": score, "narrative": narrative, "version": cell["version"]}
            r = await call(
                api, stats, "PATCH cell", "PATCH", f"{detail}cells/{cell['id']}/", json=body
            )
            if r is None:
                continue
            if r.status_code == 200:
                stats.acked_cells[cell["id"]].append((r.json()["version"], score, narrative))
                stats.cell_writes += 1
            elif r.status_code == 409:
                stats.conflicts += 1
            else:
                stats.errors.append(f"PATCH cell: {r.status_code} {r.text[:200]}")


THINK = {"mean": 0.0}


async def think(rng: random.Random) -> None:
    """A person's pause between actions (uniform around the mean; none in a stress test)."""
    if THINK["mean"] > 0:
        await asyncio.sleep(rng.uniform(0, 2 * THINK["mean"]))


async def login(web: httpx.AsyncClient, username: str, stats: Stats) -> None:
    page = await call(web, stats, "GET login", "GET", "/login/")
    token = page.cookies.get("csrftoken") or web.cookies.get("csrftoken")
    r = await call(
        web,
        stats,
        "POST login",
        "POST",
        "/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": str(web.base_url) + "/login/"},
    )
    if r is None or r.status_code != 302:
        stats.errors.append(f"login {username}: {r.status_code if r else 'no answer'}")


async def signer_chain(
    base, office: Office, budget: Budget, stats: Stats, rng: random.Random
) -> None:
    """Walk each signing assessment of the office through submit and every approval."""
    clients = {
        role: httpx.AsyncClient(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        for role, token in office.tokens.items()
    }
    try:
        for assessment_id in office.signing_ids:
            steps = [("clerk", "submit")] + [(role, "approve") for role in SIGNERS]
            for role, decision in steps:
                await think(rng)
                if not budget.take():
                    return
                if decision == "submit":
                    url, body = f"/api/assessments/{assessment_id}/submit/", None
                else:
                    url, body = (
                        f"/api/assessments/{assessment_id}/signoffs/",
                        {"decision": "approve", "comment": ""},
                    )
                r = await call(clients[role], stats, f"POST {decision}", "POST", url, json=body)
                if r is None:
                    return
                if not r.is_success:
                    stats.errors.append(f"{decision} by {role}: {r.status_code} {r.text[:200]}")
                    return
                stats.acked_signoffs[assessment_id].append(decision)
    finally:
        for client in clients.values():
            await client.aclose()


async def drive(
    base, offices, *, clients: int, budget: Budget, stats: Stats, seed: int, restart
) -> None:
    rng = random.Random(seed)
    signers = max(1, clients // 5)
    tasks = [
        clerk(base, offices[i % len(offices)], budget, stats, random.Random(rng.random()))
        for i in range(clients - signers)
    ]
    tasks += [
        signer_chain(base, offices[i % len(offices)], budget, stats, random.Random(rng.random()))
        for i in range(signers)
    ]
    if restart is not None:
        tasks.append(restart())
    await asyncio.gather(*tasks)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(stats: Stats, seconds: float, problems: list[str], args) -> dict:
    rows = {
        label: {
            "count": len(v),
            "p50_ms": round(statistics.median(v) * 1000, 1),
            "p95_ms": round(percentile(v, 95) * 1000, 1),
            "p99_ms": round(percentile(v, 99) * 1000, 1),
        }
        for label, v in sorted(stats.latencies.items())
    }
    return {
        "clients": args.clients,
        "offices": args.offices,
        "workers": args.workers,
        "think_seconds": args.think,
        "database": args.database_label,
        "requests": stats.requests,
        "seconds": round(seconds, 2),
        "throughput_rps": round(stats.requests / seconds, 1) if seconds else 0,
        "errors": len(stats.errors),
        "error_samples": stats.errors[:10],
        "conflicts_409": stats.conflicts,
        "retried_during_restart": stats.retried,
        "writes_before_restart": stats.writes_at_stop,
        "writes_after_restart": (
            stats.cell_writes - stats.writes_at_restart
            if stats.writes_at_restart is not None
            else None
        ),
        "acknowledged_cell_writes": sum(len(v) for v in stats.acked_cells.values()),
        "acknowledged_signoffs": sum(len(v) for v in stats.acked_signoffs.values()),
        "lost_or_overwritten": len(problems),
        "problem_samples": problems[:10],
        "latency": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--offices", type=int, default=24)
    parser.add_argument("--requests", type=int, default=6000, help="stop after this many requests")
    parser.add_argument("--seconds", type=float, default=120, help="stop after this many seconds")
    parser.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="gunicorn worker processes (default: servplan serve's)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0,
        help="mean pause of a client between actions, in seconds (0: none, a stress test)",
    )
    parser.add_argument(
        "--signing", type=int, default=6, help="assessments per office walked through sign-off"
    )
    parser.add_argument(
        "--database-url",
        help="use this database (default: a fresh PostgreSQL database, dropped after)",
    )
    parser.add_argument(
        "--restart-after-writes",
        type=int,
        help="restart the server after this many acknowledged cell writes, then run until as "
        "many more are acknowledged by the new server",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--write", help="also write the report as a section of this Markdown file")
    args = parser.parse_args(argv)

    created_db = None
    database_url = args.database_url
    if database_url is None:
        import psycopg

        created_db = f"servplan_load_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{created_db}"')
        database_url = f"postgres://postgres@127.0.0.1:5432/{created_db}"
    args.database_label = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    THINK["mean"] = args.think
    try:
        _django(database_url)
        offices = prepare(offices=args.offices, signing_per_office=args.signing)
        port = free_port()
        server = {"proc": start_server(database_url=database_url, port=port, workers=args.workers)}

        stats = Stats()
        n = args.restart_after_writes

        async def restart():
            deadline = budget.deadline
            if not await wait_for(lambda: stats.cell_writes >= n, deadline=deadline):
                stats.errors.append(f"restart: fewer than {n} writes before the deadline")
                return
            stats.writes_at_stop = stats.cell_writes
            retried = stats.retried
            # SIGTERM: gunicorn stops listening and finishes the requests in flight.
            stop = asyncio.create_task(asyncio.to_thread(stop_server, server["proc"]))
            # Stay down until a client has been refused: the restart provably met a writer.
            refused = await wait_for(lambda: stats.retried > retried, deadline=deadline)
            await stop
            if not refused:
                stats.errors.append("restart: no client tried to write while the server was down")
            server["proc"] = await asyncio.to_thread(
                start_server, database_url=database_url, port=port, workers=args.workers
            )
            stats.writes_at_restart = stats.cell_writes

        def enough() -> bool:
            return (
                stats.writes_at_restart is not None
                and stats.cell_writes - stats.writes_at_restart >= n
            )

        budget = Budget(args.requests, args.seconds, enough if n is not None else None)
        started = time.perf_counter()
        asyncio.run(
            drive(
                f"http://127.0.0.1:{port}",
                offices,
                clients=args.clients,
                budget=budget,
                stats=stats,
                seed=args.seed,
                restart=restart if n is not None else None,
            )
        )
        elapsed = time.perf_counter() - started
        stop_server(server["proc"])
        from django.db import connection

        connection.close()
        problems = verify(stats)
        result = report(stats, elapsed, problems, args)
    finally:
        if created_db:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(
                "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
            ) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{created_db}" WITH (FORCE)')
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_report(result)
    if args.write:
        write_section(
            args.write, f"load-{args.clients}-{args.think:g}", markdown_report(result, argv)
        )
    return 0 if result["errors"] == 0 and result["lost_or_overwritten"] == 0 else 1


def markdown_report(r: dict, argv: list[str] | None) -> str:
    command = " ".join(["bench/load.py", *(sys.argv[1:] if argv is None else argv)])
    lines = [
        f"## Load: {r['clients']} clients, mean pause {r['think_seconds']} s",
        "",
        f"Produced by `.venv/bin/python {command}`: `servplan serve` ({r['workers']} gunicorn workers) "
        f"on 127.0.0.1 with {r['database']}, {r['offices']} offices; the load runs on the same machine.",
        "",
        f"- date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- machine: {machine()}",
        f"- {r['requests']} requests in {r['seconds']} s: **{r['throughput_rps']} requests/s**",
        f"- errors: **{r['errors']}**; lost or overwritten acknowledged writes: **{r['lost_or_overwritten']}** "
        f"(of {r['acknowledged_cell_writes']} cell writes and {r['acknowledged_signoffs']} sign-offs); "
        f"409 conflicts (stale versions, refused as they should be): {r['conflicts_409']}",
        "",
        "| endpoint | count | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, row in r["latency"].items():
        lines.append(
            f"| {label} | {row['count']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} |"
        )
    return "\n".join(lines) + "\n"


def print_report(r: dict) -> None:
    print(
        f"{r['clients']} clients (mean pause {r['think_seconds']} s), {r['offices']} offices, "
        f"{r['workers']} workers, {r['database']}"
    )
    print(f"{r['requests']} requests in {r['seconds']} s: {r['throughput_rps']} requests/s")
    print(
        f"errors: {r['errors']}  409 conflicts: {r['conflicts_409']}  retried during restart: {r['retried_during_restart']}"
    )
    print(
        f"acknowledged: {r['acknowledged_cell_writes']} cell writes, {r['acknowledged_signoffs']} sign-offs"
    )
    print(f"lost or overwritten: {r['lost_or_overwritten']}")
    for sample in r["error_samples"] + r["problem_samples"]:
        print(f"  ! {sample}")
    print(f"{'endpoint':<24}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for label, row in r["latency"].items():
        print(f"{label:<24}{row['count']:>7}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}")


if __name__ == "__main__":
    sys.exit(main())
