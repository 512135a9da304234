"""Monthly bar charts drawn on the server as SVG geometry (no script needed).

:func:`month_bars` turns ``[{"month"|"value": "YYYY-MM", "count": n}]`` into
bars on a continuous month axis (months without articles are gaps, not
squeezed out), with year ticks; ``_timeline.html`` draws them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

WIDTH, HEIGHT = 720, 120  # viewBox units; the SVG scales to its box
AXIS = 16  # room under the bars for the year labels
SHORT = 120  # months: an axis this long is drawn whole
TRIM = 0.02  # share of the articles stray months at the ends may hold


@dataclass
class Bar:
    month: str  # YYYY-MM
    count: int
    x: float
    y: float
    width: float
    height: float
    first: str  # YYYY-MM-DD: the month's first day, for from=
    last: str  # its last day, for to=


@dataclass
class Chart:
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # (x, year) at each January, or the first month
    width: int = WIDTH
    height: int = HEIGHT
    peak: int = 0
    left_out: int = 0  # articles of the stray months at either end not drawn


def _trimmed(months: list[str], counts: dict[str, int]) -> list[str]:
    """The months without the stray ones at either end, when the axis is long.

    A date misread from the text (1900-07 in news of 2017) would squeeze the
    real timeline into a corner: months at either end holding together under
    TRIM of the articles are left off an axis longer than SHORT months.
    """
    total = sum(counts.values())
    if len(months) <= SHORT or not total:
        return months
    present = [m for m in months if counts.get(m)]
    lo, seen = 0, 0
    while lo < len(present) - 1 and (seen + counts[present[lo]]) <= TRIM * total:
        seen += counts[present[lo]]
        lo += 1
    hi, seen = len(present) - 1, 0
    while hi > lo and (seen + counts[present[hi]]) <= TRIM * total:
        seen += counts[present[hi]]
        hi -= 1
    return [m for m in months if present[lo] <= m <= present[hi]]


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_bars(points: list[dict]) -> Chart:
    """Bars of a monthly timeline, in time order, on an axis without holes.

    >>> c = month_bars([{"value": "2019-11", "count": 2}, {"value": "2020-01", "count": 1}])
    >>> [(b.month, b.count) for b in c.bars], c.ticks[-1][1], c.bars[0].last
    ([('2019-11', 2), ('2019-12', 0), ('2020-01', 1)], '2020', '2019-11-30')
    >>> stray = [{"value": "1900-07", "count": 1}] + [{"value": f"2017-{m:02d}", "count": 9} for m in range(1, 13)]
    >>> c = month_bars(stray); c.bars[0].month, c.left_out
    ('2017-01', 1)
    """
    counts = {p.get("month", p.get("value")): int(p["count"]) for p in points}
    counts = {m: c for m, c in counts.items() if m and len(m) == 7}
    if not counts:
        return Chart([], [])
    months = _trimmed(_month_range(min(counts), max(counts)), counts)
    left_out = sum(counts.values()) - sum(counts.get(m, 0) for m in months)
    peak = max(counts.get(m, 0) for m in months) or 1
    step = WIDTH / len(months)
    room = HEIGHT - AXIS
    bars, ticks = [], []
    for i, month in enumerate(months):
        n = counts.get(month, 0)
        h = room * n / peak if n else 0.0
        y, m = int(month[:4]), int(month[5:])
        days = calendar.monthrange(y, m)[1]
        bars.append(
            Bar(
                month=month,
                count=n,
                x=round(i * step, 2),
                y=round(room - h, 2),
                width=round(max(step * 0.8, 0.5), 2),
                height=round(h, 2),
                first=f"{month}-01",
                last=f"{month}-{days:02d}",
            )
        )
        if (m == 1 or i == 0) and i * step < WIDTH - 30:  # a label must fit inside
            ticks.append((round(i * step, 2), month[:4]))
    # Labels closer than four characters' width would overlap: keep every k-th.
    every = max(1, int(len(ticks) * 36 / WIDTH) + 1)
    ticks = ticks[::every] if len(ticks) * 36 > WIDTH else ticks
    return Chart(bars, ticks, peak=peak, left_out=left_out)


def vn_month(month: str) -> str:
    """``2019-06`` -> ``06/2019``."""
    return f"{month[5:7]}/{month[:4]}" if len(month) == 7 else month
