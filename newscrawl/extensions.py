"""Crawl-wide components: the archive connection and the run record.

``ArchiveExtension`` opens the archive once per crawl and shares it as ``crawler.newscrawl_archive`` (the
pipelines store through it, the spider asks it what is already known) and ``crawler.newscrawl_state``
(:class:`~newscrawl.crawlstate.CrawlState`). It writes the ``crawl_runs`` row when the spider opens, completes it
when the spider closes, and closes the archive last.
"""

from __future__ import annotations

import logging

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from .archive import Archive, redact
from .crawlstate import CrawlState

logger = logging.getLogger(__name__)


class ArchiveExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.archive = Archive.open(
            settings.get("ARCHIVE_URL"),
            batch_size=settings.getint("NEWSCRAWL_BATCH_SIZE"),
            neardup=settings.getbool("NEWSCRAWL_NEARDUP"),
            neardup_threshold=settings.getfloat("NEWSCRAWL_NEARDUP_THRESHOLD"),
            neardup_min_words=settings.getint("NEWSCRAWL_NEARDUP_MIN_WORDS"),
            neardup_permutations=settings.getint("NEWSCRAWL_NEARDUP_PERMUTATIONS"),
            neardup_shingle_size=settings.getint("NEWSCRAWL_NEARDUP_SHINGLE_SIZE"),
            neardup_min_names=settings.getfloat("NEWSCRAWL_NEARDUP_MIN_NAMES"),
            neardup_min_figures=settings.getfloat("NEWSCRAWL_NEARDUP_MIN_FIGURES"),
        )
        self.state = CrawlState(self.archive)
        crawler.newscrawl_archive = self.archive
        crawler.newscrawl_state = self.state
        crawler.newscrawl_run_status = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ArchiveExtension":
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        arguments = dict(getattr(spider, "arguments", {}))
        arguments["archive"] = redact(self.crawler.settings.get("ARCHIVE_URL"))
        run_id = self.state.start_run(spider.name, arguments)
        logger.info("crawl run %d started, archive %s", run_id, arguments["archive"])

    def spider_closed(self, spider: Spider, reason: str) -> None:
        status = self._status(spider, reason)
        self.crawler.newscrawl_run_status = status
        try:
            self.state.finish_run(status, self.crawler.stats.get_stats())
        finally:
            self.archive.close()
        logger.info("crawl run %s %s (%s)", self.state.run_id, status, reason)

    @staticmethod
    def _status(spider: Spider, reason: str) -> str:
        if reason == "shutdown":  # Ctrl-C / SIGTERM: graceful stop, resumable with JOBDIR
            return "interrupted"
        if reason.startswith("closespider_"):  # a CLOSESPIDER_* limit the user set
            return "stopped"
        if reason != "finished":
            return "failed"
        reachable = getattr(spider, "reachable_outlets", None)
        if reachable is not None and getattr(spider, "outlets", None) and not reachable:
            return "failed"  # not one outlet answered: the run did not do its job
        return "finished"
