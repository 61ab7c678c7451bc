"""A batch that fills slowly is committed after NEWSCRAWL_BATCH_SECONDS, not only when it holds
NEWSCRAWL_BATCH_SIZE stores: articles fetched early survive a SIGKILL while the crawl waits on a slow page."""

from __future__ import annotations

import sqlite3
import time

import pytest

from .crawl_helpers import run_crawl
from .hostile_site import HostileSite, Reply, article_page, listing_page

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

STORIES = [f"/2024/03/early-story-number-{n}-of-the-day/" for n in range(3)]
SLOW = "/2024/03/a-page-that-takes-minutes-to-arrive/"


def _committed(path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:  # not created yet
        return 0


@pytest.mark.timeout(300, method="thread")
def test_slow_batch_is_committed_by_age_and_survives_sigkill(tmp_path):
    routes = {"/": Reply(body=listing_page([*STORIES, SLOW])),
              SLOW: Reply(body=article_page(9), drip=1.0)}
    routes.update({path: Reply(body=article_page(n)) for n, path in enumerate(STORIES)})
    site = HostileSite(routes)
    path = tmp_path / "archive.sqlite3"
    with site:
        crawl = run_crawl(f"sqlite:///{path}", "-a", f"site={site.root}", wait=False,
                          settings={"NEWSCRAWL_BATCH_SIZE": "1000", "NEWSCRAWL_BATCH_SECONDS": "1",
                                    "NEWSCRAWL_EXTRACT_WORKERS": "0", "DOWNLOAD_TIMEOUT": "600"})
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and crawl.poll() is None and _committed(path) < len(STORIES):
            time.sleep(0.2)
        running = crawl.poll() is None
        crawl.kill()
        crawl.communicate(timeout=30)
    assert running, "the crawl ended before the slow page arrived"
    assert _committed(path) == len(STORIES)
