"""Per-outlet article counts over time, coverage gaps, and a timeline plot.

Counts are of archived articles (copies included: each outlet's own publication counts for that outlet), by
publication day in +08:00. A *gap* is a run of days without any article for an outlet that publishes on at least
``daily_share`` of the days between its first and last article in the selection.

Publication dates outside ``plausible_range()`` (1990 to a year from today: a year-1 or year-9999 date is an
extraction error, and would stretch the timeline over thousands of empty months) are left out and counted by
``implausible_count``, so one bad row never breaks or swamps the table.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, and_, func, not_, select

from newscrawl.query.search import Filters, conditions, day_expr
from newscrawl.store.schema import articles

PERIODS = ("day", "week", "month")
EARLIEST = date(1990, 1, 1)  # the extraction's own sanity bound for publication dates


@dataclass(frozen=True)
class Gap:
    outlet: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def plausible_range() -> tuple[date, date]:
    """First and last publication day counted: 1990-01-01 to a year from today."""
    return EARLIEST, date.today() + timedelta(days=366)


def _in_range() -> Any:
    # ISO 8601 text compares as dates: bounds as strings work on both dialects and use the published_at index
    first, last = plausible_range()
    return and_(articles.c.published_at >= first.isoformat(),
                articles.c.published_at < (last + timedelta(days=1)).isoformat())


GROUPS = ("outlet", "language")  # what the table's columns are (`newscrawl stats --per`)


def daily_counts(engine: Engine, flt: Filters, per: str = "outlet") -> dict[str, dict[date, int]]:
    """{outlet (or language, per="language"): {day: articles}} for articles with a plausible publication date."""
    day = day_expr(engine).label("day")
    key = func.coalesce(articles.c[per], "?") if per in GROUPS else None
    if key is None:
        raise ValueError(f"per must be one of {', '.join(GROUPS)}")
    stmt = (select(key, day, func.count().label("n"))
            .where(articles.c.published_at.is_not(None), _in_range(), *conditions(articles, flt, engine.dialect.name))
            .group_by(key, day))
    out: dict[str, dict[date, int]] = defaultdict(dict)
    first, last = plausible_range()
    with engine.connect() as conn:
        for outlet, d, n in conn.execute(stmt):
            try:
                day_value = date.fromisoformat(str(d)[:10]) if d else None
            except ValueError:  # text that is not a date at all
                day_value = None
            if day_value is not None and first <= day_value <= last:
                out[outlet][day_value] = out[outlet].get(day_value, 0) + int(n)
    return dict(sorted(out.items()))


def implausible_count(engine: Engine, flt: Filters) -> int:
    """Articles of the selection whose publication date is outside ``plausible_range()`` (not counted)."""
    stmt = (select(func.count()).select_from(articles)
            .where(articles.c.published_at.is_not(None), not_(_in_range()),
                   *conditions(articles, flt, engine.dialect.name)))
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def period_key(d: date, period: str) -> str:
    if period == "day":
        return d.isoformat()
    if period == "week":  # the Monday starting the ISO week
        return (d - timedelta(days=d.weekday())).isoformat()
    return d.strftime("%Y-%m")


def by_period(daily: dict[str, dict[date, int]], period: str) -> tuple[list[str], dict[str, dict[str, int]]]:
    """(sorted period keys, {outlet: {period: count}}), every period between the first and last filled."""
    if period not in PERIODS:
        raise ValueError(f"bad period {period!r}: use {', '.join(PERIODS)}")
    table: dict[str, dict[str, int]] = {}
    all_days = [d for days in daily.values() for d in days]
    if not all_days:
        return [], {}
    keys, d = [], min(all_days)
    while d <= max(all_days):
        k = period_key(d, period)
        if not keys or keys[-1] != k:
            keys.append(k)
        d += timedelta(days=1)
    for outlet, days in daily.items():
        row: dict[str, int] = dict.fromkeys(keys, 0)
        for day, n in days.items():
            row[period_key(day, period)] += n
        table[outlet] = row
    return keys, table


def publishing_share(days: dict[date, int]) -> float:
    """Share of days between the first and last article that have at least one article."""
    if not days:
        return 0.0
    span = (max(days) - min(days)).days + 1
    return len(days) / span


def gaps(daily: dict[str, dict[date, int]], *, daily_share: float = 0.7, min_days: int = 1) -> list[Gap]:
    """Runs of at least ``min_days`` empty days for outlets that usually publish daily."""
    found: list[Gap] = []
    for outlet, days in daily.items():
        if len(days) < 2 or publishing_share(days) < daily_share:
            continue
        ordered = sorted(days)
        for prev, nxt in zip(ordered, ordered[1:]):
            missing = (nxt - prev).days - 1
            if missing >= min_days:
                found.append(Gap(outlet, prev + timedelta(days=1), nxt - timedelta(days=1)))
    return found


def check_plot_file(path: str) -> None:
    """Raise ValueError (a user message) unless matplotlib can write ``path``'s format, named by its extension:
    without one matplotlib would write ``path.png`` instead of ``path``."""
    from matplotlib.backend_bases import FigureCanvasBase

    supported = sorted(FigureCanvasBase.get_supported_filetypes())
    ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if ext not in supported:
        what = f"format '.{ext}' is not supported" if ext else "needs an extension naming its format"
        raise ValueError(f"--plot {path}: {what} (use one of .{', .'.join(supported)})")


def plot(keys: list[str], table: dict[str, dict[str, int]], path: str, period: str) -> None:
    """Draw the per-outlet timeline (one line per outlet) to a PNG/SVG/PDF file."""
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError("--plot needs matplotlib: pip install -e '.[plot]'") from exc
    matplotlib.use("Agg")  # no display needed
    from datetime import datetime

    import matplotlib.pyplot as plt

    xs = [datetime.strptime(k, "%Y-%m") if period == "month" else datetime.fromisoformat(k) for k in keys]
    fig, ax = plt.subplots(figsize=(11, 4.5))
    for outlet, row in table.items():
        ax.plot(xs, [row[k] for k in keys], label=outlet, linewidth=1.2,
                marker="o" if len(xs) < 40 else None, markersize=3)
    ax.set_ylabel(f"articles per {period}")
    ax.set_title("Archived articles per outlet")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
