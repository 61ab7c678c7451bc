"""``scrapy crawl sarawak``: discover and fetch the articles of the Sarawak outlets.

Discovery per outlet: robots.txt (its ``Sitemap:`` lines, else the conventional sitemap locations), the outlet's
listed sitemaps and feeds, the WordPress REST API when present, the homepage (feeds it links, its sections), and
sections with their pagination up to ``NEWSCRAWL_PAGINATION_DEPTH`` pages. Every fetched page proves itself an
article from its own evidence; only candidates are yielded, as raw pages, and the item pipelines extract, check,
dedupe and store.

Incremental by default: a listed URL already archived is not requested again unless its listing date is newer
than the archived copy; sitemaps, feeds and section pages are revisited with conditional GET; a section's
pagination stops at the first page that lists nothing new.

The spider parses what the discovery modules cannot (responses into requests) and calls components for the rest:
:class:`~newscrawl.spiders.incremental.Incremental` (which listed URLs to fetch),
:class:`~newscrawl.spiders.frontier.FrontierFeeder` (sitemap-sized request sets, fed to the scheduler as it
drains), :class:`~newscrawl.spiders.redirects.Redirects` (3xx of article pages, aliases, takedown events).
"""

from __future__ import annotations

import contextlib
import json
import logging
from typing import Any, AsyncIterator, Callable, Iterator
from urllib.parse import urlencode, urljoin

import scrapy
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import get_base_url
from twisted.internet import task, threads
from twisted.internet.defer import DeferredLock

from ..dates import is_before, parse_since, utc_now_iso
from ..discovery import Listed
from ..discovery.feeds import feed_links, parse_feed
from ..discovery.links import MAX_URL_LENGTH, page_links, page_number
from ..discovery.robots import conventional_sitemaps, sitemaps_from_robots
from ..discovery.sitemaps import BadSitemap, lists_articles, read_sitemap, sitemap_xml
from ..errors import failure_reason
from ..extensions import archive_extension
from ..extract import classify_page
from ..items import ArticleItem
from ..outlets import Outlet, load_outlets, parse_site_arg
from ..tagscan import claims_article, declared_links
from ..urls import clean_url
from .frontier import FrontierFeeder
from .incremental import Incremental
from .redirects import REDIRECT_STATUSES, Redirects

logger = logging.getLogger(__name__)

LISTING_KINDS = ("sitemap", "feed", "listing")
FRONTIER_KINDS = ("sitemap", "feed", "pending")  # listings that can name thousands of articles at once


class SarawakSpider(scrapy.Spider):
    name = "sarawak"

    def __init__(self, site: str | None = None, since: str | None = None, outlets_file: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Bad arguments raise here with a user message; the crawl command shows it before any request.
        self._outlets_file = outlets_file
        self.outlets: list[Outlet] = parse_site_arg(site) if site is not None else load_outlets(outlets_file)
        self.since = parse_since(since) if since else None
        self.arguments = {k: v for k, v in {"site": site, "since": since, "outlets_file": outlets_file}.items() if v}
        self.reachable_outlets: set[str] = set()
        self.robots_blocked: set[str] = set()  # robots.txt unreachable or 5xx: nothing may be fetched (RFC 9309)
        self.redirects = Redirects(self)  # 3xx of article pages, URL aliases, takedown events
        self.incremental = Incremental(self)  # which listed URLs this run fetches
        self._from_listings: set[str] = set()  # article URLs homepage/section pages gave in this run
        # first page of a section -> its further pages requested in this run: pagination is bounded by pages
        # followed, because a "next" link can keep its number and change a parameter (?paged=2&cb=N) for ever
        self._pages_followed: dict[str, set[str]] = {}
        self._sitemaps: dict[str, set[str]] = {}  # outlet -> sitemap URLs requested in this run (bounded)
        self._warned: set[str] = set()  # outlets whose sitemap limit was logged
        # article requests from sitemaps/feeds wait in the archive's frontier table, not in Scrapy's scheduler
        self.frontier = FrontierFeeder(self)
        self._sitemap_lock = DeferredLock()

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> "SarawakSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        configured = crawler.settings.get("NEWSCRAWL_OUTLETS_FILE")
        if kwargs.get("site") is None and not kwargs.get("outlets_file") and configured:
            spider.outlets = load_outlets(configured)
        spider.frontier.connect(crawler)
        return spider

    # -- helpers -----------------------------------------------------------------------------------------------
    @property
    def state(self):
        ext = archive_extension(getattr(self, "crawler", None))
        return ext.state if ext is not None else None

    def _stat(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"newscrawl/{key}", count)

    def _flag(self, name: str) -> bool:
        return self.crawler.settings.getbool(name)

    def _closing(self) -> bool:
        """Whether the crawl is stopping (Ctrl-C, SIGTERM, a CLOSESPIDER_* limit): long listings stop being decided,
        or a graceful stop would wait until a million sitemap entries are (what is left is listed again next run)."""
        slot = getattr(self.crawler.engine, "_slot", None)  # Scrapy has no public "closing" flag
        return not self.crawler.crawling or bool(getattr(slot, "closing", None))

    def _drop(self, reason: str, url: str, outlet: Outlet | None, level: int = logging.INFO) -> None:
        """A counted, logged and recorded skip of one page."""
        self._stat(f"dropped/{reason}")
        logger.log(level, "skipped %s: %s", url, reason)
        if self.state is not None:
            self.state.skipped(clean_url(url) or url, outlet.key if outlet else None, reason)

    def _request(self, url: str, callback, outlet: Outlet, *, kind: str, priority: int = 0, **meta: Any
                 ) -> Request | None:
        if not outlet.in_scope(url):
            self._stat("skipped/offsite_link")
            return None
        headers = {}
        if kind in LISTING_KINDS and self.state is not None and self._flag("NEWSCRAWL_CONDITIONAL_GET"):
            headers = self.state.validators(url)
            meta["handle_httpstatus_list"] = [304]
        if kind == "page":
            # Redirects of article pages are followed here, not by RedirectMiddleware: a variant (shortlink,
            # no trailing slash) redirecting to a page already fetched must still be filed as its alias, and
            # the dupefilter would silently drop that redirect.
            meta.setdefault("dont_redirect", True)
            meta["handle_httpstatus_list"] = list(REDIRECT_STATUSES)
        return Request(url, callback=callback, errback=self.on_error, priority=priority, headers=headers,
                       meta={"outlet": outlet, "kind": kind, **meta})

    def _follow_root_move(self, response: Response) -> None:
        """A root that redirects to itself on https or with/without ``www.`` has moved: its new origin is in scope."""
        outlet: Outlet = response.meta["outlet"]
        if response.meta.get("redirect_urls") and outlet.moved_to(response.url):
            self._stat("scope/root_moved")
            logger.info("%s moved to %s: following it there", outlet.homepage, response.url)

    def _listing_response(self, response: Response) -> bool:
        """Bookkeeping for a sitemap/feed/listing answer; False when it was a 304 (nothing changed)."""
        outlet: Outlet = response.meta["outlet"]
        self.reachable_outlets.add(outlet.key)
        kind = response.meta["kind"]
        if response.status == 304:
            self._stat(f"not_modified/{kind}")
            return False
        self._stat(f"fetched/{kind}")
        if self.state is not None and self._flag("NEWSCRAWL_CONDITIONAL_GET"):
            self.state.remember_validators(
                response.url,
                _header(response, b"ETag"),
                _header(response, b"Last-Modified"),
            )
        return True

    # -- start -------------------------------------------------------------------------------------------------
    async def start(self):
        if self.crawler.settings.getbool("NEWSCRAWL_DISTRIBUTED"):
            return  # `scrapy seed` queued the start requests in Redis (newscrawl.distributed)
        self.frontier.start()
        for request in self._start_requests():
            if request is not None:
                yield request

    def _start_requests(self) -> Iterator[Request | None]:
        for outlet in self.outlets:
            origin = outlet.origin
            yield self._request(urljoin(origin, "/robots.txt"), self.parse_robots, outlet, kind="robots",
                                priority=30, dont_obey_robotstxt=True,
                                handle_httpstatus_list=list(range(400, 500)))  # 4xx: allow all, guess sitemaps
            for url in outlet.sitemaps:
                yield self._sitemap_request(url, outlet, depth=0)
            for url in outlet.feeds or (urljoin(origin, "/feed/"),):
                yield self._request(url, self.parse_feed, outlet, kind="feed", priority=20)
            if self._flag("NEWSCRAWL_WP_JSON"):
                yield self._wp_json_request(outlet)
            yield self._request(outlet.homepage, self.parse_listing, outlet, kind="listing", priority=10, hops=0)
            yield from self._pending_requests(outlet)
            yield from self._recheck_requests(outlet)

    def _pending_requests(self, outlet: Outlet) -> Iterator[Request | None]:
        """URLs listed in an earlier run but never archived (killed run, transient error): their sitemap may
        answer 304 now, so they are asked for here. Lasting failures are skipped by ``needs_fetch``."""
        pending = self.incremental.pending(outlet)
        if not pending:
            return
        entries = [Listed(url=url, date=date) for url, _, date in pending]
        with self._batch(entries, outlet.homepage):
            out = [r for (_, source, _), entry in zip(pending, entries)
                   for r in self._candidate(entry, source, outlet, "pending")[0]]
        self._stat("pending/requested", sum(isinstance(r, Request) for r in out) + self.frontier.pending)
        self.frontier.push()
        yield from out

    def _wp_json_request(self, outlet: Outlet) -> Request | None:
        params = {"per_page": 100, "_fields": "link,modified_gmt", "orderby": "modified"}
        last = self.state.last_run_started() if self.state is not None else None
        if last:
            params["modified_after"] = last[:19]
        url = urljoin(outlet.origin, "/wp-json/wp/v2/posts?" + urlencode(params))
        return self._request(url, self.parse_wp_json, outlet, kind="wp-json", priority=15,
                             handle_httpstatus_list=[400, 401, 403, 404])

    def _recheck_requests(self, outlet: Outlet) -> Iterator[Request | None]:
        for url in self.incremental.recheck(outlet):
            self._stat("recheck/requested")
            yield self._request(url, self.parse_page, outlet, kind="page", priority=-5, dont_filter=True,
                                recheck=True)

    # -- listing surfaces ----------------------------------------------------------------------------------------
    def parse_robots(self, response: Response) -> Iterator[Request]:
        self._follow_root_move(response)
        outlet: Outlet = response.meta["outlet"]
        self.reachable_outlets.add(outlet.key)  # it answered (2xx or 4xx)
        text = response.text if isinstance(response, TextResponse) and response.status == 200 else ""
        sitemaps = sitemaps_from_robots(text, response.url) or conventional_sitemaps(outlet.origin)
        for url in sitemaps:
            request = self._sitemap_request(url, outlet, depth=0)
            if request:
                yield request

    def _sitemap_request(self, url: str, outlet: Outlet, depth: int) -> Request | None:
        """A sitemap request within the bounds: ``depth`` levels of sitemap indexes below the ones robots.txt or
        the outlet names, and NEWSCRAWL_SITEMAPS_PER_OUTLET distinct sitemaps (an index can list "new" children
        for ever: the same path with a changing query string)."""
        settings = self.crawler.settings
        requested = self._sitemaps.setdefault(outlet.key, set())
        if url in requested:
            return None
        if depth > settings.getint("NEWSCRAWL_SITEMAP_DEPTH"):
            self._stat("skipped/sitemap_depth")
            return None
        if len(requested) >= settings.getint("NEWSCRAWL_SITEMAPS_PER_OUTLET"):
            self._stat("skipped/sitemap_limit")
            if outlet.key not in self._warned:
                self._warned.add(outlet.key)  # one line per outlet
                logger.warning("%s: more than %d sitemaps, the rest skipped (NEWSCRAWL_SITEMAPS_PER_OUTLET)",
                               outlet.key, len(requested))
            return None
        max_size = settings.getint("NEWSCRAWL_SITEMAP_MAX_SIZE")
        request = self._request(url, self.parse_sitemap, outlet, kind="sitemap", priority=20, sitemap_depth=depth,
                                download_maxsize=max_size, download_warnsize=max_size)
        if request:
            requested.add(url)
        return request

    async def parse_sitemap(self, response: Response) -> AsyncIterator[Any]:
        self._follow_root_move(response)
        if not self._listing_response(response):
            return
        # One sitemap read and decided at a time: an index names dozens of 50,000-URL sitemaps that arrive together,
        # and each one's entries (~10 MB) would otherwise be held at once.
        await maybe_deferred_to_future(self._sitemap_lock.acquire())
        try:
            async for out in self._read_sitemap(response):
                yield out
        finally:
            self._sitemap_lock.release()

    async def _read_sitemap(self, response: Response) -> AsyncIterator[Any]:
        outlet: Outlet = response.meta["outlet"]
        settings = self.crawler.settings
        limit = settings.getint("NEWSCRAWL_SITEMAP_MAX_URLS")
        max_size = response.meta.get("download_maxsize") or settings.getint("NEWSCRAWL_SITEMAP_MAX_SIZE")
        try:
            entries, over = await _in_thread(lambda: read_sitemap(sitemap_xml(response.body, max_size), limit))
        except BadSitemap as exc:
            self._stat(f"unavailable/sitemap/{exc.reason}")
            logger.warning("sitemap dropped: %s: %s (%s)", response.url, exc.reason, exc)
            return
        if over:
            self._stat("skipped/sitemap_urls_limit", over)
            logger.warning("sitemap %s lists %d URLs: read the first %d (NEWSCRAWL_SITEMAP_MAX_URLS)",
                           response.url, limit + over, limit)
        for chunk in self._chunks(entries):
            with self._batch(chunk, response.url):  # decided in one go: a batch must not interleave
                out = list(self._sitemap_entries(chunk, response, outlet))
            self.frontier.push()
            for request in out:
                yield request
            await _breathe()

    def _chunks(self, entries: list[Listed]) -> Iterator[list[Listed]]:
        """Entries of a sitemap, feed or listing page, NEWSCRAWL_LISTING_CHUNK at a time (a batch and turn each);
        none once the crawl is closing (counted)."""
        size = self.crawler.settings.getint("NEWSCRAWL_LISTING_CHUNK", 250)
        for i in range(0, len(entries), size):
            if self._closing():
                self._stat("skipped/closing", len(entries) - i)
                return
            yield entries[i:i + size]

    def _batch(self, entries: list[Listed], base: str):
        urls = [clean_url(urljoin(base, e.url)) for e in entries if not e.is_sitemap]
        if self.state is None:
            return contextlib.nullcontext()
        return self.state.batch([u for u in urls if u])

    def _sitemap_entries(self, entries: list[Listed], response: Response, outlet: Outlet) -> Iterator[Any]:
        for entry in entries:
            if entry.is_sitemap:
                if len(entry.url) > MAX_URL_LENGTH:
                    self._stat("skipped/url_too_long")
                elif not lists_articles(entry.url):
                    self._stat("skipped/non_article_sitemap")
                elif is_before(entry.date, self.since):
                    self._stat("skipped/before_since")
                else:
                    request = self._sitemap_request(urljoin(response.url, entry.url), outlet,
                                                    response.meta.get("sitemap_depth", 0) + 1)
                    if request:
                        yield request
            else:
                yield from self._candidate(entry, response.url, outlet, "sitemap")[0]

    async def parse_feed(self, response: Response) -> AsyncIterator[Any]:
        self._follow_root_move(response)
        if not self._listing_response(response):
            return
        outlet: Outlet = response.meta["outlet"]
        entries = await _in_thread(lambda: parse_feed(response.body, response.url))
        for chunk in self._chunks(entries):
            with self._batch(chunk, response.url):
                out = [r for entry in chunk for r in self._candidate(entry, response.url, outlet, "feed")[0]]
            self.frontier.push()
            for request in out:
                yield request
            await _breathe()

    def parse_wp_json(self, response: Response) -> Iterator[Any]:
        outlet: Outlet = response.meta["outlet"]
        if response.status != 200:
            self._stat("wp_json/unavailable")
            return
        try:
            posts = json.loads(response.text)
        except (ValueError, AttributeError):
            self._stat("wp_json/unavailable")
            return
        if not isinstance(posts, list):
            return
        self._stat("fetched/wp-json")
        for post in posts:
            if isinstance(post, dict) and isinstance(post.get("link"), str):
                date = post.get("modified_gmt")
                entry = Listed(url=post["link"], date=(date + "+00:00") if isinstance(date, str) else None)
                yield from self._candidate(entry, response.url, outlet, "wp-json")[0]

    async def parse_listing(self, response: Response) -> AsyncIterator[Any]:
        """Homepage and section pages: follow sections, their pagination and article candidates."""
        self._follow_root_move(response)
        outlet: Outlet = response.meta["outlet"]
        if response.status == 304:
            self._listing_response(response)
            return
        if not self._check_page(response, outlet):
            return
        self._listing_response(response)
        async for out in self._follow_links(response, outlet, response.meta.get("hops", 0)):
            yield out

    async def _follow_links(self, response: HtmlResponse, outlet: Outlet, hops: int) -> AsyncIterator[Any]:
        settings = self.crawler.settings
        limit = settings.getint("NEWSCRAWL_LISTING_LINKS")
        text, base = response.text, get_base_url(response)
        found = await _in_thread(lambda: page_links(text, base, outlet.in_scope, limit))
        if found.too_long:
            self._stat("skipped/url_too_long", found.too_long)
        if found.unread:
            self._stat("skipped/listing_links_limit", found.unread)
            logger.warning("%s: read the first %d links, skipped %d more (NEWSCRAWL_LISTING_LINKS)",
                           response.url, limit, found.unread)
        if hops == 0:  # feeds advertised by the homepage
            for url in feed_links(found.alternates):
                request = self._request(url, self.parse_feed, outlet, kind="feed", priority=20)
                if request:
                    yield request
        max_hops = settings.getint("NEWSCRAWL_LISTING_DEPTH")
        max_pages = settings.getint("NEWSCRAWL_PAGINATION_DEPTH")
        source_kind = "homepage" if hops == 0 else "section"
        pagination: list[str] = []
        candidates = new = 0
        listed = [Listed(url=raw) for raw, _, kind in found.links if kind == "candidate"]
        for chunk in self._chunks(listed):
            with self._batch(chunk, response.url):  # one round of queries per chunk
                decided = [self._candidate(entry, response.url, outlet, source_kind, hops=hops) for entry in chunk]
            for out, is_new in decided:
                candidates += 1
                new += is_new
                for request in out:
                    yield request
            await _breathe()
        for raw, url, kind in found.links:
            if kind == "section" and hops < max_hops:
                request = self._request(url, self.parse_listing, outlet, kind="listing", priority=5, hops=hops + 1)
                if request:
                    yield request
            elif kind == "pagination" and page_number(url) <= max_pages:
                pagination.append(url)
        if candidates and not new and self._flag("NEWSCRAWL_INCREMENTAL") and self._flag(
                "NEWSCRAWL_STOP_AT_KNOWN_PAGE"):
            self._stat("skipped/pagination_all_known")
            return
        section = response.meta.get("section") or clean_url(response.url) or response.url
        followed = self._pages_followed.setdefault(section, set())
        for url in pagination:
            if url in followed:
                continue
            if len(followed) + 1 >= max_pages:  # the first page counts as one of max_pages
                self._stat("skipped/pagination_limit")
                continue
            request = self._request(url, self.parse_listing, outlet, kind="listing", priority=4, hops=hops,
                                    section=section)
            if request:
                followed.add(url)
                yield request

    def _candidate(self, entry: Listed, found_via: str, outlet: Outlet, source_kind: str,
                   hops: int | None = None) -> tuple[list[Any], bool]:
        """Requests/items for one listed URL, and whether it is new to the archive (or changed)."""
        if len(entry.url) > MAX_URL_LENGTH:
            self._stat("skipped/url_too_long")
            return [], False
        listed = urljoin(found_via, entry.url)
        url = clean_url(listed)
        if url is None or not outlet.in_scope(url):
            self._stat("skipped/offsite_link" if url else "skipped/bad_url")
            return [], False
        if is_before(entry.date, self.since):
            self._stat("skipped/before_since")
            return [], False
        if entry.offset and "timezone" not in outlet.hints:  # evidence of the site's zone for naive page times
            outlet.hints.setdefault("site_timezone", entry.offset)
        out: list[Any] = list(self.redirects.note_variant(listed, url))
        if not self.incremental.decide(url, outlet, found_via, source_kind, entry.date):
            return out, False
        if source_kind in FRONTIER_KINDS and self.frontier.size:
            self.frontier.queue(url, outlet, found_via, entry.date)  # requested when the scheduler has room
            return out, True
        # For pagination, a link another listing page already gave in this run is not news: sidebars repeat the
        # newest articles on every page. (Links a sitemap gave still are: a section may go deeper than it.)
        is_new = url not in self._from_listings
        if source_kind in ("homepage", "section"):
            self._from_listings.add(url)
        request = self._request(url, self.parse_page, outlet, kind="page", priority=0, found_via=found_via,
                                listed_date=entry.date, hops=hops)
        if request:
            out.append(request)
        return out, is_new

    # -- pages -------------------------------------------------------------------------------------------------
    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        outlet: Outlet = response.meta["outlet"]
        self.reachable_outlets.add(outlet.key)
        if response.status in REDIRECT_STATUSES:
            for out in self.redirects.follow(response, outlet):
                yield out
            return
        page_ok = self._check_page(response, outlet)
        # A page that claims to be an article in its markup is checked in full off the reactor (extraction);
        # any other page is classified here, once: extraction takes this verdict (the item's page_kind).
        claimed = _quick_article(response.text) if page_ok else None
        kind = (claimed or classify_page(response.text, response.url)) if page_ok else None
        self.redirects.check(response, kind)
        if not page_ok:
            return
        if kind == "listing" and response.meta.get("hops") is not None:
            # a section whose URL did not look like one: walk it like any listing
            self._stat("fetched/listing")
            hops = response.meta["hops"] + 1
            if hops <= self.crawler.settings.getint("NEWSCRAWL_LISTING_DEPTH"):
                async for out in self._follow_links(response, outlet, hops):
                    yield out
            return
        if kind != "article":
            self._drop(f"not_article_{kind}", response.url, outlet)
            return
        self._stat("fetched/article")
        requested = clean_url(response.request.url) or response.request.url
        chain = response.meta.get("redirect_chain", [])
        variants = self.redirects.take_variants(requested)
        declared = [url for url in map(response.urljoin, declared_links(response.text)) if outlet.in_scope(url)]
        yield ArticleItem(
            url=response.url,
            requested_urls=list(dict.fromkeys([*chain, requested, *variants, *declared])),
            outlet=outlet.key,
            body=response.body,
            encoding=response.encoding,
            status=response.status,
            found_via=response.meta.get("found_via"),
            listed_date=response.meta.get("listed_date"),
            fetched_at=utc_now_iso(),
            hints=outlet.extraction_hints(),
            page_kind=None if claimed else kind,
        )

    def _check_page(self, response: Response, outlet: Outlet) -> bool:
        """False (and a counted skip) for responses that cannot be an HTML page of this outlet."""
        if not outlet.in_scope(response.url):
            self._drop("offsite_redirect", response.url, outlet)
            return False
        if not isinstance(response, HtmlResponse):
            self._drop("not_html", response.url, outlet)
            return False
        if not response.body.strip():
            self._drop("empty_body", response.url, outlet)
            return False
        if _looks_binary(response.body):  # a PDF or image served as text/html
            self._drop("binary", response.url, outlet)
            return False
        return True

    # -- errors ------------------------------------------------------------------------------------------------
    def on_error(self, failure) -> None:
        request = failure.request
        outlet = request.meta.get("outlet")
        status = None
        if failure.check(HttpError):
            status = failure.value.response.status
            reason = f"http_{status}"
        else:
            reason = failure_reason(failure)  # dns_error, timeout, too_large... (newscrawl/errors.py)
        if status is not None and outlet is not None:
            self.reachable_outlets.add(outlet.key)
        kind = request.meta.get("kind")
        if kind == "sitemap" and status not in (404, 410):  # a sitemap that is there but unusable: say so
            self._stat(f"unavailable/{kind}/{reason}")
            logger.warning("sitemap dropped: %s: %s", request.url, reason)
            return
        if kind != "page":  # a missing sitemap guess or feed is normal, not a dropped page
            self._stat(f"unavailable/{kind}/{reason}")
            logger.info("no %s at %s: %s", kind, request.url, reason)
            return
        if status in (404, 410) and self.state is not None:
            if self.state.article_event(clean_url(request.url) or request.url, "gone", status):
                self._stat("events/gone")
        level = logging.INFO if status in (404, 410) or reason == "robots_disallowed" else logging.WARNING
        self._drop(reason, request.url, outlet, level)


async def _breathe() -> None:
    """Let the reactor run (downloads, responses) between two chunks of a long sitemap."""
    from twisted.internet import reactor

    await maybe_deferred_to_future(task.deferLater(reactor, 0, lambda: None))


async def _in_thread(fn: Callable[[], Any]) -> Any:
    """Run a parse of a whole sitemap or feed (thousands of entries: feedparser is pure Python) in a thread,
    so the reactor keeps serving downloads meanwhile instead of stalling for the whole parse."""
    return await maybe_deferred_to_future(threads.deferToThread(fn))


def _quick_article(text: str) -> str | None:
    """'article' when the page claims to be one in its own markup (read without parsing: the reactor thread
    must stay light); the extraction stage, off the reactor, checks the claim in full."""
    return "article" if claims_article(text) else None


def _looks_binary(body: bytes) -> bool:
    head = body[:1024].lstrip()
    return b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04"))


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


