"""How `check` and `import` print a file's result."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError

from servplan.core.scores import format_score
from servplan.imports.document import ERROR, ReadPlan
from servplan.imports.domain import CheckResult

SEVERITY = {"error": "錯誤", "warning": "警告"}
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2


def read_input(path: str) -> tuple[str, bytes]:
    file = Path(path)
    try:
        return file.name, file.read_bytes()
    except OSError as exc:
        raise CommandError(
            f"無法開啟「{path}」：{exc.strerror}", returncode=EXIT_UNREADABLE
        ) from exc


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def summary(result: CheckResult) -> str:
    doc = result.doc
    if doc is None:
        return f"{result.filename}：無法讀取"
    if isinstance(doc, ReadPlan):
        return (
            f"{result.office_name} {doc.roc_year} 年度執行計畫：{len(doc.facets)} 個面向、"
            f"{len(doc.practices)} 項具體作法"
        )
    return (
        f"{result.office_name} {doc.period} 自行考核：{len(doc.cells)} 格，"
        f"自評總分 {format_score(doc.score) or '—'}／{format_score(doc.total_max)} 分"
    )


def issue_lines(result: CheckResult) -> list[str]:
    lines = [f"錯誤 {len(result.errors)} 項、警告 {len(result.warnings)} 項"]
    lines += [
        f"[{SEVERITY[i.severity]}] {i.code}  {i.message}"
        for i in sorted(result.issues, key=lambda i: i.severity != ERROR)
    ]
    return lines


def fail(result: CheckResult) -> CommandError:
    code = EXIT_UNREADABLE if result.unreadable else EXIT_ERRORS
    return CommandError(f"「{result.filename}」有 {len(result.errors)} 項錯誤", returncode=code)
