"""``scrapy crawl sarawak``: discover and fetch the articles of the Sarawak outlets.

Discovery order per outlet: robots.txt (its ``Sitemap:`` lines, else the conventional sitemap locations), the
outlet's listed sitemaps and feeds, the homepage (feeds it links, its sections). Sections are walked with their
pagination up to ``NEWSCRAWL_PAGINATION_DEPTH`` pages. Every fetched page proves itself an article from its own
evidence; only candidates are yielded, as raw pages, and the item pipelines extract, check, dedupe and store.
"""

from __future__ import annotations

import logging
from typing import Any, Iterator
from urllib.parse import urljoin

import scrapy
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

from ..dates import is_before, parse_since, utc_now_iso
from ..discovery import Listed
from ..discovery.feeds import feed_links, parse_feed
from ..discovery.links import link_kind, page_number
from ..discovery.robots import conventional_sitemaps, sitemaps_from_robots
from ..discovery.sitemaps import lists_articles, parse_sitemap
from ..extract import classify_page
from ..items import ArticleItem, UrlAliasItem
from ..outlets import Outlet, OutletError, load_outlets, parse_site_arg
from ..urls import clean_url

logger = logging.getLogger(__name__)


class SarawakSpider(scrapy.Spider):
    name = "sarawak"

    def __init__(self, site: str | None = None, since: str | None = None, outlets_file: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Bad arguments raise here with a user message; the crawl command shows it before any request.
        self.outlets: list[Outlet] = parse_site_arg(site) if site is not None else load_outlets(outlets_file)
        self.since = parse_since(since) if since else None
        # cleaned URL -> listed variants not yet attached to an item (aliases for article_urls)
        self._variants: dict[str, set[str]] = {}
        self._yielded: set[str] = set()

    # -- helpers -----------------------------------------------------------------------------------------------
    def _stat(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"newscrawl/{key}", count)

    def _setting(self, name: str) -> Any:
        return self.crawler.settings.get(name)

    def _request(self, url: str, callback, outlet: Outlet, *, priority: int = 0, **meta: Any) -> Request | None:
        if not outlet.in_scope(url):
            self._stat("skipped/offsite_link")
            return None
        return Request(url, callback=callback, errback=self.on_error, priority=priority,
                       meta={"outlet": outlet, **meta})

    # -- start -------------------------------------------------------------------------------------------------
    async def start(self):
        for request in self.start_requests_sync():
            if request is not None:
                yield request

    def start_requests_sync(self) -> Iterator[Request]:
        for outlet in self.outlets:
            origin = outlet.origin
            yield self._request(urljoin(origin, "/robots.txt"), self.parse_robots, outlet, priority=30,
                                dont_obey_robotstxt=True, handle_httpstatus_list=[404, 403, 410, 401])
            for url in outlet.sitemaps:
                yield self._request(url, self.parse_sitemap, outlet, priority=20)
            for url in outlet.feeds or (urljoin(origin, "/feed/"),):
                yield self._request(url, self.parse_feed, outlet, priority=20)
            yield self._request(outlet.homepage, self.parse_listing, outlet, priority=10, hops=0,
                                found_via=outlet.homepage)

    # -- listing surfaces ----------------------------------------------------------------------------------------
    def parse_robots(self, response: Response) -> Iterator[Request]:
        outlet: Outlet = response.meta["outlet"]
        text = response.text if isinstance(response, TextResponse) and response.status == 200 else ""
        sitemaps = sitemaps_from_robots(text, response.url) or conventional_sitemaps(outlet.origin)
        for url in sitemaps:
            request = self._request(url, self.parse_sitemap, outlet, priority=20)
            if request:
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        outlet: Outlet = response.meta["outlet"]
        self._stat("fetched/sitemap")
        body = _maybe_gunzip(response.body)
        for entry in parse_sitemap(body):
            if entry.is_sitemap:
                if not lists_articles(entry.url):
                    self._stat("skipped/non_article_sitemap")
                elif is_before(entry.date, self.since):
                    self._stat("skipped/before_since")
                else:
                    request = self._request(urljoin(response.url, entry.url), self.parse_sitemap, outlet,
                                            priority=20)
                    if request:
                        yield request
            else:
                yield from self._candidate(entry, response.url, outlet)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        outlet: Outlet = response.meta["outlet"]
        self._stat("fetched/feed")
        for entry in parse_feed(response.body, response.url):
            yield from self._candidate(entry, response.url, outlet)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        """Homepage and section pages: follow sections, their pagination and article candidates."""
        outlet: Outlet = response.meta["outlet"]
        if not self._check_page(response, outlet):
            return
        self._stat("fetched/listing")
        yield from self._follow_links(response, outlet, response.meta.get("hops", 0))

    def _follow_links(self, response: HtmlResponse, outlet: Outlet, hops: int) -> Iterator[Request]:
        if hops == 0:  # feeds advertised by the homepage
            alternates = [(link.attrib.get("type", ""), response.urljoin(link.attrib.get("href", "")))
                          for link in response.css('link[rel="alternate"]')]
            for url in feed_links(alternates):
                request = self._request(url, self.parse_feed, outlet, priority=20)
                if request:
                    yield request
        max_hops = self.crawler.settings.getint("NEWSCRAWL_LISTING_DEPTH")
        max_pages = self.crawler.settings.getint("NEWSCRAWL_PAGINATION_DEPTH")
        for href in response.css("a::attr(href)").getall():
            raw = response.urljoin(href)
            url = clean_url(raw)
            if not url or not outlet.in_scope(url):
                continue
            kind = link_kind(url)
            if kind == "candidate":
                yield from self._candidate(Listed(url=raw), response.url, outlet, hops=hops)
            elif kind == "section" and hops < max_hops:
                request = self._request(url, self.parse_listing, outlet, priority=5, hops=hops + 1,
                                        found_via=response.url)
                if request:
                    yield request
            elif kind == "pagination" and page_number(url) <= max_pages:
                request = self._request(url, self.parse_listing, outlet, priority=4, hops=hops,
                                        found_via=response.url)
                if request:
                    yield request

    def _candidate(self, entry: Listed, found_via: str, outlet: Outlet, hops: int | None = None
                   ) -> Iterator[Request]:
        listed = urljoin(found_via, entry.url)
        url = clean_url(listed)
        if url is None or not outlet.in_scope(url):
            self._stat("skipped/offsite_link" if url else "skipped/bad_url")
            return
        if is_before(entry.date, self.since):
            self._stat("skipped/before_since")
            return
        if listed != url:
            if url in self._yielded:  # article already out: file the variant on its own
                yield UrlAliasItem(url=listed, alias_of=url)
            else:
                self._variants.setdefault(url, set()).add(listed)
        request = self._request(url, self.parse_page, outlet, priority=0, found_via=found_via,
                                listed_date=entry.date, hops=hops)
        if request:
            yield request

    # -- pages -------------------------------------------------------------------------------------------------
    def parse_page(self, response: Response) -> Iterator[Any]:
        outlet: Outlet = response.meta["outlet"]
        if not self._check_page(response, outlet):
            return
        kind = classify_page(response.text, response.url)
        if kind == "listing" and response.meta.get("hops") is not None:
            # a section whose URL did not look like one: walk it like any listing
            self._stat("fetched/listing")
            hops = response.meta["hops"] + 1
            if hops <= self.crawler.settings.getint("NEWSCRAWL_LISTING_DEPTH"):
                yield from self._follow_links(response, outlet, hops)
            return
        if kind != "article":
            self._stat(f"dropped/not_article_{kind}")
            return
        self._stat("fetched/article")
        requested = clean_url(response.request.url) or response.request.url
        redirects = response.request.meta.get("redirect_urls", [])
        variants = sorted(self._variants.pop(requested, set()))
        self._yielded.add(requested)
        yield ArticleItem(
            url=response.url,
            requested_urls=list(dict.fromkeys([*redirects, requested, *variants])),
            outlet=outlet.key,
            body=response.body,
            encoding=response.encoding,
            status=response.status,
            found_via=response.meta.get("found_via"),
            listed_date=response.meta.get("listed_date"),
            fetched_at=utc_now_iso(),
            hints=outlet.extraction_hints(),
        )

    def _check_page(self, response: Response, outlet: Outlet) -> bool:
        """False (and a counted skip) for responses that cannot be an HTML page of this outlet."""
        if not outlet.in_scope(response.url):
            self._stat("dropped/offsite_redirect")
            return False
        if not isinstance(response, HtmlResponse):
            ctype = response.headers.get("Content-Type", b"").decode("latin-1").split(";")[0] or "unknown"
            self._stat("dropped/not_html")
            logger.info("skipped %s: not an HTML page (%s)", response.url, ctype)
            return False
        if not response.body.strip():
            self._stat("dropped/empty_body")
            logger.info("skipped %s: empty body", response.url)
            return False
        return True

    # -- errors ------------------------------------------------------------------------------------------------
    def on_error(self, failure) -> None:
        request = failure.request
        if failure.check(HttpError):
            status = failure.value.response.status
            reason = f"http_{status}"
        elif failure.check(DNSLookupError):
            reason = "dns_error"
        elif failure.check(TimeoutError, TCPTimedOutError):
            reason = "timeout"
        elif failure.check(ConnectionRefusedError):
            reason = "connection_refused"
        else:
            reason = _error_reason(failure)
        self._stat(f"dropped/{reason}")
        level = logging.INFO if reason.startswith("http_404") else logging.WARNING
        logger.log(level, "skipped %s: %s", request.url, reason if reason != "error" else failure.getErrorMessage())


def _error_reason(failure) -> str:
    message = failure.getErrorMessage().lower()
    if "max redirections" in message or "redirect" in message:
        return "redirect_loop"
    if "maxsize" in message or "exceeded" in message or "cancelled" in message:
        return "too_large"
    return "error"


def _maybe_gunzip(body: bytes) -> bytes:
    if body[:2] == b"\x1f\x8b":
        from scrapy.utils.gz import gunzip

        try:
            return gunzip(body, max_size=50 * 1024 * 1024)
        except Exception:  # noqa: BLE001 - a broken .gz sitemap is just an empty one
            return b""
    return body
