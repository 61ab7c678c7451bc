"""Parquet exports are typed: ids int64, timestamps timestamp[us, UTC], on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from newscrawl.cli import main
from tests.test_search_data import archive_url, pg_archive_url  # noqa: F401 (fixtures)

pq = pytest.importorskip("pyarrow.parquet")  # [export] is part of [test]: present in CI


def _export(url: str, out) -> object:
    res = CliRunner().invoke(main, ["export", "--archive", url, "--include-duplicates", "--format", "parquet",
                                    "-o", str(out)])
    assert res.exit_code == 0, res.output
    return pq.read_table(out)


def _check(table) -> None:
    types = {f.name: str(f.type) for f in table.schema}
    assert {k: types[k] for k in ("id", "duplicate_of", "published_at", "modified_at", "fetched_at")} == {
        "id": "int64", "duplicate_of": "int64", "published_at": "timestamp[us, tz=UTC]",
        "modified_at": "timestamp[us, tz=UTC]", "fetched_at": "timestamp[us, tz=UTC]"}
    rows = {r["id"]: r for r in table.to_pylist()}
    utc = timezone.utc
    assert rows[7]["published_at"] == datetime(2024, 3, 4, 23, 30, tzinfo=utc)  # stored with +00:00
    assert rows[1]["published_at"] == datetime(2024, 2, 10, 1, 0, tzinfo=utc)  # 09:00+08:00
    assert rows[2]["duplicate_of"] == 1 and rows[1]["duplicate_of"] is None
    assert rows[1]["fetched_at"] == datetime(2024, 4, 2, 1, 0, tzinfo=utc)
    assert rows[1]["modified_at"] is None


def test_parquet_types_sqlite(archive_url: str, tmp_path) -> None:  # noqa: F811
    _check(_export(archive_url, tmp_path / "a.parquet"))


def test_parquet_types_postgresql(pg_archive_url: str, tmp_path) -> None:  # noqa: F811
    _check(_export(pg_archive_url, tmp_path / "a.parquet"))


def test_unreadable_timestamps_become_null_not_a_crash(archive_url: str, tmp_path) -> None:  # noqa: F811
    import sqlalchemy as sa

    with sa.create_engine(archive_url).begin() as conn:
        conn.exec_driver_sql("UPDATE articles SET published_at = '0001-01-01T00:00:00+08:00' WHERE id = 1")
        conn.exec_driver_sql("UPDATE articles SET published_at = 'last Tuesday' WHERE id = 3")
        conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN warc_offset INTEGER")
        conn.exec_driver_sql("UPDATE articles SET warc_offset = 1234 WHERE id = 4")
    table = _export(archive_url, tmp_path / "a.parquet")
    rows = {r["id"]: r for r in table.to_pylist()}
    assert rows[1]["published_at"] is None and rows[3]["published_at"] is None  # year 0 in UTC; not a date
    assert str(table.schema.field("warc_offset").type) == "int64" and rows[4]["warc_offset"] == 1234
