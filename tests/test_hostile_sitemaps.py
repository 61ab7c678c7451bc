"""Sitemaps against the protocol's limits: a legal 50,000-URL / 9.7 MB sitemap is read (the 8 MiB page cap does
not apply), a gzip bomb and an oversized sitemap are counted and logged as WARNING, and sitemap indexes that keep
listing "new" children end (NEWSCRAWL_SITEMAP_DEPTH, NEWSCRAWL_SITEMAPS_PER_OUTLET)."""

from __future__ import annotations

import gzip
import re

import pytest

from newscrawl.discovery.sitemaps import read_sitemap

from .archive_helpers import rows
from .crawl_helpers import run_crawl
from .hostile_site import XML, HostileSite, Reply, article_page

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
FRESH = "/2024/03/the-one-fresh-story-in-the-big-sitemap/"


def _urlset(urls: list[tuple[str, str]]) -> bytes:
    body = "".join(f"<url><loc>{loc}</loc><lastmod>{date}</lastmod></url>" for loc, date in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{body}</urlset>'.encode()


def _index(locs: list[str]) -> bytes:
    body = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {NS}>{body}</sitemapindex>'.encode()


def _robots(*sitemaps: str) -> Reply:
    return Reply(body="".join(f"Sitemap: {s}\n" for s in sitemaps).encode(), content_type="text/plain")


def _crawl(site: HostileSite, tmp_path, **settings: str):
    path = tmp_path / "archive.sqlite3"
    with site:
        result = run_crawl(f"sqlite:///{path}", "-a", f"site={site.root}", "-a", "since=2020-01-01", timeout=240,
                           settings={"NEWSCRAWL_EXTRACT_WORKERS": "0", "NEWSCRAWL_WP_JSON": "0", **settings})
    assert result.returncode == 0, result.stderr[-3000:]
    return path, result


def _stat(stderr: str, key: str) -> int | None:
    found = re.search(rf"'newscrawl/{re.escape(key)}': (\d+)", stderr)
    return int(found.group(1)) if found else None


def _big_sitemap(root: str) -> bytes:
    """50,000 URLs, 9.7 MB: 49,999 old ones (before --since) and one fresh article."""
    pad = ("older-story-about-the-state-assembly-and-the-river-basin-plan-" * 2)[:93]
    old = [(f"{root}2001/01/{pad}{n}/", "2001-01-01T00:00:00+00:00") for n in range(49_999)]
    return _urlset([*old, (root.rstrip("/") + FRESH, "2024-03-01T08:00:00+00:00")])


@pytest.mark.timeout(300, method="thread")
def test_protocol_legal_big_sitemap_is_read(tmp_path):
    site = HostileSite({"/robots.txt": _robots("/big-sitemap.xml"), FRESH: Reply(body=article_page(1))})
    body = _big_sitemap(site.root)
    assert 9_500_000 < len(body) < 10_000_000 and body.count(b"<url>") == 50_000
    site.routes["/big-sitemap.xml"] = Reply(body=body, content_type=XML)
    path, result = _crawl(site, tmp_path)
    assert [r["url"] for r in rows(path, "SELECT url FROM articles")] == [site.url(FRESH)]
    assert _stat(result.stderr, "skipped/before_since") == 49_999


@pytest.mark.timeout(300, method="thread")
def test_gzip_bomb_and_oversized_sitemap_are_counted_warnings(tmp_path):
    bomb = gzip.compress(b" " * 3_000_000)
    site = HostileSite({
        "/robots.txt": _robots("/bomb-sitemap.xml.gz", "/huge-sitemap.xml", "/post-sitemap.xml"),
        "/bomb-sitemap.xml.gz": Reply(body=bomb, content_type="application/gzip"),
        "/huge-sitemap.xml": Reply(body=b" " * 2_100_000 + _urlset([]), content_type=XML),
        "/post-sitemap.xml": lambda p: Reply(body=_urlset([(site.url(FRESH), "2024-03-01")]), content_type=XML),
        FRESH: Reply(body=article_page(1)),
    })
    path, result = _crawl(site, tmp_path, NEWSCRAWL_SITEMAP_MAX_SIZE=str(2_000_000))
    assert [r["url"] for r in rows(path, "SELECT url FROM articles")] == [site.url(FRESH)]  # the rest goes on
    assert _stat(result.stderr, "unavailable/sitemap/too_large") == 2
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line and "sitemap dropped" in line]
    assert len(warnings) == 2, warnings
    assert any("bomb-sitemap.xml.gz" in line for line in warnings)
    assert any("huge-sitemap.xml" in line for line in warnings)


def _endless_index(path: str, wide: bool) -> Reply:
    """An index listing itself again with a new query string, for ever; ``wide``: ten "new" post sitemaps too."""
    n = int(path.partition("v=")[2] or 0)
    children = [f"/post-sitemap.xml?v={n * 10 + i}" for i in range(10)] if wide else []
    return Reply(body=_index([*children, f"/sitemap_index.xml?v={n + 1}"]), content_type=XML)


@pytest.mark.timeout(300, method="thread")
def test_sitemap_index_that_never_ends_is_bounded_in_depth(tmp_path):
    site = HostileSite({"/robots.txt": _robots("/sitemap_index.xml"),
                        "/sitemap_index.xml": lambda p: _endless_index(p, wide=False)})
    _, result = _crawl(site, tmp_path, NEWSCRAWL_SITEMAP_DEPTH="3")
    assert [p for p in site.paths() if "sitemap" in p] == [
        "/sitemap_index.xml", "/sitemap_index.xml?v=1", "/sitemap_index.xml?v=2", "/sitemap_index.xml?v=3"]
    assert _stat(result.stderr, "skipped/sitemap_depth") == 1


@pytest.mark.timeout(300, method="thread")
def test_sitemap_index_that_never_ends_is_bounded_in_number(tmp_path):
    site = HostileSite({"/robots.txt": _robots("/sitemap_index.xml"),
                        "/sitemap_index.xml": lambda p: _endless_index(p, wide=True),
                        "/post-sitemap.xml": Reply(body=_urlset([]), content_type=XML)})
    _, result = _crawl(site, tmp_path, NEWSCRAWL_SITEMAP_DEPTH="1000", NEWSCRAWL_SITEMAPS_PER_OUTLET="12")
    assert len([p for p in site.paths() if "sitemap" in p]) == 12
    assert _stat(result.stderr, "skipped/sitemap_limit") > 0
    assert result.stderr.count("more than 12 sitemaps, the rest skipped") == 1


def test_read_sitemap_stops_at_the_url_limit():
    entries, over = read_sitemap(_urlset([(f"https://example.com/a-{n}/", "2024-01-01") for n in range(30)]), 25)
    assert [e.url for e in entries] == [f"https://example.com/a-{n}/" for n in range(25)]
    assert over == 5
