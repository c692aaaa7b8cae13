"""gunicorn hooks of `servplan serve` (and the demo): the master starts the background task
worker (`servplan db_worker`, the django-tasks database worker) beside the web workers, and
stops it when it stops, so one command runs everything a small installation needs.

A worker in the middle of a job is given the graceful timeout to finish it, then told again
(it stops the job, which is marked interrupted), then killed. On Linux the worker also gets
SIGTERM if the master dies without running these hooks (SIGKILL).
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import subprocess
import sys

GRACE = 10  # seconds, as gunicorn's --graceful-timeout
PR_SET_PDEATHSIG = 1


def task_worker_args() -> list[str]:
    return [sys.executable, "-m", "servplan.cli", "db_worker", "--no-reload"]


def _die_with_parent() -> None:
    # Not Linux (no prctl): on_exit alone stops it.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def on_starting(server) -> None:
    server.task_worker = subprocess.Popen(task_worker_args(), preexec_fn=_die_with_parent)
    server.log.info("Started the task worker (pid %s)", server.task_worker.pid)


def on_exit(server) -> None:
    stop_task_worker(getattr(server, "task_worker", None))


def stop_task_worker(proc: subprocess.Popen | None, *, grace: float = GRACE) -> None:
    """SIGTERM (finish the job under way), again after `grace` (stop it), then SIGKILL."""
    if proc is None or proc.poll() is not None:
        return
    for stop in (proc.terminate, proc.terminate, proc.kill):
        stop()
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue
