"""gunicorn hooks of `servplan serve` (and the demo): the master starts the background task
worker (`servplan db_worker`, the django-tasks database worker) beside the web workers, starts
it again if it stops (the database was away, say), and stops it when the server stops, so one
command runs everything a small installation needs.

A worker in the middle of a job is given the graceful timeout to finish it, then told again
(it stops the job, which is marked interrupted), then killed. On Linux the worker also gets
SIGTERM if the master dies without running these hooks (SIGKILL).
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import threading

GRACE = 10  # seconds, as gunicorn's --graceful-timeout
RESTART_DELAY = 5  # seconds before a stopped worker is started again
PR_SET_PDEATHSIG = 1

try:
    # Looked up here: between fork and exec only this plain C call runs.
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux: on_exit alone stops the worker
    _prctl = None


def task_worker_args() -> list[str]:
    return [sys.executable, "-m", "servplan.cli", "db_worker", "--no-reload"]


def _die_with_parent() -> None:
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class TaskWorker:
    """The worker process, watched by a thread of the master that starts it again if it
    stops by itself."""

    def __init__(self, log) -> None:
        self.log = log
        self.proc: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def start(self) -> None:
        self._spawn()
        # The watcher starts (and so parents) every later worker: PDEATHSIG follows the
        # thread that started the process, and this one lives as long as the master.
        threading.Thread(target=self._watch, name="task-worker", daemon=True).start()

    def _spawn(self) -> None:
        self.proc = subprocess.Popen(task_worker_args(), preexec_fn=_die_with_parent)
        self.log.info("Started the task worker (pid %s)", self.proc.pid)

    def _watch(self) -> None:
        while True:
            code = self.proc.wait()
            if self.stopping.wait(RESTART_DELAY):
                return
            with self.lock:
                if self.stopping.is_set():
                    return
                self.log.warning("The task worker stopped (exit %s); starting it again", code)
                self._spawn()

    def stop(self) -> None:
        self.stopping.set()
        with self.lock:
            stop_task_worker(self.proc)


def on_starting(server) -> None:
    server.task_worker = TaskWorker(server.log)
    server.task_worker.start()


def on_exit(server) -> None:
    worker = getattr(server, "task_worker", None)
    if worker is not None:
        worker.stop()


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
