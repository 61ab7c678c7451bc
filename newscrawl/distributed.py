"""Distributed crawling: N ``scrapy crawl sarawak`` workers share one Redis frontier and one PostgreSQL archive.

Turned on by settings only (``NEWSCRAWL_DISTRIBUTED=1``, docs/distributed.md): :func:`configure` then swaps in
scrapy-redis' scheduler (a Redis sorted set of requests, by priority) and its fingerprint set (every request
crawled once across all workers). ``scrapy seed sarawak`` opens the run (one ``crawl_runs`` row) and puts the
outlets' discovery requests straight into that queue: they carry callbacks, priorities and meta that a plain
start-URL list would lose. Workers start with nothing of their own, take requests from the queue, push what
they discover back into it, and leave when it has stayed empty, with no other worker busy, for
``NEWSCRAWL_DISTRIBUTED_IDLE`` seconds.

The shim over scrapy-redis 0.9.1 (for Scrapy 2.19) is the three small classes below:

* :class:`Scheduler`: 0.9.1 passes ``spider=`` to ``StatsCollector.inc_value`` (deprecated since Scrapy 2.15:
  a warning per request);
* :class:`DupeFilter`: 0.9.1 hashes method, URL and body itself; ours asks the crawler's
  ``request_fingerprinter`` (``REQUEST_FINGERPRINTER_IMPLEMENTATION``), as Scrapy's own filter does;
* :class:`OutletQueue`: a request's ``meta['outlet']`` is sent as the outlet's key and rebuilt as the receiving
  worker's own outlet object, with what any worker learned about the site (its time zone, a moved root).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from typing import Any

from redis.exceptions import RedisError  # noqa: F401 - re-exported for the commands
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler as RedisScheduler

logger = logging.getLogger(__name__)

BUSY_TTL = 15  # seconds a worker counts as busy after its last request, response or item


def enabled(settings: Any) -> bool:
    return settings.getbool("NEWSCRAWL_DISTRIBUTED")


def keys(settings: Any) -> dict[str, str]:
    """The Redis keys of one distributed run (all under NEWSCRAWL_REDIS_PREFIX)."""
    prefix = settings.get("NEWSCRAWL_REDIS_PREFIX")
    return {"queue": f"{prefix}:requests", "seen": f"{prefix}:seen", "run": f"{prefix}:run",
            "busy": f"{prefix}:busy:", "aliases": f"{prefix}:aliases", "learned": f"{prefix}:learned:"}


def configure(settings: Any) -> None:
    """Point Scrapy at the shared Redis frontier (called by the crawl and seed commands when enabled)."""
    names = keys(settings)
    for name, value in {
        "SCHEDULER": "newscrawl.distributed.Scheduler",
        "DUPEFILTER_CLASS": "newscrawl.distributed.DupeFilter",
        "SCHEDULER_QUEUE_CLASS": "newscrawl.distributed.OutletQueue",
        "SCHEDULER_QUEUE_KEY": names["queue"],
        "SCHEDULER_DUPEFILTER_KEY": names["seen"],
        "SCHEDULER_PERSIST": True,  # a worker leaving must not wipe the queue the others still use
        "REDIS_URL": settings.get("NEWSCRAWL_REDIS_URL"),
        "NEWSCRAWL_FRONTIER_SIZE": 0,  # Redis holds the queue; the archive's frontier table is per process
    }.items():
        settings.set(name, value, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["newscrawl.distributed.Idle"] = 120
    settings.set("EXTENSIONS", extensions, priority="cmdline")


def check(settings: Any) -> None:
    """ValueError with a user message when the settings cannot make a distributed crawl."""
    from .store.engine import ArchiveError, parse_url

    try:
        backend = parse_url(settings.get("ARCHIVE_URL")).get_backend_name()
    except ArchiveError:  # reported by the archive check, with its own message
        return
    if backend != "postgresql":
        raise ValueError(f"NEWSCRAWL_DISTRIBUTED needs a PostgreSQL archive (ARCHIVE_URL is {backend}): workers "
                         "on several machines write one archive")


def redacted(settings: Any) -> str:
    from .store.archive import redact

    return redact(settings.get("NEWSCRAWL_REDIS_URL"))


def run_id(settings: Any) -> int | None:
    """The id of the run ``scrapy seed`` opened for this prefix (None: nothing seeded)."""
    value = redis_client(settings).get(keys(settings)["run"])
    return int(value) if value else None


def redis_client(settings: Any):
    import redis

    return redis.Redis.from_url(settings.get("NEWSCRAWL_REDIS_URL"), decode_responses=True,
                                socket_connect_timeout=10)


# --------------------------------------------------------------------------- the scrapy-redis shim


class Scheduler(RedisScheduler):
    """scrapy-redis' scheduler, counting without the deprecated ``spider=`` argument."""

    def enqueue_request(self, request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self):
        request = self.queue.pop(self.idle_before_close)
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


class DupeFilter(RFPDupeFilter):
    """scrapy-redis' shared fingerprint set, with Scrapy's request fingerprints."""

    fingerprinter = None

    @classmethod
    def from_spider(cls, spider) -> "DupeFilter":
        df = super().from_spider(spider)
        df.fingerprinter = spider.crawler.request_fingerprinter
        return df

    def request_fingerprint(self, request) -> str:
        return self.fingerprinter.fingerprint(request).hex()


class OutletQueue(PriorityQueue):
    """Requests by priority; ``meta['outlet']`` travels as its key. What a worker learns about a site (the time
    zone its sitemap dates carry, a root that moved) is also kept in a Redis hash per outlet, read whenever a
    request of that outlet is taken: the page may be parsed by a worker that never saw the sitemap."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shared: dict[str, str] = {}  # outlet key -> what this worker last wrote to Redis

    def _learned_key(self, outlet_key: str) -> str:
        return keys(self.spider.crawler.settings)["learned"] + outlet_key

    def _encode_request(self, request) -> bytes:
        outlet = request.meta.get("outlet")
        if outlet is None or not hasattr(outlet, "key"):
            return super()._encode_request(request)
        learned = json.dumps({"hints": outlet.hints, "moved": sorted(outlet.moved_origins)}, sort_keys=True,
                             default=str)
        if self._shared.get(outlet.key) != learned:
            self._shared[outlet.key] = learned
            self.server.hset(self._learned_key(outlet.key), mapping={
                **{f"hint:{k}": json.dumps(v, default=str) for k, v in outlet.hints.items()},
                **{f"moved:{origin}": "1" for origin in outlet.moved_origins}} or {"-": "1"})
        return super()._encode_request(request.replace(meta={**request.meta, "outlet": {"key": outlet.key}}))

    def _decode_request(self, encoded: bytes):
        request = super()._decode_request(encoded)
        sent = request.meta.get("outlet")
        if isinstance(sent, dict):
            outlet = next((o for o in self.spider.outlets if o.key == sent["key"]), None)
            if outlet is None:  # a request seeded for an outlet this worker was not given
                raise ValueError(f"request for unknown outlet {sent['key']!r}: start every worker with the "
                                 "seed's outlets (same -a site / outlets file)")
            for field, value in self.server.hgetall(self._learned_key(outlet.key)).items():
                field = field.decode() if isinstance(field, bytes) else field
                if field.startswith("hint:"):
                    outlet.hints.setdefault(field.removeprefix("hint:"), json.loads(value))
                elif field.startswith("moved:"):
                    outlet.moved_origins.add(field.removeprefix("moved:"))
            request.meta["outlet"] = outlet
        return request


# --------------------------------------------------------------------------- when a worker leaves


class Idle:
    """Keeps a worker alive while the shared queue may still grow: it leaves when the queue has been empty, and no
    other worker busy, for NEWSCRAWL_DISTRIBUTED_IDLE seconds. Busy = a request, response or item in the last
    BUSY_TTL seconds (a Redis key that expires by itself, so a killed worker stops counting)."""

    def __init__(self, crawler: Crawler) -> None:
        if not enabled(crawler.settings):
            raise NotConfigured("not a distributed crawl")
        self.crawler = crawler
        self.redis = redis_client(crawler.settings)
        self.idle_seconds = crawler.settings.getfloat("NEWSCRAWL_DISTRIBUTED_IDLE")
        self.busy_key = keys(crawler.settings)["busy"] + f"{socket.gethostname()}:{os.getpid()}"
        self.busy_prefix = keys(crawler.settings)["busy"]
        self._marked = 0.0
        self._idle_since: float | None = None
        for signal in (signals.request_scheduled, signals.response_received, signals.item_scraped,
                       signals.item_dropped):
            crawler.signals.connect(self._busy, signal=signal)
        crawler.signals.connect(self._idle, signal=signals.spider_idle)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "Idle":
        return cls(crawler)

    def _busy(self, *args: Any, **kwargs: Any) -> None:
        self._idle_since = None
        now = time.monotonic()
        if now - self._marked > 1:  # one Redis write a second at most
            self._marked = now
            self.redis.set(self.busy_key, "1", ex=BUSY_TTL)

    def _others_busy(self) -> bool:
        return any(key != self.busy_key for key in self.redis.scan_iter(match=self.busy_prefix + "*", count=100))

    def _idle(self, spider) -> None:
        self.redis.delete(self.busy_key)
        self._marked = 0.0
        now = time.monotonic()
        if self._others_busy():
            self._idle_since = None
        elif self._idle_since is None:
            self._idle_since = now
        if self._idle_since is None or now - self._idle_since < self.idle_seconds:
            raise DontCloseSpider  # the engine asks again every few seconds, and polls the queue meanwhile
        logger.info("the shared queue stayed empty for %.0f s with no other worker busy: leaving",
                    now - self._idle_since)

    def _closed(self, spider, reason: str) -> None:
        self.redis.delete(self.busy_key)
        redirects = getattr(spider, "redirects", None)  # newscrawl.spiders.redirects.Redirects
        waiting = redirects.variants if redirects is not None else {}
        leftovers = [json.dumps([variant, target]) for target, found in waiting.items()
                     if target not in redirects.yielded for variant in sorted(found)]
        self.defer_aliases(leftovers)

    def defer_aliases(self, rows: list[str]) -> None:
        """URL variants whose article another worker fetched: filed by the last worker out (:func:`finish`)."""
        if rows:
            self.redis.rpush(keys(self.crawler.settings)["aliases"], *rows)


def defer_aliases(crawler: Crawler, pairs: list[tuple[str, str]]) -> None:
    """(target, variant URL) pairs the store could not file yet: queued for the last worker out."""
    if pairs:
        redis_client(crawler.settings).rpush(keys(crawler.settings)["aliases"],
                                             *(json.dumps([url, target]) for target, url in pairs))


def file_deferred_aliases(settings: Any, archive) -> int:
    """File the variants workers left in Redis (every article of the run is committed by now); returns how many
    could not be filed (their article was never stored)."""
    from .urls import clean_url, url_variants

    client = redis_client(settings)
    key = keys(settings)["aliases"]
    without = 0
    for raw in client.lrange(key, 0, -1):
        variant, target = json.loads(raw)
        target = clean_url(target) or target
        if archive.add_aliases(target, url_variants(variant)) is None:
            without += 1
    archive.flush()
    client.delete(key)
    return without
