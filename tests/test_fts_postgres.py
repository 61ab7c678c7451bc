"""PostgreSQL full-text: a stored tsvector column with a GIN index; archives made with the earlier expression index
are moved to the column by ``ensure_fts`` (a crawl or ``newscrawl index --rebuild``), their data untouched."""

from __future__ import annotations

import json

import sqlalchemy as sa
from click.testing import CliRunner

from newscrawl.cli import main
from newscrawl.query.search import Filters, iter_rows
from newscrawl.store import fts
from newscrawl.store.archive import Archive

OLD_EXPRESSION_INDEX = ("CREATE INDEX ix_articles_fulltext ON articles USING GIN (to_tsvector('simple'::regconfig, "
                        "coalesce(title, '') || ' ' || coalesce(text, '')))")


def _store(url: str) -> None:
    with Archive.open(url, neardup=False) as archive:
        archive.store({"url": "https://example.com/2024/03/05/bakun/", "outlet": "borneopost",
                       "title": "Bakun dam spillway opened", "text": "Water was released at the Bakun dam.",
                       "published_at": "2024-03-05T10:00:00+08:00", "fetched_at": "2024-03-05T03:00:00+00:00"},
                      ["https://example.com/2024/03/05/bakun/"])


def test_stored_column_indexed_and_kept_out_of_exports(pg_schema_url: str, tmp_path) -> None:
    _store(pg_schema_url)
    engine = sa.create_engine(pg_schema_url)
    assert fts.has_index(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT fulltext::text FROM articles").scalar() == (
            "'at':8 'bakun':1,10 'dam':2,11 'opened':4 'released':7 'spillway':3 'the':9 'was':6 'water':5")
    res = CliRunner().invoke(main, ["export", "--archive", pg_schema_url, "--format", "jsonl", "-o",
                                    str(tmp_path / "out.jsonl")])
    assert res.exit_code == 0, res.output
    [row] = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert "fulltext" not in row and row["title"] == "Bakun dam spillway opened"


def test_archive_with_the_earlier_expression_index_is_migrated(pg_schema_url: str) -> None:
    _store(pg_schema_url)
    engine = sa.create_engine(pg_schema_url)
    with engine.begin() as conn:  # what an earlier version left behind
        conn.exec_driver_sql("ALTER TABLE articles DROP COLUMN fulltext")
        conn.exec_driver_sql(OLD_EXPRESSION_INDEX)
    assert not fts.has_index(engine)
    res = CliRunner().invoke(main, ["search", "bakun", "--archive", pg_schema_url])
    assert (res.exit_code, res.stderr) == (
        2, "Error: the archive has no full-text index: run `newscrawl index --rebuild`\n")
    res = CliRunner().invoke(main, ["index", "--rebuild", "--archive", pg_schema_url])
    assert (res.exit_code, res.stdout) == (0, "full-text index rebuilt over 1 articles\n")
    assert fts.has_index(engine)
    flt = Filters.build(query='"bakun dam"', include_duplicates=True)
    assert [r["title"] for r in iter_rows(engine, flt, sort="relevance", limit=20)] == ["Bakun dam spillway opened"]
    with engine.connect() as conn:
        indexdef = conn.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_articles_fulltext'"
            " AND schemaname = current_schema()").scalar()
    assert indexdef.endswith("USING gin (fulltext)")


def _trgm_schema(conn: sa.Connection) -> str | None:
    return conn.exec_driver_sql("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                                "WHERE e.extname = 'pg_trgm'").scalar()


def test_pg_trgm_is_created_in_public_not_in_the_archive_schema(pg_schema_url: str) -> None:
    """Created in an archive's schema, pg_trgm (and every archive's trigram index) went with DROP SCHEMA CASCADE.
    Run in a transaction rolled back at the end: the server's extension is left as it was."""
    engine = sa.create_engine(pg_schema_url)
    with engine.connect() as conn, conn.begin() as tx:
        conn.exec_driver_sql("DROP EXTENSION IF EXISTS pg_trgm CASCADE")
        fts._create_pg_trgm(conn)
        assert _trgm_schema(conn) == "public"
        fts._create_pg_trgm(conn)  # present: left where it is
        assert _trgm_schema(conn) == "public"
        tx.rollback()


def test_pg_trgm_falls_back_to_the_archive_schema_with_a_warning(pg_schema_url: str, caplog) -> None:
    """A database without a ``public`` schema (hardened setups drop it): the archive's schema, and a warning."""
    schema = pg_schema_url.rsplit("%3D", 1)[1]
    engine = sa.create_engine(pg_schema_url)
    with engine.connect() as conn, conn.begin() as tx:
        conn.exec_driver_sql("DROP EXTENSION IF EXISTS pg_trgm CASCADE")
        conn.exec_driver_sql("ALTER SCHEMA public RENAME TO nc_test_no_public")
        with caplog.at_level("WARNING", logger=fts.log.name):
            fts._create_pg_trgm(conn)
        assert _trgm_schema(conn) == schema
        assert "dropping that schema drops the extension" in caplog.text
        tx.rollback()


def test_an_archive_at_0005_gains_the_cjk_ids_index_and_chinese_searches_walk_it(pg_schema_url: str) -> None:
    """Revision 0006 on an existing archive: the partial b-tree over the CJK articles' ids, which a relevance search
    for a common Chinese term walks instead of every article."""
    from newscrawl.query.cjk import pg_walk
    from newscrawl.query.syntax import parse_query
    from newscrawl.store import migrate

    with Archive.open(pg_schema_url, neardup=False) as archive:
        for n in range(6):
            zh = n % 2 == 0
            archive.store({"url": f"https://example.com/{n}/", "outlet": "seehua",
                           "title": "古晋新闻" if zh else "Kuching news", "text": f"第{n}篇古晋报道。" if zh else f"Report {n}.",
                           "published_at": "2024-03-05T10:00:00+08:00", "fetched_at": "2024-03-05T03:00:00+00:00"},
                          [f"https://example.com/{n}/"])
    engine = sa.create_engine(pg_schema_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP INDEX {fts.PG_CJK_IDS_INDEX}")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0005'")
    assert migrate.upgrade(engine) == ("0005", migrate.head())
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")  # six rows: the planner would rather read them all
        plan = "\n".join(r[0] for r in conn.exec_driver_sql(
            "EXPLAIN " + str(pg_walk(parse_query("古晋"), 3, 3).compile(engine, compile_kwargs={"literal_binds": True}))))
        assert fts.PG_CJK_IDS_INDEX in plan
        assert list(conn.execute(pg_walk(parse_query("古晋"), 2, 5)).scalars()) == [5, 3]  # 2 newest CJK articles
