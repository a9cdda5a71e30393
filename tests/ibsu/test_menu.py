"""The signed-in menu: rendered once per language, page and staff flag, so
each of those must still give its own menu."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CURRENT = re.compile(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>')


def menu(client, path, **headers) -> str:
    html = client.get(path, **headers).content.decode()
    return html[html.index('<nav class="wrap main-nav"') : html.index("</nav>")]


def test_the_current_section_is_marked_on_every_page_of_it(client, login, member):
    login(member)

    assert CURRENT.findall(menu(client, reverse("dashboard"))) == [
        (reverse("dashboard"), "Home")
    ]
    assert CURRENT.findall(menu(client, reverse("claims:new"))) == [
        (reverse("claims:list"), "Claims")
    ]
    assert CURRENT.findall(menu(client, reverse("accounts:heirs"))) == [
        (reverse("accounts:heirs"), "Heirs")
    ]


def test_the_menu_speaks_the_pages_language(client, login, member):
    login(member)
    english = menu(client, reverse("dashboard"))
    client.post(reverse("set_language"), {"language": "id", "next": "/"})

    indonesian = menu(client, reverse("dashboard"))

    assert ">Contributions<" in english
    assert ">Iuran<" in indonesian
    assert ">Contributions<" not in indonesian


def test_only_staff_see_the_admin_link(client, login, member, staff):
    login(member)
    members_menu = menu(client, reverse("dashboard"))
    client.post(reverse("accounts:logout"))
    login(staff)

    staff_menu = menu(client, reverse("dashboard"))

    assert reverse("admin:index") not in members_menu
    assert reverse("admin:index") in staff_menu
