"""CPU-heavy work off the reactor: a pool of worker processes for extraction, and a reactor stall monitor.

Scrapy downloads, parses and runs the pipelines on one thread. Extraction (trafilatura + our cleanup, ~10-20 ms
a page) and the near-duplicate MinHash signature are pure CPU work: done on that thread they stall every
download and leave the other cores idle. :class:`ExtractionPool` runs them in worker processes
(`pebble <https://pypi.org/project/Pebble/>`_ ``ProcessPool``: a per-task time limit that kills and replaces the
worker, a crashed worker replaced too), fed from ``ExtractPipeline.process_item`` without blocking the reactor:

* workers are *spawned* (fork after the reactor started is unsafe) once per crawl, at ``open_spider``; they import
  only ``newscrawl.extract`` and ``newscrawl.store.neardup`` (never Scrapy or a reactor) and ignore SIGINT and SIGTERM,
  so Ctrl-C, `timeout` and systemd stop only the crawl, which drains them;
* a page is sent as bytes + url + encoding + hints; the worker returns the :func:`extract_article` dict plus the
  text's ``minhash`` (:class:`newscrawl.store.neardup.Signature`) when the archive has near-duplicate detection on;
* at most ``max_pending`` pages are in the pool at once (a Twisted ``DeferredSemaphore``): memory stays flat
  however fast the downloader is, and a slow pool backs the downloader off through Scrapy's scraper slot;
* a page that runs past ``timeout`` seconds raises :class:`ExtractionTimeout`; one that kills its worker raises
  :class:`ExtractionCrash`; either way the pool replaces the worker and the crawl goes on.

:class:`ReactorStallMonitor` (extension, enabled by ``NEWSCRAWL_STALL_MONITOR``) ticks every 10 ms on the
reactor and records the longest lateness of a tick: how long the reactor was blocked by anything (extraction
inline, a database commit, a big sitemap). Stats: ``newscrawl/reactor/max_stall_ms``, ``.../stalls_over_100ms``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0  # seconds per page; a real article takes milliseconds, so only a pathological page hits it
PENDING_PER_WORKER = 4  # pages queued per worker: enough to keep every worker busy between two reactor turns
WORKER_NICE = 5  # workers yield the CPU to the reactor process: downloads never wait for extraction


class ExtractionError(Exception):
    """A page the pool could not extract; the page is skipped, the crawl goes on."""

    reason = "extraction_error"


class ExtractionTimeout(ExtractionError):
    reason = "extraction_timeout"


class ExtractionCrash(ExtractionError):
    reason = "extraction_crash"


# --------------------------------------------------------------------------- worker side (no Scrapy here)


def _warm_worker() -> None:
    """Pool initializer: ignore SIGTERM, lower priority, and import the extraction stack once, before the first
    page arrives.

    SIGTERM is ignored like SIGINT (pebble ignores that one): `timeout` sends it to its whole process group and
    systemd to the whole control group, and the crawl drains the pool on it; a worker that died on it lost its
    page. Pebble stops a worker (page time limit, abandoned close) with SIGTERM, then SIGKILL 3 s later: still
    stopped, 3 s later.
    """
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        os.nice(WORKER_NICE)
    except OSError:
        pass
    import newscrawl.extract
    import newscrawl.store.neardup  # noqa: F401


def extract_job(body: bytes | str, url: str, encoding: str | None, hints: dict | None,
                neardup_config: Any = None) -> dict[str, Any]:
    """Runs in a worker: the extraction record of one page, plus its MinHash signature if asked for.

    ``neardup_config`` is the archive's :class:`newscrawl.store.neardup.NearDupConfig` (None: no signature).
    """
    from newscrawl.extract import extract_article

    fields = extract_article(body, url, encoding=encoding, hints=hints)
    if neardup_config is not None and fields.get("is_article") and fields.get("text"):
        try:
            fields["minhash"] = neardup_config.signature(fields["text"])
        except Exception:  # the archive computes it again when missing: never lose a page over this
            logger.exception("signature failed for %s", url)
    return fields


# --------------------------------------------------------------------------- crawl side


def default_workers() -> int:
    """Worker processes by default: one per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class ExtractionPool:
    """A pool of ``workers`` spawned processes running :func:`extract_job`, with a per-page time limit.

    Thread-agnostic part only (``submit`` returns a ``concurrent.futures.Future``); :meth:`extract` wraps it in a
    Twisted Deferred, limited to ``max_pending`` pages in the pool at once, for the reactor thread.
    """

    def __init__(self, workers: int, timeout: float | None = DEFAULT_TIMEOUT, *, max_pending: int | None = None,
                 neardup_config: Any = None, start_method: str = "spawn",
                 job: Callable[..., dict[str, Any]] | None = None) -> None:
        if workers < 1:
            raise ValueError("an extraction pool needs at least one worker")
        self.workers = workers
        self.timeout = timeout if timeout and timeout > 0 else None
        self.max_pending = max_pending or PENDING_PER_WORKER * workers
        self.neardup_config = neardup_config
        self.start_method = start_method
        self.job = job or extract_job  # a module-level function (pickled by name); tests pass a misbehaving one
        self.counts = {"submitted": 0, "done": 0, "timeouts": 0, "crashes": 0}
        self._pool: Any = None
        self._semaphore: Any = None  # twisted DeferredSemaphore, created on the reactor thread in extract()

    # -- life cycle ---------------------------------------------------------------------------------------------

    def start(self, wait: bool = True) -> ExtractionPool:
        """Start the workers. They import the extraction stack in parallel (~1-2 s, once per crawl); ``wait``
        blocks until they have, otherwise the first pages simply queue while the crawl discovers its URLs."""
        from pebble import ProcessPool

        if self._pool is not None:
            return self
        self._pool = ProcessPool(max_workers=self.workers, initializer=_warm_worker,
                                 context=multiprocessing.get_context(self.start_method))
        futures = [self._pool.schedule(os.getpid) for _ in range(self.workers)]  # starts every worker now
        if wait:
            for future in futures:
                future.result(timeout=120)
        return self

    @property
    def running(self) -> bool:
        return self._pool is not None

    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and the benchmark)."""
        if self._pool is None:
            return []
        workers = getattr(self._pool._pool_manager, "worker_manager", None)
        return [w.pid for w in getattr(workers, "workers", {}).values() if w.pid] if workers else []

    def close(self, timeout: float | None = None) -> bool:
        """Finish every page already submitted, then stop the workers. True if all finished in ``timeout``.

        Pages still running after ``timeout`` are abandoned (their futures fail) and the workers killed.
        """
        pool, self._pool = self._pool, None
        if pool is None:
            return True
        pool.close()
        try:
            pool.join(timeout)
            return True
        except FutureTimeout:
            logger.warning("extraction pool: pages still running after %.0f s at close; stopping workers", timeout)
            pool.stop()
            pool.join()
            return False

    def terminate(self) -> None:
        """Stop now: pending pages are dropped (they are fetched again next run)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()
            pool.join()

    def __enter__(self) -> ExtractionPool:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- work ---------------------------------------------------------------------------------------------------

    def submit(self, body: bytes | str, url: str, encoding: str | None = None, hints: dict | None = None) -> Future:
        """Queue one page; the future gives the extraction dict or raises ExtractionTimeout / ExtractionCrash."""
        if self._pool is None:
            raise RuntimeError("extraction pool is not running")
        self.counts["submitted"] += 1
        inner = self._pool.schedule(self.job, args=(body, url, encoding, hints, self.neardup_config),
                                    timeout=self.timeout)
        outer: Future = Future()
        inner.add_done_callback(lambda f: self._settle(f, outer, url))
        return outer

    def _settle(self, inner: Future, outer: Future, url: str) -> None:
        """Translate pebble's outcomes (runs on pebble's result thread)."""
        from pebble import ProcessExpired

        if inner.cancelled():
            outer.set_exception(ExtractionError(f"{url}: cancelled at shutdown"))
            return
        exc = inner.exception()
        if exc is None:
            self.counts["done"] += 1
            outer.set_result(inner.result())
        elif isinstance(exc, FutureTimeout):
            self.counts["timeouts"] += 1
            outer.set_exception(ExtractionTimeout(f"{url}: extraction ran over {self.timeout:g} s; worker replaced"))
        elif isinstance(exc, ProcessExpired):
            self.counts["crashes"] += 1
            outer.set_exception(ExtractionCrash(f"{url}: extraction worker died ({exc}); worker replaced"))
        else:  # extract_article never raises; an error here is pickling or a bug in the job
            outer.set_exception(ExtractionError(f"{url}: {type(exc).__name__}: {exc}"))

    def extract(self, body: bytes | str, url: str, encoding: str | None = None, hints: dict | None = None):
        """On the reactor thread: a Deferred firing with the extraction dict, at most ``max_pending`` in the pool."""
        from twisted.internet.defer import DeferredSemaphore

        if self._semaphore is None:
            self._semaphore = DeferredSemaphore(self.max_pending)
        return self._semaphore.run(lambda: _deferred_from_future(self.submit(body, url, encoding, hints)))


def _deferred_from_future(future: Future):
    """A Deferred fired on the reactor thread when a concurrent future (set on another thread) completes."""
    from twisted.internet import reactor
    from twisted.internet.defer import Deferred

    d: Deferred = Deferred()

    def fire(f: Future) -> None:
        exc = f.exception()
        if exc is None:
            d.callback(f.result())
        else:
            d.errback(exc)

    future.add_done_callback(lambda f: reactor.callFromThread(fire, f))
    return d


# --------------------------------------------------------------------------- reactor stall monitor


class ReactorStallMonitor:
    """Extension: the longest time the reactor did not run a 10 ms timer on time (``NEWSCRAWL_STALL_MONITOR``)."""

    INTERVAL = 0.010

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.max_stall = 0.0
        self.over_100ms = 0
        self._loop: Any = None
        self._expected = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> ReactorStallMonitor:
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.getbool("NEWSCRAWL_STALL_MONITOR", False):
            raise NotConfigured
        monitor = cls(crawler)
        crawler.signals.connect(monitor.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(monitor.spider_closed, signal=signals.spider_closed)
        return monitor

    def spider_opened(self, spider: Any) -> None:
        self._schedule()

    def _schedule(self) -> None:
        from twisted.internet import reactor

        self._expected = time.monotonic() + self.INTERVAL
        self._loop = reactor.callLater(self.INTERVAL, self._tick)

    def _tick(self) -> None:
        late = time.monotonic() - self._expected  # how long past its time the reactor got to this timer
        if late > self.max_stall:
            self.max_stall = late
        if late > 0.1:
            self.over_100ms += 1
        self._schedule()

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._loop is not None and self._loop.active():
            self._loop.cancel()
        stats = self.crawler.stats
        stats.set_value("newscrawl/reactor/max_stall_ms", round(self.max_stall * 1000, 1))
        stats.set_value("newscrawl/reactor/stalls_over_100ms", self.over_100ms)
        logger.info("reactor: longest stall %.0f ms, %d stalls over 100 ms", self.max_stall * 1000, self.over_100ms)
