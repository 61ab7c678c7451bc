"""Article requests a sitemap names wait in the archive's frontier table and enter Scrapy's scheduler
NEWSCRAWL_FRONTIER_SIZE at a time as it drains (a 200,000-URL sitemap queued in memory took 1.2 GB); every one
is still fetched and stored."""

from __future__ import annotations

import re

import pytest

from .archive_helpers import rows
from .crawl_helpers import run_crawl
from .hostile_site import XML, HostileSite, Reply, article_page

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

N = 120
SIZE = 20


def _article(path: str) -> Reply:
    found = re.fullmatch(r"/2024/03/story-(\d+)/", path)
    return Reply(body=article_page(int(found.group(1)))) if found else Reply(404, b"not found")


def _stat(stderr: str, key: str) -> int | None:
    found = re.search(rf"'newscrawl/{re.escape(key)}': (\d+)", stderr)
    return int(found.group(1)) if found else None


@pytest.mark.timeout(300, method="thread")
def test_sitemap_urls_are_fed_from_the_frontier_and_all_stored(tmp_path):
    site = HostileSite({"/robots.txt": Reply(body=b"Sitemap: /post-sitemap.xml\n", content_type="text/plain")},
                       fallback=_article)
    urls = "".join(f"<url><loc>{site.url(f'/2024/03/story-{n}/')}</loc></url>" for n in range(N))
    site.routes["/post-sitemap.xml"] = Reply(
        body=f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(),
        content_type=XML)
    path = tmp_path / "archive.sqlite3"
    with site:
        result = run_crawl(f"sqlite:///{path}", "-a", f"site={site.root}", timeout=240,
                           settings={"NEWSCRAWL_FRONTIER_SIZE": str(SIZE), "NEWSCRAWL_EXTRACT_WORKERS": "0",
                                     "NEWSCRAWL_WP_JSON": "0", "NEWSCRAWL_LISTING_CHUNK": "25"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert rows(path, "SELECT count(*) FROM articles")[0][0] == N
    assert rows(path, "SELECT count(*) FROM frontier")[0][0] == 0
    assert _stat(result.stderr, "frontier/queued") == N
    assert 0 < _stat(result.stderr, "frontier/scheduler_peak") <= SIZE
