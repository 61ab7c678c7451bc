"""Item pipelines: the data path after the fetch, in ITEM_PIPELINES order.

ExtractPipeline -> ValidatePipeline -> CanonicalisePipeline -> DedupPipeline -> StorePipeline

Each stage does one thing, counts what it does in ``crawler.stats`` under ``newscrawl/`` and drops with a
reason (``newscrawl/dropped/<reason>``). Items are read and written through itemadapter.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future

from . import distributed
from . import record as article_record
from .dates import is_before
from .extensions import archive_extension
from .extract import extract_article
from .items import ArticleItem, ArticleRecord, UrlAliasItem
from .outlets import Outlet
from .store.archive import Archive, ArchiveError, content_hash
from .urls import canonical_url, clean_url, url_variants
from .workers import DEFAULT_TIMEOUT, ExtractionError, ExtractionPool, default_workers

logger = logging.getLogger(__name__)


class _Stage:
    """Shared plumbing: the crawler, its stats and a counted drop."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        return cls(crawler)

    def count(self, key: str, value: int = 1) -> None:
        self.stats.inc_value(f"newscrawl/{key}", value)

    def drop(self, reason: str, url: str, outlet: str | None = None) -> DropItem:
        """Count, record (``skips`` table) and return the DropItem to raise."""
        self.count(f"dropped/{reason}")
        ext = archive_extension(self.crawler)
        if ext is not None:
            ext.state.skipped(clean_url(url) or url, outlet, reason)
        return DropItem(f"{url}: {reason}")


def _is_article(item: Any) -> bool:
    return isinstance(item, ArticleItem)


class ExtractPipeline(_Stage):
    """Raw page -> article fields (trafilatura + our cleanup). The only CPU-heavy stage.

    Runs in ``NEWSCRAWL_EXTRACT_WORKERS`` worker processes (:mod:`newscrawl.workers`; 0 = inline on the reactor
    thread), so downloads never wait for it. A page over ``NEWSCRAWL_EXTRACT_TIMEOUT`` seconds or one that kills
    its worker is dropped as ``extraction_timeout`` / ``extraction_crash`` and the worker replaced. Items still in
    the pool at close are awaited by Scrapy before ``close_spider``, which then stops the workers.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.workers = settings.getint("NEWSCRAWL_EXTRACT_WORKERS", default_workers())
        self.timeout = settings.getfloat("NEWSCRAWL_EXTRACT_TIMEOUT", DEFAULT_TIMEOUT)
        self.min_text_length = settings.getint("NEWSCRAWL_MIN_TEXT_LENGTH")
        self.pool: ExtractionPool | None = None

    def open_spider(self, spider: Spider | None = None) -> None:
        if self.workers <= 0:
            return
        ext = archive_extension(self.crawler)
        archive = ext.archive if ext is not None else None
        # the MinHash is computed in the worker too when the item can carry it to the archive
        neardup = getattr(archive, "neardup", None) if "minhash" in ArticleItem.fields else None
        self.pool = ExtractionPool(self.workers, self.timeout, neardup_config=neardup).start(wait=False)
        self.stats.set_value("newscrawl/extract/workers", self.workers)

    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not _is_article(item):
            return item
        adapter = ItemAdapter(item)
        url = adapter["url"]
        hints = dict(adapter.get("hints") or {})
        hints.setdefault("min_text_length", self.min_text_length)
        if adapter.get("page_kind"):  # decided once: the spider classified this page already
            hints["page_kind"] = adapter["page_kind"]
        if self.pool is None:
            fields = self._extract_inline(adapter["body"], url, adapter.get("encoding"), hints)
        else:
            try:
                fields = await maybe_deferred_to_future(
                    self.pool.extract(adapter["body"], url, adapter.get("encoding"), hints))
            except ExtractionError as exc:  # hung or crashing page: skipped, worker replaced, crawl goes on
                logger.warning("%s", exc)
                raise self.drop(exc.reason, url, adapter.get("outlet")) from None
        del adapter["body"]
        for key, value in fields.items():
            if key in item.fields:
                adapter[key] = value
        return item

    @staticmethod
    def _extract_inline(body: Any, url: str, encoding: str | None, hints: dict) -> dict[str, Any]:
        try:
            return extract_article(body, url, encoding=encoding, hints=hints)
        except Exception:  # one pathological page must never stop the crawl
            logger.exception("extraction failed for %s", url)
            return {"is_article": False, "reject_reason": "extraction_error"}

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.pool is not None:
            pool, self.pool = self.pool, None
            counts = pool.counts
            pool.close(timeout=self.timeout or None)  # nothing is left in it by now: Scrapy drained the items
            self.stats.set_value("newscrawl/extract/pool_pages", counts["done"])
            self.stats.set_value("newscrawl/extract/workers_replaced", counts["timeouts"] + counts["crashes"])


class ValidatePipeline(_Stage):
    """Drop non-articles, empty extractions and articles published before ``-a since``."""

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not _is_article(item):
            return item
        adapter = ItemAdapter(item)
        url, outlet = adapter["url"], adapter["outlet"]
        if not adapter.get("is_article"):
            raise self.drop(adapter.get("reject_reason") or "not_article", url, outlet)
        if not (adapter.get("text") or "").strip():
            raise self.drop("empty_text", url, outlet)
        if not (adapter.get("title") or "").strip():
            raise self.drop("no_title", url, outlet)
        since = getattr(self.crawler.spider, "since", None)
        if is_before(adapter.get("published_at"), since):
            raise self.drop("before_since", url, outlet)
        return item


class CanonicalisePipeline(_Stage):
    """One canonical URL per article (rel=canonical + courlan), every variant kept for ``article_urls``."""

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if isinstance(item, UrlAliasItem):
            return item
        adapter = ItemAdapter(item)
        outlet = self._outlet(adapter["outlet"])
        in_scope = outlet.in_scope if outlet else (lambda url: True)
        canonical = canonical_url(adapter["url"], adapter.get("canonical_url"), in_scope)
        adapter["canonical_url"] = canonical
        adapter["url_variants"] = url_variants(canonical, adapter["url"], *(adapter.get("requested_urls") or []))
        adapter["content_hash"] = content_hash(adapter["text"])
        return item

    def _outlet(self, key: str) -> Outlet | None:
        outlets = getattr(self.crawler.spider, "outlets", [])
        return next((o for o in outlets if o.key == key), None)


class DedupPipeline(_Stage):
    """Within one run, the same page reached again (same canonical URL, same text) is not stored twice.

    Everything else is decided by the archive against all runs (``Archive.store``): a known URL is the same
    article (unchanged, or a new version), identical text elsewhere becomes an alias, a near-copy is linked
    with ``duplicate_of``.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._stored: dict[str, str] = {}  # canonical URL -> content hash, this run

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if isinstance(item, UrlAliasItem):
            return item
        adapter = ItemAdapter(item)
        canonical = adapter["canonical_url"]
        if self._stored.get(canonical) == adapter["content_hash"]:
            self.count("duplicates/url")
            archive_extension(self.crawler).archive.add_aliases(canonical, adapter["url_variants"])
            raise DropItem(f"{adapter['url']}: same page as {canonical}, already stored in this run")
        self._stored[canonical] = adapter["content_hash"]
        return item


class StorePipeline(_Stage):
    """Write articles to the archive (opened by ArchiveExtension) in batched transactions."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        ext = archive_extension(crawler)
        if ext is None:
            raise NotConfigured("StorePipeline needs newscrawl.extensions.ArchiveExtension")
        self.archive: Archive = ext.archive
        self.state = ext.state
        self._waiting_aliases: list[tuple[str, str]] = []
        self._emitted: set[int] = set()

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        adapter = ItemAdapter(item)
        if self.archive.failure:  # a commit failed: the crawl is stopping, nothing more can be kept
            raise DropItem(f"{adapter.get('url')}: not stored, the archive failed")
        if isinstance(item, UrlAliasItem):
            target = clean_url(adapter["alias_of"]) or adapter["alias_of"]
            if self.archive.add_aliases(target, url_variants(adapter["url"])) is None:
                self._waiting_aliases.append((target, adapter["url"]))  # its article is still in the pool
            return item
        record = {name: adapter.get(name) for name in article_record.STORED_FROM_ITEM}
        for name in article_record.JSON_LISTS:
            record[name] = list(record[name] or [])
        record.update(url=adapter["canonical_url"], title=adapter["title"].strip(), minhash=adapter.get("minhash"))
        record["capture"] = adapter.get("capture")  # WARC pointer, filed with the article (docs/warc.md)
        try:
            article_id, status = self.archive.store(record, adapter["url_variants"])
        except Exception as exc:  # ArchiveError, or a bug: one article lost from this run, never the crawl
            logger.error("cannot store %s: %s", adapter["url"], exc, exc_info=not isinstance(exc, ArchiveError))
            raise self.drop("store_error", adapter["url"], adapter["outlet"]) from exc
        requested = adapter.get("requested_urls") or [adapter["url"]]
        self.state.fetched(adapter["canonical_url"], adapter.get("status"), article_id,
                           listed_url=clean_url(requested[0]) if requested else None)
        written = record["url"] if status in ("new", "near_duplicate") else None  # the row is this record
        self._prefer_listed_url(article_id, adapter["url_variants"], record["title"], written)
        adapter["article_id"] = article_id
        adapter["store_status"] = status
        self.count(f"articles/{status}")
        if status in ("new", "near_duplicate", "updated"):
            self.count(f"outlet/{record['outlet']}/stored")  # progress lines
        if status.startswith("duplicate_"):
            self.count(f"duplicates/{status.removeprefix('duplicate_')}")
        elif status == "near_duplicate":
            self.count("duplicates/near")
        return self._record(article_id, item)

    def _record(self, article_id: int, item: Any) -> Any:
        """The feed-export item: the article's row as archived, once per article and run (a page with the text
        of an article already emitted stays the internal item, which feeds leave out)."""
        if article_id in self._emitted:
            return item
        row = self.archive.get_article(article_id)
        if row is None:
            return item
        self._emitted.add(article_id)
        return ArticleRecord(**row)

    def _prefer_listed_url(self, article_id: int, variants: list[str], title: str, current: str | None) -> None:
        """One article met at several URLs (identical page, or one page declaring another's AMP twin): the
        row is named by the URL the outlet's sitemap/feed lists."""
        if self.state.adopt_listed_variant(article_id, variants, title, current):
            self.count("duplicates/renamed_to_listed_url")

    def close_spider(self, spider: Spider | None = None) -> None:
        unfiled = [(target, url) for target, url in self._waiting_aliases  # every article of the run is stored
                   if self.archive.add_aliases(target, url_variants(url)) is None]
        if unfiled and distributed.enabled(self.crawler.settings):  # another worker may still be storing it
            distributed.defer_aliases(self.crawler, unfiled)
        elif unfiled:
            self.count("aliases/without_article", len(unfiled))
        try:
            self.archive.flush()
        except ArchiveError:  # recorded on the archive (archive.failure); ArchiveExtension reports it
            pass
        created = sum(self.stats.get_value(f"newscrawl/articles/{s}", 0) for s in ("new", "near_duplicate"))
        self.stats.set_value("newscrawl/articles_stored", created)
