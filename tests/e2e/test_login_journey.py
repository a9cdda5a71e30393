"""A member's first visit in a real browser: CAPTCHA, sign in, dashboard, sign out."""

import io
import re

import pytest
from captcha.models import CaptchaStore
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.management.commands.seed_demo import DEMO_PASSWORD
from accounts.models import Member

pytestmark = pytest.mark.e2e

DEMO_KPJ = "12345678901"  # Siti Rahayu, from seed_demo

CAPTCHA_IMAGE = "[data-captcha-image]"
CAPTCHA_KEY = "input[name=captcha_0]"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
IMAGE_LOADED = """selector => {
    const img = document.querySelector(selector);
    return img.complete && img.naturalWidth > 0;
}"""


@pytest.fixture
def demo_member(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    # Signing in sets the language cookie to the member's preference (Indonesian
    # by default); English keeps the strings below stable.
    Member.objects.filter(kpj_number=DEMO_KPJ).update(preferred_language="en")
    return Member.objects.get(kpj_number=DEMO_KPJ)


def _ignored(url: str) -> bool:
    # The site has no favicon (yet); Chromium asks for /favicon.ico regardless.
    return url.endswith("/favicon.ico")


@pytest.fixture
def browser_problems(page: Page) -> list[str]:
    """Script errors, console errors (CSP violations too) and failed responses."""
    problems = []

    def on_console(msg):
        if msg.type == "error" and not _ignored(msg.location.get("url", "")):
            problems.append(f"console: {msg.text}")

    def on_response(response):
        if response.status >= 400 and not _ignored(response.url):
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("pageerror", lambda error: problems.append(f"script: {error}"))
    page.on("console", on_console)
    page.on("response", on_response)
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))
    return problems


def test_login_journey(
    live_server, page: Page, demo_member, results_dir, browser_problems
):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.screenshot(path=results_dir / "login-phone.png", full_page=True)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the login page scrolls sideways"

    # Keyboard users: the first Tab lands on the skip link.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == (
        "Skip to main content"
    )

    # The CAPTCHA image really loaded (goto waits for the load event).
    assert page.evaluate(IMAGE_LOADED, CAPTCHA_IMAGE)

    # "Show another image" swaps image and key in place, without a reload.
    old_src = page.locator(CAPTCHA_IMAGE).get_attribute("src")
    old_key = page.locator(CAPTCHA_KEY).input_value()
    page.evaluate("window.__sameDocument = true")
    page.locator("[data-captcha-refresh]").click()
    expect(page.locator(CAPTCHA_KEY)).not_to_have_value(old_key)
    new_key = page.locator(CAPTCHA_KEY).input_value()
    assert new_key in page.locator(CAPTCHA_IMAGE).get_attribute("src")
    assert page.locator(CAPTCHA_IMAGE).get_attribute("src") != old_src
    page.wait_for_function(IMAGE_LOADED, arg=CAPTCHA_IMAGE)
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"
    answer_box = page.get_by_label("Characters in the image")
    expect(answer_box).to_be_focused()

    answer = CaptchaStore.objects.get(hashkey=new_key).response
    page.get_by_label("Member number (KPJ) or email").fill(DEMO_KPJ)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    answer_box.fill(answer)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(demo_member.first_name)
    expect(page.get_by_text(DEMO_KPJ, exact=True)).to_be_visible()
    page.screenshot(path=results_dir / "dashboard-phone.png", full_page=True)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the dashboard scrolls sideways"

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("status")).to_have_text("You have signed out.")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert browser_problems == []
