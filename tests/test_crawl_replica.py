"""End to end: the real spider and engine crawl the bundled replica over HTTP; the archive holds exactly the
manifest's articles, with their metadata, clean text and every URL variant."""

from __future__ import annotations

import pytest

from tests.replica import ReplicaServer

from .archive_helpers import articles_by_url, rows, same_instant
from .crawl_helpers import run_crawl

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

# Below the replica's 3.5 MB page, above every real article page.
SETTINGS = {"DOWNLOAD_MAXSIZE": str(1_000_000)}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """(server, archive path, completed process) for one crawl of all three outlets."""
    path = tmp_path_factory.mktemp("crawl") / "archive.sqlite3"
    with ReplicaServer() as server:
        result = run_crawl(f"sqlite:///{path}", "-a", "site=" + ",".join(server.roots.values()), settings=SETTINGS)
        yield server, path, result


def test_crawl_exits_cleanly(crawled):
    server, path, result = crawled
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert [tuple(r) for r in rows(path, "SELECT status FROM crawl_runs")] == [("finished",)]


def test_exactly_the_manifest_articles_are_archived(crawled):
    server, path, _ = crawled
    archived = articles_by_url(path)
    assert sorted(archived) == sorted(a.url for a in server.manifest.articles)
    assert len(archived) == 28


@pytest.mark.parametrize("field", ["title", "authors", "section", "tags", "language", "outlet"])
def test_metadata_matches(crawled, field):
    server, path, _ = crawled
    archived = articles_by_url(path)
    roots = {root: key for key, root in server.roots.items()}
    mismatches = []
    for expected in server.manifest.articles:
        got = archived[expected.url][field]
        want = getattr(expected, field)
        if field == "outlet":  # ad-hoc roots are named by host:port
            want = roots[server.roots[expected.outlet]].removeprefix("")  # outlet key of the root
            want = server.roots[expected.outlet].split("//")[1].rstrip("/")
        if got != want:
            mismatches.append((expected.url, want, got))
    assert mismatches == []


def test_timestamps_are_exact_and_timezone_aware(crawled):
    server, path, _ = crawled
    archived = articles_by_url(path)
    for expected in server.manifest.articles:
        got = archived[expected.url]
        assert "+" in got["published_at"] or got["published_at"].endswith("Z"), got["published_at"]
        assert same_instant(got["published_at"], expected.published_at), expected.url
        assert same_instant(got["modified_at"], expected.modified_at), expected.url


def test_text_is_the_article_body_exactly(crawled):
    server, path, _ = crawled
    archived = articles_by_url(path)
    wrong = [e.url for e in server.manifest.articles if archived[e.url]["text"] != e.text]
    assert wrong == []


def test_no_boilerplate_reaches_any_text(crawled):
    server, path, _ = crawled
    leaks = [(row["url"], phrase) for row in rows(path, "SELECT url, text FROM articles")
             for phrase in server.manifest.boilerplate if phrase in row["text"]]
    assert leaks == []


def test_every_url_variant_maps_to_its_one_row(crawled):
    server, path, _ = crawled
    mapping = {r["url"]: r["article_id"] for r in rows(path, "SELECT url, article_id FROM article_urls")}
    ids = {r["url"]: r["id"] for r in rows(path, "SELECT id, url FROM articles")}
    missing = []
    for expected in server.manifest.articles:
        for variant in [expected.url, *expected.variants]:
            if mapping.get(variant) != ids[expected.url]:
                missing.append((variant, expected.variants.get(variant, "canonical")))
    assert missing == [], sorted(missing)


def test_no_non_article_becomes_a_row_or_alias(crawled):
    server, path, _ = crawled
    archived_urls = {r["url"] for r in rows(path, "SELECT url FROM article_urls")}
    assert archived_urls & server.manifest.never_articles == set()


def test_robots_disallowed_paths_are_never_requested(crawled):
    server, _, _ = crawled
    assert any(server.manifest.disallowed.values()), "the replica links into disallowed paths"
    requested = server.requested_urls()
    forbidden = [url for url in requested if server.manifest.is_disallowed(url)]
    assert forbidden == []


def test_bad_pages_are_counted_skips_with_their_reason(crawled):
    server, path, _ = crawled
    skips = {(r["url"], r["reason"]) for r in rows(path, "SELECT url, reason FROM skips")}
    by_kind = {t["kind"]: t["url"] for t in server.manifest.traps if t["outlet"] == "borneopost"}
    assert (by_kind["500"], "http_500") in skips
    assert (by_kind["challenge_403"], "http_403") in skips
    assert (by_kind["huge"], "too_large") in skips
    assert (by_kind["pdf"], "not_html") in skips
    assert (by_kind["404_listed"], "http_404") in skips


def test_run_record_counts(crawled):
    _, path, _ = crawled
    (run,) = rows(path, "SELECT * FROM crawl_runs")
    assert run["articles_new"] == 28
    assert run["requests"] > 28


def test_syndicated_wire_story_is_one_story_in_two_rows(crawled):
    server, path, _ = crawled
    ((first, copy),) = server.manifest.near_duplicates
    ids = {r["url"]: r["id"] for r in rows(path, "SELECT id, url FROM articles")}
    linked = {(r["url"], r["duplicate_of"]) for r in rows(path, "SELECT url, duplicate_of FROM articles "
                                                                   "WHERE duplicate_of IS NOT NULL")}
    assert linked == {(copy, ids[first])}


def test_each_article_records_how_it_was_found(crawled):
    server, path, _ = crawled
    found = {r["url"]: (r["source_kind"], r["run_id"], r["article_id"]) for r in rows(
        path, "SELECT url, source_kind, run_id, article_id FROM listings")}
    ids = {r["url"]: r["id"] for r in rows(path, "SELECT id, url FROM articles")}
    for article in server.manifest.articles:
        kind, run_id, _ = found[article.url]
        assert run_id == 1
        if "sitemap" in article.discovery or "feed" in article.discovery:
            assert kind in ("sitemap", "feed"), (article.url, kind)
        else:
            assert kind in ("homepage", "section"), (article.url, kind)
    fetched = {r["article_id"]: r["status"] for r in rows(path, "SELECT article_id, status FROM fetches")}
    assert set(fetched) == set(ids.values()) and set(fetched.values()) == {200}


def test_sitemaps_decided_in_small_chunks_archive_the_same_articles(tmp_path):
    """NEWSCRAWL_LISTING_CHUNK=2 makes every sitemap and feed cross many chunk boundaries."""
    path = tmp_path / "archive.sqlite3"
    with ReplicaServer() as server:
        result = run_crawl(f"sqlite:///{path}", "-a", "site=" + ",".join(server.roots.values()),
                           settings={**SETTINGS, "NEWSCRAWL_LISTING_CHUNK": "2"})
        assert result.returncode == 0, result.stderr[-3000:]
        assert sorted(articles_by_url(path)) == sorted(a.url for a in server.manifest.articles)
    listed = rows(path, "SELECT count(*) FROM listings WHERE source_kind = 'sitemap'")[0][0]
    assert listed > 2 * 5  # the sitemaps did list more than a few chunks' worth
