"""Where the JHT projection's lines go on its chart; the chart's markup is the
template plan/_jht_chart.html (server-drawn SVG, no JavaScript).

The line is the expected balance, the band around it runs from the low to the
high return. Both start at today's balance, then each year's closing balance.
"""

from dataclasses import dataclass

from plan.jht import JhtProjection

WIDTH, HEIGHT = 520, 340  # drawn at about 310 px on a phone: 22-unit text stays legible
LEFT, RIGHT, TOP, BOTTOM = 16, 24, 104, 48
YEAR_LABELS = 4  # at most, "today" and the last year included: legible on a phone


@dataclass(frozen=True)
class ProjectionChart:
    width: int
    height: int
    left: int
    right: int  # x of the plot's right edge
    top: int  # y of the top of the scale
    base: int  # y of the zero line
    top_amount: int  # the balance at the top of the scale
    band: str  # polygon points: high balances forward, low ones back
    line: str  # polyline points of the expected balances
    end_x: str  # coordinates are text: a template would localise a float's "."
    end_y: str
    years: list[tuple[str, int, str]]  # (x, year, text-anchor) of labelled years


def projection_chart(projection: JhtProjection) -> ProjectionChart:
    right, base = WIDTH - RIGHT, HEIGHT - BOTTOM
    plot_w, plot_h = right - LEFT, base - TOP
    top_amount = max(projection.today, *(row.high for row in projection.rows)) or 1
    count = len(projection.rows)
    xs = [LEFT + plot_w * index / count for index in range(count + 1)]

    def y(amount: int) -> float:
        return base - plot_h * max(amount, 0) / top_amount

    def points(amounts: list[int], x_values: list[float]) -> str:
        return " ".join(
            f"{x:.1f},{y(amount):.1f}"
            for x, amount in zip(x_values, amounts, strict=True)
        )

    start = [projection.today]
    expected = start + [row.expected.closing for row in projection.rows]
    highs = start + [row.high for row in projection.rows]
    lows = start + [row.low for row in projection.rows]
    band = points(highs, xs) + " " + points(lows[::-1], xs[::-1])
    # Under the start: "today" (the template says it); under the others, the
    # year whose end they show, spread evenly, the last one at the right edge.
    labelled = {
        round(index * count / (YEAR_LABELS - 1)) for index in range(YEAR_LABELS)
    }
    years = [
        (
            f"{xs[index]:.1f}",
            projection.rows[index - 1].year,
            "end" if index == count else "middle",
        )
        for index in sorted(labelled - {0})
    ]
    return ProjectionChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=right,
        top=TOP,
        base=base,
        top_amount=top_amount,
        band=band,
        line=points(expected, xs),
        end_x=f"{xs[-1]:.1f}",
        end_y=f"{y(expected[-1]):.1f}",
        years=years,
    )
