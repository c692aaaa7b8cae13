"""PDF through Typst (pinned typst==0.15.2): A4, Noto CJK TC embedded, one compiler reused.

The template (typst/main.typ) reads the form description as JSON from sys.inputs, so no
text a person typed is ever parsed as Typst markup. Only the Noto fonts are loaded
(ignore_system_fonts) so that every machine prints the same glyphs, and faster.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import struct
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path

import typst

FONT_PATHS = ["/usr/share/fonts/opentype/noto"]
TEMPLATE = Path(__file__).with_name("typst") / "main.typ"

_compiler: typst.Compiler | None = None
_lock = threading.Lock()


def compiler() -> typst.Compiler:
    """The process's one compiler: fonts are loaded once, later compiles reuse its caches."""
    global _compiler
    if _compiler is None:
        _compiler = typst.Compiler(
            str(TEMPLATE),
            root=str(TEMPLATE.parent),
            font_paths=FONT_PATHS,
            ignore_system_fonts=True,
        )
    return _compiler


def _seconds(timestamp: dt.datetime | None) -> int | None:
    return None if timestamp is None else int(timestamp.timestamp())


def _compile(data: str, timestamp: int | None) -> bytes:
    kwargs: dict = {"sys_inputs": {"data": data}}
    if timestamp is not None:
        kwargs["timestamp"] = timestamp
    with _lock:  # one compile at a time per compiler ("Already borrowed" otherwise)
        return compiler().compile(**kwargs)


def render(document: dict, *, timestamp: dt.datetime | None = None) -> bytes:
    """The document (documents/forms.py) as PDF bytes.

    `timestamp` is the PDF's creation date; passing the record's own time makes a published
    document byte-for-byte reproducible.
    """
    return _compile(json.dumps(document, ensure_ascii=False), _seconds(timestamp))


# Below this many documents, starting worker processes costs more than it saves.
MIN_PARALLEL = 8
_HEAD = struct.Struct("!Iq")  # request: JSON length, timestamp (-1: none)
_REPLY = struct.Struct("!BI")  # reply: status (0 ok, 1 error), length


class Batch:
    """Many PDFs, by default with this process's one compiler.

    A compile holds the GIL and uses one core, so with `workers` > 1 (0: one per CPU) a large
    batch is spread over worker processes (`python -m servplan.documents.pdf_worker`), each
    reusing its own compiler, one thread per worker feeding it. Workers start cold (fonts,
    caches), so they only pay off on idle cores (docs/benchmarks.md). Results come back as
    futures.
    """

    def __init__(self, *, size: int, workers: int = 1) -> None:
        count = workers if workers > 0 else (os.cpu_count() or 1)
        self._jobs: queue.Queue = queue.Queue()
        self._workers: list[tuple[subprocess.Popen, threading.Thread]] = []
        if count > 1 and size >= MIN_PARALLEL:
            for _ in range(count):
                proc = subprocess.Popen(
                    [sys.executable, "-m", "servplan.documents.pdf_worker"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                )
                thread = threading.Thread(target=self._feed, args=(proc,), daemon=True)
                thread.start()
                self._workers.append((proc, thread))

    def submit(self, document: dict, *, timestamp: dt.datetime | None = None) -> Future:
        future: Future = Future()
        data, seconds = json.dumps(document, ensure_ascii=False), _seconds(timestamp)
        if not self._workers:
            future.set_result(_compile(data, seconds))
        else:
            self._jobs.put((future, data.encode(), -1 if seconds is None else seconds))
        return future

    def _feed(self, proc: subprocess.Popen) -> None:
        while (job := self._jobs.get()) is not None:
            future, payload, seconds = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                proc.stdin.write(_HEAD.pack(len(payload), seconds) + payload)
                proc.stdin.flush()
                status, size = _REPLY.unpack(_read(proc.stdout, _REPLY.size))
                body = _read(proc.stdout, size)
            except OSError as exc:
                future.set_exception(exc)
                continue
            if status:
                future.set_exception(RuntimeError(body.decode()))
            else:
                future.set_result(body)

    def close(self) -> None:
        for _ in self._workers:
            self._jobs.put(None)
        for proc, thread in self._workers:
            thread.join()
            proc.stdin.close()
            proc.wait(timeout=30)
        self._workers = []

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _read(stream, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise OSError("PDF 產生程序意外結束")
    return data


def serve(stdin, stdout) -> None:
    """A worker's loop: compile each request with this process's compiler until stdin ends."""
    while head := stdin.read(_HEAD.size):
        size, seconds = _HEAD.unpack(head)
        data = stdin.read(size).decode()
        try:
            body, status = _compile(data, None if seconds < 0 else seconds), 0
        except Exception as exc:  # reported to the parent, which raises it for that document
            body, status = str(exc).encode(), 1
        stdout.write(_REPLY.pack(status, len(body)) + body)
        stdout.flush()
