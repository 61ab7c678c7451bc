"""Capture fetched pages as WARC records, with the bytes and headers as the server sent them (docs/warc.md).

Three small components, one job each:

* :class:`WarcCaptureMiddleware` (downloader middleware, order 950): closer to the downloader than Scrapy's
  HttpCompressionMiddleware (590) and every other built-in one, so its ``process_response`` sees the body
  before decompression and the headers as received. It snapshots the exchange; with
  ``NEWSCRAWL_WARC_CAPTURE = "all"`` it queues it for writing at once, with ``"articles"`` (default) it leaves the
  snapshot on the response's meta for the spider middleware;
* :class:`WarcItemMiddleware` (spider middleware): when the spider yields an ``ArticleItem`` for a response, it
  queues that response's snapshot (so only pages the spider took for articles are written) and puts the future
  pointer on the item (``capture``);
* :class:`WarcPointerPipeline` (item pipeline, before StorePipeline): waits for the pointer without blocking the
  reactor and leaves the :class:`~newscrawl.store.captures.Capture` on the item; ``Archive.store`` files it.

The writing itself (records, digests, gzip, disk) happens on :class:`~newscrawl.warc.writer.WarcWriter`'s thread.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import Future
from dataclasses import replace
from importlib.metadata import version
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future

from newscrawl.items import ArticleItem
from newscrawl.warc.writer import Exchange, WarcWriter

logger = logging.getLogger(__name__)

MODES = ("off", "articles", "all")
RAW_KEY = "newscrawl_warc_raw"  # request.meta: the exchange snapshot ("articles" mode)
FUTURE_KEY = "newscrawl_warc_capture"  # request.meta: the queued write ("all" mode)
# Settings named in each file's warcinfo record: what decides which pages are in it and how they were fetched.
INFO_SETTINGS = ("NEWSCRAWL_WARC_CAPTURE", "NEWSCRAWL_WARC_MAX_SIZE", "USER_AGENT", "ROBOTSTXT_OBEY",
                 "DOWNLOAD_MAXSIZE", "DOWNLOAD_TIMEOUT", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN",
                 "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "COOKIES_ENABLED", "NEWSCRAWL_OUTLETS_FILE")


def capture_mode(settings: Any) -> str:
    """The setting's value (checked against MODES before the crawl starts: newscrawl.settings_check)."""
    mode = str(settings.get("NEWSCRAWL_WARC_CAPTURE") or "off").lower()
    return mode if mode in MODES else "off"


def warcinfo(settings: Any, spider_name: str) -> dict[str, Any]:
    """The warcinfo fields: software, format and the settings that shaped the capture."""
    return {
        "software": f"newscrawl/{version('newscrawl')} (Scrapy/{version('scrapy')}; warcio/{version('warcio')})",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "isPartOf": spider_name,
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "http-header-user-agent": settings.get("USER_AGENT"),
        "newscrawl-settings": json.dumps({name: settings.get(name) for name in INFO_SETTINGS}, default=str),
    }


def writer_for(crawler: Crawler) -> WarcWriter:
    """The crawl's one writer (shared by the middlewares), created on first use and closed with the spider."""
    writer = getattr(crawler, "newscrawl_warc", None)
    if writer is None:
        settings = crawler.settings
        name = crawler.spidercls.name
        writer = WarcWriter(settings.get("WARC_DIR") or "archive/warc/", name,
                            max_size=settings.getint("NEWSCRAWL_WARC_MAX_SIZE"),
                            info=warcinfo(settings, name), queue_size=settings.getint("NEWSCRAWL_WARC_QUEUE"))
        crawler.newscrawl_warc = writer
        crawler.signals.connect(lambda spider: writer.start(), signal=signals.spider_opened, weak=False)
        crawler.signals.connect(lambda spider, reason: _close(crawler, writer), signal=signals.spider_closed,
                                weak=False)
    return writer


def _close(crawler: Crawler, writer: WarcWriter) -> None:
    writer.close()
    stats = crawler.stats
    stats.set_value("newscrawl/warc/records", writer.counts["records"])
    stats.set_value("newscrawl/warc/files", len(writer.files))
    stats.set_value("newscrawl/warc/bytes", writer.counts["bytes"])
    if writer.counts["failed"]:
        stats.set_value("newscrawl/warc/failed", writer.counts["failed"])
    logger.info("WARC: %d records in %d files (%d bytes) in %s", writer.counts["records"], len(writer.files),
                writer.counts["bytes"], writer.directory)


def snapshot(request: Request, response: Response) -> Exchange:
    """The exchange as it crossed the wire, so far as Scrapy keeps it (docs/warc.md: what Scrapy normalises)."""
    host = response.url.split("://", 1)[-1].split("/", 1)[0]
    request_headers = [("Host", host)] + _header_list(request.headers)
    return Exchange(url=response.url, method=request.method, request_headers=request_headers,
                    request_body=request.body or b"", status=response.status,
                    response_headers=_header_list(response.headers), body=response.body,
                    protocol=getattr(response, "protocol", None) or "HTTP/1.1",
                    ip_address=str(response.ip_address) if getattr(response, "ip_address", None) else None)


def _header_list(headers: Any) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1"))
            for name, values in headers.items() for value in values]


class WarcCaptureMiddleware:
    """Downloader middleware: snapshot every response before decompression (see the module docstring)."""

    def __init__(self, crawler: Crawler, mode: str) -> None:
        self.mode = mode
        self.writer = writer_for(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        mode = capture_mode(crawler.settings)
        if mode == "off":
            raise NotConfigured
        return cls(crawler, mode)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        exchange = snapshot(request, response)
        if self.mode == "all":
            request.meta[FUTURE_KEY] = self.writer.submit(exchange)
        else:
            request.meta[RAW_KEY] = exchange
        return response


class WarcItemMiddleware:
    """Spider middleware: the page an ArticleItem came from is written, and the item carries the pointer."""

    def __init__(self, writer: WarcWriter) -> None:
        self.writer = writer

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcItemMiddleware:
        if capture_mode(crawler.settings) == "off":
            raise NotConfigured
        return cls(writer_for(crawler))

    def _attach(self, response: Response, item: Any) -> None:
        if not isinstance(item, ArticleItem) or item.get("capture") is not None:
            return
        meta = response.meta
        future = meta.get(FUTURE_KEY)
        if future is None and RAW_KEY in meta:
            future = meta[FUTURE_KEY] = self.writer.submit(meta.pop(RAW_KEY))
        if future is not None:
            item["capture"] = future

    def process_spider_output(self, response: Response, result: Any, spider: Spider | None = None) -> Any:
        for item in result:
            self._attach(response, item)
            yield item

    async def process_spider_output_async(self, response: Response, result: Any, spider: Spider | None = None):
        async for item in result:
            self._attach(response, item)
            yield item


class WarcPointerPipeline:
    """Item pipeline: wait for the item's capture to be on disk and leave its pointer on the item."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcPointerPipeline:
        if capture_mode(crawler.settings) == "off":
            raise NotConfigured
        return cls(crawler)

    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        adapter = ItemAdapter(item)
        pending = adapter.get("capture")
        if isinstance(pending, Future):
            from newscrawl.workers import _deferred_from_future

            try:
                capture = await maybe_deferred_to_future(_deferred_from_future(pending))
                hints = dict(adapter.get("hints") or {})  # as ExtractPipeline gave them: re-extraction starts here
                if adapter.get("page_kind"):
                    hints["page_kind"] = adapter["page_kind"]
                adapter["capture"] = replace(capture, hints=json.dumps(hints, sort_keys=True))
                self.stats.inc_value("newscrawl/warc/pointers")
            except OSError:  # the writer failed (logged once): the article is archived without a pointer
                adapter["capture"] = None
                self.stats.inc_value("newscrawl/warc/without_pointer")
        return item
