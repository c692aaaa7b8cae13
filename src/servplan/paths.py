"""Where the app keeps its files: `var/` beside the checkout, or SERVPLAN_VAR."""

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("SERVPLAN_VAR", REPO_ROOT / "var"))
