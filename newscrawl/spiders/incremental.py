"""Incremental crawling: which listed URLs this run fetches, from what the archive remembers
(:class:`~newscrawl.store.crawlstate.CrawlState`).

A listed URL already archived is not requested again unless its listing date is newer than the archived copy
(``changed``); URLs a run listed but never archived (a killed run, a transient error) are asked for again as
``pending``; a few archived articles per outlet are re-checked each run (``NEWSCRAWL_RECHECK_PER_RUN``). Every
decision is counted (``newscrawl/skipped/known``, ``refetch/changed``...). With ``NEWSCRAWL_INCREMENTAL`` off,
or without an archive, everything listed is fetched.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ..store.crawlstate import OUTLET_LISTINGS

if TYPE_CHECKING:
    from ..outlets import Outlet
    from .sarawak import SarawakSpider


class Incremental:
    def __init__(self, spider: SarawakSpider) -> None:
        self.spider = spider

    @property
    def enabled(self) -> bool:
        return self.spider.state is not None and self.spider._flag("NEWSCRAWL_INCREMENTAL")

    def decide(self, url: str, outlet: Outlet, found_via: str, source_kind: str, listed_date: str | None) -> bool:
        """Whether to fetch ``url`` (listed by ``found_via``, a ``source_kind`` surface); records the listing."""
        spider, state = self.spider, self.spider.state
        needed, why = True, "new"
        if self.enabled and url not in spider.redirects.yielded:
            window = timedelta(days=spider.crawler.settings.getfloat("NEWSCRAWL_RECHECK_SKIPPED_DAYS"))
            needed, why = state.needs_fetch(url, listed_date, window)
        if state is not None and source_kind != "pending":
            state.listed(url, outlet.key, found_via, source_kind, listed_date)  # after the decision: it updates
            if why == "known_alias" and source_kind in OUTLET_LISTINGS and state.adopt_listed_url(url):
                spider._stat("duplicates/renamed_to_listed_url")
        if not needed:
            spider._stat(f"skipped/{'known' if why == 'known_alias' else why}")
        elif why == "changed":
            spider._stat("refetch/changed")
        return needed

    def pending(self, outlet: Outlet) -> list[tuple[str, str, str | None]]:
        """(url, source, listed date) of URLs listed in an earlier run but never archived: their sitemap may
        answer 304 now, so they are asked for directly. Lasting failures are skipped by ``decide``."""
        return self.spider.state.pending_listings(outlet.key) if self.enabled else []

    def recheck(self, outlet: Outlet) -> list[str]:
        """Archived articles of the outlet to fetch again in this run (a takedown or an edit shows)."""
        count = self.spider.crawler.settings.getint("NEWSCRAWL_RECHECK_PER_RUN")
        state = self.spider.state
        return state.articles_to_recheck(outlet.key, count) if count > 0 and state is not None else []
