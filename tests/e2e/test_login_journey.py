"""A member's first visit in a real browser: CAPTCHA, sign in, dashboard, sign out."""

import re

import pytest
from captcha.models import CaptchaStore
from playwright.sync_api import Page, expect

from demo.management.commands.seed_demo import DEMO_PASSWORD
from tests.e2e.conftest import DEMO_KPJ

pytestmark = pytest.mark.e2e

CAPTCHA_IMAGE = "[data-captcha-image]"
CAPTCHA_KEY = "input[name=captcha_0]"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
IMAGE_LOADED = """selector => {
    const img = document.querySelector(selector);
    return img.complete && img.naturalWidth > 0;
}"""


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
