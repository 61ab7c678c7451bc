"""Chinese search on SQLite (the trigram index articles_cjk): substrings and phrases in running text, two- and
one-character terms, the operators, story grouping, snippets; English search unchanged beside it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from newscrawl.query.search import Filters, iter_rows, search
from newscrawl.store.archive import Archive
from newscrawl.store.fts import ensure_fts

SH = "https://news.seehua.com"
IT = "https://www.intimes.com.my"
# (outlet, url, title, language, text, duplicate_of)
ARTICLES = [
    ("seehua", f"{SH}/?p=1", "古晋市议会提升沟渠", "zh",
     "（古晋4日讯）古晋南市市政厅今日宣布，将拨款300万令吉提升市区沟渠系统。", None),
    ("seehua", f"{SH}/?p=2", "诗巫水灾灾民增至800人", "zh",
     "（诗巫4日讯）诗巫的水灾灾情恶化，疏散中心的灾民人数已增至800人。当局呼吁居民提高警惕。", None),
    ("intimes", f"{IT}/a/3", "水灾：灾民人数上升", "zh",
     "诗巫的水灾灾情恶化，疏散中心的灾民人数已增至800人。当局呼吁居民提高警惕。", 2),
    ("intimes", f"{IT}/a/4", "州政府访问团抵达", "zh",  # 古晋 at the very end of the text and of no title
     "访问团一行二十人今日下午抵达古晋", None),
    ("borneopost", "https://www.theborneopost.com/k/5", "Kuching council upgrades drains", "en",
     "Kuching South City Council will spend RM3 million upgrading drains.", None),
    ("intimes", f"{IT}/a/6", "古董展览", "zh",  # 古 without 晋: must not match 古晋
     "本地收藏家举办古董展览，展出晋代瓷器。", None),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path) -> sa.Engine:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_schema_url")  # skips with the reason when PostgreSQL is not there
    with Archive.open(url) as arc:
        ensure_fts(arc.engine)
        for n, (outlet, u, title, lang, text, dup) in enumerate(ARTICLES, 1):
            got = arc.store({"url": u, "outlet": outlet, "title": title, "published_at": "2024-03-04T10:00:00+08:00",
                             "language": lang, "text": text, "fetched_at": "2024-03-05T00:00:00+00:00",
                             "duplicate_of": dup}, [u])
            assert got == (n, "new")
    return sa.create_engine(url)


def ids(engine: sa.Engine, query: str, dups: bool = True) -> list[int]:
    return sorted(r["id"] for r in iter_rows(engine, Filters.build(query=query, include_duplicates=dups)))


def test_two_character_place_name_finds_every_article_holding_it(engine) -> None:
    assert ids(engine, "古晋") == [1, 4]  # mid-text, title, and the last two characters of a text
    assert ids(engine, "诗巫") == [2, 3]
    assert ids(engine, "晋") == [1, 4, 6]
    assert ids(engine, "巴南") == []


def test_substrings_phrases_and_operators(engine) -> None:
    assert ids(engine, "市政厅") == [1]
    assert ids(engine, '"灾民人数"') == [2, 3]
    assert ids(engine, "水灾 古晋") == []
    assert ids(engine, "诗巫 OR 古晋") == [1, 2, 3, 4]
    assert ids(engine, "水灾 -标题") == [2, 3]
    assert ids(engine, "灾民 NOT 诗巫的") == []
    assert ids(engine, "Kuching") == [5]  # English: the unicode61 index, as before


def test_one_row_per_story_and_snippets(engine) -> None:
    rows = list(search(engine, "水灾"))
    assert [r["id"] for r in rows] == [2]  # the copy (3) is folded into its story
    assert "**" in rows[0]["snippet"] and "水灾" in rows[0]["snippet"]
    assert "\n" not in rows[0]["snippet"]


def test_index_follows_updates_and_deletes(engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE articles SET text = 'Delegation arrives in the capital.' WHERE id = 4")
        conn.exec_driver_sql("UPDATE articles SET title = 'Council upgrades drains' WHERE id = 4")
        conn.exec_driver_sql("DELETE FROM article_urls WHERE article_id = 6")
        conn.exec_driver_sql("DELETE FROM articles WHERE id = 6")
        conn.exec_driver_sql("UPDATE articles SET text = text || ' 古晋' WHERE id = 5")
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("INSERT INTO articles_cjk(articles_cjk, rank) VALUES ('integrity-check', 1)")
    assert ids(engine, "古晋") == [1, 5]
    assert ids(engine, "晋") == [1, 5]
    assert ids(engine, "Kuching") == [5]


def test_stats_per_language(engine) -> None:
    from click.testing import CliRunner

    from newscrawl.cli import main

    url = engine.url.render_as_string(hide_password=False)
    res = CliRunner().invoke(main, ["stats", "--archive", url, "--per", "language", "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[:2] == ["month,en,zh,total", "2024-03,1,5,6"]
    res = CliRunner().invoke(main, ["stats", "--archive", url, "--language", "zh", "--format", "csv"])
    assert res.output.splitlines()[:2] == ["month,intimes,seehua,total", "2024-03,3,2,5"]


@pytest.mark.parametrize("sort", ["newest", "date", "relevance"])
def test_narrowed_plans_give_the_plain_plans_rows(engine, monkeypatch, sort: str) -> None:
    from newscrawl.query import search as search_module

    with engine.begin() as conn:  # distinct dates, so date order is one order
        conn.exec_driver_sql("UPDATE articles SET published_at = '2024-03-0' || id || 'T10:00:00+08:00'")
    plain = [r["id"] for r in search(engine, "水灾 OR 古晋 OR 晋", sort=sort, limit=2)]
    monkeypatch.setattr(search_module, "CJK_RANK_WINDOW", 1)  # every query now counts as dense
    narrowed = [r["id"] for r in search(engine, "水灾 OR 古晋 OR 晋", sort=sort, limit=2)]
    assert len(plain) == 2
    if sort == "relevance":  # ranks the newest window, widened until two rows survive: a subset of the matches
        assert set(narrowed) <= {1, 2, 4, 6} and len(narrowed) == 2
    else:  # the date walk: exactly the plain plan's rows
        assert narrowed == plain
