"""Two workers sharing a Redis frontier and a PostgreSQL archive build exactly the archive one worker builds,
fetch no page twice, and one killed worker leaves the queue to the other (docs/distributed.md)."""

from __future__ import annotations

import signal
import time
import uuid
from collections import Counter

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import service_or_skip
from tests.replica import ReplicaServer

from .crawl_helpers import run_crawl, run_seed

BASE = {"DOWNLOAD_MAXSIZE": str(1_000_000), "NEWSCRAWL_EXTRACT_WORKERS": "1"}


@pytest.fixture
def redis_prefix():
    """A Redis key prefix of this test's own (its keys deleted afterwards)."""
    import redis

    host, port = service_or_skip("redis")
    prefix = f"nc_test_{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis(host=host, port=port)
    for key in client.scan_iter(match=prefix + ":*"):
        client.delete(key)


@pytest.fixture
def second_schema_url(pg_url):
    """A second archive URL in a fresh schema (dropped afterwards)."""
    import psycopg

    schema = f"nc_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{pg_url}?options=-csearch_path%3D{schema}"
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def distributed(prefix: str, **more: str) -> dict:
    return {**BASE, "NEWSCRAWL_DISTRIBUTED": "1", "NEWSCRAWL_REDIS_PREFIX": prefix, "NEWSCRAWL_DISTRIBUTED_IDLE": "3",
            **more}


def snapshot(url: str) -> dict:
    """The archive's content without ids or timestamps: articles, every URL with its kind, duplicate links."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, url, outlet, title, content_hash, published_at, duplicate_of "
                                 "FROM articles")).all()
        by_id = {r.id: r.url for r in rows}
        urls = conn.execute(text("SELECT u.url, a.url, u.kind FROM article_urls u "
                                 "JOIN articles a ON a.id = u.article_id")).all()
        revisions = conn.execute(text("SELECT count(*) FROM revisions")).scalar()
        runs = conn.execute(text("SELECT status, articles_new, stats FROM crawl_runs ORDER BY id")).all()
    engine.dispose()
    return {
        "articles": {(r.url, r.outlet, r.title, r.content_hash, r.published_at) for r in rows},
        "aliases": {tuple(u) for u in urls},
        "duplicates": {(r.url, by_id[r.duplicate_of]) for r in rows if r.duplicate_of is not None},
        "revisions": revisions,
        "runs": runs,
    }


def fetched(server: ReplicaServer) -> Counter:
    return Counter((r.outlet, r.path) for r in server.requests if not r.path.startswith("/robots.txt"))


def test_two_workers_build_the_archive_one_worker_builds(pg_schema_url, second_schema_url, redis_prefix):
    with ReplicaServer() as server:
        site = "site=" + ",".join(server.roots.values())
        one = run_crawl(second_schema_url, "-a", site, settings=BASE)
        assert one.returncode == 0, one.stderr[-3000:]
        alone = fetched(server)
        server.reset()

        seed = run_seed(pg_schema_url, "-a", site, settings=distributed(redis_prefix))
        assert seed.returncode == 0, seed.stderr[-3000:]
        workers = [run_crawl(pg_schema_url, "-a", site, settings=distributed(redis_prefix), wait=False)
                   for _ in range(2)]
        outputs = [w.communicate(timeout=300) for w in workers]
        for worker, (_, err) in zip(workers, outputs):
            assert worker.returncode == 0, err[-3000:]
        together = fetched(server)

    expected, got = snapshot(second_schema_url), snapshot(pg_schema_url)
    assert len(expected["articles"]) > 20
    assert got["articles"] == expected["articles"]
    # every URL belongs to the same article; its kind too, except that a page serving an archived article's text
    # under a second path is 'same_text' or 'variant' depending on which of the two was stored first (also
    # with one worker when the order changes: Archive.store decides on arrival)
    assert {(u, a) for u, a, _ in got["aliases"]} == {(u, a) for u, a, _ in expected["aliases"]}
    order_dependent = {"variant", "same_text"}
    kinds = {u: k for u, _, k in expected["aliases"]}
    assert [(u, k, kinds[u]) for u, _, k in got["aliases"]
            if k != kinds[u] and {k, kinds[u]} != order_dependent] == []
    assert got["duplicates"] == expected["duplicates"] and expected["duplicates"]
    assert got["revisions"] == expected["revisions"]
    # one crawl_runs row, finished, holding both workers' counts
    assert [(status, new) for status, new, _ in got["runs"]] == [("finished", len(expected["articles"]))]
    assert '"newscrawl/workers": 2' in got["runs"][0][2]
    # no page fetched twice: every page at most as often as one worker fetched it (the replica's 503/429 traps
    # retry). A section's pagination stops at the first page that lists nothing new, which depends on what the
    # other worker has stored by then: such a listing page may be fetched once by two workers and not by one.
    assert {key: n for key, n in together.items() if n > max(alone[key], 1)} == {}
    listing = {key for key in together | alone if "/page/" in key[1]}
    assert {k: n for k, n in together.items() if k not in listing} == {k: n for k, n in alone.items()
                                                                     if k not in listing}
    assert max(together.values()) <= max(alone.values())
    # both workers did part of the work
    assert all("joined distributed crawl run" in err for _, err in outputs)


def test_a_second_separate_run_is_refused_while_workers_run(pg_schema_url, redis_prefix):
    with ReplicaServer() as server:
        site = "site=" + server.roots["borneopost"]
        slow = distributed(redis_prefix, DOWNLOAD_DELAY="0.5", CONCURRENT_REQUESTS_PER_DOMAIN="1")
        assert run_seed(pg_schema_url, "-a", site, settings=slow).returncode == 0
        worker = run_crawl(pg_schema_url, "-a", site, settings=slow, wait=False)
        try:
            time.sleep(6)
            assert worker.poll() is None
            separate = run_crawl(pg_schema_url, "-a", site, settings=BASE)
            reseed = run_seed(pg_schema_url, "-a", site, settings=slow)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.communicate(timeout=120)
    assert separate.returncode == 75, separate.stderr[-2000:]
    assert reseed.returncode == 75, reseed.stderr[-2000:]
    assert "another crawl is writing" in separate.stderr


def test_killed_worker_leaves_the_queue_to_the_other(pg_schema_url, redis_prefix):
    import redis

    with ReplicaServer() as server:
        site = "site=" + ",".join(server.roots.values())
        settings = distributed(redis_prefix, DOWNLOAD_DELAY="0.05")
        assert run_seed(pg_schema_url, "-a", site, settings=settings).returncode == 0
        victim = run_crawl(pg_schema_url, "-a", site, settings=settings, wait=False)
        survivor = run_crawl(pg_schema_url, "-a", site, settings=settings, wait=False)
        deadline = time.monotonic() + 60
        while len(server.requests) < 40 and time.monotonic() < deadline:
            time.sleep(0.2)
        victim.kill()
        victim.communicate(timeout=60)
        _, err = survivor.communicate(timeout=300)
        assert survivor.returncode == 0, err[-3000:]
        client = redis.Redis(*service_or_skip("redis"))
        assert client.zcard(f"{redis_prefix}:requests") == 0  # the survivor drained the shared queue
        first = snapshot(pg_schema_url)
        # what the victim had in flight is fetched by the next run: sitemap/feed URLs as pending listings, pages
        # only a section listed when the section is walked again (no 304 or stop-at-known-page shortcut here)
        again = {**settings, "NEWSCRAWL_CONDITIONAL_GET": "0", "NEWSCRAWL_STOP_AT_KNOWN_PAGE": "0"}
        assert run_seed(pg_schema_url, "-a", site, settings=again).returncode == 0
        rerun = run_crawl(pg_schema_url, "-a", site, settings=again)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        expected = {a.url for a in server.manifest.articles}
    assert victim.returncode == -signal.SIGKILL
    assert [status for status, _, _ in first["runs"]] == ["finished"]
    assert first["articles"] and {url for url, *_ in first["articles"]} <= expected
    assert {url for url, *_ in snapshot(pg_schema_url)["articles"]} == expected


def test_a_distributed_crawl_needs_postgresql(tmp_path):
    result = run_crawl(f"sqlite:///{tmp_path}/a.sqlite3", settings={"NEWSCRAWL_DISTRIBUTED": "1"}, timeout=60)
    assert result.returncode == 2
    assert "NEWSCRAWL_DISTRIBUTED needs a PostgreSQL archive" in result.stderr


def test_a_worker_without_a_seeded_run_exits_2(pg_schema_url, redis_prefix):
    result = run_crawl(pg_schema_url, settings=distributed(redis_prefix), timeout=60)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "no distributed run is seeded" in result.stderr
