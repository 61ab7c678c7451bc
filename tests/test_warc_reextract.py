"""``newscrawl reextract``: the current extraction re-run over the stored WARC captures of a real replica crawl,
in a subprocess with its extraction pool, with no request to any server. Same rules: nothing changes. A changed
rule (monkeypatched in every process through sitecustomize): exactly the rows it affects change, each with a
revision pointing to the same capture. A missing WARC file: counted as failed, rows kept."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections import Counter

import pytest

from tests.replica import ReplicaServer

from .archive_helpers import rows
from .crawl_helpers import ROOT, run_crawl

pytestmark = pytest.mark.slow  # three subprocesses that each start an extraction pool: ~1 min

# The "rule change": every text line containing the word in NEWSCRAWL_TEST_DROP_WORD is dropped. Installed as
# sitecustomize so the spawned extraction workers run it too.
SITECUSTOMIZE = textwrap.dedent("""
    import os
    import newscrawl.extract as extract

    _word = os.environ["NEWSCRAWL_TEST_DROP_WORD"]
    _original = extract.extract_article

    def extract_article(body, url, **kwargs):
        record = _original(body, url, **kwargs)
        if record.get("text"):
            record["text"] = "\\n".join(line for line in record["text"].split("\\n") if _word not in line)
        return record

    extract.extract_article = extract_article
""")


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reextract")
    path = tmp / "crawled.sqlite3"
    with ReplicaServer() as server:
        result = run_crawl(f"sqlite:///{path}", "-a", "site=" + ",".join(server.roots.values()),
                           settings={"DOWNLOAD_MAXSIZE": "1000000"})
        assert result.returncode == 0, result.stderr[-3000:]
        server.reset_log()
        yield server, path, tmp / "warc"


def _reextract(db, warc_dir, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "newscrawl", "reextract", "--archive", f"sqlite:///{db}",
               "--warc-dir", str(warc_dir), "--workers", "2", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def _copy(crawl, tmp_path):
    db = tmp_path / "archive.sqlite3"
    shutil.copy(crawl[1], db)
    return db


def _summary(result: subprocess.CompletedProcess) -> tuple[int, int, int]:
    assert result.returncode == 0, result.stderr[-3000:]
    match = re.search(r"(\d+) changed, (\d+) unchanged, (\d+) failed", result.stdout)
    assert match, result.stdout
    return tuple(int(n) for n in match.groups())


def test_same_rules_change_nothing_and_request_nothing(crawl, tmp_path):
    server, _, warc_dir = crawl
    db = _copy(crawl, tmp_path)
    before = [dict(r) for r in rows(db, "SELECT * FROM articles ORDER BY id")]
    assert all(r["capture_id"] for r in before)
    assert _summary(_reextract(db, warc_dir)) == (0, len(before), 0)
    assert [dict(r) for r in rows(db, "SELECT * FROM articles ORDER BY id")] == before
    assert server.requests == []


def _word_in_some(texts: list[str]) -> str:
    """A word found in some articles but not most, whose lines are a small part of each text it is in."""
    counts = Counter(w for t in texts for w in set(re.findall(r"\b[a-z]{6,}\b", t)))
    for word, n in sorted(counts.items()):
        if 2 <= n <= len(texts) // 3 and all(
                len("\n".join(line for line in t.split("\n") if word not in line)) >= 400 for t in texts if word in t):
            return word
    raise AssertionError("no suitable word in the replica texts")


def test_a_changed_rule_changes_exactly_the_affected_rows(crawl, tmp_path):
    server, _, warc_dir = crawl
    db = _copy(crawl, tmp_path)
    before = {r["id"]: dict(r) for r in rows(db, "SELECT * FROM articles")}
    word = _word_in_some([r["text"] for r in before.values()])
    affected = {i for i, r in before.items() if word in r["text"]}
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(SITECUSTOMIZE)
    result = _reextract(db, warc_dir, env={"PYTHONPATH": f"{tmp_path / 'site'}{os.pathsep}{ROOT}",
                                           "NEWSCRAWL_TEST_DROP_WORD": word})
    assert _summary(result) == (len(affected), len(before) - len(affected), 0)
    after = {r["id"]: dict(r) for r in rows(db, "SELECT * FROM articles")}
    for article_id, row in after.items():
        old = before[article_id]
        if article_id in affected:
            assert row["text"] == "\n".join(line for line in old["text"].split("\n") if word not in line)
            assert row["content_hash"] != old["content_hash"]
            assert row["capture_id"] == old["capture_id"]
        else:
            assert row == old
    revisions = rows(db, "SELECT article_id, text, capture_id FROM revisions")
    assert {r["article_id"] for r in revisions} == affected
    assert all(r["text"] == before[r["article_id"]]["text"] for r in revisions)
    assert all(r["capture_id"] == before[r["article_id"]]["capture_id"] for r in revisions)
    assert server.requests == []


def test_filters_limit_the_work_and_missing_files_count_as_failed(crawl, tmp_path):
    _, _, warc_dir = crawl
    db = _copy(crawl, tmp_path)
    first, second = [r["id"] for r in rows(db, "SELECT id FROM articles ORDER BY id LIMIT 2")]
    assert _summary(_reextract(db, warc_dir, "--id", str(first), "--id", str(second))) == (0, 2, 0)
    before = [dict(r) for r in rows(db, "SELECT * FROM articles ORDER BY id")]
    result = _reextract(db, tmp_path / "no-such-dir")
    assert _summary(result) == (0, 0, len(before))
    assert "capture_unreadable" in result.stdout
    assert [dict(r) for r in rows(db, "SELECT * FROM articles ORDER BY id")] == before
