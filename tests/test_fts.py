"""The FTS5 index follows inserts, updates and deletes; it can be created late and rebuilt."""

from __future__ import annotations

import sqlalchemy as sa
from click.testing import CliRunner

from newscrawl.cli import main
from newscrawl.query.search import Filters, iter_rows
from newscrawl.store import fts
from tests.test_search_data import archive_url  # noqa: F401 (fixture)


def hits(engine: sa.Engine, query: str) -> list[int]:
    flt = Filters.build(query=query, include_duplicates=True)
    return [r["id"] for r in iter_rows(engine, flt, sort="date")]


def test_triggers_keep_the_index_in_sync(archive_url: str) -> None:  # noqa: F811
    engine = sa.create_engine(archive_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE articles SET title = 'Kuching floods recede', text = 'Waters fell.' WHERE id = 7")
        conn.exec_driver_sql("DELETE FROM articles WHERE id = 4")
        conn.exec_driver_sql("UPDATE articles SET duplicate_of = NULL WHERE id = 2")  # not an indexed column
    assert hits(engine, "floodwaters") == []
    assert hits(engine, "recede") == [7]
    assert hits(engine, "bakun") == []
    assert hits(engine, '"dam plan"') == [1, 2]
    with engine.connect() as conn:  # FTS5's own consistency check against the content table
        conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")


def test_ensure_is_idempotent_and_indexes_existing_rows(archive_url: str) -> None:  # noqa: F811
    engine = sa.create_engine(archive_url)
    with engine.begin() as conn:
        for name in ("articles_fts_ai", "articles_fts_ad", "articles_fts_au"):
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
        conn.exec_driver_sql("DROP TABLE articles_fts")
    assert not fts.has_index(engine)
    res = CliRunner().invoke(main, ["search", "bakun", "--archive", archive_url])
    assert (res.exit_code, res.stderr) == (
        2, "Error: the archive has no full-text index: run `newscrawl index --rebuild`\n")
    fts.ensure_fts(engine)
    fts.ensure_fts(engine)
    assert hits(engine, "bakun") == [4]


def test_index_rebuild_command(archive_url: str) -> None:  # noqa: F811
    engine = sa.create_engine(archive_url)
    with engine.begin() as conn:  # simulate drift: wipe the index's content
        conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')")
    assert hits(engine, "bakun") == []
    res = CliRunner().invoke(main, ["index", "--rebuild", "--archive", archive_url])
    assert (res.exit_code, res.stdout) == (0, "full-text index rebuilt over 8 articles\n")
    assert hits(engine, "bakun") == [4]
    res = CliRunner().invoke(main, ["index", "--archive", archive_url])
    assert res.stdout == "full-text index present\n"
