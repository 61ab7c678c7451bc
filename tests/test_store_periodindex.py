"""Period columns (revision 0005): Sarawak-time day/week/month computed by SQLite, indexed for the research views."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import create_engine, event, insert

from newscrawl.cli import main
from newscrawl.query import periods
from newscrawl.query.attention import attention
from newscrawl.query.export import export_columns
from newscrawl.query.search import EXPORT_COLUMNS
from newscrawl.store import migrate, periodindex
from newscrawl.store.archive import Archive
from newscrawl.store.schema import articles

SARAWAK = timezone(timedelta(hours=8))
TIMES = ["2024-03-03T23:59:00+08:00", "2024-03-03T16:00:00Z", "2024-03-03T15:59:59+00:00",
         "2024-02-29T11:30:00-05:00", "2023-12-31T20:00:00-04:00", "2024-01-01T00:00:00+08:00"]


def _archive(tmp_path: Path | None, times: list[str | None], url: str | None = None) -> str:
    url = url or f"sqlite:///{tmp_path}/a.sqlite3"
    with Archive.open(url) as arc:
        engine = arc.engine
    with engine.begin() as conn:
        conn.execute(insert(articles), [
            {"id": i, "url": f"https://example.my/{i}/", "outlet": "borneopost", "title": "Banjir di Kuching",
             "authors": "[]", "tags": "[]", "published_at": t, "text": "banjir kuching", "fetched_at": "2024-05-01",
             "content_hash": f"{i:064x}"} for i, t in enumerate(times, 1)])
    engine.dispose()
    return url


def test_period_columns_are_the_sarawak_day_iso_week_and_month(tmp_path: Path) -> None:
    url = _archive(tmp_path, [*TIMES, "not a time", None])
    assert periodindex.available(create_engine(url))
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        got = db.execute("SELECT published_at, published_day, published_week, published_month FROM articles "
                         "ORDER BY id").fetchall()
    for published, day, week, month in got:
        if published in (None, "not a time"):
            assert (day, week, month) == (None, None, None)
            continue
        local = datetime.fromisoformat(published.replace("Z", "+00:00")).astimezone(SARAWAK).date()
        assert periodindex.start_of(day, "day") == local, published
        assert periodindex.start_of(week, "week") == periods.of_day(local, "week"), published
        assert periodindex.start_of(month, "month") == periods.of_day(local, "month"), published
        assert (periodindex.week_number(local), periodindex.month_number(local)) == (week, month)


def test_exports_and_results_do_not_carry_the_period_columns(tmp_path: Path) -> None:
    engine = create_engine(_archive(tmp_path, TIMES))
    assert export_columns(engine, with_text=True) == list(EXPORT_COLUMNS)


BY_INDEX = (("day", "week_day"), ("week", "week_day"), ("month", "month_day"))  # period -> the index it reads


def _grouping_statements(engine, by: str) -> list[tuple[str, Any]]:
    """The GROUP BY statements (SQL, parameters) of ``attention banjir --normalise`` since 2024 on _archive(TIMES)."""
    statements: list[tuple[str, Any]] = []

    def listener(conn, cursor, sql, params, *_) -> None:
        if "GROUP BY" in sql:
            statements.append((sql, params))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        rows = attention(engine, "banjir", by=by, since="2024-01-01", normalise=True)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert sum(r.stories for r in rows) == 6 and {r.share for r in rows if r.stories} == {1.0}
    return statements


def test_attention_groups_down_the_period_index_without_sorting(tmp_path: Path, monkeypatch) -> None:
    from newscrawl.query import selection

    monkeypatch.setattr(selection, "MANY_SHARE", 0.0)  # count from the index, as for a common word
    engine = create_engine(_archive(tmp_path, TIMES))
    for by, index in BY_INDEX:
        statements = _grouping_statements(engine, by)
        assert statements  # one, or one per thread (attention._partitions)
        for sql, params in statements:
            with engine.connect() as conn:
                plan = " / ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
            # (SQLite calls an index holding virtual columns "USING INDEX"; the row itself is never read)
            assert f"SCAN a USING INDEX ix_articles_outlet_{index}_story" in plan, plan
            assert "TEMP B-TREE FOR GROUP BY" not in plan, plan  # the groups stream in index order


def test_an_archive_at_0004_gains_them_and_loses_them_on_downgrade(tmp_path: Path) -> None:
    url = _archive(tmp_path, TIMES)
    engine = create_engine(url)
    with engine.begin() as conn:
        periodindex.drop(conn)
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0004'")
    assert not periodindex.available(engine)
    assert migrate.upgrade(engine) == ("0004", migrate.head())
    assert periodindex.available(engine)
    got = attention(engine, "banjir", by="month")
    # 2024-02-29T11:30-05:00 is 1 March in Sarawak, 2023-12-31T20:00-04:00 is 1 January
    assert [(r.period, r.stories) for r in got] == [("2024-01", 2), ("2024-02", 0), ("2024-03", 4)]
    assert got[0].start == date(2024, 1, 1)


# attention banjir --by month --normalise over TIMES: (period, stories, share)
TIMES_BY_MONTH = [("2024-01", 2, 1.0), ("2024-02", 0, None), ("2024-03", 4, 1.0)]

# Forms SQLite and PostgreSQL read alike: newscrawl's own (with offset), UTC without one, a bare date, rubbish.
# (Not compared: 30 February, which SQLite rolls into March and PostgreSQL puts in no period; "+0800", which only
# PostgreSQL reads; either way the article is stored. Nor 23:59:59.9999: SQLite keeps milliseconds and rounds it
# into the next day.)
SHARED = [*TIMES, "2024-03-03T15:59:59.999+00:00", "2024-03-03T20:00:00", "2024-03-03", "not a time", None]


def _pg_periods(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(
            "SELECT newscrawl_period(published_at, 'day'), newscrawl_period(published_at, 'week'), "
            "newscrawl_period(published_at, 'month') FROM articles ORDER BY id")]


def test_postgresql_periods_equal_the_sqlite_columns(tmp_path: Path, pg_schema_url: str) -> None:
    pg = create_engine(_archive(None, [*SHARED, "2024-02-30T10:00:00+08:00", "2024-03-03 10:00:00 +0800"],
                                url=pg_schema_url))
    assert periodindex.available(pg)
    with sqlite3.connect(_archive(tmp_path, SHARED).removeprefix("sqlite:///")) as db:
        want = db.execute("SELECT published_day, published_week, published_month FROM articles ORDER BY id").fetchall()
    got = _pg_periods(pg)
    assert got[:len(SHARED)] == want and want[0] != (None, None, None)
    assert got[len(SHARED)] == (None, None, None)  # an impossible date: stored, in no period
    local = date(2024, 3, 3)  # 10:00 at +08:00
    assert got[-1] == (periodindex.day_number(local), periodindex.week_number(local), periodindex.month_number(local))
    pg.dispose()


def test_postgresql_counts_an_outlets_stories_from_the_period_index(pg_schema_url: str) -> None:
    engine = create_engine(_archive(None, TIMES, url=pg_schema_url))
    for by, index in BY_INDEX:
        # the denominator's statement; the query's own matches are read row by row
        (sql, params), = [s for s in _grouping_statements(engine, by) if "@@" not in s[0]]
        with engine.begin() as conn:
            # a table this small is read whole; forbid that to learn whether the statement can use the index
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
            plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql, params))
        assert f"Index Only Scan using ix_articles_outlet_{index}_story" in plan, plan
        assert "Sort" not in plan, plan  # the groups stream in index order
    engine.dispose()


def test_a_postgresql_archive_at_0006_gains_them(pg_schema_url: str) -> None:
    engine = create_engine(_archive(None, TIMES, url=pg_schema_url))
    with engine.begin() as conn:
        periodindex.drop(conn)
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0006'")
    assert not periodindex.available(engine)
    res = CliRunner().invoke(main, ["db", "upgrade", "--archive", pg_schema_url])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == f"archive schema upgraded from revision 0006 to {migrate.head()}"
    assert periodindex.available(engine)
    got = attention(engine, "banjir", by="month", normalise=True)
    assert [(r.period, r.stories, r.share) for r in got] == TIMES_BY_MONTH
    engine.dispose()


def test_a_refused_period_function_leaves_a_working_archive(pg_schema_url: str, monkeypatch, caplog) -> None:
    # as for a role that may create tables but not functions: the open goes on, attention computes periods per row
    monkeypatch.setattr(periodindex, "_PG_FUNCTION_SQL", "CREATE FUNCTION newscrawl_period() RETURNS nonsense_type")
    with caplog.at_level("WARNING", logger="newscrawl.store.periodindex"):
        engine = create_engine(_archive(None, TIMES, url=pg_schema_url))
    assert "no period indexes for the research views" in caplog.text
    assert not periodindex.available(engine)
    got = attention(engine, "banjir", by="month", normalise=True)
    assert [(r.period, r.stories, r.share) for r in got] == TIMES_BY_MONTH
    engine.dispose()
