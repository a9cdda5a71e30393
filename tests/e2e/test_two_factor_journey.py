"""A member turns on an authenticator app in the browser and signs in with it."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from demo.management.commands.seed_demo import DEMO_PASSWORD
from tests.e2e.conftest import DEMO_KPJ, fill_login_form

pytestmark = pytest.mark.e2e


def test_member_enrols_an_authenticator_and_signs_in_with_it(
    live_server, page: Page, demo_member, results_dir, browser_problems
):
    page.goto(f"{live_server.url}/accounts/login/")
    fill_login_form(page, DEMO_KPJ, DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Two-step verification is off")).to_be_visible()

    page.get_by_role("link", name="Turn it on").click()
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.locator(".qr svg")).to_be_visible()
    page.screenshot(path=results_dir / "totp-setup-phone.png", full_page=True)
    # The member types the key shown as text into their app.
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    authenticator = pyotp.TOTP(secret)
    page.get_by_label("6-digit code").fill(authenticator.now())
    page.get_by_role("button", name="Confirm and turn on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    codes = page.locator(".backup-codes li").all_inner_texts()
    assert len(codes) == 10
    assert all(re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code) for code in codes)
    page.get_by_role("button", name="I have saved them").click()
    expect(page.get_by_text("Status: on")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    fill_login_form(page, DEMO_KPJ, DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/verify/$"))
    # A code from the next time step: the one used at enrolment cannot be replayed.
    page.get_by_label("Verification code").fill(authenticator.at(time.time() + 30))
    page.get_by_role("button", name="Verify and sign in").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("Two-step verification is on.")).to_be_visible()
    assert browser_problems == []
