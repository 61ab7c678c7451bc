"""Two processes storing overlapping articles into one PostgreSQL archive at once (as distributed workers do,
``Archive(shared=True)``) leave exactly the rows one writer leaves: no duplicate articles, URLs or index rows."""

from __future__ import annotations

import multiprocessing
import random

from sqlalchemy import create_engine, text

from newscrawl.store.archive import Archive

from .test_neardup import BARAM_BERNAMA, BARAM_DAYAK, BARAM_TRIBUNE, PREMIER_AIRLINE, PREMIER_HYDROGEN

WORDS = ("kuching miri sibu bintulu river longhouse council budget road bridge school hospital flood rain "
         "minister assembly port airport ferry market festival court police fire election youth farmers").split()


def _text(seed: int) -> str:
    rnd = random.Random(seed)
    return " ".join(f"{rnd.choice(WORDS)}{rnd.randrange(1000)}" for _ in range(150)) + "."


def _article(i: int) -> tuple[dict, list[str]]:
    url = f"https://example-news.my/2024/05/story-{i}/"
    record = {"url": url, "outlet": "example", "title": f"Story {i}", "text": _text(i),
              "published_at": f"2024-05-{1 + i % 28:02d}T08:00:00+08:00", "fetched_at": "2024-06-01T00:00:00+00:00"}
    return record, [url + "amp/", url + "?utm_source=feed"]


def _wire(i: int, url: str, body: str) -> tuple[dict, list[str]]:
    record = {"url": url, "outlet": "wire", "title": "Baram floods", "text": body,
              "published_at": f"2024-03-04T0{i}:00:00+08:00", "fetched_at": "2024-06-01T00:00:00+00:00"}
    return record, []


def _work(which: str) -> list[tuple[dict, list[str]]]:
    """Writer a and b store articles 100-199 both (same URLs, a different alias each), and each a copy of the
    same text under a URL of its own (one row, the other URL a same_text alias); the wire stories are split
    between them and stored first, at the same moment (near-copies to link across writers)."""
    bp = _wire(1, "https://bp.example/baram/", BARAM_BERNAMA)
    others = [_wire(2, "https://trib.example/baram/", BARAM_TRIBUNE), _wire(3, "https://dd.example/baram/", BARAM_DAYAK),
              _wire(4, "https://x.example/h2/", PREMIER_HYDROGEN), _wire(5, "https://x.example/air/", PREMIER_AIRLINE)]
    ids = [*range(100, 200), *(range(0, 100) if which == "a" else range(200, 300))]  # the shared ones at once
    own = []
    for i in ids:
        record, urls = _article(i)
        own.append((record, [urls[0] if which == "a" else urls[1]]))
        if i % 10 == 0:  # the same text syndicated under another URL by each writer
            own.append(({**record, "url": record["url"].replace("example-news", f"mirror-{which}")}, []))
    return [bp] + own if which == "a" else others + own


def _store(url: str, which: str, ready, start) -> None:
    work = _work(which)
    with Archive.open(url, shared=True) as archive:
        ready.release()
        start.wait(60)
        for record, urls in work:
            archive.store(record, urls)


def _snapshot(url: str) -> dict:
    """Each article as (content hash, title, all its URLs with their kinds but the canonical one's), and the
    duplicate links as (copy, root) hashes: which of two same-text URLs came first is the only thing two
    writers' interleaving may change."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, title, content_hash, duplicate_of FROM articles")).all()
        urls: dict[int, set[str]] = {}
        for article_id, u in conn.execute(text("SELECT article_id, url FROM article_urls")):
            urls.setdefault(article_id, set()).add(u)
        by_id = {r.id: r.content_hash for r in rows}
        result = {
            "articles": sorted((r.content_hash, r.title, tuple(sorted(urls.get(r.id, ())))) for r in rows),
            "duplicates": sorted((r.content_hash, by_id[r.duplicate_of]) for r in rows if r.duplicate_of is not None),
            "signatures": tuple(conn.execute(text(
                "SELECT count(*), count(DISTINCT article_id) FROM neardup_signatures")).one()),
            "revisions": conn.execute(text("SELECT count(*) FROM revisions")).scalar(),
        }
    engine.dispose()
    return result


def test_two_concurrent_writers_store_what_one_writer_stores(pg_schema_url, pg_url):
    import uuid

    import psycopg

    schema = f"nc_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    single_url = f"{pg_url}?options=-csearch_path%3D{schema}"
    try:
        with Archive.open(single_url) as archive:
            for record, urls in _work("a") + _work("b"):
                archive.store(record, urls)
        Archive.open(pg_schema_url).close()  # tables created once, before the race
        ctx = multiprocessing.get_context("spawn")
        ready, start = ctx.Semaphore(0), ctx.Event()
        writers = [ctx.Process(target=_store, args=(pg_schema_url, which, ready, start)) for which in "ab"]
        for writer in writers:
            writer.start()
        for _ in writers:
            assert ready.acquire(timeout=60)
        start.set()
        for writer in writers:
            writer.join(120)
        assert [w.exitcode for w in writers] == [0, 0]
        expected, got = _snapshot(single_url), _snapshot(pg_schema_url)
    finally:
        with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    assert len(expected["articles"]) == 300 + 5
    assert expected["duplicates"]  # the wire copies are linked to the earliest one
    assert got == expected
