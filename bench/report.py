"""Writing a benchmark's results into its own section of docs/benchmarks.md.

Each script owns the text between `<!-- NAME:begin -->` and `<!-- NAME:end -->`; running
one benchmark again replaces its section and leaves the others as they are.
"""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return f"{os.cpu_count()} CPUs (nproc), {cpu}, {mem_kb / 1024 / 1024:.1f} GiB RAM, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def write_section(path: Path | str, name: str, markdown: str) -> None:
    path = Path(path)
    block = f"<!-- {name}:begin -->\n{markdown.strip()}\n<!-- {name}:end -->\n"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    pattern = re.compile(
        rf"<!-- {re.escape(name)}:begin -->.*?<!-- {re.escape(name)}:end -->\n?", re.S
    )
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text, encoding="utf-8")
