"""SIGTERM, as `timeout` (to its whole process group) and systemd (to the whole control group) send it, drains the
extraction pool like Ctrl-C: every article in flight is stored, no pool error, no worker left behind."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.replica import ReplicaServer

from .archive_helpers import rows
from .crawl_helpers import run_crawl
from .test_workers_crawl import _descendants, _running, _stat

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)


@pytest.mark.timeout(300, method="thread")
def test_sigterm_to_every_process_drains_the_pool(tmp_path):
    path = tmp_path / "archive.sqlite3"
    with ReplicaServer(n_articles=400, seed=3) as server:
        proc = run_crawl(f"sqlite:///{path}", "-a", "site=" + ",".join(server.roots.values()),
                         settings={"NEWSCRAWL_EXTRACT_WORKERS": "2", "CONCURRENT_REQUESTS_PER_DOMAIN": "2"},
                         wait=False)
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:  # workers up and articles being fetched
            workers |= _descendants(proc.pid)
            if len(workers) >= 2 and sum(r.path.count("/20") > 0 for r in list(server.requests)) > 40:
                break
            time.sleep(0.1)
        assert proc.poll() is None, "the crawl ended before it could be stopped"
        workers |= _descendants(proc.pid)
        for pid in [proc.pid, *sorted(workers)]:  # what systemd's control-group stop does
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        _, stderr = proc.communicate(timeout=120)
    assert "Received SIGTERM" in stderr
    assert "Unexpected error within the Pool" not in stderr
    assert "Traceback" not in stderr, stderr[-3000:]
    assert [tuple(r) for r in rows(path, "SELECT status FROM crawl_runs")] == [("interrupted",)]
    assert not [pid for pid in workers if _running(pid)], "worker processes outlived the crawl"
    stored = rows(path, "SELECT count(*) FROM articles")[0][0]
    assert stored > 0
    assert stored == _stat(stderr, "newscrawl/articles_stored")  # every article out of the pool was committed
    assert _stat(stderr, "newscrawl/extract/pool_pages") == _stat(stderr, "newscrawl/fetched/article"), [
        line for line in stderr.splitlines() if "WARNING" in line or "ERROR" in line or "dropped" in line.lower()]
