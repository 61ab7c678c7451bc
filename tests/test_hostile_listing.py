"""A homepage with 100,000 links: read in a thread, decided in chunks, and only NEWSCRAWL_LISTING_LINKS of them
taken (the rest a counted skip), instead of all classified in one reactor turn and all queued (625 MB)."""

from __future__ import annotations

import re

import pytest

from .archive_helpers import rows
from .crawl_helpers import run_crawl
from .hostile_site import HostileSite, Reply, article_page

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

LINKS = 100_000
LIMIT = 40


def _homepage() -> bytes:
    links = "".join(f'<a href="/2024/03/s-{n}/">{n}</a>' for n in range(LINKS))
    return f"<!doctype html><html><head><title>Home</title></head><body>{links}</body></html>".encode()


def _article(path: str) -> Reply:
    found = re.fullmatch(r"/2024/03/s-(\d+)/", path)
    return Reply(body=article_page(int(found.group(1)))) if found else Reply(404, b"not found")


@pytest.mark.timeout(300, method="thread")
def test_huge_homepage_is_bounded_and_chunked(tmp_path):
    site = HostileSite({"/": Reply(body=_homepage())}, fallback=_article)
    path = tmp_path / "archive.sqlite3"
    with site:
        result = run_crawl(f"sqlite:///{path}", "-a", f"site={site.root}", timeout=240,
                           settings={"NEWSCRAWL_LISTING_LINKS": str(LIMIT), "NEWSCRAWL_LISTING_CHUNK": "7",
                                     "NEWSCRAWL_EXTRACT_WORKERS": "0", "NEWSCRAWL_WP_JSON": "0"})
        articles = [p for p in site.paths() if p.startswith("/2024/")]
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(articles) == sorted(f"/2024/03/s-{n}/" for n in range(LIMIT))  # the first LIMIT, in page order
    assert rows(path, "SELECT count(*) FROM articles")[0][0] == LIMIT
    assert f"'newscrawl/skipped/listing_links_limit': {LINKS - LIMIT}" in result.stderr
    assert f"read the first {LIMIT} links, skipped {LINKS - LIMIT} more" in result.stderr
