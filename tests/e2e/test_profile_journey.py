"""A member registers two heirs and updates the phone number, in a real browser."""

import re
from datetime import date

import pytest
from playwright.sync_api import Locator, Page, expect

from accounts.models import Member
from demo.management.commands.seed_demo import DEMO_PASSWORD
from tests.e2e.conftest import DEMO_KPJ, fill_login_form
from tests.factories import nik_for

pytestmark = pytest.mark.e2e

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
SPOUSE = {
    "name": "Agus Pratama",
    "relationship": "Spouse",
    "born": date(1986, 2, 10),
    "female": False,
    "serial": 11,
    "share": 60,
}
CHILD = {
    "name": "Putri Pratama",
    "relationship": "Child",
    "born": date(2015, 7, 21),
    "female": True,
    "serial": 12,
    "share": 40,
}


def fill_heir(block: Locator, person: dict) -> None:
    born = person["born"]
    block.get_by_label("Full name").fill(person["name"])
    block.get_by_label("National ID number (NIK)").fill(
        nik_for(born, female=person["female"], serial=person["serial"])
    )
    block.get_by_label("Relationship").select_option(label=person["relationship"])
    block.get_by_label("Date of birth").fill(born.isoformat())
    block.get_by_label("Share (%)").fill(str(person["share"]))


def test_member_registers_heirs_then_changes_the_phone_number(
    live_server, page: Page, demo_member, results_dir, browser_problems
):
    page.goto(f"{live_server.url}/accounts/login/")
    fill_login_form(page, DEMO_KPJ, DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")
    menu = page.get_by_role("navigation", name="Main menu")
    heading = page.get_by_role("heading", level=1)

    # Heirs, through the main menu; none yet.
    menu.get_by_role("link", name="Heirs", exact=True).click()
    expect(heading).to_have_text("My heirs")
    expect(page.get_by_text("No heirs registered yet.")).to_be_visible()
    page.get_by_role("link", name="Add heirs").click()

    expect(heading).to_have_text("Edit my heirs")
    expect(page.locator("fieldset.heir-form")).to_have_count(3)
    fill_heir(page.locator("#heir-1"), SPOUSE)
    fill_heir(page.locator("#heir-2"), CHILD)
    page.get_by_role("button", name="Save my heirs").click()

    expect(page).to_have_url(re.compile(r"/accounts/heirs/$"))
    expect(page.get_by_role("status")).to_have_text("Your heirs are saved.")
    preview = page.locator("section", has=page.locator("#preview-heading"))
    receivers = preview.get_by_role("listitem").filter(has_not_text="If none")
    expect(receivers.filter(has_text="Agus Pratama")).to_contain_text("60%")
    expect(receivers.filter(has_text="Putri Pratama")).to_contain_text("40%")
    expect(preview.locator(".warn")).to_have_count(0)
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(3)
    page.screenshot(path=results_dir / "heirs-phone.png", full_page=True)
    # Checked at the end, so the rest of the journey still runs.
    sideways = [] if page.evaluate(NO_SIDEWAYS_SCROLL) else ["heirs page"]

    # Profile, through the main menu: a new phone number.
    menu.get_by_role("link", name="Profile", exact=True).click()
    expect(heading).to_have_text("My profile")
    page.get_by_label("Phone number").fill("0812-3456-7890")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    expect(page.get_by_role("status")).to_have_text("Your details are saved.")
    expect(page.get_by_label("Phone number")).to_have_value("+6281234567890")
    changes = page.locator("section", has=page.locator("#changes-heading"))
    expect(changes.get_by_role("listitem").first).to_contain_text(
        "Phone number: — → +62********890"
    )
    expect(changes).to_contain_text("Heirs changed")
    if not page.evaluate(NO_SIDEWAYS_SCROLL):
        sideways.append("profile page")

    member = Member.objects.get(pk=demo_member.pk)
    assert member.phone == "+6281234567890"
    assert list(
        member.heirs.order_by("pk").values_list("full_name", "share_percent")
    ) == [("Agus Pratama", 60), ("Putri Pratama", 40)]
    assert browser_problems == []
    assert sideways == [], "these pages scroll sideways on a phone"
