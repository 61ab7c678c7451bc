"""Cron-grade re-runs on the replica: run 2 with no change fetches no article page and every sitemap and
feed costs a 304; run 3 after new and edited articles fetches exactly those."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.replica import ReplicaServer

from .archive_helpers import articles_by_url, rows
from .crawl_helpers import run_crawl

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

SETTINGS = {"DOWNLOAD_MAXSIZE": str(1_000_000)}


def _article_paths(server) -> dict[tuple[str, str], str]:
    """(outlet, path) of every URL of every manifest article -> its canonical URL."""
    out = {}
    for article in server.manifest.articles:
        for url in [article.url, *article.variants]:
            parts = urlsplit(url)
            out[(article.outlet, parts.path + (f"?{parts.query}" if parts.query else ""))] = article.url
    return out


def _requested_articles(server) -> set[str]:
    paths = _article_paths(server)
    return {paths[(r.outlet, r.path)] for r in server.requests if (r.outlet, r.path) in paths}


def _is_listing_surface(path: str) -> bool:
    return path.endswith(".xml") or "/feed" in path


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    path = tmp_path_factory.mktemp("incremental") / "archive.sqlite3"
    url = f"sqlite:///{path}"
    with ReplicaServer() as server:
        site = "site=" + ",".join(server.roots.values())
        results = {"first": run_crawl(url, "-a", site, settings=SETTINGS)}
        results["first_articles"] = articles_by_url(path)
        server.reset()
        results["second"] = run_crawl(url, "-a", site, settings=SETTINGS)
        results["second_requests"] = list(server.requests)
        results["second_fetched"] = _requested_articles(server)
        server.reset()
        edited = [server.manifest.articles[0].url, server.manifest.articles[5].url]
        server.replica.add_articles(2)
        for article_url in edited:
            server.replica.edit_article(article_url)
        results["third"] = run_crawl(url, "-a", site, settings=SETTINGS)
        results["third_fetched"] = _requested_articles(server)
        results["new_urls"] = {e.url for e in server.manifest.articles} - set(results["first_articles"])
        results["edited"] = edited
        results["manifest"] = server.manifest
        results["path"] = path
        yield results


def test_all_runs_succeed(runs):
    for name in ("first", "second", "third"):
        assert runs[name].returncode == 0, runs[name].stderr[-2000:]
    assert [r["status"] for r in rows(runs["path"], "SELECT status FROM crawl_runs ORDER BY id")] == [
        "finished", "finished", "finished"]


def test_second_run_fetches_no_article_page(runs):
    assert runs["second_fetched"] == set()


def test_second_run_gets_304_for_every_sitemap_and_feed(runs):
    surfaces = [(r.path, r.status) for r in runs["second_requests"] if _is_listing_surface(r.path)]
    assert surfaces, "the second run revisits sitemaps and feeds"
    assert [s for s in surfaces if s[1] != 304] == []


def test_third_run_fetches_exactly_the_new_and_edited_articles(runs):
    assert len(runs["new_urls"]) == 2
    assert runs["third_fetched"] == runs["new_urls"] | set(runs["edited"])


def test_third_run_archives_new_and_updates_edited(runs):
    archived = articles_by_url(runs["path"])
    manifest = runs["manifest"]
    assert len(archived) == 30
    for url in runs["new_urls"] | set(runs["edited"]):
        assert archived[url]["text"] == manifest.article(url).text
    for url in runs["edited"]:
        assert archived[url]["text"] != runs["first_articles"][url]["text"]
        assert archived[url]["id"] == runs["first_articles"][url]["id"]


def test_run_records_count_each_run(runs):
    counts = [(r["articles_new"], r["articles_updated"]) for r in
              rows(runs["path"], "SELECT articles_new, articles_updated FROM crawl_runs ORDER BY id")]
    assert counts == [(28, 0), (0, 0), (2, 2)]
