"""`newscrawl propagation` and `newscrawl sources`: the replica's syndicated Bernama story, crawled by the real
engine, travels in the right order with the right delay; per-outlet counts agree with a brute force."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine

from newscrawl.cli import main
from newscrawl.query.propagation import pairs, propagation
from newscrawl.query.sources import sources
from tests import research_data
from tests.crawl_helpers import run_crawl
from tests.replica import ReplicaServer
from tests.research_data import all_rows, brute_attention, local_day


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """(manifest, archive URL) after one crawl of every replica outlet."""
    path = tmp_path_factory.mktemp("propagation") / "archive.sqlite3"
    url = f"sqlite:///{path}"
    with ReplicaServer() as server:
        result = run_crawl(url, "-a", "site=" + ",".join(server.roots.values()),
                           settings={"DOWNLOAD_MAXSIZE": str(1_000_000)})
        assert result.returncode == 0, result.stderr[-2000:]
        yield server.manifest, url


def _expected(manifest):
    """The wire story's two copies as the replica published them, earliest first; ``outlet`` as an ad-hoc crawl
    names it (host:port)."""
    ((first, copy),) = manifest.near_duplicates
    arts = sorted((manifest.article(first), manifest.article(copy)),
                  key=lambda a: datetime.fromisoformat(a.published_at))
    return [replace(a, outlet=urlsplit(a.url).netloc) for a in arts]


def test_replica_wire_story_propagates_in_order_with_its_delay(crawled) -> None:
    manifest, url = crawled
    first, follower = _expected(manifest)
    delay = (datetime.fromisoformat(follower.published_at) - datetime.fromisoformat(first.published_at))
    assert delay.total_seconds() > 0  # the replica's copies are not simultaneous: the order is meaningful
    engine = create_engine(url)
    (story,) = propagation(engine, "flood warning")
    assert [(c.outlet, c.url) for c in story.copies] == [(first.outlet, first.url), (follower.outlet, follower.url)]
    assert [c.delay_minutes for c in story.copies] == [0, delay.total_seconds() / 60]
    (pair,) = pairs([story])
    leader_is_a = first.outlet < follower.outlet
    assert (pair.outlet_a, pair.outlet_b) == tuple(sorted((first.outlet, follower.outlet)))
    assert (pair.stories, pair.a_first, pair.b_first, pair.same_time) == (1, int(leader_is_a), int(not leader_is_a), 0)
    # the same timeline from the copy's id, and in the CLI's JSON
    res = CliRunner().invoke(main, ["propagation", "--story", str(story.copies[1].article_id), "--format", "json",
                                    "--archive", url])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [(c["outlet"], c["delay_minutes"]) for c in data["stories"][0]["copies"]] == [
        (first.outlet, 0), (follower.outlet, delay.total_seconds() / 60)]
    res = CliRunner().invoke(main, ["propagation", "flood warning", "--archive", url])
    lines = res.stdout.splitlines()
    minutes = int(delay.total_seconds() // 60)
    assert lines[1].split()[:3] == ["first", first.published_at, first.outlet]
    human = " ".join(f"{v} {u}" for v, u in ((minutes // 60, "h"), (minutes % 60, "min")) if v)
    assert lines[2].startswith(f"  +{human} ") and follower.outlet in lines[2]


def test_a_story_of_its_own_has_no_propagation(crawled) -> None:
    manifest, url = crawled
    engine = create_engine(url)
    lone = next(a for a in manifest.articles if "Bernama" not in a.authors)
    with engine.connect() as conn:
        aid = conn.exec_driver_sql("SELECT id FROM articles WHERE url = ?", (lone.url,)).scalar()
    assert propagation(engine, story=aid) == []
    res = CliRunner().invoke(main, ["propagation", "--story", str(aid), "--archive", url])
    assert res.stdout == f"article {aid}'s story was run by one outlet only\n"


@pytest.fixture(scope="module")
def gen_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('research')}/gen.sqlite3"
    research_data.build(url)
    return url


def test_generated_groups_order_and_pairs(gen_url: str) -> None:
    engine = create_engine(gen_url)
    rows = all_rows(gen_url)
    stories = propagation(engine, "banjir")
    assert len(stories) > 5
    by_id = {r["id"]: r for r in rows}
    for s in stories:
        members = [r for r in rows if (r["duplicate_of"] or r["id"]) == s.story_id]
        assert {c.outlet for c in s.copies} == {r["outlet"] for r in members}  # one copy per outlet
        times = [datetime.fromisoformat(by_id[c.article_id]["published_at"]) for c in s.copies
                 if c.delay_minutes is not None]
        assert times == sorted(times)
        assert [c.delay_minutes for c in s.copies if c.delay_minutes is not None] == [
            (t - times[0]).total_seconds() / 60 for t in times]
        assert all(c.delay_minutes is None for c in s.copies[len(times):])  # undated last
    total = {}
    for p in pairs(stories):
        assert p.a_first + p.b_first + p.same_time == p.stories
        total[(p.outlet_a, p.outlet_b)] = p.stories
    assert sum(total.values()) == sum(
        len([c for c in s.copies if c.delay_minutes is not None]) * (len([c for c in s.copies
                                                                           if c.delay_minutes is not None]) - 1) // 2
        for s in stories)


def test_sources_agree_with_brute_force(gen_url: str) -> None:
    engine = create_engine(gen_url)
    rows = all_rows(gen_url)
    got = sources(engine, "banjir OR flood")
    per_outlet = brute_attention(rows, "banjir OR flood", "month")  # dated stories per outlet and month
    node_rows = [r for r in rows if research_data.matches(
        research_data.parse_query("banjir OR flood"),
        [research_data._tokens(r["title"]), research_data._tokens(r["text"])])]
    for row in got:
        mine = [r for r in node_rows if r["outlet"] == row["outlet"]]
        assert row["stories"] == len({r["duplicate_of"] or r["id"] for r in mine})  # undated included
        days = sorted(d for r in mine if (d := local_day(r["published_at"])) is not None)
        assert (row["first"], row["last"]) == (days[0].isoformat(), days[-1].isoformat())
        assert sum(n for (o, _), n in per_outlet.items() if o == row["outlet"]) >= 1
        assert 0 < row["share"] <= 1
    assert [r["stories"] for r in got] == sorted((r["stories"] for r in got), reverse=True)
    assert {r["outlet"] for r in got} == set(research_data.OUTLETS)


def test_reader_gives_dataframes(gen_url: str) -> None:
    from newscrawl.query import Reader

    with Reader(gen_url) as archive:
        att = archive.attention(["banjir", "flood"], by="month", normalise=True)
        src = archive.sources("banjir OR flood")
        copies, leads = archive.propagation("banjir")
        top = archive.words("banjir", limit=5)
    rows = all_rows(gen_url)
    assert att.groupby("query")["stories"].sum().to_dict() == {
        q: sum(brute_attention(rows, q, "month").values()) for q in ("banjir", "flood")}
    assert list(src.columns) == ["outlet", "stories", "share", "first", "last"] and len(src) == 4
    assert set(copies["story_id"]) == {s.story_id for s in propagation(create_engine(gen_url), "banjir")}
    assert (copies.loc[copies["order"] == 0, "delay_minutes"] == 0).all()
    assert (leads["a_first"] + leads["b_first"] + leads["same_time"] == leads["stories"]).all()
    assert list(top.columns) == ["term", "score", "matching", "matching_per_10k", "archive_per_10k"]
    assert len(top) <= 5
