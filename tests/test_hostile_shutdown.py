"""Ctrl-C while a huge sitemap is being decided stops the crawl promptly: the remaining entries are left for the
next run (counted ``skipped/closing``) instead of every one being decided before the crawl can close."""

from __future__ import annotations

import re
import signal
import time

import pytest

from .archive_helpers import rows
from .crawl_helpers import run_crawl
from .hostile_site import XML, HostileSite, Reply

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

N = 50_000


@pytest.mark.timeout(300, method="thread")
def test_sigint_during_a_huge_sitemap_stops_deciding(tmp_path):
    site = HostileSite({"/robots.txt": Reply(body=b"Sitemap: /post-sitemap.xml\n", content_type="text/plain")})
    urls = "".join(f"<url><loc>{site.url(f'/2024/03/story-{n}/')}</loc></url>" for n in range(N))
    site.routes["/post-sitemap.xml"] = Reply(
        body=f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(),
        content_type=XML)
    path = tmp_path / "archive.sqlite3"
    with site:
        # two entries per chunk: deciding the whole sitemap would take many minutes
        crawl = run_crawl(f"sqlite:///{path}", "-a", f"site={site.root}", wait=False,
                          settings={"NEWSCRAWL_LISTING_CHUNK": "2", "NEWSCRAWL_EXTRACT_WORKERS": "0",
                                    "NEWSCRAWL_WP_JSON": "0"})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and crawl.poll() is None and not any(
                p.startswith("/2024/") for p in site.paths()):
            time.sleep(0.2)  # deciding has started once the first article is requested
        assert crawl.poll() is None
        crawl.send_signal(signal.SIGINT)
        _, stderr = crawl.communicate(timeout=90)  # a hang guard, far below the time to decide every entry
    assert "Traceback" not in stderr, stderr[-3000:]
    assert [tuple(r) for r in rows(path, "SELECT status FROM crawl_runs")] == [("interrupted",)]
    left = int(re.search(r"'newscrawl/skipped/closing': (\d+)", stderr).group(1))
    decided = rows(path, "SELECT count(*) FROM listings")[0][0]
    assert left > N // 2
    assert decided + left == N
