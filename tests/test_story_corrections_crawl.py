"""End to end: a researcher's story corrections survive re-crawls of the replica with the real Scrapy engine.

The replica's syndicated Bernama story is archived twice and linked as one story; `newscrawl story unlink` takes
the copy out; the outlet then edits the copy and the next crawl stores the new version (re-checking it) and
keeps it apart. `newscrawl story link` puts it back and a further edited re-crawl keeps it linked.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from newscrawl.cli import main
from newscrawl.store.archive import Archive
from tests.replica import ReplicaServer

from .archive_helpers import rows
from .crawl_helpers import run_crawl

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

SETTINGS = {"DOWNLOAD_MAXSIZE": str(1_000_000)}
REFETCH = {**SETTINGS, "NEWSCRAWL_INCREMENTAL": "False"}  # every article page fetched again and re-extracted


def story_of(path, article_id: int) -> int | None:
    return rows(path, f"SELECT duplicate_of FROM articles WHERE id = {int(article_id)}")[0]["duplicate_of"]


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    path = tmp_path_factory.mktemp("corrections") / "archive.sqlite3"
    url = f"sqlite:///{path}"
    out = {"path": path}
    with ReplicaServer() as server:
        site = "site=" + ",".join(server.roots.values())
        out["first"] = run_crawl(url, "-a", site, settings=SETTINGS)
        ((first_url, copy_url),) = server.manifest.near_duplicates
        with Archive.open(url, create=False) as arc:
            out["root"], out["copy"] = arc.article_id_for_url(first_url), arc.article_id_for_url(copy_url)
        out["linked_at_first"] = story_of(path, out["copy"])
        out["unlink"] = CliRunner().invoke(main, ["story", "unlink", str(out["copy"]), "--archive", url])
        server.reset()
        server.replica.edit_article(copy_url)  # the outlet edits its copy: the next crawl stores and re-checks it
        out["second"] = run_crawl(url, "-a", site, settings=REFETCH)
        out["copy_text_after_second"] = rows(path, f"SELECT text FROM articles WHERE id = {out['copy']}")[0]["text"]
        out["root_text"] = rows(path, f"SELECT text FROM articles WHERE id = {out['root']}")[0]["text"]
        out["after_second"] = story_of(path, out["copy"])
        out["revisions"] = rows(path, f"SELECT count(*) AS n FROM revisions WHERE article_id = {out['copy']}")[0]["n"]
        out["link"] = CliRunner().invoke(main, ["story", "link", str(out["copy"]), str(out["root"]),
                                                "--archive", url])
        server.reset()
        server.replica.edit_article(copy_url)
        out["third"] = run_crawl(url, "-a", site, settings=REFETCH)
        out["after_third"] = story_of(path, out["copy"])
        out["revisions_third"] = rows(
            path, f"SELECT count(*) AS n FROM revisions WHERE article_id = {out['copy']}")[0]["n"]
    yield out


def test_the_crawls_worked_and_linked_the_wire_copy(crawls) -> None:
    assert [crawls[k].returncode for k in ("first", "second", "third")] == [0, 0, 0], crawls["first"].stderr[-2000:]
    assert crawls["linked_at_first"] == crawls["root"]


def test_an_unlinked_copy_stays_apart_after_an_edited_recrawl(crawls) -> None:
    assert crawls["unlink"].exit_code == 0, crawls["unlink"].output
    assert crawls["revisions"] == 1  # the second crawl stored the edited copy (and so re-checked it)
    from newscrawl.store.neardup import NearDupConfig

    assert NearDupConfig().verdict(crawls["copy_text_after_second"], crawls["root_text"]).same  # would relink
    assert crawls["after_second"] is None


def test_a_linked_pair_stays_together_after_an_edited_recrawl(crawls) -> None:
    assert crawls["link"].exit_code == 0, crawls["link"].output
    assert crawls["revisions_third"] == 2
    assert crawls["after_third"] == crawls["root"]
