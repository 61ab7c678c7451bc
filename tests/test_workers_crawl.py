"""End to end with the extraction pool: the real crawl with NEWSCRAWL_EXTRACT_WORKERS=2 stores exactly what the
inline crawl (=0) stores; Ctrl-C (SIGINT) drains the pool, stores what was in flight and leaves no worker behind."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest

from tests.replica import ReplicaServer

from .archive_helpers import articles_by_url, rows
from .crawl_helpers import run_crawl

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

FIELDS = ("title", "authors", "published_at", "modified_at", "section", "tags", "language", "image_url", "text",
          "content_hash")


def _comparable(archived: dict[str, dict]) -> dict[str, dict]:
    """Fields by URL; ``duplicate_of`` as the root's URL (ids follow the order stores finish in, roots do not)."""
    url_of = {a["id"]: url for url, a in archived.items()}
    return {url: {**{f: a[f] for f in FIELDS}, "duplicate_of": url_of.get(a["duplicate_of"])}
            for url, a in archived.items()}


def _stat(stderr: str, key: str) -> int | None:
    found = re.search(rf"'{re.escape(key)}': (\d+)", stderr)
    return int(found.group(1)) if found else None


def _descendants(pid: int) -> set[int]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(entry))
    out, todo = set(), list(kids.get(pid, []))
    while todo:
        child = todo.pop()
        out.add(child)
        todo.extend(kids.get(child, []))
    return out


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_pool_and_inline_store_the_same_articles(tmp_path):
    with ReplicaServer(n_articles=0, seed=1) as server:
        sites = "site=" + ",".join(server.roots.values())
        results = {}
        for workers in ("2", "0"):
            path = tmp_path / f"w{workers}.sqlite3"
            result = run_crawl(f"sqlite:///{path}", "-a", sites, settings={"NEWSCRAWL_EXTRACT_WORKERS": workers})
            assert result.returncode == 0, result.stderr[-3000:]
            results[workers] = (path, result)
    pooled, inline = (articles_by_url(results[w][0]) for w in ("2", "0"))
    assert sorted(pooled) == sorted(a.url for a in server.manifest.articles)
    assert sorted(pooled) == sorted(inline)
    assert _comparable(pooled) == _comparable(inline)
    assert any(a["duplicate_of"] for a in _comparable(pooled).values())  # the near-duplicate path was exercised
    stderr = results["2"][1].stderr
    assert _stat(stderr, "newscrawl/extract/workers") == 2
    assert _stat(stderr, "newscrawl/extract/pool_pages") == _stat(stderr, "newscrawl/fetched/article")
    assert _stat(results["0"][1].stderr, "newscrawl/extract/workers") is None


def test_sigint_drains_the_pool_and_leaves_no_worker(tmp_path):
    path = tmp_path / "archive.sqlite3"
    with ReplicaServer(n_articles=400, seed=2) as server:
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
        assert proc.poll() is None, "the crawl ended before it could be interrupted"
        workers |= _descendants(proc.pid)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
    assert "Received SIGINT" in stderr
    assert "Traceback" not in stderr, stderr[-3000:]
    assert "pages still running" not in stderr
    assert [tuple(r) for r in rows(path, "SELECT status FROM crawl_runs")] == [("interrupted",)]
    assert not [pid for pid in workers if _running(pid)], "worker processes outlived the crawl"
    stored = rows(path, "SELECT count(*) FROM articles")[0][0]
    assert stored > 0
    assert stored == _stat(stderr, "newscrawl/articles_stored")  # every article out of the pool was committed
    assert _stat(stderr, "newscrawl/extract/pool_pages") == _stat(stderr, "newscrawl/fetched/article")
