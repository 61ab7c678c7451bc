"""The frontier feeder: article requests decided from sitemaps and feeds wait in the archive's ``frontier`` table
(:mod:`newscrawl.store.crawlstate`) and enter Scrapy's scheduler only while it has room.

Scrapy holds ~4 KB per queued request: a 200,000-URL sitemap decided at once took 1.2 GB. With
``NEWSCRAWL_FRONTIER_SIZE`` > 0 the spider queues such requests here and this component tops the scheduler up
(every half second, and whenever the spider is idle) with at most that many.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from twisted.internet import task

if TYPE_CHECKING:
    from ..outlets import Outlet
    from .sarawak import SarawakSpider


class FrontierFeeder:
    def __init__(self, spider: SarawakSpider) -> None:
        self.spider = spider
        self._decided: list[tuple[str, str, str | None, str | None]] = []  # since the last push
        self.waiting = 0  # rows in the table not yet fed
        self._loop: task.LoopingCall | None = None

    def connect(self, crawler: Any) -> None:
        crawler.signals.connect(self._on_idle, signal=signals.spider_idle)
        crawler.signals.connect(self._stop, signal=signals.spider_closed)

    @property
    def size(self) -> int:
        """Article requests from sitemaps/feeds let into Scrapy's scheduler at once (0: all, no frontier)."""
        spider = self.spider
        return spider.crawler.settings.getint("NEWSCRAWL_FRONTIER_SIZE") if spider.state is not None else 0

    @property
    def pending(self) -> int:
        """Requests decided but not yet pushed to the table."""
        return len(self._decided)

    def start(self) -> None:
        """At the start of a run: forget what a killed run left (it is listed again), start the feeding loop."""
        if self.size:
            self.spider.state.frontier_clear()
            self._loop = task.LoopingCall(self.feed)
            self._loop.start(0.5, now=False)

    def queue(self, url: str, outlet: Outlet, found_via: str, listed_date: str | None) -> None:
        self._decided.append((url, outlet.key, found_via, listed_date))

    def push(self) -> None:
        """Write the requests decided since the last push to the frontier, then top the scheduler up."""
        rows, self._decided = self._decided, []
        if rows:
            self.spider.state.frontier_push(rows)
            self.waiting += len(rows)
            self.spider._stat("frontier/queued", len(rows))
            self.feed()

    def feed(self) -> None:
        """Move frontier rows into the scheduler while it holds less than half of NEWSCRAWL_FRONTIER_SIZE."""
        spider, size = self.spider, self.size
        engine = spider.crawler.engine
        # Engine.scheduler is public from Scrapy 2.19; the slot's before
        scheduler = getattr(engine, "scheduler", None) or getattr(getattr(engine, "_slot", None), "scheduler", None)
        if not self.waiting or scheduler is None or spider._closing():
            return
        room = size - len(scheduler)
        if room < size // 2:
            return
        outlets = {o.key: o for o in spider.outlets}
        rows = spider.state.frontier_pop(room)
        self.waiting = self.waiting - len(rows) if rows else 0
        for url, key, found_via, listed_date in rows:
            request = spider._request(url, spider.parse_page, outlets[key], kind="page", found_via=found_via,
                                      listed_date=listed_date, hops=None)
            if request:
                engine.crawl(request)
        spider.crawler.stats.max_value("newscrawl/frontier/scheduler_peak", len(scheduler))

    def _on_idle(self, spider: Any) -> None:
        if self.waiting:
            self.feed()
            raise DontCloseSpider

    def _stop(self, spider: Any) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
