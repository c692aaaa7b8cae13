"""`servplan serve`: several instances on one machine each keep their own gunicorn control socket."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

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
