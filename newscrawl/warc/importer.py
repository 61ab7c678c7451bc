"""Archive articles from WARC files made by other tools (``newscrawl import-warc``, docs/warc.md).

The file is read as a stream (warcio's ArchiveIterator: one record at a time, any size of file). A record is
skipped on its WARC headers alone unless it is a response whose ``WARC-Target-URI`` host belongs to a
configured outlet: a host lookup in a dict, so the thousands of other sites of a Common Crawl news file cost
only the decompression warcio needs to reach the next record. Kept pages go through the crawl's own stages:
the page test the spider applies (:func:`import_job`, in the extraction pool, with the extraction), then
``ValidatePipeline``, ``CanonicalisePipeline``, ``DedupPipeline`` and ``StorePipeline``, so an imported article
is decided and stored exactly as a crawled one, with a pointer to its record in the imported file.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem
from warcio.archiveiterator import ArchiveIterator

from newscrawl.items import ArticleItem
from newscrawl.outlets import Outlet
from newscrawl.store.captures import Capture
from newscrawl.urls import clean_url
from newscrawl.warc.read import charset_of, decode_body
from newscrawl.warc.reextract import page_encoding
from newscrawl.workers import ExtractionError, ExtractionPool, extract_job

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- worker side


def import_job(body: bytes, url: str, encoding: str | None, hints: dict | None, neardup_config: Any = None
               ) -> dict[str, Any]:
    """In a worker: the spider's page test (article markup, else the page classifier), then the extraction."""
    from newscrawl.extract import classify_page
    from newscrawl.extract.decode import decode_body as decode_text
    from newscrawl.tagscan import claims_article

    try:
        text = decode_text(body, encoding)
    except UnicodeDecodeError:
        return {"is_article": False, "reject_reason": "undecodable"}
    claimed = claims_article(text)
    kind = "article" if claimed else classify_page(text, url)
    if kind != "article":
        return {"is_article": False, "reject_reason": f"not_article_{kind}"}
    if not claimed:  # as the spider does: its verdict is final, extraction does not classify again
        hints = {**(hints or {}), "page_kind": kind}
    return extract_job(body, url, encoding, hints, neardup_config)


# --------------------------------------------------------------------------- host filter


class HostFilter:
    """Which configured outlet a URL belongs to, decided from its host with dict lookups (no regex, no parse
    of anything but the URL)."""

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        self._by_host: dict[str, list[Outlet]] = {}
        for outlet in outlets:
            hosts = (urlsplit(outlet.homepage).hostname or "",) if outlet.origin_only else outlet.domains
            for host in hosts:
                self._by_host.setdefault(host.lower(), []).append(outlet)

    def outlet(self, url: str) -> Outlet | None:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            return None
        while host:
            for outlet in self._by_host.get(host, ()):
                if outlet.in_scope(url):
                    return outlet
            host = host.partition(".")[2]  # www.theborneopost.com -> theborneopost.com -> com
        return None


# --------------------------------------------------------------------------- the import


@dataclass
class ImportSummary:
    records: int = 0
    bytes_read: int = 0  # of the files, compressed (progress)
    skipped: Counter = field(default_factory=Counter)  # reason -> records not extracted
    dropped: Counter = field(default_factory=Counter)  # reason -> pages extracted but not stored
    stored: Counter = field(default_factory=Counter)  # store status -> articles

    def line(self) -> str:
        kept = sum(self.stored.values())
        stored = ", ".join(f"{n} {s}" for s, n in sorted(self.stored.items())) or "none"
        return (f"{self.records} records read: {sum(self.skipped.values())} skipped, "
                f"{sum(self.dropped.values())} pages dropped, {kept} stored ({stored})")


class _Stats:
    """Enough of Scrapy's stats collector for the pipeline stages."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def pipeline_stages(archive: Any, state: Any, outlets: list[Outlet], settings: Any) -> list[Any]:
    """The crawl's stages after extraction, built on a stand-in for the crawler (no engine, no network)."""
    from newscrawl.pipelines import CanonicalisePipeline, DedupPipeline, StorePipeline, ValidatePipeline

    extension = SimpleNamespace(archive=archive, state=state)  # what ArchiveExtension gives the stages
    crawler = SimpleNamespace(settings=settings, stats=_Stats(), spider=SimpleNamespace(since=None, outlets=outlets),
                              extensions=True, get_extension=lambda cls: extension)
    return [ValidatePipeline(crawler), CanonicalisePipeline(crawler), DedupPipeline(crawler), StorePipeline(crawler)]


def _iso(warc_date: str | None) -> str:
    try:
        moment = datetime.fromisoformat((warc_date or "").replace("Z", "+00:00"))
    except ValueError:
        moment = datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class Page:
    item: ArticleItem
    body: bytes
    encoding: str | None


def read_pages(path: str | os.PathLike, hosts: HostFilter, summary: ImportSummary, *, max_size: int,
               min_text_length: int) -> Iterator[Page]:
    """The pages of configured outlets in one WARC file, one at a time; everything else is counted and skipped."""
    location = str(Path(path).resolve())
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        start = summary.bytes_read
        for record in records:
            summary.records += 1
            summary.bytes_read = start + fh.tell()
            if record.rec_type != "response":
                summary.skipped[f"record_{record.rec_type}"] += 1
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            outlet = hosts.outlet(url)
            if outlet is None:  # the cheap path: the payload is never read
                summary.skipped["other_host"] += 1
                continue
            http = record.http_headers
            if http is None or http.get_statuscode() != "200":
                summary.skipped["not_200"] += 1
                continue
            content_type = (http.get_header("Content-Type") or "text/html").lower()
            if "html" not in content_type:
                if "xml" in content_type and "timezone" not in outlet.hints and "site_timezone" not in outlet.hints:
                    _learn_timezone(outlet, url, record, http, max_size)
                summary.skipped["not_html"] += 1
                continue
            raw = record.raw_stream.read(max_size + 1)
            if len(raw) > max_size:
                summary.skipped["too_large"] += 1
                continue
            body = decode_body(raw, http.get_header("Content-Encoding"))
            if not body.strip():
                summary.skipped["empty_body"] += 1
                continue
            if _looks_binary(body):  # a PDF or image served as text/html, as the spider skips it
                summary.skipped["binary"] += 1
                continue
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            warc_date = record.rec_headers.get_header("WARC-Date")
            digest = record.rec_headers.get_header("WARC-Payload-Digest")
            hints = outlet.extraction_hints()
            capture = Capture(url=url, warc_file=location, warc_offset=records.get_record_offset(),
                              warc_length=records.get_record_length(), record_id=record_id,
                              payload_digest=digest, captured_at=warc_date or "",
                              hints=json.dumps(hints, sort_keys=True))
            hints.setdefault("min_text_length", min_text_length)
            item = ArticleItem(url=url, requested_urls=[clean_url(url) or url], outlet=outlet.key, status=200,
                               fetched_at=_iso(warc_date), hints=hints, capture=capture)
            yield Page(item, body, page_encoding(charset_of(http.get_header("Content-Type")), body))
        summary.bytes_read = start + fh.tell()


def _looks_binary(body: bytes) -> bool:
    head = body[:1024].lstrip()
    return b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04"))


def _learn_timezone(outlet: Outlet, url: str, record: Any, http: Any, max_size: int) -> None:
    """As the spider does: the UTC offset a sitemap or feed of the outlet writes its dates with is the site's
    zone, for pages that give naive times (``site_timezone`` hint). Only sitemaps and feeds read before a page
    count, as in a crawl."""
    from newscrawl.discovery.feeds import parse_feed
    from newscrawl.discovery.sitemaps import read_sitemap

    body = decode_body(record.raw_stream.read(max_size), http.get_header("Content-Encoding"))
    try:
        entries = read_sitemap(body)[0] if b"<urlset" in body[:2000] or b"<sitemapindex" in body[:2000] else (
            parse_feed(body, url))
    except Exception:  # noqa: BLE001 - a broken sitemap teaches nothing
        return
    offset = next((e.offset for e in entries if e.offset), None)
    if offset:
        outlet.hints.setdefault("site_timezone", offset)


def import_warcs(paths: list[str], archive: Any, state: Any, outlets: list[Outlet], pool: ExtractionPool,
                 settings: Any, *, progress: Callable[[int], None] | None = None) -> ImportSummary:
    """Import every page of the configured outlets from ``paths`` into ``archive`` (see the module docstring)."""
    summary = ImportSummary()
    hosts = HostFilter(outlets)
    stages = pipeline_stages(archive, state, outlets, settings)
    in_flight: deque[tuple[ArticleItem, Future]] = deque()

    def settle(item: ArticleItem, future: Future) -> None:
        adapter = ItemAdapter(item)
        try:
            fields = future.result()
        except ExtractionError as exc:
            logger.warning("%s", exc)
            summary.dropped[exc.reason] += 1
            return
        for key, value in fields.items():  # what ExtractPipeline does with the pool's answer
            if key in item.fields:
                adapter[key] = value
        try:
            for stage in stages:
                item = stage.process_item(item)
        except DropItem as exc:
            reason = str(exc).rsplit(": ", 1)[-1]
            summary.dropped[reason if " " not in reason else "duplicate_in_import"] += 1
            return
        summary.stored[adapter.get("store_status") or "stored"] += 1

    reported = 0

    def report() -> None:
        nonlocal reported
        if progress:
            progress(summary.bytes_read - reported)
        reported = summary.bytes_read

    for path in paths:
        for page in read_pages(path, hosts, summary, max_size=settings.getint("DOWNLOAD_MAXSIZE"),
                               min_text_length=settings.getint("NEWSCRAWL_MIN_TEXT_LENGTH")):
            in_flight.append((page.item, pool.submit(page.body, page.item["url"], page.encoding,
                                                     page.item["hints"])))
            while len(in_flight) >= pool.max_pending or (in_flight and in_flight[0][1].done()):
                settle(*in_flight.popleft())
            report()
        report()
    while in_flight:
        settle(*in_flight.popleft())
    stages[-1].close_spider()
    state.flush_fetches()
    return summary
