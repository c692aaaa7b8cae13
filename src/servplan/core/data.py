"""Reading the YAML data files the project ships (offices, programs, rubrics, samples)."""

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings


def data_path(*parts: str) -> Path:
    return Path(settings.DATA_DIR, *parts)


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
