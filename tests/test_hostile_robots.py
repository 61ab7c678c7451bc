"""robots.txt per RFC 9309: unreachable (one byte a second) or 5xx means nothing is fetched from that outlet in
this run (one WARNING line, counted, recorded; the next run asks again); 4xx means allow all, and the conventional
sitemap locations are still tried."""

from __future__ import annotations

import re

import pytest

from .archive_helpers import rows
from .crawl_helpers import run_crawl
from .hostile_site import XML, HostileSite, Reply, article_page, listing_page

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

STORY = "/2024/03/river-basin-plan-report-tabled/"
HIDDEN = "/2024/03/story-only-the-sitemap-lists/"
SLOW = {"DOWNLOAD_TIMEOUT": "2", "NEWSCRAWL_EXTRACT_WORKERS": "0", "NEWSCRAWL_WP_JSON": "0"}


def _good_site() -> HostileSite:
    return HostileSite({"/robots.txt": Reply(body=b"User-agent: *\nAllow: /\n", content_type="text/plain"),
                        "/": Reply(body=listing_page([STORY])), STORY: Reply(body=article_page(1))})


def _blocked_site(robots: Reply) -> HostileSite:
    return HostileSite({"/robots.txt": robots, "/": Reply(body=listing_page([STORY])),
                        STORY: Reply(body=article_page(2))})


def _stat(stderr: str, key: str) -> int | None:
    found = re.search(rf"'{re.escape(key)}': (\d+)", stderr)
    return int(found.group(1)) if found else None


@pytest.mark.timeout(300, method="thread")
@pytest.mark.parametrize("robots, reason", [
    (Reply(status=503, body=b"down for maintenance", content_type="text/plain"), "http_503"),
    (Reply(body=b"User-agent: *\nAllow: /\n" * 20, content_type="text/plain", drip=1.0), "timeout"),
], ids=["5xx", "one_byte_a_second"])
def test_unreachable_robots_txt_disallows_the_outlet_for_the_run(tmp_path, robots, reason):
    good, blocked = _good_site(), _blocked_site(robots)
    path = tmp_path / "archive.sqlite3"
    with good, blocked:
        result = run_crawl(f"sqlite:///{path}", "-a", f"site={good.root},{blocked.root}", timeout=240,
                           settings=SLOW)
        asked = blocked.paths()
    assert result.returncode == 0, result.stderr[-3000:]
    assert set(asked) == {"/robots.txt"}, asked  # nothing else from the blocked outlet
    assert [r["url"] for r in rows(path, "SELECT url FROM articles")] == [good.url(STORY)]
    assert "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if "robots.txt unavailable" in line]
    assert len(warnings) == 1 and "WARNING" in warnings[0] and reason in warnings[0], warnings
    assert _stat(result.stderr, f"newscrawl/robots/unavailable/{reason}") == 1
    recorded = rows(path, "SELECT url, reason FROM skips WHERE reason LIKE 'robots_%'")
    assert [tuple(r) for r in recorded] == [(blocked.url("/robots.txt"), f"robots_{reason}")]


@pytest.mark.timeout(300, method="thread")
def test_the_next_run_asks_robots_txt_again(tmp_path):
    site = _blocked_site(Reply(status=500, body=b"oops", content_type="text/plain"))
    path = tmp_path / "archive.sqlite3"
    with site:
        first = run_crawl(f"sqlite:///{path}", "-a", f"site={site.root}", timeout=240, settings=SLOW)
        assert rows(path, "SELECT count(*) FROM articles")[0][0] == 0
        site.routes["/robots.txt"] = Reply(body=b"User-agent: *\nAllow: /\n", content_type="text/plain")
        second = run_crawl(f"sqlite:///{path}", "-a", f"site={site.root}", timeout=240, settings=SLOW)
    assert "robots.txt unavailable" in first.stderr
    # nothing could be fetched: not a success, and the one-line summary names robots.txt as the cause
    assert first.returncode == 4, first.stderr[-3000:]
    assert "HTTP 500 at robots.txt, so disallowed for this run (RFC 9309)" in first.stderr.strip().splitlines()[-1]
    assert second.returncode == 0, second.stderr[-3000:]
    assert [r["url"] for r in rows(path, "SELECT url FROM articles")] == [site.url(STORY)]


@pytest.mark.timeout(300, method="thread")
@pytest.mark.parametrize("status", [400, 404, 451])
def test_4xx_robots_txt_allows_all_and_sitemaps_are_guessed(tmp_path, status):
    sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               f"<url><loc>{{root}}{HIDDEN.lstrip('/')}</loc></url></urlset>")
    site = HostileSite({"/robots.txt": Reply(status=status, body=b"no", content_type="text/plain"),
                        "/": Reply(body=listing_page([STORY])), STORY: Reply(body=article_page(1)),
                        HIDDEN: Reply(body=article_page(3))})
    site.routes["/sitemap.xml"] = Reply(body=sitemap.format(root=site.root).encode(), content_type=XML)
    path = tmp_path / "archive.sqlite3"
    with site:
        result = run_crawl(f"sqlite:///{path}", "-a", f"site={site.root}", timeout=240, settings=SLOW)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(r["url"] for r in rows(path, "SELECT url FROM articles")) == sorted(
        [site.url(STORY), site.url(HIDDEN)])
    assert "robots.txt unavailable" not in result.stderr
