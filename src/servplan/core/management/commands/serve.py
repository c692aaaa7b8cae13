import os
import sys

from django.core.management.base import BaseCommand


def default_workers() -> int:
    """Synchronous workers, two per CPU and one more. Requests are CPU-bound: threads would
    only contend for the GIL (and under load delayed gunicorn's heartbeats enough to get
    workers killed mid-request)."""
    return 2 * (os.cpu_count() or 1) + 1


def exec_gunicorn(*, host: str, port: int, workers: int) -> None:
    """Replace this process with gunicorn serving the app (a production server, not runserver)."""
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
    ]
    os.execv(sys.executable, args)


class Command(BaseCommand):
    help = "以正式伺服器（gunicorn）提供網站服務。"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="連接埠（預設 8000）")
        parser.add_argument("--host", default="127.0.0.1", help="位址（預設 127.0.0.1）")
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="工作行程數（預設每個 CPU 兩個再加一）",
        )

    def handle(self, *args, port: int, host: str, workers: int, **options):
        self.stdout.write(f"servplan 服務啟動於 http://{host}:{port}/")
        self.stdout.flush()
        exec_gunicorn(host=host, port=port, workers=workers)
