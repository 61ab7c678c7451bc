"""Pagination that never ends (a "next" link that keeps its number and changes a parameter, or zero-pads it) is
bounded by the pages actually followed per section: NEWSCRAWL_PAGINATION_DEPTH pages, then a counted skip."""

from __future__ import annotations

import itertools
import re

import pytest

from .archive_helpers import rows
from .crawl_helpers import run_crawl
from .hostile_site import HostileSite, Reply, article_page, listing_page

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

DEPTH = 3
_serial = itertools.count(1)


def _news_page(path: str) -> Reply:
    """Page 2 for ever: each answer lists one new article and a "next" link with a fresh cache-buster."""
    n = next(_serial)
    return Reply(body=listing_page([f"/2024/03/news-story-number-{n}-of-the-day/",
                                    f"/category/news/?paged=2&cb={n}"]))


def _sport_page(path: str) -> Reply:
    """/page/02/, /page/002/, ...: the number stays 2, the URL grows."""
    n = next(_serial)
    zeros = re.search(r"/page/(0*)2/", path)
    pad = "0" * (len(zeros.group(1)) + 1) if zeros else "0"
    return Reply(body=listing_page([f"/2024/03/sport-story-number-{n}-of-the-day/",
                                    f"/category/sport/page/{pad}2/"]))


def _article(path: str) -> Reply:
    found = re.search(r"number-(\d+)-", path)
    return Reply(body=article_page(int(found.group(1)))) if found else Reply(404, b"not found")


@pytest.mark.timeout(300, method="thread")
def test_endless_pagination_stops_at_the_depth(tmp_path):
    site = HostileSite({"/": Reply(body=listing_page(["/category/news/", "/category/sport/"])),
                        "/category/news/": _news_page}, fallback=lambda p: (
        _sport_page(p) if p.startswith("/category/sport/") else _article(p)))
    path = tmp_path / "archive.sqlite3"
    with site:
        result = run_crawl(f"sqlite:///{path}", "-a", f"site={site.root}", timeout=240,
                           settings={"NEWSCRAWL_PAGINATION_DEPTH": str(DEPTH), "NEWSCRAWL_EXTRACT_WORKERS": "0",
                                     "NEWSCRAWL_WP_JSON": "0"})
        requested = site.paths()
    assert result.returncode == 0, result.stderr[-3000:]
    news = [p for p in requested if p.startswith("/category/news/")]
    sport = [p for p in requested if p.startswith("/category/sport/")]
    assert len(news) == DEPTH, news
    assert len(sport) == DEPTH, sport
    assert rows(path, "SELECT count(*) FROM articles")[0][0] == 2 * DEPTH
    assert "'newscrawl/skipped/pagination_limit': 2" in result.stderr
