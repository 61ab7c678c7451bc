"""The research views give the same answers on PostgreSQL as on SQLite for the same generated archive."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from newscrawl.query.attention import attention
from newscrawl.query.propagation import pairs, propagation
from newscrawl.query.sources import sources
from newscrawl.query.words import words
from tests import research_data


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('research-pg')}/gen.sqlite3"
    research_data.build(url)
    return url


@pytest.fixture
def engines(pg_schema_url: str, sqlite_url: str):
    research_data.build(pg_schema_url)
    pg, lite = create_engine(pg_schema_url), create_engine(sqlite_url)
    yield pg, lite
    pg.dispose()
    lite.dispose()


def test_same_answers_on_both_dialects(engines) -> None:
    pg, lite = engines
    for q in ("banjir OR flood", '"tanah runtuh"', "hospit* NOT rain"):
        assert attention(pg, q, by="week", normalise=True) == attention(lite, q, by="week", normalise=True)
        assert sources(pg, q, since="2024-01") == sources(lite, q, since="2024-01")
        pg_stories, lite_stories = propagation(pg, q), propagation(lite, q)
        assert [s.as_dict() for s in pg_stories] == [s.as_dict() for s in lite_stories] and pg_stories
        assert pairs(pg_stories) == pairs(lite_stories)
        assert words(pg, q, min_count=1) == words(lite, q, min_count=1)
