"""Safe to schedule: one crawl per archive, a SIGKILLed crawl leaves a consistent archive that the next run
completes, JOBDIR resumes a stopped crawl, and rechecks record takedowns without losing the article."""

from __future__ import annotations

import signal
import sqlite3
import time

import pytest

from tests.replica import ReplicaServer

from .archive_helpers import rows
from .crawl_helpers import run_crawl

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

SETTINGS = {"DOWNLOAD_MAXSIZE": str(1_000_000)}


@pytest.fixture
def server():
    with ReplicaServer() as srv:
        yield srv


def _site(server) -> str:
    return "site=" + ",".join(server.roots.values())


def _count(path) -> int:
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _wait_for(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_a_second_crawl_exits_75_while_the_first_runs(server, tmp_path):
    path = tmp_path / "a.sqlite3"
    slow = {**SETTINGS, "DOWNLOAD_DELAY": "0.2", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
    first = run_crawl(f"sqlite:///{path}", "-a", _site(server), settings=slow, wait=False)
    try:
        _wait_for(lambda: len(server.requests) > 3)
        second = run_crawl(f"sqlite:///{path}", "-a", _site(server), settings=SETTINGS)
        assert second.returncode == 75
        assert "another crawl is writing to" in second.stderr
        assert "Spider opened" not in second.stderr
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=120)
    statuses = [r["status"] for r in rows(path, "SELECT status FROM crawl_runs")]
    assert statuses == ["interrupted"]  # the refused crawl left no run behind


def test_sigkill_leaves_a_consistent_archive_and_the_next_run_completes(server, tmp_path):
    path = tmp_path / "a.sqlite3"
    slow = {**SETTINGS, "NEWSCRAWL_BATCH_SIZE": "2", "DOWNLOAD_DELAY": "0.1", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
    crawl = run_crawl(f"sqlite:///{path}", "-a", _site(server), settings=slow, wait=False)
    _wait_for(lambda: _count(path) >= 4)
    crawl.kill()
    crawl.communicate(timeout=30)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        killed_at = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        orphans = db.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS "
                             "(SELECT 1 FROM article_urls u WHERE u.url = a.url AND u.article_id = a.id)").fetchone()
        assert orphans == (0,)
    assert 4 <= killed_at < 28
    result = run_crawl(f"sqlite:///{path}", "-a", _site(server), settings=SETTINGS)
    assert result.returncode == 0, result.stderr[-2000:]
    assert _count(path) == 28
    assert [r["status"] for r in rows(path, "SELECT status FROM crawl_runs ORDER BY id")] == ["killed", "finished"]


def test_jobdir_resumes_a_stopped_crawl(server, tmp_path):
    path = tmp_path / "a.sqlite3"
    jobdir = tmp_path / "job"
    first = run_crawl(f"sqlite:///{path}", "-a", _site(server),
                      # slow fetching, so the stop after 3 items comes long before the site is done, however
                      # loaded the machine is (at full speed every page could be fetched before 3 items finish)
                      settings={**SETTINGS, "JOBDIR": str(jobdir), "CLOSESPIDER_ITEMCOUNT": "3",
                                "CONCURRENT_REQUESTS": "2", "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
                                "DOWNLOAD_DELAY": "1"})
    assert first.returncode == 0, first.stderr[-2000:]
    stopped_at = _count(path)
    assert stopped_at < 28
    assert (jobdir / "requests.seen").exists()
    second = run_crawl(f"sqlite:///{path}", "-a", _site(server), settings={**SETTINGS, "JOBDIR": str(jobdir)})
    assert second.returncode == 0, second.stderr[-2000:]
    assert _count(path) == 28
    assert [r["status"] for r in rows(path, "SELECT status FROM crawl_runs ORDER BY id")] == ["stopped", "finished"]


def test_recheck_records_takedowns_and_keeps_the_articles(server, tmp_path):
    path = tmp_path / "a.sqlite3"
    url = f"sqlite:///{path}"
    assert run_crawl(url, "-a", _site(server), settings=SETTINGS).returncode == 0
    gone, moved = server.manifest.for_outlet("borneopost")[:2]
    server.replica.take_down(gone.url, status=410)
    server.replica.take_down(moved.url, location=server.roots["borneopost"])
    result = run_crawl(url, "-a", _site(server), settings={**SETTINGS, "NEWSCRAWL_RECHECK_PER_RUN": "20"})
    assert result.returncode == 0, result.stderr[-2000:]
    events = {(r["url"], r["event"], r["status"], r["location"]) for r in rows(
        path, "SELECT url, event, status, location FROM article_events")}
    assert events == {(gone.url, "gone", 410, None), (moved.url, "redirected", None, server.roots["borneopost"])}
    kept = {r["url"] for r in rows(path, "SELECT url FROM articles")}
    assert {gone.url, moved.url} <= kept
    assert _count(path) == 28
