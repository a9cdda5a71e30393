"""The figures behind the plan (dated rows, the default return) and the claim
amounts other pages will show, with expected rupiah from the regulations."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from contributions.models import Contribution, DevelopmentRate
from plan.family import FamilyCover
from plan.models import BenefitFigure
from plan.selectors import default_return, figures_in_force
from plan.services import claim_amounts_for_member, partial_claim_amount
from tests.plan.conftest import month_list

pytestmark = pytest.mark.django_db
Kind = BenefitFigure.Kind


def rates(*pairs):
    return [
        DevelopmentRate(year=year, percent=Decimal(percent), is_demo=year > 2020)
        for year, percent in pairs
    ]


def test_the_default_return_is_the_average_of_the_latest_five_years():
    known = rates(
        (2016, "7.19"), (2020, "5.63"), (2021, "5.59"), (2022, "5.24"),
        (2023, "5.50"), (2024, "5.60"), (2025, "5.65"),
    )  # fmt: skip

    found = default_return(known)

    # (5.59 + 5.24 + 5.50 + 5.60 + 5.65) / 5 = 27.58 / 5 = 5.516 -> 5.52.
    assert found.percent == Decimal("5.52")
    assert found.years == [2021, 2022, 2023, 2024, 2025]
    assert found.demo_years == [2021, 2022, 2023, 2024, 2025]


def test_with_fewer_known_years_the_default_averages_those():
    # The published figures alone: (7.19 + 6.26 + 6.08 + 5.63) / 4 = 6.29.
    found = default_return(
        rates((2016, "7.19"), (2018, "6.26"), (2019, "6.08"), (2020, "5.63"))
    )

    assert (found.percent, found.first_year, found.last_year) == (
        Decimal("6.29"), 2016, 2020,
    )  # fmt: skip
    assert found.demo_years == []
    assert default_return([]) is None


def test_the_latest_figure_in_force_is_used():
    # The JP minimum: 300,000 from July 2015 (PP 45/2015 art. 18), 383,400 in
    # 2023 and 393,500 in 2024 (both unconfirmed).
    assert figures_in_force(today=date(2015, 12, 31))[Kind.JP_MINIMUM].amount == 300_000
    assert figures_in_force(today=date(2023, 6, 1))[Kind.JP_MINIMUM].amount == 383_400
    in_2026 = figures_in_force(today=date(2026, 12, 6))
    assert in_2026[Kind.JP_MINIMUM].amount == 393_500
    assert not in_2026[Kind.JP_MINIMUM].confirmed
    assert in_2026[Kind.JP_MAXIMUM].amount == 4_718_200
    assert Kind.JKM_LUMP_SUM not in figures_in_force(today=date(2019, 12, 1))


def test_family_cover_by_pp_82_2019():
    cover = FamilyCover(
        figures=figures_in_force(today=date(2026, 12, 6)),
        wage=5_000_001,
        contribution_months=30,
        children=1,
        jht_balance=0,
    )

    # JKM: 20,000,000 lump sum + 12,000,000 periodic + 10,000,000 funeral.
    assert cover.jkm_total == 42_000_000
    # JKK: 48 x 5,000,001 = 240,000,048; 56 x = 280,000,056;
    # 50 % = 2,500,000.5 -> 2,500,001 (half up).
    assert (cover.jkk_death, cover.jkk_disability, cover.jkk_later_pay) == (
        240_000_048, 280_000_056, 2_500_001,
    )  # fmt: skip
    # Scholarships after 36 months (unconfirmed): 6 months short.
    assert cover.scholarship_months_short == 6
    assert [f.kind for f in cover.unconfirmed] == [
        Kind.JP_MAXIMUM, Kind.JP_MINIMUM, Kind.SCHOLARSHIP_MONTHS,
    ]  # fmt: skip


def test_without_a_wage_the_work_accident_amounts_are_unknown():
    cover = FamilyCover(
        figures=figures_in_force(today=date(2026, 12, 6)),
        wage=None,
        contribution_months=0,
        children=0,
        jht_balance=0,
    )

    assert (cover.jkk_death, cover.jkk_disability, cover.jkk_later_pay) == (
        None, None, None,
    )  # fmt: skip
    assert cover.jkm_total == 42_000_000


def test_a_partial_claim_pays_up_to_its_percentage_rounded_down():
    # 10 % of 12,345,678 = 1,234,567.8 -> 1,234,567; 30 % = 3,703,703.4 ->
    # 3,703,703: "up to", never a rupiah more.
    assert partial_claim_amount(12_345_678, 10) == 1_234_567
    assert partial_claim_amount(12_345_678, 30) == 3_703_703
    assert partial_claim_amount(0, 30) == 0


@time_machine.travel("2026-12-06 10:00 +0700", tick=False)
def test_claim_amounts_today(planner, employer):
    amounts = claim_amounts_for_member(member=planner, today=date(2026, 12, 6))

    # JHT 6,842,375 (see test_plan_page): 10 % = 684,237.5 -> 684,237;
    # 30 % = 2,052,712.5 -> 2,052,712 (PP 46/2015 art. 22(4), Permenaker 4/2022).
    assert amounts.jht_balance == 6_842_375
    assert (amounts.partial_retirement, amounts.partial_housing) == (
        684_237, 2_052_712,
    )  # fmt: skip
    # JP: 300,000 a month (3 % of 10,000,000). 2025 at 5 %: 300,000 x 1/12 x 5 %
    # = 1,250 -> 601,250; 2026 has no published return: + 10 x 300,000.
    assert amounts.jp_lump_sum == 3_601_250


@time_machine.travel("2026-12-06 10:00 +0700", tick=False)
def test_months_before_july_2015_are_no_jp_months(planner, employer):
    # A wrong report with JP for the first half of 2015, before JP began.
    Contribution.objects.bulk_create(
        Contribution(
            member=planner,
            employer=employer,
            period=period,
            wage=3_000_000,
            jp_employer=60_000,
            jp_employee=30_000,
            paid_date=date(2015, 7, 10),
        )
        for period in month_list(date(2015, 1, 1), date(2015, 6, 1))
    )

    amounts = claim_amounts_for_member(member=planner, today=date(2026, 12, 6))

    assert amounts.jp_lump_sum == 3_601_250  # as without them


def test_staff_keep_the_figures_in_admin(client, login, verified_staff):
    login(verified_staff)

    figures = client.get(reverse("admin:plan_benefitfigure_changelist"))
    assumptions = client.get(reverse("admin:plan_projectionassumptions_changelist"))

    assert figures.status_code == assumptions.status_code == 200
    assert "PP 45/2015 Pasal 18 ayat (1)" in figures.content.decode()
    assert "PP 82/2019" in figures.content.decode()
