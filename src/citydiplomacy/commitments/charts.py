"""Progress charts, rendered offline with matplotlib's Agg backend.

One chart per target: measured values (hollow markers for illustrative values), the
baseline, interim milestones, the target and the fitted trend projected to the target
year. SVG text is drawn as paths, so the output needs no font at display time; the
font used to draw it is DejaVu Sans, which ships with matplotlib.
"""

from __future__ import annotations

import base64
import io
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot
import matplotlib.dates as mdates
import matplotlib.pyplot as plt

from .views import ChartSeries

__all__ = ["STATUS_COLOURS", "chart_data_uri", "render_chart"]

STATUS_COLOURS = {
    "on_track": "#1b7f3b",
    "at_risk": "#b86e00",
    "off_track": "#b3261e",
    "no_data": "#6b6b6b",
}

_STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "svg.fonttype": "path",
    "svg.hashsalt": "citydiplomacy",  # stable ids: the same chart gives the same bytes
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def render_chart(
    series: ChartSeries, *, status: str = "no_data", fmt: str = "svg", width: float = 6.0, height: float = 2.6
) -> bytes:
    """The chart as SVG or PNG bytes."""
    if fmt not in ("svg", "png"):
        raise ValueError(f"chart format must be svg or png, not {fmt!r}")
    colour = STATUS_COLOURS.get(status, STATUS_COLOURS["no_data"])
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(width, height), dpi=110)
        try:
            _draw(ax, series, colour)
            fig.tight_layout()
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
        finally:
            plt.close(fig)
    return buffer.getvalue()


def _draw(ax, series: ChartSeries, colour: str) -> None:
    if series.trend:
        ax.plot(
            [p.on for p in series.trend],
            [p.value for p in series.trend],
            linestyle="--",
            linewidth=1.2,
            color=colour,
            label="Trend, projected to the target year",
        )
    real = [p for p in series.measured if not p.illustrative]
    made_up = [p for p in series.measured if p.illustrative]
    if series.measured:
        ax.plot([p.on for p in series.measured], [p.value for p in series.measured], color="#1f4e79", linewidth=1.0)
    if real:
        ax.plot([p.on for p in real], [p.value for p in real], "o", color="#1f4e79", markersize=4, label="Measured")
    if made_up:
        ax.plot(
            [p.on for p in made_up],
            [p.value for p in made_up],
            "o",
            markerfacecolor="white",
            markeredgecolor="#1f4e79",
            markersize=4,
            label="Illustrative (not real data)",
        )
    ax.plot([series.baseline.on], [series.baseline.value], "s", color="#444444", markersize=5, label="Baseline")
    if series.milestones:
        ax.plot(
            [p.on for p in series.milestones],
            [p.value for p in series.milestones],
            "D",
            color="#7a4fa3",
            markersize=4,
            linestyle="none",
            label="Milestone",
        )
    ax.plot([series.target.on], [series.target.value], "*", color=colour, markersize=10, label="Target")
    ax.set_ylabel(series.unit)
    # Annual figures are dated 31 December, so ticks sit on year ends: the point for 2020 is on "2020".
    first, last = series.baseline.on.year, series.target.on.year
    step = max(1, -(-(last - first) // 8))
    years = list(range(first, last + 1, step))
    if years[-1] != last:
        if last - years[-1] < step * 0.75:
            years.pop()
        years.append(last)
    ax.set_xticks([mdates.date2num(date(year, 12, 31)) for year in years], [str(year) for year in years])
    ax.grid(True, axis="y", linewidth=0.4, alpha=0.6)
    ax.legend(loc="best", fontsize=6.5, frameon=False)
    if series.illustrative:
        ax.set_title("Illustrative data, not real measurements", loc="right", fontsize=7, color="#b3261e")


def chart_data_uri(
    series: ChartSeries, *, status: str = "no_data", fmt: str = "svg", width: float = 6.0, height: float = 2.6
) -> str:
    """A ``data:`` URI for an ``<img>`` tag, so HTML and PDF carry their charts inside."""
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    payload = base64.b64encode(render_chart(series, status=status, fmt=fmt, width=width, height=height)).decode("ascii")
    return f"data:{mime};base64,{payload}"
