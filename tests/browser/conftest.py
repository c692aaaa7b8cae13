import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop; Django refuses DB access from one unless told.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    """One Chromium per module, closed before other modules start their own event loop."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def shots(request):
    """shot(page, name) saves test-artifacts/<test>/<nn>-<name>.png."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    count = iter(range(1, 100))

    def shot(page, name: str) -> Path:
        path = folder / f"{next(count):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shot
