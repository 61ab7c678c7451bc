"""Redirects and URL aliases of article pages, followed by the spider itself (not by Scrapy's RedirectMiddleware).

A variant of an article's URL (a shortlink, no trailing slash, an old slug) that redirects to a page already
fetched must still be filed as that article's alias, and Scrapy's dupefilter would silently drop the redirect.
So article requests are sent with ``dont_redirect``; this component follows a 3xx within the outlet's scope,
files every URL of the chain as an alias of the target, and records an archived article that now redirects
away (to the homepage, a section, another site) as a ``redirected`` event: a takedown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from scrapy.http import Response

from ..discovery.links import link_kind
from ..items import UrlAliasItem
from ..urls import clean_url

if TYPE_CHECKING:
    from ..outlets import Outlet
    from .sarawak import SarawakSpider

REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class Redirects:
    def __init__(self, spider: SarawakSpider) -> None:
        self.spider = spider
        self.variants: dict[str, set[str]] = {}  # cleaned URL -> listed variants not yet on an item
        self.yielded: set[str] = set()  # cleaned URLs whose page was yielded as an item in this run

    def follow(self, response: Response, outlet: Outlet) -> Iterator[Any]:
        """Requests and alias items for a 3xx answer to an article request."""
        spider = self.spider
        location = response.headers.get(b"Location")
        chain = [*response.meta.get("redirect_chain", []), response.url]
        if not location:
            spider._drop("redirect_without_location", response.url, outlet)
            return
        target_raw = response.urljoin(location.decode("latin-1"))
        target = clean_url(target_raw)
        if target is None or not outlet.in_scope(target):
            spider._drop("offsite_redirect", response.url, outlet)
            self.record_event(chain, target_raw)
            return
        if target in chain or len(chain) > spider.crawler.settings.getint("REDIRECT_MAX_TIMES"):
            spider._drop("redirect_loop", chain[0], outlet)
            return
        if link_kind(target) != "candidate":  # to the homepage, a section, a tag page: never an article
            self.record_event(chain, target_raw)
            spider._drop("redirect_to_non_article", chain[0], outlet)
            return
        for url in chain:  # every URL of the chain means the target article
            yield from self.note_variant(url, target)
        meta = {k: v for k, v in response.meta.items()
                if k in ("found_via", "listed_date", "hops", "recheck")}
        request = spider._request(target, spider.parse_page, outlet, kind="page", redirect_chain=chain, **meta)
        if request:
            yield request

    def note_variant(self, variant: str, target: str) -> Iterator[Any]:
        """File ``variant`` as another URL of the article fetched from ``target``."""
        if variant == target:
            return
        if target in self.yielded:
            yield UrlAliasItem(url=variant, alias_of=target)
        else:
            self.variants.setdefault(target, set()).add(variant)

    def take_variants(self, url: str) -> list[str]:
        """The variants waiting for ``url``'s item (it is being yielded now)."""
        self.yielded.add(url)
        return sorted(self.variants.pop(url, set()))

    def record_event(self, chain: list[str], location: str) -> None:
        """Archived articles of ``chain`` now redirect away (to ``location``): a takedown to record."""
        state = self.spider.state
        if state is None:
            return
        for url in chain:
            if state.article_event(clean_url(url) or url, "redirected", None, location=location):
                self.spider._stat("events/redirected")

    def check(self, response: Response, kind: str | None) -> None:
        """An archived article that now redirects to a non-article (``kind`` of the page it led to: 'article',
        'listing', 'other', or None for no HTML page) is recorded as an event."""
        redirects = response.meta.get("redirect_chain")
        state = self.spider.state
        if not redirects or state is None:
            return
        final = clean_url(response.url) or response.url
        final_known = state.known_article(final)
        for url in redirects:
            known = state.known_article(clean_url(url) or url)
            if known is not None and (final_known is None or final_known[0] != known[0]) and kind != "article":
                self.record_event([url], response.url)
