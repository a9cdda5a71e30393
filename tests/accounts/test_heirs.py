"""Heirs (heirs): the set editor and its rules, privacy, the statutory preview."""

import html
import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext

from accounts.models import Heir
from audit.models import AuditEntry
from tests.conftest import post_login
from tests.factories import DEFAULT_PASSWORD, nik_for

pytestmark = pytest.mark.django_db

PREFIX = "heirs"
FIELDS = ("full_name", "nik", "relationship", "date_of_birth", "phone", "share_percent")
EXTRA_BLOCKS = 3
# 10:00 in Jakarta: the member's "today" is 2 June 2025.
TODAY = datetime(2025, 6, 2, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))

NIK_FORMAT = "A national ID number (NIK) has exactly 16 digits."
NIK_PROVINCE = "This NIK does not start with a valid province code."
NIK_BIRTH = "The birth date in this NIK does not match the date of birth entered."
SELF = "You cannot name yourself as your own heir."
ONE_SPOUSE = "You can register only one spouse."
SHARES = "The shares of all heirs must add up to exactly 100%."
SAME_NIK = "The same NIK is entered twice."


def person(name, relationship, born, *, female, serial, share, phone="") -> dict:
    """A block of the editor as a member fills it in, NIK matching the birth date."""
    return {
        "full_name": name,
        "nik": nik_for(born, female=female, serial=serial),
        "relationship": relationship,
        "date_of_birth": born.isoformat(),
        "phone": phone,
        "share_percent": str(share),
    }


def spouse(share=60, **changes) -> dict:
    row = person(
        "Agus Pratama",
        "spouse",
        date(1987, 9, 3),
        female=False,
        serial=101,
        share=share,
    )
    return {**row, **changes}


def child(share=40, **changes) -> dict:
    row = person(
        "Putri Pratama",
        "child",
        date(2014, 2, 25),
        female=True,
        serial=102,
        share=share,
    )
    return {**row, **changes}


def second_child(share=20, **changes) -> dict:
    row = person(
        "Bima Pratama",
        "child",
        date(2017, 11, 8),
        female=False,
        serial=103,
        share=share,
    )
    return {**row, **changes}


def sibling(share=20, **changes) -> dict:
    row = person(
        "Rudi Rahayu",
        "sibling",
        date(1992, 7, 19),
        female=False,
        serial=104,
        share=share,
    )
    return {**row, **changes}


def add(member, row: dict) -> Heir:
    """Register a heir directly, as an earlier save would have."""
    return Heir.objects.create(
        member=member,
        full_name=row["full_name"],
        nik=row["nik"],
        relationship=row["relationship"],
        date_of_birth=date.fromisoformat(row["date_of_birth"]),
        phone=row["phone"],
        share_percent=int(row["share_percent"]),
    )


def shown(heir: Heir, **changes) -> dict:
    """A registered heir's block as the editor shows it, with some fields typed."""
    row = {
        "id": str(heir.pk),
        "full_name": heir.full_name,
        "nik": heir.nik,
        "relationship": heir.relationship,
        "date_of_birth": heir.date_of_birth.isoformat(),
        "phone": heir.phone,
        "share_percent": str(heir.share_percent),
    }
    row.update({name: str(value) for name, value in changes.items()})
    return row


def editor_post(existing=(), new=()) -> dict:
    """What the set editor posts: registered people first, then the empty blocks."""
    existing, new = list(existing), list(new)
    assert len(new) <= EXTRA_BLOCKS
    blocks = existing + new + [{}] * (EXTRA_BLOCKS - len(new))
    data = {
        f"{PREFIX}-TOTAL_FORMS": str(len(blocks)),
        f"{PREFIX}-INITIAL_FORMS": str(len(existing)),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
    }
    for index, block in enumerate(blocks):
        for name in FIELDS:
            data[f"{PREFIX}-{index}-{name}"] = block.get(name, "")
        if block.get("id"):
            data[f"{PREFIX}-{index}-id"] = block["id"]
        if block.get("DELETE"):
            data[f"{PREFIX}-{index}-DELETE"] = "on"
    return data


def save_set(client, capture, *, existing=(), new=(), url=None, **extra):
    with capture(execute=True):
        return client.post(
            url or reverse("accounts:heirs_edit"),
            editor_post(existing, new),
            **extra,
        )


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def flat(text: str) -> str:
    return " ".join(text.split())


def translated(message: str, language: str) -> str:
    """`message` as a member reading `language` sees it; Indonesian must differ."""
    with translation.override(language):
        text = gettext(message)
    if language != "en":
        assert text != message, f"no {language!r} translation for {message!r}"
    return text


def sign_in(client, member):
    response = post_login(client, member.kpj_number, DEFAULT_PASSWORD)
    assert response.status_code == 302, page_text(response)[:500]
    return client


def registered(member) -> list[tuple]:
    return list(
        member.heirs.order_by("pk").values_list(
            "full_name", "relationship", "share_percent"
        )
    )


def stale_by(seconds: int):
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds))


# --- Each rule, in English and in Indonesian ---------------------------------------


def _nik_missing_last_digit(member):
    return [child(share=100, nik=child()["nik"][:-1])]


def _nik_missing_middle_digit(member):
    """A digit of the birth date left out while typing."""
    nik = child()["nik"]
    return [child(share=100, nik=nik[:8] + nik[9:])]


def _bad_nik_letters(member):
    return [child(share=100, nik="31710165021401O2")]


def _bad_province(member):
    return [child(share=100, nik="99" + child()["nik"][2:])]


def _birth_day_differs(member):
    return [child(share=100, date_of_birth="2014-02-26")]


def _birth_month_differs(member):
    return [child(share=100, date_of_birth="2014-03-25")]


def _birth_year_differs(member):
    return [child(share=100, date_of_birth="2015-02-25")]


def _self(member):
    return [
        {
            "full_name": member.full_name,
            "nik": member.nik,
            "relationship": "other",
            "date_of_birth": member.date_of_birth.isoformat(),
            "phone": "",
            "share_percent": "100",
        }
    ]


def _two_spouses(member):
    second = person(
        "Dina Lestari", "spouse", date(1989, 1, 9), female=True, serial=105, share=50
    )
    return [spouse(share=50), second]


def _shares_under_100(member):
    return [spouse(share=60), child(share=30)]


def _shares_over_100(member):
    return [spouse(share=60), child(share=40), second_child(share=10)]


def _same_nik_twice(member):
    return [child(share=50), child(share=50, full_name="Putri P.")]


RULES = {
    "NIK missing its last digit": (_nik_missing_last_digit, NIK_FORMAT),
    "NIK missing a middle digit": (_nik_missing_middle_digit, NIK_FORMAT),
    "NIK with a letter": (_bad_nik_letters, NIK_FORMAT),
    "NIK province 99": (_bad_province, NIK_PROVINCE),
    "birth day differs": (_birth_day_differs, NIK_BIRTH),
    "birth month differs": (_birth_month_differs, NIK_BIRTH),
    "birth year differs": (_birth_year_differs, NIK_BIRTH),
    "own NIK": (_self, SELF),
    "two spouses": (_two_spouses, ONE_SPOUSE),
    "shares 90": (_shares_under_100, SHARES),
    "shares 110": (_shares_over_100, SHARES),
    "same NIK twice": (_same_nik_twice, SAME_NIK),
}


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("rule", RULES)
def test_each_rule_refuses_the_set_with_its_message(
    client, member, django_capture_on_commit_callbacks, rule, language
):
    make_rows, message = RULES[rule]
    member.preferred_language = language
    member.save(update_fields=["preferred_language"])
    sign_in(client, member)
    rows_before = Heir.objects.count()

    response = save_set(
        client, django_capture_on_commit_callbacks, new=make_rows(member)
    )

    assert response.status_code == 200
    assert translated(message, language) in page_text(response)
    assert Heir.objects.count() == rows_before
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action="heirs.changed").exists()


@pytest.mark.parametrize("female", [False, True], ids=["day as is", "day plus 40"])
def test_nik_birth_date_is_accepted_with_or_without_40_added_to_the_day(
    client, member, django_capture_on_commit_callbacks, female
):
    born = date(2014, 2, 5)
    row = person("Sekar Pratama", "child", born, female=female, serial=7, share=100)
    assert row["nik"][6:8] == ("45" if female else "05")
    sign_in(client, member)

    response = save_set(client, django_capture_on_commit_callbacks, new=[row])

    assert response.status_code == 302
    assert registered(member) == [("Sekar Pratama", "child", 100)]


def test_shares_not_adding_up_save_nothing_of_an_existing_set(
    client, member, django_capture_on_commit_callbacks
):
    partner = add(member, spouse(share=100))
    sign_in(client, member)
    rows_before = Heir.objects.count()

    response = save_set(
        client,
        django_capture_on_commit_callbacks,
        existing=[shown(partner, share_percent=70, phone="0812 1111 2222")],
        new=[child(share=40)],
    )

    assert response.status_code == 200
    assert SHARES in page_text(response)
    assert Heir.objects.count() == rows_before
    partner.refresh_from_db()
    assert (partner.share_percent, partner.phone) == (100, "")


def test_an_existing_heir_added_again_is_the_same_nik_twice(
    client, member, django_capture_on_commit_callbacks
):
    kid = add(member, child(share=100))
    sign_in(client, member)

    response = save_set(
        client,
        django_capture_on_commit_callbacks,
        existing=[shown(kid, share_percent=50)],
        new=[child(share=50, full_name="Putri again")],
    )

    assert response.status_code == 200
    assert SAME_NIK in page_text(response)
    assert registered(member) == [("Putri Pratama", "child", 100)]


# --- Adding, editing, removing ------------------------------------------------------


def test_the_editor_offers_three_empty_blocks(client, member):
    sign_in(client, member)

    response = client.get(reverse("accounts:heirs_edit"))

    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.prefix == PREFIX
    assert len(formset.forms) == EXTRA_BLOCKS
    assert all(form.instance.pk is None for form in formset.forms)
    assert f'name="{PREFIX}-TOTAL_FORMS"' in response.content.decode()


def test_two_heirs_are_added_in_one_save_with_60_40_shares(
    client, member, django_capture_on_commit_callbacks
):
    sign_in(client, member)

    response = save_set(
        client, django_capture_on_commit_callbacks, new=[spouse(60), child(40)]
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:heirs")
    assert registered(member) == [
        ("Agus Pratama", "spouse", 60),
        ("Putri Pratama", "child", 40),
    ]
    assert "Your heirs are saved." in page_text(client.get(response.url))


def test_one_heir_is_edited(client, member, django_capture_on_commit_callbacks):
    partner, kid = add(member, spouse(60)), add(member, child(40))
    sign_in(client, member)

    response = save_set(
        client,
        django_capture_on_commit_callbacks,
        existing=[
            shown(partner),
            shown(kid, full_name="Putri Ayu Pratama", phone="0813-2222-3333"),
        ],
        url=reverse("accounts:heir_edit", args=[kid.pk]),
    )

    assert response.status_code == 302
    kid.refresh_from_db()
    assert (kid.full_name, kid.phone) == ("Putri Ayu Pratama", "+6281322223333")
    assert registered(member) == [
        ("Agus Pratama", "spouse", 60),
        ("Putri Ayu Pratama", "child", 40),
    ]


def test_the_edit_link_opens_the_set_with_that_person_in_focus(client, member):
    partner, kid = add(member, spouse(60)), add(member, child(40))
    sign_in(client, member)

    response = client.get(reverse("accounts:heir_edit", args=[kid.pk]))

    assert response.status_code == 200
    assert response.context["focus"] == kid
    assert [form.instance for form in response.context["formset"].forms[:2]] == [
        partner,
        kid,
    ]


def test_remove_opens_the_editor_with_that_persons_delete_box_ticked(client, member):
    add(member, spouse(60))
    kid = add(member, child(40))
    sign_in(client, member)

    response = client.get(reverse("accounts:heir_delete", args=[kid.pk]))

    assert response.status_code == 200
    forms = response.context["formset"].forms
    ticked = [form.instance for form in forms if form["DELETE"].value()]
    assert ticked == [kid]
    checkbox = re.search(
        rf'<input[^>]*name="{PREFIX}-1-DELETE"[^>]*>', response.content.decode()
    )
    assert checkbox
    assert "checked" in checkbox.group(0)
    assert "Putri Pratama is marked for removal." in flat(page_text(response))
    assert registered(member) == [
        ("Agus Pratama", "spouse", 60),
        ("Putri Pratama", "child", 40),
    ]


def test_one_is_removed_while_its_share_goes_to_the_other_in_the_same_save(
    client, member, django_capture_on_commit_callbacks
):
    partner, kid = add(member, spouse(60)), add(member, child(40))
    sign_in(client, member)

    response = save_set(
        client,
        django_capture_on_commit_callbacks,
        existing=[shown(partner, share_percent=100), {**shown(kid), "DELETE": True}],
        url=reverse("accounts:heir_delete", args=[kid.pk]),
    )

    assert response.status_code == 302
    assert registered(member) == [("Agus Pratama", "spouse", 100)]
    assert not Heir.objects.filter(pk=kid.pk).exists()


def test_removing_one_without_moving_its_share_is_refused(
    client, member, django_capture_on_commit_callbacks
):
    partner, kid = add(member, spouse(60)), add(member, child(40))
    sign_in(client, member)

    response = save_set(
        client,
        django_capture_on_commit_callbacks,
        existing=[shown(partner), {**shown(kid), "DELETE": True}],
    )

    assert response.status_code == 200
    assert SHARES in page_text(response)
    assert Heir.objects.filter(pk=kid.pk).exists()


def test_the_spouse_can_be_replaced_in_one_save(
    client, member, django_capture_on_commit_callbacks
):
    partner = add(member, spouse(100))
    sign_in(client, member)
    new_partner = person(
        "Dina Lestari", "spouse", date(1989, 1, 9), female=True, serial=105, share=100
    )

    response = save_set(
        client,
        django_capture_on_commit_callbacks,
        existing=[{**shown(partner), "DELETE": True}],
        new=[new_partner],
    )

    assert response.status_code == 302
    assert registered(member) == [("Dina Lestari", "spouse", 100)]


def test_swapped_niks_of_two_children_can_be_corrected_in_one_save(
    client, member, django_capture_on_commit_callbacks
):
    """Twins whose NIKs were typed the wrong way round, put right in one step."""
    born = date(2016, 4, 12)
    first = add(member, person("Arya", "child", born, female=False, serial=1, share=50))
    second = add(
        member, person("Bayu", "child", born, female=False, serial=2, share=50)
    )
    sign_in(client, member)
    client.raise_request_exception = False

    response = save_set(
        client,
        django_capture_on_commit_callbacks,
        existing=[shown(first, nik=second.nik), shown(second, nik=first.nik)],
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.nik[-4:], second.nik[-4:]) == ("0002", "0001")


def test_spouse_and_child_marked_the_wrong_way_round_can_be_corrected_in_one_save(
    client, member, django_capture_on_commit_callbacks
):
    partner = add(member, child(50, full_name="Agus Pratama"))
    kid = add(member, spouse(50, full_name="Putri Pratama"))
    sign_in(client, member)
    client.raise_request_exception = False

    response = save_set(
        client,
        django_capture_on_commit_callbacks,
        existing=[
            shown(partner, relationship="spouse"),
            shown(kid, relationship="child"),
        ],
    )

    assert response.status_code == 302
    assert sorted(registered(member)) == [
        ("Agus Pratama", "spouse", 50),
        ("Putri Pratama", "child", 50),
    ]


# --- Another member's heirs ------------------------------------------------------


@pytest.mark.parametrize("url_name", ["heir_detail", "heir_edit", "heir_delete"])
def test_another_members_heir_is_not_found_and_nothing_changes(
    client, member, other_member, django_capture_on_commit_callbacks, url_name
):
    theirs = add(other_member, spouse(100))
    sign_in(client, member)
    url = reverse(f"accounts:{url_name}", args=[theirs.pk])

    shown_page = client.get(url)
    posted = save_set(
        client,
        django_capture_on_commit_callbacks,
        existing=[{**shown(theirs, full_name="Changed", share_percent=100)}],
        url=url,
    )
    deleting = save_set(
        client,
        django_capture_on_commit_callbacks,
        existing=[{**shown(theirs), "DELETE": True}],
        url=url,
    )

    assert shown_page.status_code == 404
    assert posted.status_code == 404
    assert deleting.status_code == 404
    assert "Agus Pratama" not in page_text(shown_page)
    theirs.refresh_from_db()
    assert (theirs.member, theirs.full_name, theirs.share_percent) == (
        other_member,
        "Agus Pratama",
        100,
    )
    assert registered(member) == []
    assert mail.outbox == []


def test_another_members_heir_id_posted_in_the_set_changes_nothing_of_theirs(
    client, member, other_member, django_capture_on_commit_callbacks
):
    theirs = add(other_member, spouse(100))
    sign_in(client, member)

    for forged in (
        shown(theirs, full_name="Changed"),
        {**shown(theirs), "DELETE": True},
    ):
        save_set(client, django_capture_on_commit_callbacks, existing=[forged])

    theirs.refresh_from_db()
    assert (theirs.member, theirs.full_name, theirs.share_percent) == (
        other_member,
        "Agus Pratama",
        100,
    )


def test_the_detail_page_shows_the_nik_masked(client, member):
    kid = add(member, child(100))
    sign_in(client, member)

    response = client.get(reverse("accounts:heir_detail", args=[kid.pk]))

    assert response.status_code == 200
    text = page_text(response)
    assert "Putri Pratama" in text
    assert "*" * 12 + kid.nik[-4:] in text
    assert kid.nik not in text


# --- Re-authentication ----------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["heirs_edit", "heir_edit", "heir_delete"])
def test_the_editor_asks_for_the_password_again_when_sign_in_is_old(
    client, member, django_capture_on_commit_callbacks, url_name
):
    kid = add(member, child(100))
    sign_in(client, member)
    args = [] if url_name == "heirs_edit" else [kid.pk]
    url = reverse(f"accounts:{url_name}", args=args)
    reauth = f"{reverse('accounts:reauth')}?{urlencode({'next': url})}"

    with stale_by(settings.RECENT_AUTH_SECONDS + 5):
        opened = client.get(url)
        posted = save_set(
            client,
            django_capture_on_commit_callbacks,
            existing=[{**shown(kid), "DELETE": True}],
            new=[spouse(100)],
            url=url,
        )
        viewing = client.get(reverse("accounts:heirs"))

        assert (opened.status_code, opened.url) == (302, reauth)
        assert (posted.status_code, posted.url) == (302, reauth)
        assert registered(member) == [("Putri Pratama", "child", 100)]
        assert mail.outbox == []
        # Looking needs no password; changing does.
        assert viewing.status_code == 200

        client.post(reauth, {"password": DEFAULT_PASSWORD})
        assert client.get(url).status_code == 200


# --- Statutory heir preview -----------------------------------------------------------


def preview_of(client):
    """The preview the page was given, and its "Who would receive" section as text."""
    response = client.get(reverse("accounts:heirs"))
    assert response.status_code == 200
    found = re.search(
        r'id="preview-heading".*?</section>', page_text(response), flags=re.S
    )
    return response.context["preview"], flat(found.group(0))


def plain(section: str) -> str:
    return flat(re.sub(r"<[^>]+>", "", section))


def warnings_in(section: str) -> list[str]:
    return [
        flat(re.sub(r"<[^>]+>", "", w))
        for w in re.findall(r'<p class="warn">(.*?)</p>', section)
    ]


def test_spouse_and_children_receive_and_a_sibling_is_passed_over(client, member):
    partner, kid = add(member, spouse(50)), add(member, child(30))
    brother = add(member, sibling(20))
    sign_in(client, member)

    preview, section = preview_of(client)

    assert preview.receivers == [partner, kid]
    assert preview.passed_over == [brother]
    assert preview.group_label == "your spouse and children"
    assert "your spouse and children" in section
    assert "Agus Pratama (Spouse) — 50%" in plain(section)
    assert "Putri Pratama (Child) — 30%" in plain(section)
    (passed_over,) = [w for w in warnings_in(section) if "Rudi Rahayu" in w]
    assert "would receive nothing" in passed_over
    assert "Agus Pratama" not in passed_over
    assert "Putri Pratama" not in passed_over


def test_with_only_parents_the_parents_receive(client, member):
    mother = add(
        member,
        person(
            "Sri Wahyuni", "parent", date(1962, 4, 30), female=True, serial=5, share=50
        ),
    )
    father = add(
        member,
        person("Slamet", "parent", date(1960, 1, 12), female=False, serial=6, share=50),
    )
    sign_in(client, member)

    preview, section = preview_of(client)

    assert preview.receivers == [mother, father]
    assert preview.passed_over == []
    assert preview.gaps == []
    assert preview.group_label == "your parents, grandparents and grandchildren"
    assert "your parents, grandparents and grandchildren" in section
    assert "Sri Wahyuni (Parent) — 50%" in plain(section)
    assert "Slamet (Parent) — 50%" in plain(section)
    assert warnings_in(section) == []


def test_married_member_without_a_registered_spouse_is_warned(client, member):
    member.marital_status = "married"
    member.save(update_fields=["marital_status"])
    add(member, child(100))
    sign_in(client, member)

    _preview, section = preview_of(client)

    assert warnings_in(section) == [
        "Your profile says you are married, but no spouse is registered."
    ]


@pytest.mark.parametrize("status", ["single", "", "widowed"])
def test_no_spouse_warning_unless_married(client, member, status):
    member.marital_status = status
    member.save(update_fields=["marital_status"])
    add(member, child(100))
    sign_in(client, member)

    preview, _text = preview_of(client)

    assert preview.gaps == []


def test_married_member_with_a_spouse_is_not_warned(client, member):
    member.marital_status = "married"
    member.save(update_fields=["marital_status"])
    add(member, spouse(100))
    sign_in(client, member)

    preview, _text = preview_of(client)

    assert preview.gaps == []


@pytest.mark.parametrize(
    ("born", "warned"),
    [
        (date(2002, 6, 2), True),  # 23 today
        (date(1999, 1, 1), True),  # 26
        (date(2002, 6, 3), False),  # 23 tomorrow
    ],
)
def test_a_child_of_23_or_older_gets_the_jp_warning(client, member, born, warned):
    add(
        member, person("Putri Pratama", "child", born, female=True, serial=8, share=100)
    )

    with time_machine.travel(TODAY):
        sign_in(client, member)
        _preview, section = preview_of(client)

    warning = (
        "Putri Pratama is 23 or older, so cannot receive the pension (JP) child's "
        "benefit; JHT and JKM are not affected."
    )
    assert warnings_in(section) == ([warning] if warned else [])


def test_no_heirs_is_warned(client, member):
    sign_in(client, member)

    preview, section = preview_of(client)

    assert preview.receivers == []
    assert warnings_in(section) == [
        "You have registered no heirs. Add the people who should receive your "
        "benefits, so they can claim without delay."
    ]
    page = page_text(client.get(reverse("accounts:heirs")))
    assert "No heirs registered yet." in page


# --- Told and recorded --------------------------------------------------------------


def test_a_change_is_emailed_with_names_and_shares(
    client, member, django_capture_on_commit_callbacks
):
    sign_in(client, member)

    save_set(
        client,
        django_capture_on_commit_callbacks,
        new=[spouse(60), child(40)],
        REMOTE_ADDR="203.0.113.7",
    )

    (message,) = [m for m in mail.outbox if "Your heirs were changed" in m.subject]
    assert message.to == [member.email]
    assert "- Agus Pratama (Spouse): 60%" in message.body
    assert "- Putri Pratama (Child): 40%" in message.body
    assert "203.0.113.7" in message.body
    assert spouse()["nik"] not in message.body
    assert child()["nik"] not in message.body


def test_a_change_is_audited_with_niks_masked(
    client, member, django_capture_on_commit_callbacks
):
    sign_in(client, member)
    save_set(client, django_capture_on_commit_callbacks, new=[spouse(60), child(40)])
    partner, kid = member.heirs.order_by("pk")

    save_set(
        client,
        django_capture_on_commit_callbacks,
        existing=[shown(partner, share_percent=100), {**shown(kid), "DELETE": True}],
    )

    first, second = AuditEntry.objects.filter(
        member=member, action="heirs.changed"
    ).order_by("pk")
    masked_partner = "*" * 12 + partner.nik[-4:]
    masked_kid = "*" * 12 + kid.nik[-4:]
    assert first.data == {
        "before": [],
        "after": [
            {
                "name": "Agus Pratama",
                "nik": masked_partner,
                "relationship": "spouse",
                "share": 60,
            },
            {
                "name": "Putri Pratama",
                "nik": masked_kid,
                "relationship": "child",
                "share": 40,
            },
        ],
    }
    assert second.data["before"] == first.data["after"]
    assert second.data["after"] == [
        {
            "name": "Agus Pratama",
            "nik": masked_partner,
            "relationship": "spouse",
            "share": 100,
        }
    ]
    assert first.actor == member
    assert first.ip == "127.0.0.1"
    stored = json.dumps([first.data, second.data])
    for nik in (partner.nik, kid.nik):
        assert nik not in stored
        assert nik[:12] not in stored
    assert "Heirs changed" in flat(page_text(client.get(reverse("accounts:profile"))))


def test_saving_the_set_unchanged_sends_and_records_nothing(
    client, member, django_capture_on_commit_callbacks
):
    partner, kid = add(member, spouse(60)), add(member, child(40))
    sign_in(client, member)

    response = save_set(
        client,
        django_capture_on_commit_callbacks,
        existing=[shown(partner), shown(kid)],
    )

    assert response.status_code == 302
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action="heirs.changed").exists()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/accounts/nominees/", "/accounts/heirs/"),
        ("/accounts/nominees/edit/", "/accounts/heirs/edit/"),
        ("/accounts/nominees/12/", "/accounts/heirs/12/"),
        ("/accounts/nominees/12/edit/", "/accounts/heirs/12/edit/"),
        ("/accounts/nominees/12/delete/", "/accounts/heirs/12/delete/"),
    ],
)
def test_the_old_addresses_of_the_heirs_pages_lead_to_the_new_ones(client, old, new):
    response = client.get(old)

    assert (response.status_code, response["Location"]) == (301, new)
