"""A page built to make a regular expression backtrack is decided in linear time: the reactor never freezes.

The former article-claim pattern (``<meta[^>]+property=...og:type...[^>]+content=...``) took 93 s on 41 KB of
repeated ``<meta property='og:type' ``. The thread-method timeout below is a hang guard only (it also fires inside
a C-level regex match); no test here asserts a duration.
"""

from __future__ import annotations

import pytest

from newscrawl.extract import classify_page
from newscrawl.spiders.sarawak import declared_links
from newscrawl.tagscan import claims_article

from .archive_helpers import rows
from .crawl_helpers import run_crawl
from .hostile_site import HostileSite, Reply, article_page, listing_page

SIZE = 300_000

# Each one defeats a pattern with adjacent or nested unbounded repetitions over the same characters.
ADVERSARIAL = {
    "meta_property": "<meta property='og:type' ",
    "meta_content": "<meta content='article' ",
    "body_class": "<body class='",
    "body_class_words": "<body class='single-",
    "link_unclosed": "<link rel='amphtml' ",
    "attribute_name_run": "<link " + "a" * 1000,
    "jsonld_spaces": '<script>"@type"' + " " * 200 + "</script>",
}


# Links whose slug-shaped path made the page classifier's link pattern retry from every character.
HOSTILE_HREFS = "".join(f'<a href="/{c}-{"a-" * 10_000}!">x</a>' for c in "abcde")


def _page(unit: str) -> str:
    return ("<html><head>" + unit * (SIZE // len(unit) + 1) + "</head><body><p>no claim here</p>"
            + HOSTILE_HREFS + "</body></html>")


@pytest.mark.timeout(60, method="thread")
@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_page_is_decided_without_backtracking(name):
    page = _page(ADVERSARIAL[name])
    assert len(page) >= SIZE
    assert claims_article(page) is False
    assert declared_links(page) == []
    assert classify_page(page, "https://example.com/2024/03/some-story/") == "other"


def test_claims_still_read_real_markup():
    assert claims_article('<meta content="Article" property="og:type">')
    assert claims_article("<meta\nproperty='og:type'\ncontent='article'>")
    assert claims_article('<body class="post-template single single-format-standard">')
    assert claims_article('<script>{"@type" : "NewsArticle"}</script>')
    assert not claims_article('<meta property="og:type" content="website"><body class="home blog">')
    assert not claims_article('<meta property="og:title" content="article">')


@pytest.mark.timeout(300, method="thread")
def test_crawl_decides_an_adversarial_page_and_goes_on(tmp_path):
    trap = "/2024/03/river-basin-plan-trap-page/"
    real = "/2024/03/river-basin-plan-report-tabled/"
    site = HostileSite({
        "/": Reply(body=listing_page([trap, real])),
        trap: Reply(body=_page(ADVERSARIAL["meta_property"]).encode()),
        real: Reply(body=article_page(1)),
    })
    path = tmp_path / "archive.sqlite3"
    with site:
        result = run_crawl(f"sqlite:///{path}", "-a", f"site={site.root}", timeout=240,
                           settings={"NEWSCRAWL_EXTRACT_WORKERS": "0"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert [r["url"] for r in rows(path, "SELECT url FROM articles")] == [site.url(real)]
    skipped = {r["url"]: r["reason"] for r in rows(path, "SELECT url, reason FROM skips")}
    assert skipped.get(site.url(trap), "").startswith("not_article"), skipped
