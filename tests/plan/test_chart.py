"""Where the projection chart draws its line, band and labels (the markup is
the template plan/_jht_chart.html, rendered in test_plan_page)."""

from types import SimpleNamespace

from plan.chart import projection_chart


def row(year, low, expected, high):
    return SimpleNamespace(
        year=year, low=low, high=high, expected=SimpleNamespace(closing=expected)
    )


def test_lines_start_today_and_scale_to_the_highest_balance():
    projection = SimpleNamespace(
        today=1_000_000,
        rows=[
            row(2026, 1_900_000, 2_000_000, 2_100_000),
            row(2027, 2_700_000, 3_000_000, 3_300_000),
            row(2028, 3_000_000, 4_000_000, 5_000_000),
        ],
    )

    chart = projection_chart(projection)

    # Plot 16..496 wide (4 points: 160 apart), 104..292 high; the top is the
    # highest balance, 5,000,000: y = 292 - 188 x balance / 5,000,000.
    assert chart.top_amount == 5_000_000
    assert chart.line == "16.0,254.4 176.0,216.8 336.0,179.2 496.0,141.6"
    assert chart.band == (
        "16.0,254.4 176.0,213.0 336.0,167.9 496.0,104.0 "
        "496.0,179.2 336.0,190.5 176.0,220.6 16.0,254.4"
    )
    assert (chart.end_x, chart.end_y) == ("496.0", "141.6")
    # "Today" is the template's; then the ends of years, the last at the edge.
    assert chart.years == [
        ("176.0", 2026, "middle"),
        ("336.0", 2027, "middle"),
        ("496.0", 2028, "end"),
    ]


def test_one_year_only_still_draws_a_line():
    projection = SimpleNamespace(today=0, rows=[row(2026, 90, 100, 110)])

    chart = projection_chart(projection)

    # The top is the high balance, 110: 292 - 188 x 100 / 110 = 121.09.
    assert chart.line == "16.0,292.0 496.0,121.1"
    assert chart.years == [("496.0", 2026, "end")]
