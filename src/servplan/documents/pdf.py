"""PDF through Typst (pinned typst==0.15.2): A4, Noto CJK TC embedded, one compiler reused.

The template (typst/main.typ) reads the form description as JSON from sys.inputs, so no
text a person typed is ever parsed as Typst markup. Only the Noto fonts are loaded
(ignore_system_fonts) so that every machine prints the same glyphs, and faster.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
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
