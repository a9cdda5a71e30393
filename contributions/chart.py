"""The contributions chart as server-drawn SVG: no JavaScript, no library.

Bars: JHT paid in each year. Line: the JHT balance at each year's end. Each
series has its own scale, named in the legend; the year-by-year table on the
same page is the text alternative.
"""

from django.utils.html import escape
from django.utils.translation import gettext as _

from contributions.balance import BalanceYear
from ibsu.lib.money import format_rupiah

WIDTH, HEIGHT = 640, 340
LEFT, RIGHT, TOP, BOTTOM = 16, 16, 80, 40
FONT = 22  # legible when a phone shrinks the 640-wide drawing to half
BAR = "#4c9a73"
LINE = "#0b3d2e"


def history_chart_svg(years: list[BalanceYear], *, title_id: str, desc_id: str) -> str:
    if not years:
        return ""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(years)
    top_paid = max(year.contributions for year in years) or 1
    top_balance = max(year.closing for year in years) or 1
    base_y = TOP + plot_h
    title = escape(_("JHT paid each year and the balance"))
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{title}</title>',
        f'<desc id="{desc_id}">{escape(_chart_summary(years))}</desc>',
        f'<line x1="{LEFT}" y1="{base_y}" x2="{WIDTH - RIGHT}" y2="{base_y}" '
        'stroke="#6b7a73"/>',
    ]
    points = []
    for index, year in enumerate(years):
        x = LEFT + index * slot
        bar_h = plot_h * year.contributions / top_paid
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{base_y - bar_h:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{bar_h:.1f}" fill="{BAR}"/>'
        )
        line_y = base_y - plot_h * year.closing / top_balance
        points.append(f"{x + slot / 2:.1f},{line_y:.1f}")
        if index % max(1, len(years) // 5) == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - 12}" font-size="{FONT}" '
                f'text-anchor="middle" fill="#1a1a1a">{year.year}</text>'
            )
    parts.append(
        f'<polyline points="{" ".join(points)}" fill="none" '
        f'stroke="{LINE}" stroke-width="3"/>'
    )
    paid_legend = _("JHT paid per year (up to %(amount)s)") % {
        "amount": format_rupiah(top_paid)
    }
    balance_legend = _("Balance (up to %(amount)s)") % {
        "amount": format_rupiah(top_balance)
    }
    parts.append(
        f'<rect x="{LEFT}" y="6" width="20" height="20" fill="{BAR}"/>'
        f'<text x="{LEFT + 30}" y="24" font-size="{FONT}" fill="#1a1a1a">'
        f"{escape(paid_legend)}</text>"
        f'<line x1="{LEFT}" y1="48" x2="{LEFT + 20}" y2="48" '
        f'stroke="{LINE}" stroke-width="4"/>'
        f'<text x="{LEFT + 30}" y="56" font-size="{FONT}" fill="#1a1a1a">'
        f"{escape(balance_legend)}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _chart_summary(years: list[BalanceYear]) -> str:
    first, last = years[0], years[-1]
    return _(
        "From %(first)s to %(last)s the JHT balance grew to %(balance)s. "
        "The year-by-year table below gives every figure."
    ) % {"first": first.year, "last": last.year, "balance": format_rupiah(last.closing)}
