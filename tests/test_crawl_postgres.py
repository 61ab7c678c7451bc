"""The whole crawl on PostgreSQL through the same code as SQLite: articles, aliases, crawl state, run lock."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.replica import ReplicaServer

from .crawl_helpers import run_crawl

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

SETTINGS = {"DOWNLOAD_MAXSIZE": str(1_000_000)}


def test_crawl_into_postgres_then_rerun_incrementally(pg_schema_url):
    with ReplicaServer() as server:
        site = "site=" + server.roots["borneopost"]
        first = run_crawl(pg_schema_url, "-a", site, settings=SETTINGS)
        assert first.returncode == 0, first.stderr[-2000:]
        server.reset()
        second = run_crawl(pg_schema_url, "-a", site, settings=SETTINGS)
        assert second.returncode == 0, second.stderr[-2000:]
        expected = {a.url: a.title for a in server.manifest.for_outlet("borneopost")}
        article_paths = {a.url.split("/", 3)[3] for a in server.manifest.for_outlet("borneopost")}
        refetched = [r.path for r in server.requests if r.path.lstrip("/") in article_paths]
    engine = create_engine(pg_schema_url)
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT url, title FROM articles")).all())
        runs = conn.execute(text("SELECT status, articles_new FROM crawl_runs ORDER BY id")).all()
        aliases = conn.execute(text("SELECT count(*) FROM article_urls WHERE kind != 'canonical'")).scalar()
    engine.dispose()
    assert stored == expected
    assert [tuple(r) for r in runs] == [("finished", 9), ("finished", 0)]
    assert aliases >= 9 * 3  # AMP, shortlink and slash twin at least
    assert refetched == []
