"""The research views in Datasette: canned queries agree with the library, the dashboard's charts run.

Datasette's own in-process test client (``ds.client``) on the packaged metadata, re-keyed as `newscrawl browse`
does for a file not called newscrawl."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from newscrawl.query.attention import attention
from newscrawl.query.browse import metadata_for
from newscrawl.query.propagation import propagation
from newscrawl.query.sources import sources
from tests import research_data

DB = "floods-2024"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from datasette.app import Datasette

    path = tmp_path_factory.mktemp("ds") / f"{DB}.sqlite3"
    research_data.build(f"sqlite:///{path}")
    return Datasette([str(path)], metadata=metadata_for(Path(path))), f"sqlite:///{path}"


def _get(ds, path: str, **params) -> list[dict]:
    async def go():
        res = await ds.client.get(path, params={**params, "_shape": "array"})
        assert res.status_code == 200, res.text[:500]
        return res.json()
    return asyncio.run(go())


@pytest.mark.parametrize("by,name", [("month", "attention_by_month"), ("week", "attention_by_week")])
def test_canned_attention_equals_the_library(site, by: str, name: str) -> None:
    ds, url = site
    got = _get(ds, f"/{DB}/{name}.json", q="banjir OR flood")
    rows = [r for r in attention(create_engine(url), "banjir OR flood", by=by, normalise=True) if r.stories]
    assert len(got) == len(rows) > 10
    assert [(g["period"], g["outlet"], g["stories"], g["share"]) for g in got] == [
        (r.start.isoformat(), r.outlet, r.stories, round(r.share, 4)) for r in rows]


def test_canned_sources_and_propagation_equal_the_library(site) -> None:
    ds, url = site
    engine = create_engine(url)
    got = _get(ds, f"/{DB}/sources.json", q="banjir")
    assert [(g["outlet"], g["stories"], g["first"], g["last"]) for g in got] == [
        (r["outlet"], r["stories"], r["first"], r["last"]) for r in sources(engine, "banjir")]
    got = _get(ds, f"/{DB}/propagation.json", q="banjir")
    stories = propagation(engine, "banjir")
    assert {g["story_id"] for g in got} == {s.story_id for s in stories}
    for s in stories:
        delays = {g["article_id"]: g["delay_minutes"] for g in got if g["story_id"] == s.story_id}
        for c in s.copies:  # the library keeps each outlet's earliest copy; the canned query lists every copy
            assert delays[c.article_id] == (None if c.delay_minutes is None else round(c.delay_minutes, 1))


def test_dashboard_charts_query_the_renamed_database(site) -> None:
    ds, url = site
    config = metadata_for(Path(f"{DB}.sqlite3"))["plugins"]["datasette-dashboards"]["attention"]
    assert {c["db"] for c in config["charts"].values()} == {DB}

    async def page():
        return await ds.client.get("/-/dashboards/attention?q=banjir")
    res = asyncio.run(page())
    assert res.status_code == 200 and "Matching stories per month" in res.text
    # the browser runs each chart's SQL through Datasette's JSON API: it must answer
    for chart in config["charts"].values():
        rows = _get(ds, f"/{DB}.json", sql=chart["query"], q="banjir")
        assert rows and "outlet" in rows[0]
