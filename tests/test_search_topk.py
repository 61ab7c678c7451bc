"""Relevance search ranks a window of the best matches and widens it until enough rows survive story grouping:
it must return exactly the rows, in the same order, that joining every match returns."""

from __future__ import annotations

import random

import sqlalchemy as sa

from newscrawl.archive import Archive
from newscrawl.search import Filters, _build, iter_rows, parse_query

WORDS = ("river dam flood bridge school clinic road port timber pepper longhouse council budget rain ferry "
         "market festival police court hospital airport village election youth").split()


def _archive(tmp_path, n: int = 400) -> str:
    url = f"sqlite:///{tmp_path}/a.sqlite3"
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
