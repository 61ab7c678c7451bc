"""Extension: commit the archive's open batch once it is ``NEWSCRAWL_BATCH_SECONDS`` old.

A batch is committed when it holds ``NEWSCRAWL_BATCH_SIZE`` stores; on a slow crawl that can take minutes, and
a SIGKILL in between loses all of it. This clock, on the reactor thread, commits an older batch every second
or so, so a kill loses seconds of work at most. Stat: ``newscrawl/archive/timed_commits``.
"""

from __future__ import annotations

import logging

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall

from .extensions import archive_extension
from .store.engine import ArchiveError

logger = logging.getLogger(__name__)


class BatchClock:
    def __init__(self, crawler: Crawler, seconds: float) -> None:
        self.crawler = crawler
        self.seconds = seconds
        self._loop: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BatchClock:
        seconds = crawler.settings.getfloat("NEWSCRAWL_BATCH_SECONDS")
        if seconds <= 0:
            raise NotConfigured
        clock = cls(crawler, seconds)
        crawler.signals.connect(clock.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(clock.spider_closed, signal=signals.spider_closed)
        return clock

    def spider_opened(self, spider: Spider) -> None:
        self._loop = LoopingCall(self.tick)
        self._loop.start(min(1.0, self.seconds / 2), now=False)

    def tick(self) -> None:
        ext = archive_extension(self.crawler)
        if ext is None:
            return
        archive = ext.archive
        try:
            if archive.flush_if_older(self.seconds):
                self.crawler.stats.inc_value("newscrawl/archive/timed_commits")
        except ArchiveError as exc:  # the batch is rolled back and logged by the archive; keep the clock going
            self.crawler.stats.inc_value("newscrawl/archive/commit_failed")
            logger.error("%s", exc)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
