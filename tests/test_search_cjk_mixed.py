"""Queries mixing CJK and other terms (issue 15): each term is matched by the index that can match it (a CJK term
as a substring by the CJK index, any other term by the word index exactly as in a query without CJK), and the
operators combine them. Checked against a brute-force evaluation of the query over every row, on SQLite and
PostgreSQL, for search (every plan) and the research views' condition."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
import sqlalchemy as sa

from newscrawl.query import cjk
from newscrawl.query import search as search_module
from newscrawl.query.cjk import term_string
from newscrawl.query.search import Filters, iter_rows, search
from newscrawl.query.selection import selected
from newscrawl.query.syntax import And, Not, Or, Term, parse_query
from newscrawl.store.archive import Archive
from newscrawl.store.fts import ensure_fts
from newscrawl.store.schema import articles
from newscrawl.text import has_cjk
from tests.conftest import fresh_pg_schema

SH = "https://news.seehua.com"
EN = "https://www.theborneopost.com"
# (outlet, title, language, text, duplicate_of); Latin words in Chinese text stand apart (space or punctuation),
# as both word indexes cut them there; the id is the position, from 1
ARTICLES = [
    ("seehua", "古晋市议会提升沟渠", "zh",
     "（古晋4日讯）古晋南市 Kuching South 市政厅今日宣布，将拨款300万令吉提升市区沟渠系统。", None),
    ("borneopost", "Kuching council upgrades drains", "en",
     "Kuching South City Council will spend RM3 million upgrading drains in the city.", None),
    ("borneopost", "Sibu flood victims rise", "en",
     "The flood in Sibu worsened and evacuees at the relief centre rose to 800.", None),
    ("seehua", "诗巫水灾灾民增至800人", "zh",
     "（诗巫4日讯）诗巫的水灾灾情恶化，疏散中心的灾民人数已增至800人。当局呼吁居民 flood 期间提高警惕。", None),
    ("intimes", "水灾：灾民人数上升", "zh",
     "诗巫的水灾灾情恶化，疏散中心的灾民人数已增至800人。当局呼吁居民 flood 期间提高警惕。", 4),
    ("utusanborneo", "Banjir di Sibu", "ms", "Mangsa banjir di Sibu meningkat. Kuching juga terjejas.", None),
    ("intimes", "古董展览", "zh", "本地收藏家举办古董展览，展出晋代瓷器。与 Museum Sarawak 合办。", None),
    ("borneopost", "Kuching (古晋) marks city day", "en",
     "Kuching, known as 古晋 in Chinese, marks its city day with a parade.", None),
    ("intimes", "州政府访问团抵达", "zh", "访问团一行二十人今日下午抵达古晋", None),
    ("dayakdaily", "Miri hospital expansion", "en", "Miri hospital expansion approved by the state government.", None),
    ("seehua", "美里医院扩建获批", "zh", "美里 Miri 医院扩建获批，州政府拨款。", None),
    ("dayakdaily", "Council copies drains plan", "en",
     "Kuching South City Council will spend RM3 million upgrading drains, the council said.", 2),
]

QUERIES = [
    "古晋 OR Kuching", "Kuching 古晋", "古晋 -Kuching", "Kuching -古晋", "Kuching NOT 古晋",
    '"Kuching South" 古晋', '"Kuching South" OR 水灾', "(古晋 OR 诗巫) (Kuching OR Sibu OR flood)",
    "(古晋 OR Sibu) -(Kuching OR 水灾)", "水灾 OR flood OR banjir", "Sibu evacuees OR 灾民", "晋 OR Miri",
    "Mir* OR 美里", "古晋 OR Kuching -Museum", "古董 Museum", "(古晋 Kuching) OR (诗巫 -flood)",
    '"古晋" OR "city day"', "州政府 OR government -Miri", "drains OR 水灾 -古晋", "council 沟渠 OR drains",
    # one script only: the indexes as before
    "古晋", "Kuching", "市政厅 OR 古董",
]


def _holds(node: Any, title: str, text: str) -> bool:
    """The query's meaning, by hand: a CJK term is a substring of the title or the text; another term is a word
    (a phrase consecutive words, a prefix* the start of a word) of the title or the text."""
    if isinstance(node, Term):
        if has_cjk(node.text):
            s = term_string(node.tokens)
            return s in title.casefold() or s in text.casefold()
        want = node.tokens
        for col in (title, text):
            words = re.findall(r"\w+", col.casefold())
            for i in range(len(words) - len(want) + 1):
                got = words[i:i + len(want)]
                if got[:-1] == want[:-1] and (got[-1].startswith(want[-1]) if node.prefix else got[-1] == want[-1]):
                    return True
        return False
    if isinstance(node, Or):
        return any(_holds(i, title, text) for i in node.items)
    if isinstance(node, And):
        return all(not _holds(i.item, title, text) if isinstance(i, Not) else _holds(i, title, text)
                   for i in node.items)
    raise TypeError(node)


def expected(query: str, one_per_story: bool = False) -> list[int]:
    node = parse_query(query)
    hit = {n for n, (_, title, _, text, _) in enumerate(ARTICLES, 1) if _holds(node, title, text)}
    if one_per_story:  # a copy stands for its story only when no earlier member matches
        def head(n: int) -> int:
            return ARTICLES[n - 1][4] or n
        hit = {n for n in hit if not any(m in hit and head(m) == head(n) and m < n for m in hit)}
    return sorted(hit)


@pytest.fixture(scope="module")
def pg_schema_url_module(pg_url):
    """conftest's pg_schema_url, once for this module (the archive is only read)."""
    yield from fresh_pg_schema(pg_url)


@pytest.fixture(params=["sqlite", "postgresql"], scope="module")
def engine(request, tmp_path_factory) -> sa.Engine:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('mixed') / 'a.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_schema_url_module")
    eng = _archive(url)
    yield eng
    eng.dispose()


def _archive(url: str) -> sa.Engine:
    with Archive.open(url) as arc:
        ensure_fts(arc.engine)
        for n, (outlet, title, lang, text, dup) in enumerate(ARTICLES, 1):
            u = f"{SH if lang == 'zh' else EN}/a/{n}"
            got = arc.store({"url": u, "outlet": outlet, "title": title, "language": lang, "text": text,
                             "published_at": f"2024-03-{n:02d}T10:00:00+08:00",
                             "fetched_at": "2024-03-30T00:00:00+00:00", "duplicate_of": dup}, [u])
            assert got == (n, "new")
    return sa.create_engine(url)


def test_occurrence_scores_are_the_same_on_both_databases(pg_url, tmp_path) -> None:
    """PostgreSQL counts a CJK term's occurrences in bytes, SQLite in characters: the scores must not differ."""
    sqlite = _archive(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    postgres = _archive(next(fresh := fresh_pg_schema(pg_url)))
    try:
        for query in QUERIES:
            if not cjk.routes(parse_query(query)):
                continue
            got = [[(r["id"], round(r["score"], 9)) for r in search(e, query, limit=20, include_duplicates=True)]
                   for e in (sqlite, postgres)]
            assert got[0] == got[1], query
            assert any(score > 0 for _, score in got[0]), query
    finally:
        postgres.dispose()
        fresh.close()


def test_the_brute_force_is_not_vacuous() -> None:
    assert expected("古晋 OR Kuching") == [1, 2, 6, 8, 9, 12]  # English articles without CJK text among them
    assert expected("Kuching -古晋") == [2, 6, 12]
    for query in QUERIES:
        assert expected(query), query


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_exactly_the_matching_articles(engine, query: str) -> None:
    got = sorted(r["id"] for r in iter_rows(engine, Filters.build(query=query, include_duplicates=True)))
    assert got == expected(query)
    stories = sorted(r["id"] for r in iter_rows(engine, Filters.build(query=query)))
    assert stories == expected(query, one_per_story=True)


@pytest.mark.parametrize("query", QUERIES)
def test_research_views_select_the_same_rows(engine, query: str) -> None:
    a = articles.alias("a")
    flt = Filters.build(query=query, include_duplicates=True)
    with engine.connect() as conn:
        got = sorted(conn.execute(sa.select(a.c.id).where(*selected(a, flt, engine.dialect.name))).scalars())
    assert got == expected(query)


def test_research_views_count_mixed_queries(engine) -> None:
    from newscrawl.query.attention import attention
    from newscrawl.query.sources import sources

    rows = attention(engine, "古晋 OR Kuching", by="month")  # a story once per outlet that ran it
    want = {(ARTICLES[n - 1][0], ARTICLES[n - 1][4] or n) for n in expected("古晋 OR Kuching")}
    assert sum(r.stories for r in rows) == len(want) == 6
    per_outlet = {r["outlet"]: r["stories"] for r in sources(engine, "水灾 OR flood OR banjir")}
    assert per_outlet == {"borneopost": 1, "seehua": 1, "intimes": 1, "utusanborneo": 1}


@pytest.mark.parametrize("k", [100, 3])
def test_words_view_picks_matching_articles(engine, monkeypatch, k: int) -> None:
    """The words view's picks (all of them, or a random draw when the selection is large) are matching stories."""
    from newscrawl.query import words

    if k < 6:  # draw ids at random (_draw) rather than reading every selected id
        monkeypatch.setattr(words, "DRAW_FROM", 0)
        monkeypatch.setattr(words, "DRAW_SHARE", 0.0)
    flt = Filters.build(query="古晋 OR Kuching", include_duplicates=True)
    picked = words._pick(engine, flt, k, one_per_story=False)
    assert set(picked) <= set(expected("古晋 OR Kuching")) and len(picked) == min(k, 6)


@pytest.mark.parametrize("sort", ["relevance", "newest", "date"])
def test_every_plan_returns_matching_rows(engine, monkeypatch, sort: str) -> None:
    """Limits take the narrowed plans (window, date walk); forced with a window of one match."""
    monkeypatch.setattr(search_module, "CJK_RANK_WINDOW", 1)
    monkeypatch.setattr(search_module, "MANY_MATCHES", 1)
    monkeypatch.setattr(search_module, "PG_RANK_WINDOW", 1)
    monkeypatch.setattr(search_module, "PG_DENSE_SHARE", 0.0)
    for query in QUERIES:
        want = expected(query, one_per_story=True)
        got = [r["id"] for r in search(engine, query, sort=sort, limit=2)]
        if sort == "relevance":
            assert set(got) <= set(want) and len(got) == min(2, len(want)), query
        else:  # dates follow the ids: the first two in that order
            assert got == (want[::-1] if sort == "newest" else want)[:2], query


def test_mixed_ranking_and_snippets(engine) -> None:
    rows = list(search(engine, "古晋 OR Kuching"))
    assert {r["id"] for r in rows} == set(expected("古晋 OR Kuching", one_per_story=True))
    assert rows[0]["id"] == 8  # both terms in its short title and text: the most occurrences per character
    assert all(r["score"] > 0 for r in rows)
    by_id = {r["id"]: r["snippet"] for r in rows}
    assert "**古晋**" in by_id[9] and "**Kuching**" in by_id[2]


@pytest.mark.parametrize("window", [1, 2, 4])
def test_postgresql_walk_and_indexes_rank_the_same_newest_matches(engine, monkeypatch, window: int) -> None:
    """PostgreSQL finds the newest matches of a relevance window by walking the newest articles or from the
    indexes (every match, or an id range sized from the density the walk measured, widened until it holds the
    window), whichever is cheaper: all give the same rows (and SQLite's window the same ones)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the walk is PostgreSQL's")
    monkeypatch.setattr(search_module, "CJK_RANK_WINDOW", window)
    for query, limit in itertools.product(QUERIES, (1, 2)):
        walked = [(r["id"], r["score"]) for r in search(engine, query, limit=limit)]
        for density in (0.0, 0.05, 0.5, 5.0):  # 0: every match; a range far too narrow first at 5.0
            monkeypatch.setattr(search_module, "_cjk_pg_newest", lambda *a, d=density: (None, d))
            indexed = [(r["id"], r["score"]) for r in search(engine, query, limit=limit)]
            monkeypatch.undo()
            monkeypatch.setattr(search_module, "CJK_RANK_WINDOW", window)
            assert walked == indexed, (query, limit, density)
        assert {i for i, _ in walked} <= set(expected(query, one_per_story=True))


def test_postgresql_walk_finds_the_newest_matches(engine) -> None:
    from newscrawl.query.cjk import only_cjk_rows, pg_walk

    if engine.dialect.name != "postgresql":
        pytest.skip("the walk is PostgreSQL's")
    cjk_rows = [n for n, (_, title, _, text, _) in enumerate(ARTICLES, 1) if has_cjk(title + text)]
    with engine.connect() as conn:
        for query in QUERIES:
            want = expected(query)[::-1]
            assert list(conn.execute(pg_walk(parse_query(query), 100, 3)).scalars()) == want[:3], query
            # the 5 newest rows walked: of the CJK articles only when the query can match no other
            walked = cjk_rows[-5:] if only_cjk_rows(parse_query(query)) else range(8, len(ARTICLES) + 1)
            assert list(conn.execute(pg_walk(parse_query(query), 5, 100)).scalars()) == [i for i in want
                                                                                         if i in walked], query
            assert list(conn.execute(pg_walk(parse_query(query), 100, 100, below=8)).scalars()) == \
                [i for i in want if i < 8]


@pytest.mark.parametrize("newest", [1, 2, 5])
def test_sqlite_rowid_sets_hold_the_newest_matches(engine, newest: int) -> None:
    """SQLite's rowid set of a mixed query asked for the newest N (a relevance window, a capped count) holds
    matches only, and among them the N newest."""
    from newscrawl.query.cjk import expander, sqlite_hits

    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's rowid sets")
    with engine.connect() as conn:
        for query in QUERIES:
            got = sorted(set(conn.execute(sqlite_hits(parse_query(query), expander(conn), newest=newest)).scalars()),
                         reverse=True)
            want = expected(query)[::-1]
            assert set(got) <= set(want) and got[:newest] == want[:newest], query


@pytest.mark.parametrize("window", [1, 2, 4])
def test_postgresql_id_range_holds_the_window(engine, window: int) -> None:
    """The id range read from the indexes for a term too sparse to walk holds at least ``window`` distinct matches
    (an article matching both sides of an OR counts once), whatever density the walk guessed."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the id range is PostgreSQL's")
    with engine.connect() as conn:
        for query, density in itertools.product(QUERIES, (0.05, 0.5, 5.0, 50.0)):
            above = search_module._cjk_pg_range(conn, Filters.build(query=query), window, density)
            if above is not None:
                assert len([i for i in expected(query) if i > above]) >= window, (query, density)
