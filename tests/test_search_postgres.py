"""PostgreSQL relevance search over many matches (search._pg_window): ts_rank_cd over a bounded set of the newest
matches, read in id slices (dense matches walking the primary key, sparse ones through the GIN bitmap ANDed with
the primary key's), planned from the tsvector column's statistics. The window is a documented approximation: its
rows are exactly the plain statement's rows restricted to the matches it ranked, those are the newest matches, and
once the slices reach the first id (or ``exact=True``) the rows are exactly the plain statement's."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from newscrawl.query import search as search_module
from newscrawl.query.search import Filters, _build, iter_rows, pg_share
from newscrawl.query.syntax import parse_query
from newscrawl.store.archive import Archive
from newscrawl.store.schema import articles

N = 600


def _text(i: int) -> str:
    words = ["kuching"]  # every article: dense
    if i % 10 == 0:
        words += ["bakun"] * (1 + i % 3)  # one article in ten, one to three times: sparse, scores differ
    if i % 10 == 3:
        words += ["the", "baram", "dam", "was", "debated"]  # the phrase
    if i % 10 == 7:
        words += ["baram", "river", "and", "a", "dam"]  # both words, not the phrase
    if i % 8 == 1:
        words += ["murum"] + (["penan"] if i % 3 == 0 else [])
    return " ".join(words + ["filler"] * (20 + i % 7))


def _archive(url: str, *, analyse: bool = True) -> sa.Engine:
    with Archive.open(url, neardup=False):
        pass
    engine = sa.create_engine(url)
    rows = [{"id": i, "url": f"https://e.com/{i}/", "outlet": "borneopost" if i % 2 else "dayakdaily",
             "title": f"Story {i}", "authors": "[]", "tags": "[]", "text": _text(i),
             "published_at": f"2024-{1 + (i - 1) * 12 // N:02d}-{1 + i % 28:02d}T10:00:00+08:00",
             "fetched_at": "2024-12-31T00:00:00+00:00", "content_hash": f"{i:064x}",
             # one article in five a copy of the one before it: story grouping drops some of the best
             "duplicate_of": i - 1 if i % 5 == 1 and i > 1 else None} for i in range(1, N + 1)]
    with engine.begin() as conn:
        conn.execute(sa.insert(articles), rows)
        if analyse:  # the plan is chosen on the column's statistics (autovacuum's job in real life)
            conn.exec_driver_sql("ANALYZE articles")
    return engine


def _plain(engine, flt, limit=None) -> list[int]:
    """The plain statement: every match ranked."""
    with engine.connect() as conn:
        return [r.id for r in conn.execute(_build(engine, flt, columns=("id",), sort="relevance", limit=limit))]


def _matches(engine, query: str) -> set[int]:
    return set(_plain(engine, Filters(query=parse_query(query), include_duplicates=True)))


def _search(engine, flt, limit, monkeypatch, **kw) -> tuple[list[int], set[int]]:
    """Rows of iter_rows and the ids of the matches the window ranked."""
    ranked: set[int] = set()
    real = search_module._pg_slice

    def slice_(*a, **k):
        found = real(*a, **k)
        ranked.update(i for i, _ in found)
        return found

    monkeypatch.setattr(search_module, "_pg_slice", slice_)
    rows = [r["id"] for r in iter_rows(engine, flt, columns=("id",), sort="relevance", limit=limit, **kw)]
    return rows, ranked


@pytest.fixture
def engine(pg_schema_url, monkeypatch):
    monkeypatch.setattr(search_module, "PG_RANK_WINDOW", 12)  # every query here matches more
    return _archive(pg_schema_url)


CASES = [  # (query, filters): dense, sparse, phrase (candidates: every article with 'dam'), NOT, prefix, filters
    ("kuching", {}), ("bakun", {}), ('"baram dam"', {}), ("murum NOT penan", {}), ("bak*", {}),
    ("bakun OR murum", {"include_duplicates": True}), ("bakun", {"outlets": ("dayakdaily",)}),
    ('"baram dam" kuching', {}), ('"baram river" OR bakun', {}),  # phrases without NOT: the score is the test
    ('"baram dam"', {"since": date(2024, 10, 1)}), ("kuching", {"outlets": ("borneopost",), "since": date(2024, 6, 1)}),
]


@pytest.mark.parametrize("query, kw", CASES)
def test_window_ranks_the_newest_matches_as_the_plain_statement_does(engine, monkeypatch, query, kw):
    flt = Filters(query=parse_query(query), **kw)
    matches = _matches(engine, query)
    for limit in (5, 20):
        got, ranked = _search(engine, flt, limit, monkeypatch)
        assert ranked and ranked <= matches  # the query itself decided, not the candidates' relaxed query
        assert len(ranked) < len(matches) or limit > 5  # a window, not every match (20 rows may need all)
        # the newest: no match passing the filters, newer than the oldest one ranked, was left out
        passing = set(_plain(engine, Filters(query=parse_query(query), include_duplicates=True,
                                             **{k: v for k, v in kw.items() if k != "include_duplicates"})))
        assert {i for i in passing if i >= min(ranked)} <= ranked
        # exactly the plain statement's order restricted to what the window ranked
        assert got == [i for i in _plain(engine, flt) if i in ranked][:limit]
        assert len(got) == min(limit, len(_plain(engine, flt)))
        exact = [r["id"] for r in iter_rows(engine, flt, columns=("id",), sort="relevance", limit=limit, exact=True)]
        assert exact == _plain(engine, flt, limit)


def test_phrase_and_not_rows_really_match(engine, monkeypatch):
    phrase = {i for i in range(1, N + 1) if i % 10 == 3}
    got, ranked = _search(engine, Filters(query=parse_query('"baram dam"'), include_duplicates=True), 20, monkeypatch)
    assert set(got) <= phrase and ranked <= phrase
    got, ranked = _search(engine, Filters(query=parse_query("murum NOT penan"), include_duplicates=True), 20,
                          monkeypatch)
    assert all(i % 8 == 1 and i % 3 for i in ranked | set(got))
    got, ranked = _search(engine, Filters(query=parse_query('"baram river" OR "baram dam"'), include_duplicates=True),
                          20, monkeypatch)  # candidates: every article with 'baram'; the score decides
    assert ranked and all(i % 10 in (3, 7) for i in ranked) and set(got) <= ranked


def test_window_that_reaches_the_first_id_gives_the_exact_rows(engine, monkeypatch):
    # only the oldest articles pass the filter: the window widens until it has read every match
    for query in ("bakun", "kuching", '"baram dam"'):
        flt = Filters(query=parse_query(query), until=date(2024, 1, 20))
        got, ranked = _search(engine, flt, 50, monkeypatch)
        assert got == _plain(engine, flt, 50) and 0 < len(got) < 50, query
        assert min(ranked) <= 10


def test_equal_scores_newest_first(engine):
    flt = Filters(query=parse_query("murum"), include_duplicates=True)  # once in each matching article
    rows = [r["id"] for r in iter_rows(engine, flt, columns=("id",), sort="relevance", limit=10, exact=True)]
    assert rows == sorted((i for i in range(1, N + 1) if i % 8 == 1), reverse=True)[:10]


def test_estimates_from_the_column_statistics(engine):
    with engine.connect() as conn:
        def share(q):
            return pg_share(conn, parse_query(q))

        kuching, total, _ = share("kuching")
        assert kuching == pytest.approx(1.0) and total == N
        bakun = share("bakun")[0]
        assert bakun == pytest.approx(0.1, abs=0.01)
        # a phrase counts as its rarest word (not the product of its words' shares), and its candidates are
        # that word's articles
        phrase, _, candidates = share('"baram dam"')
        assert phrase == pytest.approx(min(share("baram")[0], share("dam")[0]))
        assert candidates.tokens in (["baram"], ["dam"]) and not candidates.phrase
        # NOT left out, OR summed
        assert share("murum NOT penan")[0] == pytest.approx(share("murum")[0])
        assert share("bakun OR murum")[0] == pytest.approx(bakun + share("murum")[0])
        assert share("bak*")[0] == pytest.approx(bakun)


def test_archive_never_analysed_takes_the_plain_statement(pg_schema_url, monkeypatch):
    engine = _archive(pg_schema_url, analyse=False)
    with engine.connect() as conn:
        assert pg_share(conn, parse_query("kuching"))[:2] == (0.0, 0.0)
    monkeypatch.setattr(search_module, "PG_RANK_WINDOW", 12)
    flt = Filters(query=parse_query("bakun"))
    got, ranked = _search(engine, flt, 20, monkeypatch)
    assert not ranked and got == _plain(engine, flt, 20)
