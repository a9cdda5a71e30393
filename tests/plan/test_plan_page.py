"""The plan page as a member sees it: the projections of one career worked out
by hand, in both languages, only ever for the signed-in member."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from contributions.models import Employment
from plan.models import ProjectionAssumptions
from tests.factories import MemberFactory
from tests.plan.conftest import month_list, paid_months, text_of

pytestmark = pytest.mark.django_db

PLAN = reverse("plan:plan")
TODAY = "2026-12-06 10:00 +0700"


@time_machine.travel(TODAY, tick=False)
def test_the_plan_needs_a_sign_in(client):
    response = client.get(PLAN)

    assert response.status_code == 302
    assert response.url == reverse("accounts:login") + "?next=" + PLAN


@time_machine.travel(TODAY, tick=False)
def test_jht_at_pension_age_worked_out_by_hand(client, login, planner):
    login(planner)

    page = text_of(client.get(PLAN))

    # Balance today: Nov 2025 - Oct 2026 at 570,000 (3.7 % + 2 % of 10,000,000,
    # PP 46/2015 art. 16). 2025 at 5 %: 570,000 x 1/12 x 5 % = 2,375 ->
    # 1,142,375; 2026 (no return yet): + 10 x 570,000 = 6,842,375.
    assert "Your balance today: Rp 6,842,375" in page
    # Defaults: return 5 % (2021-2025), wage +5 % a year, pension age 60 (March
    # 2030). Wages 10,000,000; 10,500,000; 11,025,000; 11,576,250;
    # 12,155,062.5 -> 12,155,063. JHT a month: 570,000; 598,500; 628,425;
    # 428,321 + 231,525 = 659,846; 449,737 + 243,101 = 692,838.
    # 2026: (1,142,375 + 570,000 x 66/12) x 5 % = 4,277,375 x 5 % = 213,869
    #   -> 1,142,375 + 6,840,000 + 213,869 = 8,196,244.
    # 2027: (8,196,244 + 598,500 x 5.5) x 5 % = 574,400 -> + 7,182,000 = 15,952,644.
    # 2028: (15,952,644 + 3,456,337.5) x 5 % = 970,449 -> + 7,541,100 = 24,464,193.
    # 2029: (24,464,193 + 3,629,153) x 5 % = 1,404,667 -> + 7,918,152 = 33,787,012.
    # 2030 (Jan, Feb): (33,787,012 + 692,838 x 21/12) x 5 % = 1,749,974
    #   -> 33,787,012 + 1,385,676 + 1,749,974 = 36,922,662.
    assert "JHT savings at 60 Rp 36,922,662" in page
    # In today's money at 2.5 % a year: 36,922,662 / 1.025^4 = 33,450,109.
    assert (
        "Expected by the end of 2030, the year you turn 60: "
        "about Rp 33,450,109 in today's money." in page
    )
    assert "Rp 570,000 a month now" in page
    assert "A return of 5% a year (3.5% for the lower estimate, 6.5%" in page
    assert "the average of the yearly returns of 2021 to 2025" in page
    assert "Estimates, not promises." in page
    assert "contributions paid up to October 2026" in page
    # The chart and its text alternatives: a description and the table.
    assert "Your JHT balance, estimated to the end of 2030" in page
    assert "From Rp 6,842,375 today to about Rp 36,922,662 at the end of 2030" in page
    assert "Year by year" in page
    assert "2029 59 Rp 11,576,250 Rp 7,918,152 Rp 1,404,667 Rp 33,787,012" in page


@time_machine.travel(TODAY, tick=False)
def test_jp_lump_sum_when_180_months_are_out_of_reach(client, login, planner):
    login(planner)

    page = text_of(client.get(PLAN))

    # 12 JP months so far; Nov 2026 - Feb 2030 adds 40: 52 at pension age.
    assert "JP contribution months so far 12" in page
    assert "JP contribution months at pension age 52" in page
    assert "Not by pension age" in page
    # JP a month, 2 % + 1 % of the wage (PP 45/2015 art. 28), all under the cap:
    # 300,000 to 2026; 315,000 (2027); 330,750 (2028); 231,525 + 115,763 =
    # 347,288 (2029); 243,101 + 121,551 = 364,652 (2030).
    # 2025 at 5 %: 300,000 x 1/12 x 5 % = 1,250 -> 601,250.
    # 2026: (601,250 + 300,000 x 5.5) x 5 % = 112,563 -> 4,313,813.
    # 2027: (4,313,813 + 1,732,500) x 5 % = 302,316 -> 8,396,129.
    # 2028: (8,396,129 + 1,819,125) x 5 % = 510,763 -> 12,875,892.
    # 2029: (12,875,892 + 1,910,084) x 5 % = 739,299 -> 17,782,647.
    # 2030: (17,782,647 + 364,652 x 1.75) x 5 % = 921,039
    #   -> 17,782,647 + 729,304 + 921,039 = 19,432,990.
    assert "Pension (JP) Rp 19,432,990 as a lump sum" in page
    # 19,432,990 / 1.025^4 = 17,605,330.
    assert (
        "Paid once, by the end of 2030 (about Rp 17,605,330 in today's money)" in page
    )


@time_machine.travel(TODAY, tick=False)
def test_family_cover_from_the_wage_and_the_regulation(client, login, planner):
    login(planner)

    page = text_of(client.get(PLAN))

    # JKM (PP 82/2019): 20,000,000 + 12,000,000 + 10,000,000 = 42,000,000.
    assert "Death benefit (JKM) for your family Rp 42,000,000" in page
    assert "They need 36 months of contributions; you have 12." in page
    # JKK: 48 x 10,000,000 = 480,000,000; 56 x = 560,000,000; 50 % = 5,000,000.
    assert (
        "Death: 48 times your monthly wage of Rp 10,000,000, that is Rp 480,000,000."
        in page
    )
    assert "that is Rp 560,000,000" in page
    assert "then 50% (Rp 5,000,000 a month) until you recover" in page
    assert f'href="{reverse("accounts:heirs")}"' in client.get(PLAN).content.decode()


@time_machine.travel(TODAY, tick=False)
def test_the_page_in_indonesian(client, login, planner):
    planner.preferred_language = "id"
    planner.save()
    login(planner)

    response = client.get(PLAN)
    page = text_of(response)

    assert '<html lang="id">' in response.content.decode()
    assert "Perkiraan, bukan janji." in page
    assert "Rp 36.922.662" in page
    assert "Rp 19.432.990" in page
    assert "Rp 42.000.000" in page
    assert "5,5" not in page or "3,5%" in page  # decimals with a comma
    assert "3,5%" in page


@time_machine.travel(TODAY, tick=False)
def test_the_page_shows_only_the_signed_in_members_figures(
    client, login, planner, employer, other_member
):
    Employment.objects.create(
        member=other_member, employer=employer, start=date(2020, 1, 1)
    )
    paid_months(
        other_member,
        employer,
        month_list(date(2020, 1, 1), date(2026, 10, 1)),
        23_456_000,
    )
    login(planner)

    page = text_of(
        client.get(PLAN, {"member": other_member.pk, "kpj": other_member.kpj_number})
    )

    assert "Rp 10,000,000" in page
    assert "23,456,000" not in page
    assert other_member.kpj_number not in page


@time_machine.travel(TODAY, tick=False)
def test_the_page_reads_a_fixed_number_of_queries(
    client, login, planner, django_assert_num_queries
):
    login(planner)
    client.get(PLAN)  # works the JHT balance out and caches it, as pages do

    # The member; then the plan's reads: yearly returns, the member's months,
    # contribution rates, JP caps, assumptions, benefit figures, an open
    # employment, registered children. The JHT balance comes from the cache,
    # under the version of the member's kept figures.
    with django_assert_num_queries(10):
        response = client.get(PLAN, {"age": "58", "return_percent": "6"})

    assert response.status_code == 200


@time_machine.travel(TODAY, tick=False)
def test_a_member_with_no_contributions_sees_what_would_come(client, login, member):
    login(member)

    page = text_of(client.get(PLAN))

    assert "No contributions have been paid for you yet" in page
    assert "No JP contributions have been paid for you yet." in page
    assert "No wage has been reported for you yet." in page
    assert "Rp 42,000,000" in page  # JKM does not depend on the wage


@time_machine.travel(TODAY, tick=False)
def test_a_member_past_the_last_age_sees_the_balance_to_claim(
    client, login, employer, statutory_figures
):
    born = date(1959, 6, 1)  # 67 today; reached pension age (56) in 2015
    member = MemberFactory(date_of_birth=born)
    paid_months(
        member, employer, month_list(date(2025, 11, 1), date(2026, 10, 1)), 4_000_000
    )
    login(member)

    page = text_of(client.get(PLAN))

    assert "Show my JHT at the age of" not in page  # no age is left to pick
    assert "You are past the last age we project to (65)" in page
    assert "If you claim it now" not in page  # 12 months: a lump sum
    assert "Paid once if you claim it now" in page
    assert "Your pension age 56, on June 1, 2015" in page


@time_machine.travel(TODAY, tick=False)
def test_without_projection_figures_the_page_says_so(client, login, planner):
    ProjectionAssumptions.objects.all().delete()
    login(planner)

    page = text_of(client.get(PLAN))

    assert "The figures for projections are not set up yet" in page


def test_the_menu_dashboard_and_heirs_page_lead_to_the_plan(client, login, member):
    login(member)

    for name in ("dashboard", "accounts:heirs"):
        assert PLAN in client.get(reverse(name)).content.decode(), name
    menu = client.get(PLAN).content.decode()
    assert f'<a href="{PLAN}" aria-current="page">My plan</a>' in menu
