"""Publication periods in Sarawak time as indexed integers, so research views group a million articles fast.

``newscrawl attention`` counts matching stories per outlet and day, ISO week or month. Computing the period
from ``published_at`` text for every row (SQLite's ``date(..., '+8 hours', '-6 days', 'weekday 1')``) and
sorting the rows into groups cost ~2 s per million articles. Here the periods are generated columns, computed
by the database from ``published_at`` (no writer has to maintain them), and two covering indexes hold them in
grouping order: a ``GROUP BY outlet, period`` then streams down an index, reading ~30 bytes per article.

* ``published_day``: days since 1970-01-01 of the +08:00 calendar day (NULL for an unreadable time)
* ``published_week``: ISO weeks since the week of 1969-12-29 (weeks start on Monday): ``(day + 3) / 7``
* ``published_month``: ``year * 12 + month - 1``

SQLite only (revision 0005): they are ``VIRTUAL`` columns (``ALTER TABLE`` cannot add stored ones, and a
virtual column costs nothing in the table; the indexes store the values). PostgreSQL computes the period per row
in the query; its cost there is reading each match, not the date arithmetic (docs/research.md). The columns are
not part of the article record: exports, search results and the Datasette view do not show them.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, Engine, inspect

EPOCH = date(1970, 1, 1)
_LOCAL = "'+8 hours'"  # Sarawak time, +08:00 all year (no daylight saving)

# name -> SQLite expression (an earlier column may be used by a later one)
COLUMNS = {
    "published_day": f"CAST(julianday(published_at, {_LOCAL}) - 2440587.5 AS INTEGER)",
    "published_week": "(published_day + 3) / 7",
    "published_month": (f"CAST(strftime('%Y', published_at, {_LOCAL}) AS INTEGER) * 12 "
                        f"+ CAST(strftime('%m', published_at, {_LOCAL}) AS INTEGER) - 1"),
}
# index name -> columns: the grouping period first, then the day (date filters, and day grouping within a week)
INDEXES = {
    "ix_articles_outlet_week_day_story": ("outlet", "published_week", "published_day", "duplicate_of"),
    "ix_articles_outlet_month_day_story": ("outlet", "published_month", "published_day", "duplicate_of"),
}
# period -> (index to read, columns to group by after outlet; the last one is the period)
PLANS = {
    "day": ("ix_articles_outlet_week_day_story", ("published_week", "published_day")),
    "week": ("ix_articles_outlet_week_day_story", ("published_week",)),
    "month": ("ix_articles_outlet_month_day_story", ("published_month",)),
}


def ensure(bind: Connection) -> None:
    """Add the columns and indexes where missing (SQLite; a no-op on other databases). Idempotent."""
    if bind.dialect.name != "sqlite":
        return
    have = {r[1] for r in bind.exec_driver_sql("PRAGMA table_xinfo(articles)")}
    for name, expr in COLUMNS.items():
        if name not in have:
            bind.exec_driver_sql(f"ALTER TABLE articles ADD COLUMN {name} INTEGER "
                                 f"GENERATED ALWAYS AS ({expr}) VIRTUAL")
    for name, cols in INDEXES.items():
        bind.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON articles ({', '.join(cols)})")


def drop(bind: Connection) -> None:
    """Remove what :func:`ensure` added (revision 0005's downgrade)."""
    if bind.dialect.name != "sqlite":
        return
    for name in INDEXES:
        bind.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    have = {r[1] for r in bind.exec_driver_sql("PRAGMA table_xinfo(articles)")}
    for name in reversed(list(COLUMNS)):
        if name in have:
            bind.exec_driver_sql(f"ALTER TABLE articles DROP COLUMN {name}")


def available(bind: Engine | Connection) -> bool:
    """Whether this archive has the period columns and indexes (SQLite at revision 0005 or later)."""
    if bind.dialect.name != "sqlite":
        return False
    return set(INDEXES) <= {ix["name"] for ix in inspect(bind).get_indexes("articles")}


def day_number(d: date) -> int:
    """``published_day`` of a calendar day."""
    return (d - EPOCH).days


def week_number(d: date) -> int:
    """``published_week`` of a calendar day."""
    return (day_number(d) + 3) // 7


def month_number(d: date) -> int:
    """``published_month`` of a calendar day."""
    return d.year * 12 + d.month - 1


PERIOD_OF = {"published_week": week_number, "published_month": month_number}


def start_of(value: int, by: str) -> date:
    """The first day of the period a column value names (``by``: day, week, month)."""
    if by == "day":
        return EPOCH + timedelta(days=value)
    if by == "week":
        return EPOCH + timedelta(days=value * 7 - 3)
    year, month = divmod(value, 12)
    return date(year, month + 1, 1)
