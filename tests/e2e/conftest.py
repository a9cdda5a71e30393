"""A real Chromium, driven by Playwright, against pytest-django's live_server.

Uses the system Chromium (Debian's /usr/bin/chromium); browsers are never
downloaded. Without it the e2e tests are skipped, except on CI, where the
browser is installed and a missing one is a failure.
"""

import io
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
from captcha.models import CaptchaStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from accounts.models import Member  # noqa: E402

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
DEMO_KPJ = "12345678901"  # Siti Rahayu, from seed_demo
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


@pytest.fixture
def demo_member(transactional_db, statutory_figures):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    # Signing in sets the language cookie to the member's preference (Indonesian
    # by default); English keeps the strings below stable.
    Member.objects.filter(kpj_number=DEMO_KPJ).update(preferred_language="en")
    return Member.objects.get(kpj_number=DEMO_KPJ)


def _ignored(url: str) -> bool:
    # The site has no favicon (yet); Chromium asks for /favicon.ico regardless.
    return url.endswith("/favicon.ico")


@pytest.fixture
def browser_problems(page: Page) -> list[str]:
    return collect_problems(page)


def collect_problems(page: Page) -> list[str]:
    """Script errors, console errors (CSP violations too) and failed requests
    and responses, as they happen on the page."""
    problems = []

    def on_console(msg):
        if msg.type == "error" and not _ignored(msg.location.get("url", "")):
            problems.append(f"console: {msg.text}")

    def on_response(response):
        if response.status >= 400 and not _ignored(response.url):
            problems.append(f"HTTP {response.status}: {response.url}")

    def on_request_failed(request):
        # Leaving a page cancels what it was still loading (an icon, say):
        # the browser's doing, not a failure a member would see.
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"failed: {request.url}")

    page.on("pageerror", lambda error: problems.append(f"script: {error}"))
    page.on("console", on_console)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    return problems


def fill_login_form(page: Page, identifier: str, password: str) -> None:
    """Fill the login form, answering the CAPTCHA from the server's store."""
    key = page.locator("input[name=captcha_0]").input_value()
    page.get_by_label("Member number (KPJ) or email").fill(identifier)
    page.get_by_label("Password", exact=True).fill(password)
    answer = CaptchaStore.objects.get(hashkey=key).response
    page.get_by_label("Characters in the image").fill(answer)
