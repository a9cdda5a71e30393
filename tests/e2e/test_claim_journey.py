"""A JHT claim end to end in two browsers: the member files it, staff decide it.

The member (on a phone) completes her draft partial claim, uploads the
documents and submits; staff (signed in with a second factor) ask for more
information in the admin; the member uploads another document and submits
again; staff approve and pay; the member sees every step in the timeline.
"""

import re
import time
from pathlib import Path

import pyotp
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from accounts.models import Member
from demo.management.commands.seed_demo import (
    DEMO_PASSWORD,
    DEMO_STAFF_TOTP_SECRET,
)
from tests.e2e.conftest import DEMO_KPJ, collect_problems, fill_login_form

pytestmark = pytest.mark.e2e

STAFF_KPJ = "90000000001"  # Dewi Petugas, from seed_demo
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
STAFF_NOTE = "Please upload a clearer photo of your family card."
AMOUNT = "12500000"
PAYMENT_REFERENCE = "TRF-E2E-0001"


def _scan(folder: Path, name: str) -> Path:
    """A small PNG standing in for a phone photo of a document."""
    path = folder / f"{name}.png"
    Image.new("RGB", (120, 80), (210, 210, 200)).save(path, format="PNG")
    return path


def _upload(page: Page, kind: str, path: Path) -> None:
    page.get_by_label("Which document").select_option(label=kind)
    page.get_by_label("File", exact=True).set_input_files(path)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("Document uploaded.")).to_be_visible()


def _status(page: Page):
    return page.locator("dl.facts .status")


def _staff_decides(
    staff: Page, base_url: str, claim_pk: int, action: str, **fields: str
) -> None:
    """Run an admin action on one claim, filling its intermediate page."""
    staff.goto(f"{base_url}/admin/claims/claim/")
    staff.locator(f"input[name=_selected_action][value='{claim_pk}']").check()
    staff.locator("select[name=action]").select_option(label=action)
    staff.get_by_role("button", name="Go", exact=True).click()
    # The intermediate page: what the decision needs, then the action again.
    expect(staff.get_by_role("heading", name=action, exact=True)).to_be_visible()
    for label, value in fields.items():
        staff.get_by_label(label).fill(value)
    staff.get_by_role("button", name=action, exact=True).click()
    expect(staff).to_have_url(re.compile(r"/admin/claims/claim/$"))
    expect(staff.locator(".messagelist")).to_contain_text(f"{action}: 1 claim.")


def test_claim_journey(
    live_server,
    browser: Browser,
    page: Page,
    demo_member,
    browser_problems,
    results_dir,
    tmp_path,
):
    base = live_server.url
    # Staff, like the member, read the admin in English.
    Member.objects.filter(kpj_number=STAFF_KPJ).update(preferred_language="en")

    # The member resumes her draft partial claim from "My claims".
    page.goto(f"{base}/accounts/login/")
    fill_login_form(page, DEMO_KPJ, DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Claims", exact=True
    ).click()
    page.get_by_role("row", name=re.compile("Partial 30% \\(housing\\)")).get_by_role(
        "link"
    ).click()
    expect(page).to_have_url(re.compile(r"/claims/\d+/$"))
    claim_pk = int(re.search(r"/claims/(\d+)/$", page.url).group(1))
    expect(_status(page)).to_have_text("Draft")

    # Details and bank account; a bank change may ask for the password again.
    page.get_by_role("link", name="Details and bank account").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(
        re.compile("^(Details and bank account|Confirm it's you)$")
    )
    if heading.inner_text() == "Confirm it's you":
        page.get_by_label("Your password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Continue").click()
        expect(heading).to_have_text("Details and bank account")
    page.get_by_label("Bank", exact=True).fill("Bank Negara Indonesia")
    page.get_by_label("Account number").fill("0123456789")
    page.get_by_label("Account holder's name").fill(demo_member.full_name)
    # Her JHT balance is over Rp 50,000,000, so the claim needs her tax number.
    page.get_by_label("Tax number (NPWP)").fill("012345678901234")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your claim details are saved.")).to_be_visible()

    # Every document the claim still needs, one upload each.
    next_step = page.get_by_role("region", name="What happens next")
    expect(next_step.get_by_text("Before you can submit:")).to_be_visible()
    needed = [
        item.removeprefix("Upload: ")
        for item in next_step.locator("ul li").all_inner_texts()
    ]
    assert needed, "the claim asks for no documents"
    assert all(item for item in needed)
    assert "Your bank account" not in " ".join(needed)
    submit = page.get_by_role("button", name="Submit the claim")
    expect(submit).to_be_disabled()
    for number, kind in enumerate(needed):
        _upload(page, kind, _scan(tmp_path, f"scan-{number}"))
    expect(
        next_step.get_by_text(
            "Everything is there. Submit your claim when you are ready."
        )
    ).to_be_visible()
    documents = page.get_by_role("region", name="Documents")
    expect(documents.locator("li")).to_have_count(len(needed))
    submit.click()
    expect(page.get_by_text("Your claim is submitted.")).to_be_visible()
    expect(_status(page)).to_have_text("Submitted")

    # Staff sign in through the portal, with the authenticator as second step.
    staff_context = browser.new_context(locale="en-US")
    staff_context.set_default_timeout(10_000)
    staff = staff_context.new_page()
    staff_problems = collect_problems(staff)
    try:
        staff.goto(f"{base}/accounts/login/")
        fill_login_form(staff, STAFF_KPJ, DEMO_PASSWORD)
        staff.get_by_role("button", name="Sign in").click()
        expect(staff).to_have_url(re.compile(r"/accounts/login/verify/$"))
        authenticator = pyotp.TOTP(DEMO_STAFF_TOTP_SECRET)
        for code in (authenticator.now(), authenticator.at(time.time() + 30)):
            # A code is good once: if this window's was used, take the next one.
            staff.get_by_label("Verification code").fill(code)
            with staff.expect_navigation():
                staff.get_by_role("button", name="Verify and sign in").click()
            if not staff.url.endswith("/accounts/login/verify/"):
                break
        expect(staff).to_have_url(f"{base}/")

        _staff_decides(staff, base, claim_pk, "Start verification")
        _staff_decides(
            staff,
            base,
            claim_pk,
            "Request more information",
            **{"Note for the member": STAFF_NOTE},
        )

        # The member reads the note, adds a document and submits again.
        page.reload()
        expect(_status(page)).to_have_text("More information needed")
        expect(page.get_by_text("We need more information from you")).to_be_visible()
        timeline = page.get_by_role("region", name="Timeline")
        expect(timeline.locator(".note")).to_have_text(STAFF_NOTE)
        _upload(page, "Other document", _scan(tmp_path, "family-card-clearer"))
        expect(documents.locator("li")).to_have_count(len(needed) + 1)
        page.get_by_role("button", name="Submit the claim").click()
        expect(page.get_by_text("Your claim is submitted.")).to_be_visible()
        expect(_status(page)).to_have_text("Submitted")

        # Staff check again, approve and pay.
        _staff_decides(staff, base, claim_pk, "Start verification")
        _staff_decides(
            staff, base, claim_pk, "Approve", **{"Approved amount (Rp)": AMOUNT}
        )
        _staff_decides(
            staff,
            base,
            claim_pk,
            "Mark paid",
            **{"Payment reference": PAYMENT_REFERENCE},
        )
        staff_row = staff.get_by_role("row").filter(
            has=staff.locator(f"input[name=_selected_action][value='{claim_pk}']")
        )
        expect(staff_row).to_contain_text("Paid")
        assert staff_problems == []
    finally:
        staff_context.close()

    # The member sees the outcome and the whole history.
    page.reload()
    expect(_status(page)).to_have_text("Paid")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(PAYMENT_REFERENCE)
    expect(facts).to_contain_text("12,500,000")
    expect(page.get_by_text("The money has been transferred.")).to_be_visible()
    expect(page.get_by_role("button", name="Submit the claim")).to_have_count(0)
    expect(page.get_by_role("button", name="Upload")).to_have_count(0)
    expect(timeline.locator("li strong")).to_have_text(
        [
            "Submitted",
            "Being verified",
            "More information needed",
            "Submitted",
            "Being verified",
            "Approved",
            "Paid",
        ]
    )
    expect(timeline.locator(".note")).to_have_text(STAFF_NOTE)

    page.screenshot(path=results_dir / "claim-phone.png", full_page=True)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the claim page scrolls sideways"
    assert browser_problems == []
