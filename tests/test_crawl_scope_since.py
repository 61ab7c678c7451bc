"""`-a site=` scopes a root to its own origin; `-a since=` skips older articles, before download where the
sitemap or feed gives a date."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

import pytest

from tests.replica import ReplicaServer

from .archive_helpers import articles_by_url
from .crawl_helpers import run_crawl

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

SETTINGS = {"DOWNLOAD_MAXSIZE": str(1_000_000)}


def test_one_root_never_follows_links_to_another_port(tmp_path):
    path = tmp_path / "a.sqlite3"
    with ReplicaServer() as server:
        root = server.roots["borneopost"]
        result = run_crawl(f"sqlite:///{path}", "-a", f"site={root}", settings=SETTINGS)
        assert result.returncode == 0, result.stderr[-2000:]
        other_outlets = {r.outlet for r in server.requests} - {"borneopost"}
        expected = {a.url for a in server.manifest.for_outlet("borneopost")}
    assert other_outlets == set()
    assert set(articles_by_url(path)) == expected
    assert len(expected) == 9


def test_since_keeps_only_newer_articles_and_skips_old_ones_before_download(tmp_path):
    path = tmp_path / "a.sqlite3"
    since = "2024-06-01"
    with ReplicaServer() as server:
        result = run_crawl(f"sqlite:///{path}", "-a", "site=" + ",".join(server.roots.values()), "-a",
                           f"since={since}", settings=SETTINGS)
        assert result.returncode == 0, result.stderr[-2000:]
        cutoff = datetime.fromisoformat(since + "T00:00:00+08:00")
        manifest = server.manifest.articles
        newer = {a.url for a in manifest if datetime.fromisoformat(a.published_at) >= cutoff}
        # older articles that only sitemaps/feeds list (dated there) must not even be requested
        older_dated = {(a.outlet, urlsplit(a.url).path) for a in manifest
                       if datetime.fromisoformat(a.modified_at or a.published_at) < cutoff
                       and set(a.discovery) <= {"sitemap", "feed"}}
        requested = {(r.outlet, r.path) for r in server.requests}
    assert set(articles_by_url(path)) == newer
    assert older_dated, "the replica has old articles listed only in dated surfaces"
    assert older_dated & requested == set()
    assert "newscrawl/skipped/before_since" in result.stderr
