"""Publication periods in Sarawak time as indexed integers, so research views group a million articles fast.

``newscrawl attention`` counts matching stories per outlet and day, ISO week or month. Computing the period
from ``published_at`` text for every row (SQLite's ``date(..., '+8 hours', '-6 days', 'weekday 1')``) and
sorting the rows into groups cost ~2 s per million articles. Here the periods are computed by the database from
``published_at`` (no writer has to maintain them), and two covering indexes hold them in grouping order: a
``GROUP BY outlet, period`` then streams down an index, reading ~30-80 bytes per article.

* day: days since 1970-01-01 of the +08:00 calendar day (NULL for an unreadable time)
* week: ISO weeks since the week of 1969-12-29 (weeks start on Monday): ``(day + 3) / 7``
* month: ``year * 12 + month - 1``

SQLite (revision 0005): ``published_day``, ``published_week`` and ``published_month`` are ``VIRTUAL`` generated
columns (``ALTER TABLE`` cannot add stored ones, and a virtual column costs nothing in the table; the indexes
store the values). PostgreSQL (revision 0007): the function ``newscrawl_period(published_at, unit)`` and two
expression indexes on it, with ``published_at``, ``duplicate_of`` and ``id`` included so an outlet's stories per
period are counted by an index-only scan (PostgreSQL's planner needs the columns an indexed expression reads in
the index itself). The columns are not part of the article record: exports, search results and the Datasette
view do not show them.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlalchemy import Connection, Engine, inspect

from newscrawl.store.fts import pg_indexes

log = logging.getLogger(__name__)

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


# PostgreSQL: one function gives the three periods (revision 0007). IMMUTABLE is true of what it reads: a time with
# its offset (newscrawl writes every time so, dates.to_iso) converts the same under every session setting, and one
# without is read as UTC, as SQLite's julianday() reads it. An unreadable time is in no period (NULL, as on
# SQLite) rather than an error: the function runs on every insert, and a bad date must not refuse an article.
PG_FUNCTION = "newscrawl_period"
_PG_FUNCTION_SQL = rf"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}(t text, unit text) RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE AS $$
DECLARE
    local_day date;
    n integer;
BEGIN
    IF t ~ '[0-9]:[0-9]{{2}}(:[0-9]{{2}}(\.[0-9]+)?)?(Z|[+-][0-9]{{2}}(:?[0-9]{{2}})?)$' THEN
        local_day := (t::timestamptz AT TIME ZONE INTERVAL '+08:00')::date;
    ELSE
        local_day := ((t::timestamp AT TIME ZONE 'UTC') AT TIME ZONE INTERVAL '+08:00')::date;
    END IF;
    n := local_day - DATE '1970-01-01';
    IF unit = 'day' THEN
        RETURN n;
    ELSIF unit = 'week' THEN
        RETURN (n + 3) / 7;
    END IF;
    RETURN extract(year FROM local_day)::integer * 12 + extract(month FROM local_day)::integer - 1;
EXCEPTION WHEN others THEN
    RETURN NULL;
END $$"""
_PG_UNIT = {"published_day": "day", "published_week": "week", "published_month": "month"}


def column_sql(name: str, dialect: str, alias: str = "a") -> str:
    """SQL for a period column (a key of COLUMNS) of ``articles AS alias``: the column itself on SQLite, the
    indexed expression on PostgreSQL (written as in the index, so the planner matches it). ``alias=""``: unqualified."""
    prefix = f"{alias}." if alias else ""
    if dialect == "sqlite":
        return f"{prefix}{name}"
    return f"{PG_FUNCTION}({prefix}published_at, '{_PG_UNIT[name]}')"


def ensure(bind: Connection) -> None:
    """Add the columns (SQLite) or function (PostgreSQL) and the indexes where missing. Idempotent."""
    if bind.dialect.name == "postgresql":
        _ensure_pg(bind)
        return
    if bind.dialect.name != "sqlite":
        return
    have = {r[1] for r in bind.exec_driver_sql("PRAGMA table_xinfo(articles)")}
    for name, expr in COLUMNS.items():
        if name not in have:
            bind.exec_driver_sql(f"ALTER TABLE articles ADD COLUMN {name} INTEGER "
                                 f"GENERATED ALWAYS AS ({expr}) VIRTUAL")
    for name, cols in INDEXES.items():
        bind.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON articles ({', '.join(cols)})")


def _ensure_pg(bind: Connection) -> None:
    if set(INDEXES) <= pg_indexes(bind):
        return
    try:
        with bind.begin_nested():  # a savepoint: a refused CREATE must not abort the caller's transaction
            bind.exec_driver_sql(_PG_FUNCTION_SQL)
            for name, (_, period, day, _story) in INDEXES.items():
                keys = ", ".join(column_sql(c, "postgresql", "") for c in (period, day))
                bind.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON articles (outlet, {keys}) "
                                     "INCLUDE (published_at, duplicate_of, id)")
        # Statistics of the indexed expressions: without them the planner guesses a few rows per period range
        # and may read the other index, calling the function per entry (11 s instead of 0.4 s at 1M articles).
        bind.exec_driver_sql("ANALYZE articles")
    except Exception as exc:  # noqa: BLE001 - no right to create a function: the views compute periods per row
        log.warning("no period indexes for the research views (%s): attention computes periods row by row",
                    str(exc).splitlines()[0])


def drop(bind: Connection) -> None:
    """Remove what :func:`ensure` added (the downgrades of revisions 0005 and 0007)."""
    for name in INDEXES:
        bind.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}(text, text)")
    if bind.dialect.name != "sqlite":
        return
    have = {r[1] for r in bind.exec_driver_sql("PRAGMA table_xinfo(articles)")}
    for name in reversed(list(COLUMNS)):
        if name in have:
            bind.exec_driver_sql(f"ALTER TABLE articles DROP COLUMN {name}")


def available(bind: Engine | Connection) -> bool:
    """Whether this archive has the period indexes (SQLite from revision 0005, PostgreSQL from 0007)."""
    if bind.dialect.name == "postgresql":
        return set(INDEXES) <= pg_indexes(bind)
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
