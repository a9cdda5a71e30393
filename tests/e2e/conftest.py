"""A real Chromium, driven by Playwright, against pytest-django's live_server.

Uses the system Chromium (Debian's /usr/bin/chromium); browsers are never
downloaded. Without it the e2e tests are skipped, except on CI, where the
browser is installed and a missing one is a failure.
"""

import os

# Playwright's sync API keeps an asyncio event loop running in the main thread
# while the browser is open (here: the whole session, see `browser`). Django then
# refuses every ORM call from that thread, in the tests and in pytest-django's
# database fixtures, with SynchronousOnlyOperation. The project has no async
# code, so the check protects nothing here. Set before anything touches the ORM.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
# Screenshots for people to look at; the folder is gitignored.
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile per test: a phone-sized window, English first.

    The site's default language is Indonesian; LocaleMiddleware follows the
    browser's Accept-Language, which the locale sets.
    """
    context = browser.new_context(locale="en-US", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def results_dir() -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR
