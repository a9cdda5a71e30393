"""The assumptions form: every bad input gets a clear message in the member's
language, keeps what was typed, and the page still shows an estimate."""

import html as html_lib
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from contributions.models import DevelopmentRate
from tests.plan.conftest import text_of

pytestmark = pytest.mark.django_db

PLAN = reverse("plan:plan")
TODAY = "2026-12-06 10:00 +0700"


def errors_of(response) -> list[str]:
    summary = response.content.decode().split('id="error-summary"')[1].split("</ul>")[0]
    return [
        html_lib.unescape(e)
        for e in re.findall(r'<a href="#[^"]+">([^<]+)</a>', summary)
    ]


@pytest.mark.parametrize(
    ("query", "error"),
    [
        (
            {"return_percent": "80"},
            "Yearly return on your JHT (%): Enter a return from 0% to 15% a year.",
        ),
        (
            {"wage_growth": "-1"},
            "Yearly wage rise (%): Enter a wage rise from 0% to 20% a year.",
        ),
        ({"age": "70"}, "Show my JHT at the age of: Enter an age from 57 to 65."),
        ({"age": "56"}, "Show my JHT at the age of: Enter an age from 57 to 65."),
        (
            {"return_percent": "lima"},
            "Yearly return on your JHT (%): Enter the return as a number, such as 5.5.",
        ),
        (
            {"wage_growth": "NaN"},
            "Yearly wage rise (%): Enter the wage rise as a number, such as 5.",
        ),
        (
            {"age": "sixty"},
            "Show my JHT at the age of: Enter the age in whole years, such as 60.",
        ),
        (
            {"return_percent": "5.555"},
            "Yearly return on your JHT (%): Use at most two decimals, such as 5.25.",
        ),
    ],
)
@time_machine.travel(TODAY, tick=False)
def test_a_bad_value_is_explained_and_kept(client, login, planner, query, error):
    login(planner)

    response = client.get(PLAN, query)

    assert response.status_code == 200
    assert errors_of(response) == [error]
    ((name, typed),) = query.items()
    assert f'name="{name}" value="{typed}"' in response.content.decode()
    page = text_of(response)
    assert "the figures below use our default in place of each value to correct" in page
    assert "JHT savings at 60 Rp 36,922,662" in page  # the defaults' estimate


@time_machine.travel(TODAY, tick=False)
def test_the_right_values_are_used_while_a_wrong_one_waits(client, login, planner):
    login(planner)

    response = client.get(
        PLAN, {"return_percent": "0", "wage_growth": "0", "age": "57", "x": "80"}
    )
    wrong = client.get(PLAN, {"return_percent": "0", "wage_growth": "-3", "age": "57"})

    # No return, no rise: 6,842,375 today + Nov 2026 to Feb 2027, 4 x 570,000
    # = 9,122,375 at the end of 2027, the year of turning 57.
    assert "JHT savings at 57 Rp 9,122,375" in text_of(response)
    # The wrong wage rise takes the default (5 %): January and February 2027
    # are then 598,500 each: 6,842,375 + 2 x 570,000 + 2 x 598,500 = 9,179,375.
    assert "JHT savings at 57 Rp 9,179,375" in text_of(wrong)
    assert 'name="wage_growth" value="-3"' in wrong.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_decimal_comma_and_a_percent_sign_are_understood(client, login, planner):
    login(planner)

    page = text_of(client.get(PLAN, {"return_percent": "6,5 %"}))

    assert "A return of 6.5% a year (5% for the lower estimate, 8% for" in page


@time_machine.travel(TODAY, tick=False)
def test_the_messages_speak_indonesian(client, login, planner):
    planner.preferred_language = "id"
    planner.save()
    login(planner)

    response = client.get(
        PLAN, {"return_percent": "80", "wage_growth": "-1", "age": "70"}
    )

    assert errors_of(response) == [
        "Hasil pengembangan JHT per tahun (%): "
        "Isi hasil pengembangan antara 0% dan 15% per tahun.",
        "Kenaikan upah per tahun (%): Isi kenaikan upah antara 0% dan 20% per tahun.",
        "Tampilkan JHT saya pada usia: Isi usia antara 57 dan 65 tahun.",
    ]


@time_machine.travel(TODAY, tick=False)
def test_defaults_are_shown_in_the_members_language(client, login, planner):
    # The latest five returns: 2022-2025 at 5 % and 2026 at 7.6 %:
    # (4 x 5 + 7.6) / 5 = 5.52 %.
    DevelopmentRate.objects.create(year=2026, percent=Decimal("7.60"), source="test")
    planner.preferred_language = "id"
    planner.save()
    login(planner)

    page = client.get(PLAN).content.decode()

    assert 'name="return_percent" value="5,52"' in page
    assert 'name="wage_growth" value="5"' in page
    assert 'name="age" value="60"' in page
    assert "rata-rata hasil pengembangan tahunan 2022 sampai 2026" in text_of(
        client.get(PLAN)
    )
