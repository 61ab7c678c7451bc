"""robots.txt: where an outlet lists its sitemaps, and what a robots.txt that cannot be read means (RFC 9309)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urljoin

from protego import Protego
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import defer
from twisted.internet.defer import Deferred
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

logger = logging.getLogger(__name__)

# Conventional locations, tried when robots.txt names no sitemap: WordPress core (5.5+), Yoast SEO / Rank Math,
# and the generic one. A 404 on a guess costs one request and is not an error.
CONVENTIONAL_SITEMAPS = ("/wp-sitemap.xml", "/sitemap_index.xml", "/sitemap.xml")


def sitemaps_from_robots(robots_txt: str, base_url: str) -> list[str]:
    """Absolute URLs of the ``Sitemap:`` lines in ``robots_txt``."""
    try:
        return [urljoin(base_url, url) for url in Protego.parse(robots_txt).sitemaps]
    except Exception:  # a garbled robots.txt must not stop discovery  # noqa: BLE001
        return []


def conventional_sitemaps(origin: str) -> list[str]:
    return [urljoin(origin, path) for path in CONVENTIONAL_SITEMAPS]


class _DisallowAll:
    """The robots.txt rules of an outlet whose robots.txt could not be read (RFC 9309 2.3.1.4)."""

    def allowed(self, url: str, user_agent: str | bytes) -> bool:
        return False


def _exception_reason(exc: Exception) -> str:
    if isinstance(exc, (DownloadTimeoutError, TimeoutError, TCPTimedOutError, defer.TimeoutError)):
        return "timeout"
    if isinstance(exc, (CannotResolveHostError, DNSLookupError)):
        return "dns_error"
    if isinstance(exc, (DownloadConnectionRefusedError, ConnectionRefusedError)):
        return "connection_refused"
    return "error"


class RobotsTxtPolicy(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware with RFC 9309's rules for a robots.txt that does not answer 2xx.

    - unreachable (timeout, connection or DNS error) or 5xx: complete disallow for that origin in this run, one
      WARNING line (Scrapy logs a traceback), counted (``newscrawl/robots/unavailable/<reason>``) and recorded in
      ``skips`` for the robots.txt URL; the next run asks again;
    - 4xx: allow all (the spider still tries the conventional sitemap locations).
    """

    async def robot_parser(self, request: Request):
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            robots = Request(f"{urlparse_cached(request).scheme}://{netloc}/robots.txt",
                             priority=self.DOWNLOAD_PRIORITY, meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
            try:
                response = await self.crawler.engine.download_async(robots)
            except Exception as exc:  # noqa: BLE001 - every download failure means "unreachable"
                self._settle(netloc, self._unavailable(request, robots.url, _exception_reason(exc)))
            else:
                self._stats.inc_value("robotstxt/response_count")
                self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
                if response.status >= 500:
                    self._settle(netloc, self._unavailable(request, robots.url, f"http_{response.status}"))
                else:  # 2xx: its rules; 4xx (or a redirect loop): no rules, allow all
                    body = response.body if 200 <= response.status < 300 else b""
                    await self._parse_robots(response.replace(body=body), netloc, request)
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            # One Deferred of its own per waiting request: awaiting the shared one as a future consumes its result,
            # and every waiter after the first got None, which Scrapy reads as "allow all" (a distributed worker
            # joining a crawl sends many requests of one site at once, before its robots.txt is in).
            waiter: Deferred = Deferred()
            parser.addBoth(lambda result: (waiter.callback(result), result)[1])
            return await maybe_deferred_to_future(waiter)
        return parser

    def _settle(self, netloc: str, parser: Any) -> None:
        waiting = self._parsers[netloc]
        self._parsers[netloc] = parser
        if isinstance(waiting, Deferred):
            waiting.callback(parser)

    def _unavailable(self, request: Request, robots_url: str, reason: str) -> _DisallowAll:
        self._stats.inc_value("newscrawl/robots/unavailable")
        self._stats.inc_value(f"newscrawl/robots/unavailable/{reason}")
        logger.warning("robots.txt unavailable: %s: %s; nothing fetched from %s in this run (RFC 9309), "
                       "the next run asks again", robots_url, reason, urlparse_cached(request).netloc)
        from ..extensions import archive_extension  # the crawl's archive, when there is one

        ext = archive_extension(self.crawler)
        state = ext.state if ext is not None else None
        outlet = request.meta.get("outlet")
        if state is not None:
            state.skipped(robots_url, getattr(outlet, "key", None), f"robots_{reason}")
        blocked = getattr(self.crawler.spider, "robots_blocked", None)
        if blocked is not None and outlet is not None:  # the run's summary counts it as not answering
            blocked.add(outlet.key)
        return _DisallowAll()

