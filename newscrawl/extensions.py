"""Crawl-wide components: the archive connection and the run record, progress lines, log formatting.

``ArchiveExtension`` opens the archive once per crawl; other components reach it, and the run's
:class:`~newscrawl.store.crawlstate.CrawlState`, with :func:`archive_extension` (``crawler.get_extension``): the
pipelines store through it, the spider asks it what is already known. It repairs rows left pointing at deleted articles, writes the
``crawl_runs`` row when the spider opens, completes it when the spider closes with what was *committed*, and
closes the archive last. It decides the run's outcome (``run_status`` and, for a failed run, ``failure``: one
line naming the cause), which the crawl command turns into the exit status.
A failed commit (a full disk) stops the crawl at once: nothing fetched after it could be kept.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.logformatter import LogFormatter
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from . import distributed
from .errors import NETWORK_REASONS, REASON_WORDS, install_log_filter
from .store import integrity
from .store.archive import ArchiveError
from .store.crawlstate import CrawlState
from .store.engine import ArchiveConfig, redact

logger = logging.getLogger(__name__)

# Drops that mean our own code or the archive failed, not that a page was unsuitable.
ERROR_DROPS = ("store_error", "extraction_error", "extraction_crash")


def archive_extension(crawler: Crawler | None) -> ArchiveExtension | None:
    """The crawl's ArchiveExtension (None when it is not enabled, e.g. a unit test's bare crawler)."""
    if crawler is None or getattr(crawler, "extensions", None) is None:
        return None
    return crawler.get_extension(ArchiveExtension)


class ArchiveExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        install_log_filter()
        self.archive = ArchiveConfig.from_settings(settings).open()
        self.archive.on_failure = self._archive_failed
        self._repair_orphans()
        self.state = CrawlState(self.archive)
        self.run_status: str | None = None
        self.failure: str | None = None
        self.item_errors = 0
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self._item_error, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ArchiveExtension":
        return cls(crawler)

    def _repair_orphans(self) -> None:
        """Rows left pointing at articles deleted by hand would wedge their URLs: drop them before the crawl."""
        if not self.archive.read(integrity.suspect):
            return
        repaired = self.archive.write(lambda conn: integrity.repair(conn))
        if repaired:
            self.archive.flush()
            if self.archive.engine.dialect.name == "sqlite" and "article_urls" in repaired:
                from .store.fts import rebuild_fts

                rebuild_fts(self.archive.engine)  # its entries for the deleted rows are stale too
            logger.warning("repaired rows pointing at deleted articles: %s",
                           ", ".join(f"{n} in {table}" for table, n in sorted(repaired.items())))

    def _item_error(self, item: Any, response: Any, spider: Spider, failure: Any) -> None:
        self.item_errors += 1

    def _archive_failed(self, message: str) -> None:
        """A commit failed: what follows would be fetched for nothing. Stop the crawl (status 74)."""
        logger.error("%s: stopping the crawl", message)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason="archive_error"))

    def spider_opened(self, spider: Spider) -> None:
        arguments = dict(getattr(spider, "arguments", {}))
        arguments["archive"] = redact(self.crawler.settings.get("ARCHIVE_URL"))
        if distributed.enabled(self.crawler.settings):  # the run `scrapy seed` opened
            run_id = self.state.join_run(distributed.run_id(self.crawler.settings))
            logger.info("joined distributed crawl run %d, archive %s", run_id, arguments["archive"])
            return
        run_id = self.state.start_run(spider.name, arguments)
        logger.info("crawl run %d started, archive %s", run_id, arguments["archive"])

    def spider_closed(self, spider: Spider, reason: str) -> None:
        try:
            self.archive.flush()  # pipelines flushed already; a failure here is recorded on the archive
        except ArchiveError:
            pass
        stats = self._committed_stats(self.crawler.stats.get_stats())
        status, cause = self._outcome(spider, reason, stats)
        self.run_status = status
        self.failure = cause
        if cause:
            self.crawler.stats.set_value("newscrawl/failure", cause)
            stats["newscrawl/failure"] = cause
        try:
            if distributed.enabled(self.crawler.settings):  # the last worker out closes the run (crawl command)
                self.state.add_to_run(status, stats)
            else:
                self.state.finish_run("failed" if status == "archive_error" else status, stats)
        except ArchiveError as exc:  # the disk is full even for the run record: the next run marks it killed
            logger.error("cannot record the end of run %s: %s", self.state.run_id, exc)
        finally:
            try:
                self.archive.close()
            except ArchiveError as exc:
                logger.error("%s", exc)
        logger.info("crawl run %s %s (%s)", self.state.run_id, status, reason)

    def _committed_stats(self, stats: dict[str, Any]) -> dict[str, Any]:
        """The run's stats with the article counts replaced by what the archive committed."""
        stats = dict(stats)
        committed: Counter[str] = self.archive.committed
        for key in [k for k in stats if k.startswith("newscrawl/articles/")]:
            del stats[key]
        for status, n in committed.items():
            stats[f"newscrawl/articles/{status}"] = n
        stats["newscrawl/articles_stored"] = committed["new"] + committed["near_duplicate"]
        stats["newscrawl/archive/store_ms"] = round(self.archive.store_seconds * 1000)
        stats["newscrawl/archive/lock_wait_ms"] = round(self.archive.lock_wait_seconds * 1000)
        if self.archive.lost:
            stats["newscrawl/articles/lost_uncommitted"] = self.archive.lost
        for key in ("new", "near_duplicate", "updated", "unchanged", "duplicate_content"):
            self.crawler.stats.set_value(f"newscrawl/articles/{key}", committed[key])
        self.crawler.stats.set_value("newscrawl/articles_stored", stats["newscrawl/articles_stored"])
        return stats

    def _outcome(self, spider: Spider, reason: str, stats: dict[str, Any]) -> tuple[str, str | None]:
        """(run status, one-line cause for a failed run)."""
        if self.archive.failure:
            lost = f"; {self.archive.lost} stores of the open batch were not saved" if self.archive.lost else ""
            return "archive_error", f"{self.archive.failure}{lost}"
        if reason == "shutdown":  # Ctrl-C / SIGTERM: graceful stop, resumable with JOBDIR
            return "interrupted", None
        if reason.startswith("closespider_"):  # a CLOSESPIDER_* limit the user set
            return "stopped", None
        if reason != "finished":
            return "failed", f"the crawl stopped: {reason}"
        outlets = getattr(spider, "outlets", None) or []
        reachable = getattr(spider, "reachable_outlets", None)
        if reachable is not None:  # an outlet whose robots.txt forbade the whole run did not answer usefully
            reachable = reachable - getattr(spider, "robots_blocked", set())
        # a distributed worker may join when the others have fetched everything: reaching no outlet is normal
        if reachable is not None and outlets and not reachable and not distributed.enabled(self.crawler.settings):
            return "failed", f"no outlet answered: {len(outlets)} of {len(outlets)} unreachable ({_cause(stats)})"
        stored = sum(self.archive.committed.values())
        errors = {"spider errors": stats.get("spider_exceptions/count", 0), "item errors": self.item_errors,
                  **{k: stats.get(f"newscrawl/dropped/{k}", 0) for k in ERROR_DROPS}}
        if not stored and sum(errors.values()):
            named = ", ".join(f"{n} {k}" for k, n in errors.items() if n)
            return "failed", f"nothing stored because of errors: {named} (see the log)"
        return "finished", None


def _cause(stats: dict[str, Any]) -> str:
    """The most common network reason among failed requests, in words."""
    reasons: Counter[str] = Counter()
    for key, value in stats.items():
        if key.startswith(("newscrawl/unavailable/", "newscrawl/dropped/", "newscrawl/robots/unavailable/")):
            reason = key.rsplit("/", 1)[-1]
            if reason in NETWORK_REASONS or reason.startswith("http_"):
                where = " at robots.txt, so disallowed for this run (RFC 9309)" if "/robots/" in key else ""
                reasons[reason + where] += value
    if not reasons:
        return "no answer"
    plain = Counter({k: n for k, n in reasons.items() if " " not in k})  # a host that is down: its own reason
    reason, _, where = (plain or reasons).most_common(1)[0][0].partition(" ")
    words = REASON_WORDS.get(reason, reason.replace("_", " ").replace("http ", "HTTP "))
    return f"{words} {where}".strip()


class Progress:
    """An INFO line every ``NEWSCRAWL_PROGRESS_INTERVAL`` seconds: articles stored, pages fetched and requests
    pending, per outlet. A downloader middleware (placed first) so that it sees every request leave the queue."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.fetched: Counter[str] = Counter()
        self.queued: Counter[str] = Counter()  # scheduled, not yet taken from the queue
        self._loop: task.LoopingCall | None = None
        crawler.signals.connect(self._scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(self._dropped, signal=signals.request_dropped)
        crawler.signals.connect(self._received, signal=signals.response_received)
        crawler.signals.connect(self._opened, signal=signals.spider_opened)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "Progress":
        interval = crawler.settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured("progress lines are off (NEWSCRAWL_PROGRESS_INTERVAL = 0)")
        return cls(crawler, interval)

    @staticmethod
    def _outlet(request: Any) -> str | None:
        """The outlet a request is for (None for Scrapy's own, e.g. the robots.txt middleware's fetch)."""
        return getattr(request.meta.get("outlet"), "key", None)

    def _count(self, counter: Counter, request: Any, n: int) -> None:
        key = self._outlet(request)
        if key is not None:
            counter[key] += n

    def _scheduled(self, request: Any, spider: Spider) -> None:
        self._count(self.queued, request, 1)

    def _dropped(self, request: Any, spider: Spider) -> None:
        self._count(self.queued, request, -1)

    def process_request(self, request: Any, spider: Spider | None = None) -> None:
        self._count(self.queued, request, -1)

    def _received(self, response: Any, request: Any, spider: Spider) -> None:
        self._count(self.fetched, request, 1)

    def _opened(self, spider: Spider) -> None:
        self._loop = task.LoopingCall(self.log)
        self._loop.start(self.interval, now=False)

    def _closed(self, spider: Spider) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()

    def log(self) -> None:
        stats = self.crawler.stats
        outlets = sorted(self.queued)  # every outlet that had a request scheduled
        parts = [f"{key}: {stats.get_value(f'newscrawl/outlet/{key}/stored', 0)} stored, {self.fetched[key]} "
                 f"fetched, {max(self.queued[key], 0)} pending" for key in outlets]
        logger.info("progress: %d articles stored, %d pages fetched, %d pending; %s",
                    sum(stats.get_value(f"newscrawl/outlet/{k}/stored", 0) for k in outlets),
                    sum(self.fetched.values()), sum(max(v, 0) for v in self.queued.values()),
                    "; ".join(parts) or "nothing scheduled yet")


class QuietLogFormatter(LogFormatter):
    """A dropped item is one line, reason and URL (Scrapy's default prints the whole item: the raw page, the
    near-duplicate signature...). A scraped item is logged by URL at DEBUG."""

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Spider) -> dict[str, Any]:
        result = super().dropped(item, exception, response, spider)
        result["msg"], result["args"] = "Dropped: %(exception)s", {"exception": exception}
        return result

    def scraped(self, item: Any, response: Any, spider: Spider) -> dict[str, Any]:
        result = super().scraped(item, response, spider)
        url = item.get("url") if hasattr(item, "get") else None
        result["msg"], result["args"] = "Stored %(url)s", {"url": url or type(item).__name__}
        return result
