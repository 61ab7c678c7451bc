"""Relevance search ranks a window of the best matches and widens it until enough rows survive story grouping:
it must return exactly the rows, in the same order, that joining every match returns."""

from __future__ import annotations

import random
from datetime import date

import sqlalchemy as sa

from newscrawl.query import search as search_module
from newscrawl.query.search import Filters, _build, iter_rows
from newscrawl.query.syntax import parse_query
from newscrawl.store.archive import Archive

WORDS = ("river dam flood bridge school clinic road port timber pepper longhouse council budget rain ferry "
         "market festival police court hospital airport village election youth").split()


def _archive(tmp_path, n: int = 400, url: str | None = None) -> str:
    url = url or f"sqlite:///{tmp_path}/a.sqlite3"
    rng = random.Random(7)
    with Archive.open(url, neardup=False) as archive:
        for i in range(n):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 200)))
            archive.store({"url": f"https://e.com/{i}/", "outlet": "borneopost", "title": f"Story {i} "
                           + rng.choice(WORDS), "text": f"Kuching {text} number{i}",
                           "published_at": f"2024-03-{1 + i % 28:02d}T10:00:00+08:00",
                           "fetched_at": "2024-04-01T00:00:00+00:00"}, [f"https://e.com/{i}/"])
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # most articles are copies: a window of the best matches keeps few of them
        conn.execute(sa.text("UPDATE articles SET duplicate_of = 1 WHERE id > 1 AND id % 10 != 0"))
    return url


def _plain(engine, flt, limit):
    with engine.connect() as conn:
        return [r.id for r in conn.execute(_build(engine, flt, columns=("id",), sort="relevance", limit=limit))]


def test_widened_window_equals_joining_every_match(tmp_path):
    engine = sa.create_engine(_archive(tmp_path))
    for query, limit in (("kuching", 20), ("river", 5), ("dam OR flood", 37), ("kuching", 0)):
        flt = Filters(query=parse_query(query))
        got = [r["id"] for r in iter_rows(engine, flt, columns=("id",), sort="relevance", limit=limit or None)]
        assert got == _plain(engine, flt, limit or None), query
        assert len(got) == (limit or 41) or limit == 0


def _dated_archive(tmp_path, n: int = 300, url: str | None = None) -> str:
    """Articles with published_at out of id order, a few undated, most of them copies of article 1."""
    url = url or f"sqlite:///{tmp_path}/d.sqlite3"
    rng = random.Random(11)
    with Archive.open(url, neardup=False) as archive:
        for i in range(n):
            day = rng.randint(1, 28)
            archive.store({"url": f"https://e.com/{i}/", "outlet": "borneopost" if i % 3 else "dayakdaily",
                           "title": f"Story {i}", "text": " ".join(rng.choice(WORDS) for _ in range(30)),
                           "published_at": None if i % 37 == 5 else f"2024-03-{day:02d}T{i % 24:02d}:00:00+08:00",
                           "fetched_at": "2024-04-01T00:00:00+00:00"}, [f"https://e.com/{i}/"])
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE articles SET duplicate_of = 1 WHERE id > 1 AND id % 4 = 0"))
    return url


def _plain_sorted(engine, flt, sort, limit):
    with engine.connect() as conn:
        return [r.id for r in conn.execute(_build(engine, flt, columns=("id",), sort=sort, limit=limit))]


def test_date_order_by_probing_equals_joining_every_match(tmp_path, monkeypatch):
    _check_date_walk(sa.create_engine(_dated_archive(tmp_path)), monkeypatch)


def test_date_order_by_probing_on_postgresql(tmp_path, monkeypatch, pg_schema_url):
    engine = sa.create_engine(_dated_archive(tmp_path, n=120, url=pg_schema_url))
    with engine.begin() as conn:  # the plan is chosen on the planner's estimate (autovacuum's job in real life)
        conn.exec_driver_sql("ANALYZE articles")
    _check_date_walk(engine, monkeypatch)


def _check_date_walk(engine, monkeypatch):
    monkeypatch.setattr(search_module, "MANY_MATCHES", 10)  # every query here takes the probing plan
    monkeypatch.setattr(search_module, "PROBE_FACTOR", 1)  # and has to widen its walk
    cases = [("river", {}), ("dam OR flood", {"outlets": ("dayakdaily",)}),
             ("school", {"since": date(2024, 3, 10), "until": date(2024, 3, 20)}),
             ("kuching OR river", {"include_duplicates": True})]
    for query, kw in cases:
        for sort in ("newest", "date"):
            for limit in (5, 40, 290):
                flt = Filters(query=parse_query(query), **kw)
                plans = []
                monkeypatch.setattr(search_module, "_build", lambda *a, **k: plans.append(k) or _build(*a, **k))
                got = [r["id"] for r in iter_rows(engine, flt, columns=("id",), sort=sort, limit=limit)]
                monkeypatch.setattr(search_module, "_build", _build)
                assert got == _plain_sorted(engine, flt, sort, limit), (query, kw, sort, limit)
                assert any(k.get("candidates") is not None for k in plans)  # the probing plan did run


def test_relevance_over_many_matches_ranks_the_newest_window(tmp_path, monkeypatch):
    engine = sa.create_engine(_archive(tmp_path))
    flt = Filters(query=parse_query("kuching"), include_duplicates=True)  # all 400 articles match
    monkeypatch.setattr(search_module, "RANK_WINDOW", 100)
    got = [r["id"] for r in iter_rows(engine, flt, columns=("id",), sort="relevance", limit=10)]
    with engine.connect() as conn:
        newest = conn.execute(sa.text(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'kuching' ORDER BY rowid DESC LIMIT 100"))
        window = {i for (i,) in newest}
    assert min(window) == 301 and set(got) <= window
    best = [i for i in _plain(engine, flt, None) if i in window][:10]  # bm25 order restricted to the window
    assert got == best
    exact = [r["id"] for r in iter_rows(engine, flt, columns=("id",), sort="relevance", limit=10, exact=True)]
    assert exact == _plain(engine, flt, 10) and exact != got


def test_window_widens_until_filtered_rows_survive(tmp_path, monkeypatch):
    engine = sa.create_engine(_archive(tmp_path))
    monkeypatch.setattr(search_module, "RANK_WINDOW", 50)
    # one article in 28 is dated March 1: the newest 50 matches hold 2 of them, so the window must widen
    flt = Filters(query=parse_query("kuching"), include_duplicates=True, until=date(2024, 3, 1))
    got = [r["id"] for r in iter_rows(engine, flt, columns=("id",), sort="relevance", limit=5)]
    assert got == _plain(engine, flt, 5) and len(got) == 5


def test_date_walk_binds_a_constant_number_of_parameters(tmp_path):
    """The walked ids go in as a subquery: a large limit never hits SQLite's bound-parameter ceiling."""
    engine = sa.create_engine(_dated_archive(tmp_path, n=40))
    a = search_module.articles.alias("a")
    walk = sa.select(a.c.id).where(a.c.published_at.is_not(None)).order_by(a.c.published_at, a.c.id)
    flt = Filters(query=parse_query("river"))
    params = [len(_build(engine, flt, columns=("id",), sort="date", limit=20, candidates=walk.limit(size))
                  .compile(engine).params) for size in (10, 100_000)]
    assert params[0] == params[1] < 10


def test_postgresql_relevance_ranks_the_newest_window(tmp_path, monkeypatch, pg_schema_url):
    engine = sa.create_engine(_archive(tmp_path, n=200, url=pg_schema_url))
    with engine.begin() as conn:  # the plan is chosen on the planner's estimate
        conn.exec_driver_sql("ANALYZE articles")
    flt = Filters(query=parse_query("kuching"), include_duplicates=True)  # all 200 articles match
    monkeypatch.setattr(search_module, "PG_RANK_WINDOW", 50)
    got = [r["id"] for r in iter_rows(engine, flt, columns=("id",), sort="relevance", limit=10)]
    assert set(got) <= set(range(151, 201))  # the 50 newest
    assert got == [i for i in _plain(engine, flt, None) if i > 150][:10]  # ts_rank_cd order within them
    exact = [r["id"] for r in iter_rows(engine, flt, columns=("id",), sort="relevance", limit=10, exact=True)]
    assert exact == _plain(engine, flt, 10)
    grouped = Filters(query=parse_query("kuching"))  # 9 in 10 are copies of article 1: the window must widen
    assert [r["id"] for r in iter_rows(engine, grouped, columns=("id",), sort="relevance", limit=15)] == \
        _plain(engine, grouped, 15)
