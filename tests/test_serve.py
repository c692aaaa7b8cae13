"""`servplan serve`: several instances on one machine each keep their own gunicorn control socket."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from servplan.core.management.commands.serve import gunicorn_args

SERVPLAN = str(Path(sys.executable).with_name("servplan"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def test_each_instance_is_given_its_own_control_socket():
    a = gunicorn_args(host="127.0.0.1", port=8000, workers=1)
    b = gunicorn_args(host="127.0.0.1", port=8001, workers=1)
    socket_a, socket_b = (args[args.index("--control-socket") + 1] for args in (a, b))
    assert socket_a != socket_b


def test_two_instances_start_side_by_side(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "servplan.settings.base",
        "SERVPLAN_VAR": str(tmp_path),
    }
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [SERVPLAN, "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for port in ports
    ]
    sockets = [tmp_path / f"gunicorn-127.0.0.1-{port}.ctl" for port in ports]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if all(s.exists() for s in sockets) and all(answers(p) for p in ports):
                break
            assert all(server.poll() is None for server in servers), "a server stopped"
            time.sleep(0.2)
        assert all(s.exists() for s in sockets)
        assert all(answers(p) for p in ports)
        assert all(server.poll() is None for server in servers)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)


def children(pid: int) -> list[int]:
    """The process's children, whichever of its threads started them."""
    found = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in path.read_text().split()]
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def running(pid: int) -> bool:
    """Alive, not a zombie waiting for a parent to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.2)


def start_server(tmp_path, *args: str) -> tuple[subprocess.Popen, int]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "servplan.settings.base",
        "SERVPLAN_VAR": str(tmp_path),
    }
    migrated = subprocess.run([SERVPLAN, "migrate"], env=env, capture_output=True, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    port = free_port()
    server = subprocess.Popen(
        [SERVPLAN, "serve", "--port", str(port), "--workers", "1", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for(lambda: answers(port) or server.poll() is not None, "the server answers")
    assert server.poll() is None, "the server stopped"
    return server, port


def task_workers(server: subprocess.Popen) -> list[int]:
    return [c for c in children(server.pid) if "db_worker" in command_line(c)]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_the_server_runs_the_task_worker_and_stops_it(tmp_path, stop):
    """`servplan serve` starts the django-tasks worker as its child; stopping the server
    (or killing it outright) stops the worker too."""
    server, _ = start_server(tmp_path)
    try:
        wait_for(lambda: task_workers(server), "the task worker runs")
        [worker] = task_workers(server)
        assert "--no-reload" in command_line(worker)
        os.kill(server.pid, stop)  # the server alone, not its process group
        server.wait(timeout=60)
        wait_for(lambda: not running(worker), "the task worker stopped")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


def test_the_worker_can_be_left_to_run_on_its_own(tmp_path):
    server, _ = start_server(tmp_path, "--no-task-worker")
    try:
        assert "--config" not in gunicorn_args(
            host="127.0.0.1", port=1, workers=1, task_worker=False
        )
        assert not task_workers(server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_a_task_worker_that_stops_is_started_again(tmp_path):
    server, _ = start_server(tmp_path)
    try:
        wait_for(lambda: task_workers(server), "the task worker runs")
        [first] = task_workers(server)
        os.kill(first, signal.SIGKILL)  # as if the database had gone away under it
        wait_for(lambda: [w for w in task_workers(server) if w != first], "a new task worker")
        [second] = task_workers(server)
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        wait_for(lambda: not running(second), "the new task worker stopped")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
