"""End to end, the real Scrapy engine over HTTP (tests/replica/languages.py): two Simplified-Chinese dailies and a
Malay daily's Iban pages are crawled into an archive; a two-character place name finds every article holding it
and nothing else; a wire story republished by both Chinese outlets is one story, two stories of one stock format
are two; languages are zh, iba and ms whatever the themes declare; the Chinese share bar, ad label and related
list stay out of the text."""

from __future__ import annotations

import json
import sqlite3

import pytest
import sqlalchemy as sa

from newscrawl.query.search import Filters, iter_rows, search
from tests.crawl_helpers import run_crawl
from tests.replica.languages import PAGES, LanguageReplica

pytestmark = pytest.mark.slow  # a subprocess crawl: 47 s on the loaded 2-core machine


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):  # one crawl for the module
    tmp = tmp_path_factory.mktemp("languages")
    with LanguageReplica() as rep:
        (tmp / "outlets.json").write_text(json.dumps(rep.outlets_json(), ensure_ascii=False), encoding="utf-8")
        url = f"sqlite:///{tmp / 'a.sqlite3'}"
        result = run_crawl(url, "-a", f"outlets_file={tmp / 'outlets.json'}")
        assert result.returncode == 0, result.stderr[-3000:]
        by_url = {rep.url(p): p for p in PAGES}
    db = sqlite3.connect(tmp / "a.sqlite3")
    rows = {r[0]: r[1:] for r in db.execute("SELECT url, id, language, text, duplicate_of, outlet FROM articles")}
    return url, by_url, rows


def test_every_page_archived_with_its_language(crawled) -> None:
    _, by_url, rows = crawled
    assert set(rows) == set(by_url)
    assert {u: rows[u][1] for u in rows} == {u: p.language for u, p in by_url.items()}
    assert sum(p.language == "iba" for p in by_url.values()) == 2  # one by its section, one by its words


def test_chinese_boilerplate_stays_out(crawled) -> None:
    _, by_url, rows = crawled
    for u, p in by_url.items():
        if p.language == "zh":
            text = rows[u][2]
            assert "分享到" not in text and "相关新闻" not in text and "广告" not in text.splitlines()[0]
            assert p.text.splitlines()[1] in text


def test_two_character_place_name_finds_every_article_holding_it(crawled) -> None:
    url, by_url, rows = crawled
    engine = sa.create_engine(url)
    holding = {rows[u][0] for u, p in by_url.items() if "古晋" in p.title or "古晋" in p.text}
    assert len(holding) >= 3  # mid-text, at a text's very end, in a title; 古董 and 晋代 elsewhere do not count
    found = {r["id"] for r in iter_rows(engine, Filters.build(query="古晋", include_duplicates=True))}
    assert found == holding
    assert {r["id"] for r in search(engine, '"古晋南市"')} == {rows[u][0] for u, p in by_url.items()
                                                               if "古晋南市" in p.text}


def test_wire_copy_linked_and_templated_stories_apart(crawled) -> None:
    _, by_url, rows = crawled
    ids = {p.path: rows[u][0] for u, p in by_url.items()}
    dup = {p.path: rows[u][3] for u, p in by_url.items()}
    assert dup["/a/2001/"] == ids["/news/1002/"]  # zhtimes' re-edit of zhdaily's wire story
    assert dup["/a/2002/"] is None and dup["/news/1003/"] is None  # one format, two towns: two stories
    assert sum(d is not None for d in dup.values()) == 1


def test_audit_and_stats_by_language(crawled) -> None:
    from click.testing import CliRunner

    from newscrawl.cli import main

    url = crawled[0]
    res = CliRunner().invoke(main, ["audit", "--archive", url, "--outlet", "ibanpages", "--by-language"])
    assert res.exit_code == 0, res.output
    assert "    articles by language: iba 2, ms 1" in res.output.splitlines()
    res = CliRunner().invoke(main, ["stats", "--archive", url, "--per", "language", "--format", "csv"])
    assert res.output.splitlines()[:2] == ["month,iba,ms,zh,total", "2024-03,2,1,7,10"]
