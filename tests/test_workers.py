"""The extraction pool (newscrawl.workers): same results as inline, a hung or crashing page is counted and skipped
and its worker replaced, pages in flight are finished at close, and no worker process outlives the pool."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from newscrawl.extract import extract_article
from newscrawl.store.neardup import NearDupConfig, Signature
from newscrawl.workers import ExtractionCrash, ExtractionPool, ExtractionTimeout, extract_job

PAGES = Path(__file__).parent / "pages"
ARTICLE = (PAGES / "borneopost_article.html").read_bytes()
URL = "https://www.theborneopost.com/2024/03/05/article/"


def misbehaving_job(body, url, encoding, hints, neardup_config=None):
    """Runs in a worker: hangs on ``/hang``, kills its process on ``/crash``, sleeps on ``/slow``."""
    if url.endswith("/hang"):
        time.sleep(600)
    if url.endswith("/crash"):
        os._exit(3)
    if url.endswith("/slow"):
        time.sleep(0.3)
    return {"url": url, "pid": os.getpid()}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for our purposes
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture
def pool():
    p = ExtractionPool(2, timeout=1.0, job=misbehaving_job).start()
    yield p
    p.terminate()


def test_pool_extracts_exactly_like_inline():
    with ExtractionPool(1, timeout=30, neardup_config=NearDupConfig()) as p:
        got = p.submit(ARTICLE, URL, "utf-8", {"min_text_length": 200}).result(timeout=60)
    want = extract_article(ARTICLE, URL, encoding="utf-8", hints={"min_text_length": 200})
    signature = got.pop("minhash")
    assert got == want
    assert want["is_article"] and want["title"]
    assert isinstance(signature, Signature)
    assert list(signature.hashvalues) == list(NearDupConfig().signature(want["text"]).hashvalues)


def test_extract_job_adds_no_signature_without_config():
    assert "minhash" not in extract_job(ARTICLE, URL, "utf-8", {}, None)


def test_hung_page_times_out_and_its_worker_is_replaced(pool):
    before = set(pool.pids())
    hung = pool.submit(b"", "http://x/hang")
    with pytest.raises(ExtractionTimeout, match="worker replaced"):
        hung.result(timeout=30)
    assert pool.submit(b"", "http://x/ok").result(timeout=30)["url"] == "http://x/ok"
    assert pool.counts["timeouts"] == 1
    deadline = time.monotonic() + 10
    while len(pool.pids()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    after = set(pool.pids())
    assert len(after) == 2 and len(before - after) == 1  # one worker killed, one new in its place


def test_crashing_page_is_reported_and_the_pool_goes_on(pool):
    crashed = pool.submit(b"", "http://x/crash")
    with pytest.raises(ExtractionCrash):
        crashed.result(timeout=30)
    results = [pool.submit(b"", f"http://x/{i}").result(timeout=30)["url"] for i in range(4)]
    assert results == [f"http://x/{i}" for i in range(4)]
    assert pool.counts["crashes"] == 1


def test_close_finishes_pages_in_flight_then_workers_exit():
    p = ExtractionPool(2, timeout=10, job=misbehaving_job).start()
    pids = p.pids()
    futures = [p.submit(b"", f"http://x/{i}/slow") for i in range(6)]
    assert p.close(timeout=30) is True
    assert [f.result(timeout=0)["url"] for f in futures] == [f"http://x/{i}/slow" for i in range(6)]
    assert len(pids) == 2 and not any(alive(pid) for pid in pids)
    with pytest.raises(RuntimeError):
        p.submit(b"", "http://x/late")


def test_terminate_leaves_no_worker_behind(pool):
    pids = pool.pids()
    pool.submit(b"", "http://x/hang")
    pool.terminate()
    assert pids and not any(alive(pid) for pid in pids)
