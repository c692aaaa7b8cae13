import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from servplan.paths import VAR_DIR


def default_workers() -> int:
    """Synchronous workers, two per CPU and one more. Requests are CPU-bound: threads would
    only contend for the GIL (and under load delayed gunicorn's heartbeats enough to get
    workers killed mid-request)."""
    return 2 * (os.cpu_count() or 1) + 1


def control_socket(*, host: str, port: int) -> Path:
    """This instance's own gunicorn control socket (gunicornc), under SERVPLAN_VAR.

    gunicorn's default is one path per user, so a second server on the machine would take
    over the first one's socket.
    """
    return VAR_DIR / f"gunicorn-{host}-{port}.ctl"


def gunicorn_args(*, host: str, port: int, workers: int, task_worker: bool = True) -> list[str]:
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "servplan.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
        "--control-socket",
        str(control_socket(host=host, port=port)),
    ]
    if task_worker:
        # Its hooks start the background task worker beside the web workers and stop it.
        args += ["--config", "python:servplan.core.gunicorn_hooks"]
    return args


def exec_gunicorn(*, host: str, port: int, workers: int, task_worker: bool = True) -> None:
    """Replace this process with gunicorn serving the app (a production server, not
    runserver); gunicorn's master runs the task worker too (core.gunicorn_hooks)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    args = gunicorn_args(host=host, port=port, workers=workers, task_worker=task_worker)
    os.execv(sys.executable, args)


class Command(BaseCommand):
    help = "以正式伺服器（gunicorn）提供網站服務，並啟動背景工作程序（db_worker）。"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="連接埠（預設 8000）")
        parser.add_argument("--host", default="127.0.0.1", help="位址（預設 127.0.0.1）")
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="工作行程數（預設每個 CPU 兩個再加一）",
        )
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help="不啟動背景工作程序（已另行執行 servplan db_worker 時）",
        )

    def handle(self, *args, port: int, host: str, workers: int, no_task_worker: bool, **options):
        self.stdout.write(f"servplan 服務啟動於 http://{host}:{port}/")
        if not no_task_worker:
            self.stdout.write("背景工作程序（產生整期 ZIP 等）隨服務啟動與停止")
        self.stdout.flush()
        exec_gunicorn(host=host, port=port, workers=workers, task_worker=not no_task_worker)
