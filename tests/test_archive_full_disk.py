"""A full disk during a crawl: the run stops with status 74 and one line naming the cause, and `crawl_runs`
counts only what was committed. The disk is made "full" by capping the database's size (SQLite's
max_page_count, the same SQLITE_FULL error a full file system gives), injected from outside the project's code."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from newscrawl.store.archive import Archive, ArchiveError
from tests.replica import ReplicaServer

from .archive_helpers import rows
from .crawl_helpers import FAST, ROOT

# Runs `scrapy crawl` with every SQLite connection limited to its size at connect time plus EXTRA pages.
SMALL_DISK = """
import os, sys
from sqlalchemy import event
from sqlalchemy.pool import Pool
import pytest

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

EXTRA = int(os.environ["SMALL_DISK_EXTRA_PAGES"])

@event.listens_for(Pool, "connect")
def _small_disk(dbapi_conn, record):
    if type(dbapi_conn).__module__ == "sqlite3":
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + EXTRA}")

from scrapy.cmdline import execute
sys.argv = ["scrapy", *sys.argv[1:]]
execute()
"""


def _crawl(path, root: str, extra_pages: int) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", SMALL_DISK, "crawl", "sarawak", "-s", f"ARCHIVE_URL=sqlite:///{path}",
               "-a", f"site={root}", "-s", "NEWSCRAWL_BATCH_SIZE=3"]
    for key, value in FAST.items():
        command += ["-s", f"{key}={value}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SMALL_DISK_EXTRA_PAGES": str(extra_pages)}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)


def test_a_full_disk_stops_the_run_with_status_74_and_counts_only_what_was_committed(tmp_path):
    path = tmp_path / "a.sqlite3"
    Archive.open(f"sqlite:///{path}").close()  # the tables exist: the crawl itself has EXTRA pages to fill
    with ReplicaServer() as server:
        result = _crawl(path, ",".join(server.roots.values()), extra_pages=25)
    assert result.returncode == 74, result.stderr[-3000:]
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"newscrawl: error: archive sqlite:///{path}: ") and "database or disk is full" in last
    stored = rows(path, "SELECT count(*) FROM articles")[0][0]
    assert stored > 0  # batches before the disk filled are kept
    (run,) = rows(path, "SELECT status, articles_new, stats FROM crawl_runs")
    assert run["status"] == "failed"
    assert run["articles_new"] == stored
    assert json.loads(run["stats"])["newscrawl/failure"] == last.removeprefix("newscrawl: error: ")


def test_a_failed_commit_loses_only_the_open_batch_and_says_so(tmp_path):
    url = f"sqlite:///{tmp_path}/a.sqlite3"
    failures = []
    with Archive.open(url, batch_size=2) as archive:
        archive.on_failure = failures.append
        texts = [" ".join(f"w{i}x{n}" for i in range(400)) for n in range(40)]
        archive.store({"url": "https://e.com/a0", "outlet": "e", "title": "t", "text": texts[0],
                       "fetched_at": "2024-01-01T00:00:00+00:00"}, [])
        archive.flush()
        pages = archive._conn.exec_driver_sql("PRAGMA page_count").scalar()
        archive._conn.exec_driver_sql(f"PRAGMA max_page_count = {pages + 30}")
        stored_ok = 1
        try:
            for n in range(1, 40):
                archive.store({"url": f"https://e.com/a{n}", "outlet": "e", "title": "t", "text": texts[n],
                               "fetched_at": "2024-01-01T00:00:00+00:00"}, [])
                stored_ok += 1
        except ArchiveError as exc:
            assert "database or disk is full" in str(exc)
        assert archive.failure is not None and "database or disk is full" in archive.failure
        assert failures == [archive.failure]  # told once
        committed = archive.committed["new"]
        assert committed + archive.lost == stored_ok  # every store that returned is committed or counted lost
        assert archive.count() == committed
