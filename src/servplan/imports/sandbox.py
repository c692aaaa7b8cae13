"""Reading an upload in a child process with a time and memory budget.

The readers bound what a file expands to, but the libraries under them (lxml, odfpy, openpyxl,
pdfminer) can still be made to spend minutes or gigabytes on a small file. So the file is read
by `python -m servplan.imports.sandbox`, which limits its own address space and CPU time
before it reads anything, under a wall-clock deadline: whatever the file does, the worker
answers a clear error within READ_SECONDS and keeps its memory. A fresh interpreter (not a
fork) is safe under any server, threaded or not, and costs a few tenths of a second. The child
needs no database; it sends back the neutral document, which the worker unpickles allowing
only the document's own classes.
"""

from __future__ import annotations

import io
import os
import pickle
import resource
import subprocess
import sys
import threading
import traceback

from servplan.imports.document import ReadDocument
from servplan.imports.readers.base import UnreadableFile

# A form reads in well under a second; several times that on a busy server is still far
# below gunicorn's 30-second worker timeout.
READ_SECONDS = 15
# Address space the child may add to what the interpreter starts with.
READ_MEMORY_BYTES = 768 * 1024 * 1024
# Reads at once in one server process (a threaded server); sync workers read one each.
CONCURRENT_READS = 2

_slots = threading.BoundedSemaphore(CONCURRENT_READS)


def read_sandboxed(name: str, data: bytes) -> ReadDocument:
    """`reading.read_document` in a child process; UnreadableFile also when it runs out of
    time or memory."""
    from servplan.imports.reading import read_document

    return run_bounded(read_document, name, data)


def run_bounded(function, *args, seconds: float = READ_SECONDS, memory: int = READ_MEMORY_BYTES):
    """`function(*args)` (importable by name) in a limited child; its UnreadableFile is
    raised here, and one when it runs out of time or memory."""
    if not _slots.acquire(timeout=seconds):
        raise UnreadableFile("伺服器正忙於讀取其他檔案，請稍後再試")
    try:
        return _run(function, args, seconds, memory)
    finally:
        _slots.release()


def _run(function, args, seconds: float, memory: int):
    too_much = (
        f"檔案過於複雜，讀取時超過 {memory // (1024 * 1024)} MB 記憶體或 {seconds:g} 秒的上限"
    )
    # -P: nothing from the working directory is imported in place of a library.
    child = subprocess.Popen(
        [sys.executable, "-P", "-m", "servplan.imports.sandbox"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = child.communicate(pickle.dumps((function, args, seconds, memory)), seconds)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise UnreadableFile(f"檔案過於複雜，無法在 {seconds:g} 秒內讀取") from None
    if child.returncode != 0 or not out:  # killed at its CPU or memory limit
        raise UnreadableFile(too_much)
    outcome, value = _Unpickler(io.BytesIO(out)).load()
    if outcome == "unreadable":
        raise UnreadableFile(value)
    if outcome == "memory":
        raise UnreadableFile(too_much)
    if outcome == "error":
        raise RuntimeError(f"reading the file failed in the child process:\n{value}")
    return value


def main() -> None:
    function, args, seconds, memory = pickle.load(sys.stdin.buffer)
    _limit(seconds, memory)
    try:
        result = ("ok", function(*args))
    except UnreadableFile as exc:
        result = ("unreadable", exc.reason)
    except MemoryError:
        result = ("memory", None)
    except Exception:  # a bug, not the file: the worker reports it as it would its own
        result = ("error", traceback.format_exc())
    sys.stdout.buffer.write(pickle.dumps(result))


def _limit(seconds: float, memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a child killed at its limit dumps no core
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    limit = _address_space() + memory
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _address_space() -> int:
    """The child's address space now, in bytes (Linux: /proc; elsewhere: none counted)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


_ALLOWED = {
    ("builtins", "list"),
    ("builtins", "dict"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("builtins", "tuple"),
    ("datetime", "date"),
    ("decimal", "Decimal"),
    ("servplan.core.roc", "Period"),
}


class _Unpickler(pickle.Unpickler):
    """Only the document's classes: a child that a hostile file took over can't send code."""

    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED or module == "servplan.imports.document":
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a read document")


if __name__ == "__main__":
    main()
