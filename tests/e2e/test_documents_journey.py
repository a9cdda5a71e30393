"""The demo member gets a contribution statement in a real browser, on a phone,
downloads it and checks it on the public verification page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from demo.management.commands.seed_demo import DEMO_PASSWORD
from documents.models import GeneratedDocument
from tests.e2e.conftest import DEMO_KPJ, fill_login_form

pytestmark = pytest.mark.e2e

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# The list refreshes itself every 3 s while a document is being made.
UNTIL_READY_MS = 20_000


def test_documents_journey(
    live_server, page: Page, demo_member, results_dir, browser_problems
):
    page.goto(f"{live_server.url}/accounts/login/")
    fill_login_form(page, DEMO_KPJ, DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")

    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("link", name="Documents", exact=True).click()
    expect(page).to_have_url(re.compile(r"/documents/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My documents")
    expect(page.get_by_text("No documents yet.")).to_be_visible()

    page.get_by_label("Document", exact=True).select_option(
        label="Contribution statement"
    )
    page.get_by_label("From year").fill("2023")
    page.get_by_label("To year").fill("2024")
    page.get_by_role("button", name="Request", exact=True).click()

    expect(page).to_have_url(re.compile(r"/documents/$"))
    item = page.locator(".document-list li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Contribution statement")
    expect(item).to_contain_text("2023–2024")
    # Ready at once with in-process tasks; otherwise the page reloads by itself
    # until it is, without anyone pressing reload.
    download_link = item.get_by_role("link", name="Download PDF")
    expect(download_link).to_be_visible(timeout=UNTIL_READY_MS)
    expect(item).to_contain_text("Ready")
    document = GeneratedDocument.objects.get(member=demo_member)
    assert document.status == GeneratedDocument.Status.READY
    expect(item).to_contain_text(document.display_code)

    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == (
        f"contribution_statement-{document.code}.pdf"
    )
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    page.screenshot(path=results_dir / "documents-phone.png", full_page=True)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the documents page scrolls sideways"

    page.goto(f"{live_server.url}/verify/{document.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This document is genuine"
    )
    expect(page.get_by_text(document.sha256)).to_be_visible()
    expect(page.get_by_text("Contribution statement")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the verify page scrolls sideways"
    # The download ends its navigation with net::ERR_ABORTED: not counted.
    assert browser_problems == []
