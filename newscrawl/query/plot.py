"""Plots of the research views for people: labelled axes, dates on the x axis, outlet names in the legend.

matplotlib with the Agg backend (no display). Each function returns what it drew (:class:`Drawn`: the series and the
texts) so tests can check the data behind the picture without comparing pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from newscrawl.query.attention import Row


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError("--plot needs matplotlib: pip install -e '.[plot]'") from exc
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


@dataclass
class Drawn:
    """What a plot shows: its series ({legend label: [(x, y)]}) and its texts."""

    series: dict[str, list[tuple[date, float]]]
    title: str
    xlabel: str
    ylabel: str
    legend: list[str]


def attention(rows: Sequence[Row], path: str, *, by: str, normalise: bool) -> Drawn:
    """One line per outlet (per query and outlet when several queries are compared) over the periods."""
    plt = _pyplot()
    import matplotlib.dates as mdates

    queries = list(dict.fromkeys(r.query for r in rows))
    series: dict[str, list[tuple[date, float]]] = {}
    for r in rows:
        name = r.outlet if len(queries) == 1 else f"{r.query} · {r.outlet}"
        value = (r.share or 0.0) * 100 if normalise else float(r.stories)
        series.setdefault(name, []).append((r.start, value))
    fig, ax = plt.subplots(figsize=(11, 4.8))
    for name, points in series.items():
        xs = [datetime(d.year, d.month, d.day) for d, _ in points]
        ax.plot(xs, [y for _, y in points], label=name, linewidth=1.4,
                marker="o" if len(xs) < 40 else None, markersize=3)
    unit = {"day": "day", "week": "week (ISO, from Monday)", "month": "month"}[by]
    ax.set_xlabel(f"publication {unit}, Sarawak time")
    ax.set_ylabel("% of the outlet's stories" if normalise else f"matching stories per {by}")
    title = " vs ".join(f"“{q}”" for q in queries)
    ax.set_title(f"Attention: {title}" + (" (share of each outlet's stories)" if normalise else ""))
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    legend = ax.legend(title="outlet" if len(queries) == 1 else "query · outlet", loc="upper left",
                       bbox_to_anchor=(1.01, 1), borderaxespad=0,
                       fontsize="small") if series else None
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    drawn = Drawn(series, ax.get_title(), ax.get_xlabel(), ax.get_ylabel(),
                  [t.get_text() for t in legend.get_texts()] if legend else [])
    plt.close(fig)
    return drawn
