"""The contributions chart's geometry: server-drawn SVG, no JavaScript, no library.

Bars: JHT paid in each year. Line: the JHT balance at each year's end. Each
series has its own scale, named in the legend; the year-by-year table on the
same page is the text alternative. The markup is templates/_bar_line_chart.html.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from contributions.balance import BalanceYear
from ibsu.lib.money import format_rupiah

WIDTH, HEIGHT = 640, 340
LEFT, RIGHT, TOP, BOTTOM = 16, 16, 80, 40
LABELS = 5  # about this many year labels under the bars


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class BarLineChart:
    title: str
    summary: str  # the text alternative, in one sentence
    bar_legend: str
    line_legend: str
    bars: list[Bar] = field(default_factory=list)
    line: str = ""  # the polyline's points
    labels: list[Label] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: float = HEIGHT - BOTTOM
    label_y: int = HEIGHT - 12


def balance_chart(years: list[BalanceYear]) -> BarLineChart | None:
    if not years:
        return None
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(years)
    top_paid = max(year.contributions for year in years) or 1
    top_balance = max(year.closing for year in years) or 1
    base_y = TOP + plot_h
    bars, points, labels = [], [], []
    for index, year in enumerate(years):
        x = LEFT + index * slot
        bar_h = plot_h * max(year.contributions, 0) / top_paid
        bars.append(
            Bar(
                round(x + slot * 0.15, 1),
                round(base_y - bar_h, 1),
                round(slot * 0.7, 1),
                round(bar_h, 1),
            )
        )
        line_y = base_y - plot_h * year.closing / top_balance
        points.append(f"{x + slot / 2:.1f},{line_y:.1f}")
        if index % max(1, len(years) // LABELS) == 0:
            labels.append(Label(round(x + slot / 2, 1), str(year.year)))
    first, last = years[0], years[-1]
    return BarLineChart(
        title=_("JHT paid each year and the balance"),
        summary=_(
            "From %(first)s to %(last)s the JHT balance grew to %(balance)s. "
            "The year-by-year table below gives every figure."
        )
        % {
            "first": first.year,
            "last": last.year,
            "balance": format_rupiah(last.closing),
        },
        bar_legend=_("JHT paid per year (up to %(amount)s)")
        % {"amount": format_rupiah(top_paid)},
        line_legend=_("Balance (up to %(amount)s)")
        % {"amount": format_rupiah(top_balance)},
        bars=bars,
        line=" ".join(points),
        labels=labels,
    )
