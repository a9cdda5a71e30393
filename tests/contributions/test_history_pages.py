"""The contributions history page and its CSV export, as a member sees them."""

import csv
import html
import io
import re
from datetime import date
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contributions.figures import figures_changed
from contributions.models import (
    Contribution,
    Employer,
    Employment,
    MinimumWage,
)
from contributions.rates import RateBook

pytestmark = pytest.mark.django_db

HISTORY = reverse("contributions:history")
EXPORT = reverse("contributions:export")
ENGLISH_HEADER = [
    "Period",
    "Employer number (NPP)",
    "Employer",
    "Reported wage",
    "JHT employer",
    "JHT employee",
    "JP employer",
    "JP employee",
    "JKK",
    "JKM",
    "Paid on",
]
AMOUNTS = Contribution.AMOUNT_FIELDS
YEAR_HEADING = re.compile(r'<h3 id="year-(\d{4})">')
BIG_AMOUNT = re.compile(r'<p class="big-amount">([^<]*)</p>')
TOTAL_PAID = re.compile(r'class="facts totals".*?<dd>([^<]*)</dd>', re.DOTALL)
PAGE_LINK = re.compile(r'<a href="\?([^"]*)" rel="(prev|next)"')


# -- data -------------------------------------------------------------------


def employer(npp, name, *, province_code="31"):
    return Employer.objects.create(
        npp=npp, name=name, risk_class=1, province_code=province_code
    )


def month_after(period: date) -> date:
    return date(period.year + period.month // 12, period.month % 12 + 1, 1)


def on_time(period: date) -> date:
    return month_after(period).replace(day=10)


def contribution(member, employer, period, wage, *, rates, paid=None, **amounts):
    """A month paid at the statutory rates, on time, unless told otherwise."""
    expected = rates.expected(wage=wage, period=period, risk_class=employer.risk_class)
    values = expected.amounts()
    values.update(amounts)
    return Contribution(
        member=member,
        employer=employer,
        period=period,
        wage=wage,
        paid_date=paid or on_time(period),
        **values,
    )


def add_months(member, employer, periods, wage, *, rates):
    return Contribution.objects.bulk_create(
        contribution(member, employer, period, wage, rates=rates) for period in periods
    )


def months(year, first=1, last=12):
    return [date(year, month, 1) for month in range(first, last + 1)]


def rupiah_en(amount: int) -> str:
    return f"Rp {amount:,}"


def rupiah_id(amount: int) -> str:
    return f"Rp {amount:,}".replace(",", ".")


def total_paid(rows, fields=AMOUNTS) -> int:
    return sum(getattr(row, field) for row in rows for field in fields)


def year_headings(page: str) -> list[int]:
    return [int(year) for year in YEAR_HEADING.findall(page)]


def page_links(page: str) -> dict[str, dict[str, list[str]]]:
    return {
        rel: parse_qs(html.unescape(query)) for query, rel in PAGE_LINK.findall(page)
    }


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def rates(statutory_figures):
    return RateBook.load()


@pytest.fixture
def career(member, rates):
    """Two employers over three years, all paid on time at the statutory rates."""
    first = employer("NPP0000001", "PT Kopi Sejahtera")
    second = employer("NPP0000002", "PT Laut Biru Logistik")
    rows = add_months(member, first, months(2021, 1, 12), 5_100_000, rates=rates)
    rows += add_months(member, first, months(2022, 1, 6), 5_400_000, rates=rates)
    rows += add_months(member, second, months(2022, 7, 12), 6_250_000, rates=rates)
    rows += add_months(member, second, months(2023, 1, 12), 6_700_000, rates=rates)
    return {"first": first, "second": second, "rows": rows}


@pytest.fixture
def others_history(other_member, rates):
    """Someone else's contributions, with names and wages found nowhere else."""
    theirs = employer("NPP0000099", "PT Rahasia Orang Lain")
    add_months(other_member, theirs, months(2022), 7_777_333, rates=rates)
    return theirs


# -- access and isolation ---------------------------------------------------


@pytest.mark.parametrize("url", [HISTORY, EXPORT])
def test_history_and_export_need_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_history_shows_the_members_rows_grouped_by_year_newest_first(
    client, login, member, career
):
    login(member)

    response = client.get(HISTORY)
    page = response.content.decode()

    assert response.status_code == 200
    assert year_headings(page) == [2023, 2022, 2021]
    assert page.count("<td>PT Kopi Sejahtera</td>") == 18
    assert page.count("<td>PT Laut Biru Logistik</td>") == 18
    # Each year's table holds that year's months: 2022 has both employers.
    in_2022 = page[page.index('id="year-2022"') : page.index('id="year-2021"')]
    assert in_2022.count("<td>PT Kopi Sejahtera</td>") == 6
    assert in_2022.count("<td>PT Laut Biru Logistik</td>") == 6
    assert rupiah_en(6_700_000) in page


def test_employer_names_are_shown_as_text_never_as_markup(client, login, member, rates):
    crafted = employer("NPP0000042", '<img src=x onerror="alert(1)"> & Co')
    add_months(member, crafted, months(2024, 1, 2), 5_000_000, rates=rates)
    login(member)

    page = client.get(HISTORY).content.decode()

    assert "<img src=x" not in page
    assert (
        page.count("<td>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co</td>")
        == 2
    )


def test_another_members_contributions_never_appear(
    client, login, member, career, others_history
):
    login(member)

    pages = [
        client.get(HISTORY).content.decode(),
        # Asking for the other member's employer is not a way in.
        client.get(HISTORY, {"employer": others_history.pk}).content.decode(),
    ]

    for page in pages:
        assert "PT Rahasia Orang Lain" not in page
        assert "NPP0000099" not in page
        assert "7,777,333" not in page
        assert "7.777.333" not in page
    assert year_headings(pages[1]) == [2023, 2022, 2021]


def test_export_of_one_member_never_contains_anothers_rows(
    client, login, member, career, others_history
):
    login(member)

    for query in ({}, {"employer": others_history.pk}):
        rows = csv_rows(client.get(EXPORT, query))[1:]

        assert len(rows) == len(career["rows"])
        assert {row[1] for row in rows} == {"NPP0000001", "NPP0000002"}
        assert not any(
            "PT Rahasia Orang Lain" in row or "7777333" in row for row in rows
        )


# -- filters and totals -----------------------------------------------------


def test_year_range_filter_and_its_totals(client, login, member, career):
    login(member)

    page = client.get(HISTORY, {"year_from": 2022, "year_to": 2023}).content.decode()

    shown = [row for row in career["rows"] if row.period.year >= 2022]
    assert year_headings(page) == [2023, 2022]
    assert TOTAL_PAID.search(page).group(1) == rupiah_en(total_paid(shown))
    assert rupiah_en(sum(row.wage for row in shown)) in page


def test_employer_filter_shows_only_that_employers_rows(client, login, member, career):
    login(member)

    page = client.get(HISTORY, {"employer": career["first"].pk}).content.decode()

    shown = [row for row in career["rows"] if row.employer == career["first"]]
    assert year_headings(page) == [2022, 2021]
    assert page.count("<td>PT Kopi Sejahtera</td>") == 18
    assert "<td>PT Laut Biru Logistik</td>" not in page
    assert TOTAL_PAID.search(page).group(1) == rupiah_en(total_paid(shown))


def test_programme_filter_shows_its_columns_and_hides_months_without_it(
    client, login, member, rates
):
    """JP started in July 2015: earlier months have nothing to show for it."""
    textile = employer("NPP0000003", "PT Benang Emas")
    rows = add_months(member, textile, months(2015), 4_000_000, rates=rates)
    login(member)

    page = client.get(HISTORY, {"programme": "JP"}).content.decode()

    with_jp = [row for row in rows if row.period >= date(2015, 7, 1)]
    assert len(with_jp) == 6
    assert all(row.jp > 0 for row in with_jp)
    assert page.count("<td>PT Benang Emas</td>") == 6
    assert '<th scope="row">July</th>' in page
    assert '<th scope="row">June</th>' not in page
    assert ">JP, employer</th>" in page
    assert ">JP, employee</th>" in page
    assert "JHT, employer" not in page
    assert ">JKK</th>" not in page
    jp = ("jp_employer", "jp_employee")
    assert TOTAL_PAID.search(page).group(1) == rupiah_en(total_paid(with_jp, jp))


def test_invalid_filter_says_so_and_shows_the_whole_history(
    client, login, member, career
):
    login(member)

    page = client.get(HISTORY, {"year_from": 2023, "year_to": 2021}).content.decode()

    assert "The first year must not be after the last year." in page
    assert 'role="alert"' in page
    assert year_headings(page) == [2023, 2022, 2021]
    assert TOTAL_PAID.search(page).group(1) == rupiah_en(total_paid(career["rows"]))


def test_totals_in_indonesian_use_dots(client, login, member, career):
    member.preferred_language = "id"
    member.save()
    login(member)

    page = client.get(HISTORY, {"year_from": 2023}).content.decode()

    shown = [row for row in career["rows"] if row.period.year == 2023]
    assert '<html lang="id">' in page
    assert TOTAL_PAID.search(page).group(1) == rupiah_id(total_paid(shown))
    assert rupiah_id(6_700_000) in page


def test_totals_follow_the_language_cookie(client, login, member, career):
    login(member)
    client.cookies["django_language"] = "id"

    page = client.get(HISTORY).content.decode()

    assert TOTAL_PAID.search(page).group(1) == rupiah_id(total_paid(career["rows"]))


# -- pagination -------------------------------------------------------------


@pytest.fixture
def seven_years(member, rates):
    """One June a year, 2015-2021, with one employer; another employer in 2021."""
    works = employer("NPP0000004", "PT Tujuh Tahun")
    other = employer("NPP0000005", "PT Satu Tahun")
    add_months(
        member,
        works,
        [date(y, 6, 1) for y in range(2015, 2022)],
        5_000_000,
        rates=rates,
    )
    add_months(member, other, [date(2021, 3, 1)], 5_000_000, rates=rates)
    return works


def test_years_are_paged_five_at_a_time(client, login, member, seven_years):
    login(member)

    first = client.get(HISTORY).content.decode()
    second = client.get(HISTORY, {"page": 2}).content.decode()

    assert year_headings(first) == [2021, 2020, 2019, 2018, 2017]
    assert year_headings(second) == [2016, 2015]
    assert "Page 2 of 2" in second


def test_page_links_keep_the_filter(client, login, member, seven_years):
    login(member)
    employer_filter = str(seven_years.pk)

    first = client.get(HISTORY, {"employer": employer_filter}).content.decode()
    next_link = page_links(first)["next"]
    second = client.get(HISTORY, next_link).content.decode()
    previous_link = page_links(second)["prev"]
    back = client.get(HISTORY, previous_link).content.decode()

    assert next_link["employer"] == [employer_filter]
    assert previous_link["employer"] == [employer_filter]
    assert year_headings(second) == [2016, 2015]
    assert year_headings(back) == [2021, 2020, 2019, 2018, 2017]
    assert "<td>PT Satu Tahun</td>" not in back


def test_page_links_carry_a_single_page_number(client, login, member, seven_years):
    """A link built from the current query must replace `page`, not add another."""
    login(member)

    second = client.get(HISTORY, {"employer": seven_years.pk, "page": 2})

    assert page_links(second.content.decode())["prev"]["page"] == ["1"]


# -- query count ------------------------------------------------------------


def test_query_count_does_not_grow_with_the_history(client, login, member, rates):
    login(member)
    first = employer("NPP0000006", "PT Awal Karier")

    def queries_for_page():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(HISTORY).status_code == 200
        return len(queries)

    add_months(member, first, months(2024), 5_000_000, rates=rates)
    queries_for_page()  # the first view after sign-in also saves the session
    figures_changed([member.pk])
    one_year_fresh = queries_for_page()  # balance and checks worked out
    one_year_cached = queries_for_page()

    Contribution.objects.filter(member=member).delete()
    employers = [first] + [
        employer(f"NPP000001{n}", f"PT Kantor {n}") for n in range(2)
    ]
    for index, each in enumerate(employers):
        Employment.objects.create(
            member=member, employer=each, start=date(1985, 1, 1), end=date(2024, 12, 31)
        )
        Contribution.objects.bulk_create(
            contribution(member, each, period, 3_000_000 + index * 1000, rates=rates)
            for year in range(1985, 2025)
            for period in months(year)
        )
    figures_changed([member.pk])  # bulk writes bypass the model signals
    assert Contribution.objects.filter(member=member).count() == 40 * 12 * 3

    assert queries_for_page() == one_year_fresh <= 20
    assert queries_for_page() == one_year_cached < one_year_fresh


# -- JHT balance and chart ---------------------------------------------------


@pytest.fixture
def one_month_of_jht(member, rates):
    """January 2020 only: 2020's published 5.63 % applies for 11 months."""
    office = employer("NPP0000007", "PT Satu Bulan")
    row = contribution(member, office, date(2020, 1, 1), 20_000_000, rates=rates)
    row.save()
    assert row.jht == 1_140_000
    return row


# 1,140,000 + round(1,140,000 × 11/12 × 5.63 %) = 1,140,000 + 58,834; no later
# year has a published rate in the migration's figures, so nothing more accrues.
BALANCE = 1_198_834


def test_jht_balance_is_the_same_on_the_page_and_the_dashboard(
    client, login, member, one_month_of_jht
):
    login(member)

    history = client.get(HISTORY).content.decode()
    dashboard = client.get(reverse("dashboard")).content.decode()

    assert BIG_AMOUNT.findall(history) == [rupiah_en(BALANCE)]
    assert BIG_AMOUNT.findall(dashboard) == [rupiah_en(BALANCE)]
    for page in (history, dashboard):
        assert "Contributions paid up to January 2020" in page


def test_year_by_year_table_lists_every_year(client, login, member, one_month_of_jht):
    login(member)

    page = client.get(HISTORY).content.decode()

    table = page[page.index("<summary>Year by year</summary>") :]
    table = table[: table.index("</table>")]
    this_year = timezone.localdate().year
    rows = re.findall(r'<th scope="row">(\d{4})</th>', table)
    assert rows == [str(year) for year in range(this_year, 2019, -1)]
    assert rupiah_en(58_834) in table
    assert "5.63%" in table
    assert "not yet published" in table


def test_chart_is_accessible_svg_without_inline_styles(
    client, login, member, one_month_of_jht
):
    login(member)

    response = client.get(HISTORY)
    page = response.content.decode()

    svg = re.search(r"<svg\b[^>]*>.*?</svg>", page, re.DOTALL).group(0)
    opening = svg[: svg.index(">") + 1]
    assert 'role="img"' in opening
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', opening).group(1).split()
    for element_id in labelled_by:
        assert re.search(rf'<(title|desc) id="{element_id}">[^<]+</', svg)
    assert re.search(r"<title[^>]*>[^<]+</title>", svg)
    assert re.search(r"<desc[^>]*>[^<]+</desc>", svg)
    # The content security policy forbids inline styles, on the chart or anywhere.
    assert not re.search(r"\sstyle\s*=", page)
    assert "<style" not in page
    # The text alternative: the year-by-year table.
    assert 'aria-label="JHT balance year by year"' in page
    assert "The year-by-year table below gives every figure." in svg


def test_a_member_without_contributions_sees_no_chart(client, login, member):
    login(member)

    page = client.get(HISTORY).content.decode()

    assert "<svg" not in page
    assert "No paid contributions yet." in page
    assert "No contributions match these filters." in page


# -- warnings ---------------------------------------------------------------


@pytest.fixture
def troubled_history(member, rates):
    """Half a year at one employer with one of each problem."""
    office = employer("NPP0000008", "PT Banyak Masalah")
    Employment.objects.create(
        member=member, employer=office, start=date(2022, 1, 1), end=date(2022, 6, 30)
    )
    MinimumWage.objects.create(
        province_code="31",
        region_name="DKI Jakarta",
        year=2022,
        amount=4_641_854,
        source="Kepgub DKI Jakarta, UMP 2022",
    )
    normal = 6_000_000
    jp_on_full_wage = 15_000_000
    Contribution.objects.bulk_create(
        [
            contribution(member, office, date(2022, 1, 1), normal, rates=rates),
            contribution(  # late: due 15 March
                member,
                office,
                date(2022, 2, 1),
                normal,
                rates=rates,
                paid=date(2022, 4, 20),
            ),
            # March is missing: arrears.
            contribution(  # JHT employee share short: mismatch
                member,
                office,
                date(2022, 4, 1),
                normal,
                rates=rates,
                jht_employee=95_000,
            ),
            contribution(  # below the province's minimum wage
                member, office, date(2022, 5, 1), 3_000_000, rates=rates
            ),
            contribution(  # JP on the whole wage, above the 2022 cap
                member,
                office,
                date(2022, 6, 1),
                jp_on_full_wage,
                rates=rates,
                jp_employer=jp_on_full_wage * 2 // 100,
                jp_employee=jp_on_full_wage // 100,
            ),
        ]
    )


WARNINGS = {
    "arrears": (
        "Months with no contribution",
        "report it to any branch office",
        "March 2022",
    ),
    "late": (
        "Paid late",
        "Contributions are due by the 15th of the next month (the next working day",
        "February 2022",
    ),
    "mismatch": (
        "Amounts differ from the statutory rates",
        "The amounts do not match the rates for the wage reported.",
        "April 2022",
    ),
    "jp_above_cap": (
        "Pension (JP) computed above the wage cap",
        "Pension contributions are only due on the wage up to the",
        "June 2022",
    ),
    "below_minimum": (
        "Wage below the regional minimum",
        "If you earn more, ask your employer to report your real wage",
        "May 2022",
    ),
}


def warning_items(page: str) -> dict[str, str]:
    return dict(
        re.findall(r'<li class="warning warning-(\w+)">(.*?)</li>', page, re.DOTALL)
    )


def test_each_problem_is_shown_with_a_next_step(
    client, login, member, troubled_history
):
    login(member)

    page = client.get(HISTORY).content.decode()

    assert "Please check these" in page
    items = warning_items(page)
    assert sorted(items) == sorted(WARNINGS)
    for finding, (label, next_step, month) in WARNINGS.items():
        item = items[finding]
        assert f"<strong>{label}</strong>" in item, finding
        assert "PT Banyak Masalah" in item, finding
        assert month in item, finding
        assert next_step in item.split('class="next-step"')[1], finding


def test_warnings_cover_the_whole_history_whatever_the_filter(
    client, login, member, troubled_history
):
    login(member)

    page = client.get(HISTORY, {"year_from": 2030}).content.decode()

    assert "No contributions match these filters." in page
    assert sorted(warning_items(page)) == sorted(WARNINGS)


def test_a_clean_history_has_no_warnings(client, login, member, career):
    MinimumWage.objects.update_or_create(
        province_code="31",
        regency_code="",
        year=2023,
        defaults={"region_name": "DKI Jakarta", "amount": 5_000_000},
    )
    login(member)

    page = client.get(HISTORY).content.decode()

    assert "Please check these" not in page
    assert warning_items(page) == {}


# -- CSV export -------------------------------------------------------------


def test_export_streams_an_attachment_with_an_english_header(
    client, login, member, career
):
    login(member)

    response = client.get(EXPORT)

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="contributions-{member.kpj_number}.csv"' in disposition
    rows = csv_rows(response)
    assert rows[0] == ENGLISH_HEADER
    assert len(rows) == 1 + len(career["rows"])


def test_export_rows_match_the_filter_with_plain_integer_amounts(
    client, login, member, career
):
    login(member)

    rows = csv_rows(
        client.get(
            EXPORT,
            {"year_from": 2022, "year_to": 2022, "employer": career["second"].pk},
        )
    )[1:]

    expected = sorted(
        (
            row
            for row in career["rows"]
            if row.period.year == 2022 and row.employer == career["second"]
        ),
        key=lambda row: row.period,
        reverse=True,
    )
    assert len(rows) == len(expected) == 6
    for line, row in zip(rows, expected, strict=True):
        assert line[:4] == [
            f"{row.period:%Y-%m}",
            "NPP0000002",
            "PT Laut Biru Logistik",
            str(row.wage),
        ]
        assert line[4:10] == [str(getattr(row, field)) for field in AMOUNTS]
        assert all(re.fullmatch(r"\d+", value) for value in line[3:10])
        assert line[10] == row.paid_date.isoformat()


def test_export_header_is_in_the_members_language(client, login, member, career):
    member.preferred_language = "id"
    member.save()
    login(member)

    header = csv_rows(client.get(EXPORT))[0]

    assert len(header) == len(ENGLISH_HEADER)
    untranslated = [
        english
        for english, shown in zip(ENGLISH_HEADER, header, strict=True)
        if english == shown and english not in {"JKK", "JKM"}
    ]
    assert untranslated == []
    # The employer's number (NPP) is not the member's number (KPJ).
    assert "KPJ" not in header[1]
