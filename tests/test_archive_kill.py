"""A crawl SIGKILLed mid-batch leaves a sound SQLite file holding only whole, committed articles."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

BATCH = 25

# The child stores articles forever, printing how many it has stored after each store; it never flushes itself.
CHILD = """
import sys
from newscrawl.store.archive import Archive
arc = Archive.open(sys.argv[1], batch_size=int(sys.argv[2]))
n = 0
while True:
    url = f"https://www.theborneopost.com/2024/03/story-{n}/"
    article = {"url": url, "outlet": "borneopost", "title": f"Story {n}", "authors": ["A"], "tags": ["t"],
               "text": f"Body of story {n}. " * 40, "fetched_at": "2024-03-06T01:00:00+00:00"}
    arc.store(article, [url, url + "amp/", url + "?utm_source=x"])
    n += 1
    print(n, flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_sigkill_mid_batch_leaves_only_whole_articles(tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    repo = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": f"{repo}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    child = subprocess.Popen([sys.executable, "-c", CHILD, f"sqlite:///{db}", str(BATCH)],
                             stdout=subprocess.PIPE, text=True, env=env)
    try:
        stored = 0
        target = 3 * BATCH + BATCH // 2  # well inside the 4th batch
        for line in child.stdout:
            stored = int(line)
            if stored >= target:
                break
        assert stored >= target, "child died before storing enough articles"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL

    with sqlite3.connect(db) as conn:  # recovers the WAL like any later reader would
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        urls = conn.execute("SELECT count(*) FROM article_urls").fetchone()[0]
        orphans = conn.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM article_urls u WHERE u.url = a.url AND u.article_id = a.id AND u.kind = 'canonical')"
        ).fetchone()[0]
    assert articles >= 3 * BATCH  # the batches committed before the child printed `target`
    assert articles % BATCH == 0  # only whole batches survive: nothing from the batch that was cut off
    assert urls == 3 * articles  # each article with all of its URLs
    assert orphans == 0
