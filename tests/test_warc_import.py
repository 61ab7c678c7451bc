"""``newscrawl import-warc``: a WARC written by warcio's own capture helper (``warcio.capture_http``) of the replica
(every URL the crawl requested, and pages of a site that is not configured) yields the same articles as
crawling the replica does; other hosts are skipped on their headers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from warcio.capture_http import capture_http

from tests.replica import ReplicaServer

from .archive_helpers import rows, same_instant
from .crawl_helpers import ROOT, run_crawl

pytestmark = pytest.mark.slow  # a crawl, a capture and an import subprocess: ~40 s

FIELDS = ("title", "authors", "section", "tags", "language", "image_url", "text", "content_hash")


def _fetch(url: str) -> None:
    """GET as a crawler would: a 429/503 answer is asked again (both answers are captured)."""
    for _ in range(3):
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                response.read()
            return
        except urllib.error.HTTPError as exc:  # 404s and traps are captured all the same
            if exc.code not in (429, 503):
                return
            time.sleep(1)
        except (urllib.error.URLError, OSError):
            return


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """(server, crawled archive, imported archive, import output)."""
    tmp = tmp_path_factory.mktemp("import")
    crawled, imported, warc = tmp / "crawled.sqlite3", tmp / "imported.sqlite3", tmp / "capture.warc.gz"
    with ReplicaServer() as server, ReplicaServer(seed=7) as other:
        sites = ",".join(server.roots.values())
        result = run_crawl(f"sqlite:///{crawled}", "-a", f"site={sites}", settings={"DOWNLOAD_MAXSIZE": "1000000"})
        assert result.returncode == 0, result.stderr[-3000:]
        # the same URLs the crawl asked for, in its order (robots.txt, sitemaps, feeds, listings, articles),
        # fetched by another tool, and pages of a site that is not configured
        urls = [*dict.fromkeys(server.requested_urls()), *(a.url for a in other.manifest.articles[:10])]
        server.reset_log()  # the one-shot 503/429 traps stay spent: the crawl retried past them
        with capture_http(str(warc)):
            for url in urls:
                _fetch(url)
        server.reset_log()
        command = [sys.executable, "-m", "newscrawl", "import-warc", str(warc), "--archive", f"sqlite:///{imported}",
                   "--site", sites, "--workers", "2"]
        output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert output.returncode == 0, output.stderr[-3000:]
        yield server, crawled, imported, output, server.requests


def _by_url(path) -> dict[str, dict]:
    return {r["url"]: dict(r) for r in rows(path, "SELECT * FROM articles")}


def test_import_yields_the_same_articles_as_the_crawl(both):
    server, crawled, imported, output, _ = both
    got, want = _by_url(imported), _by_url(crawled)
    assert sorted(want) == sorted(a.url for a in server.manifest.articles)
    assert len(got) == len(want)
    # The same articles. Which of an article's URLs becomes its canonical one can depend on the order its pages
    # were met (the crawl prefers the URL a sitemap lists; the import reads records in file order): each crawled
    # article is found in the imported archive by its URL, canonical or alias (noted in the closing note).
    article_of = {u: a for u, a in ((r["url"], r["article"]) for r in rows(
        imported, "SELECT u.url AS url, a.url AS article FROM article_urls u JOIN articles a ON a.id = u.article_id"))}
    for url, row in want.items():
        mine = got[article_of.get(url, url)]
        assert {f: mine[f] for f in FIELDS} == {f: row[f] for f in FIELDS}, url
        assert same_instant(mine["published_at"], row["published_at"]), url


def test_other_hosts_are_skipped_and_nothing_is_fetched(both):
    _, _, _, output, requests = both
    skipped = re.search(r"skipped other_host: (\d+)\b", output.stdout)
    assert skipped and int(skipped.group(1)) >= 10, output.stdout  # 10 pages (and a retried trap answer or two)
    assert requests == []  # the import reads the file; it never asks the server


def test_imported_articles_point_into_the_imported_file(both):
    _, _, imported, _, _ = both
    from newscrawl.warc.read import read_response

    pointed = rows(imported, "SELECT a.url AS article, c.* FROM articles a JOIN captures c ON c.id = a.capture_id")
    assert len(pointed) == len(rows(imported, "SELECT id FROM articles"))
    for row in pointed:
        page = read_response("/", row["warc_file"], row["warc_offset"], row["record_id"])
        assert page.status == 200 and page.url == row["url"]
