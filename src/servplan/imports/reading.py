"""A file → the form it holds, or UnreadableFile saying why."""

from __future__ import annotations

from servplan.imports.document import ReadDocument
from servplan.imports.interpret import interpret
from servplan.imports.readers import read_blocks


def read_document(name: str, data: bytes) -> ReadDocument:
    return interpret(read_blocks(name, data))
