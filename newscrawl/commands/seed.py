"""``scrapy seed sarawak``: open a distributed run and queue the outlets' discovery requests in Redis.

Takes the same ``-a``/``-s`` options as ``scrapy crawl`` (the workers must get the same ones). It opens the run's
``crawl_runs`` row, whose id the workers join, clears what an earlier run left in Redis under the same prefix,
and pushes the spider's own start requests (robots.txt, sitemaps, feeds, the REST API, homepages, listings left
pending by earlier runs) through scrapy-redis' scheduler, so they carry their callbacks and meta and are fetched
once. Exit statuses as ``scrapy crawl``: 2 bad argument or setting, 3 archive or Redis unusable, 75 a crawl or
workers of a run are still using the archive.
"""

from __future__ import annotations

import json

from scrapy.commands import BaseRunSpiderCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.extension import ExtensionManager
from scrapy.utils.misc import build_from_crawler, load_object

from .. import distributed
from ..extensions import archive_extension
from ..outlets import OutletError
from ..store.archive import ArchiveError
from ..store.engine import ArchiveConfig, redact
from ..store.runlock import AlreadyRunning, RunLock
from .crawl import EXIT_ARCHIVE, EXIT_LOCKED, EXIT_USAGE, _fail, check_arguments


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] <spider>"

    def short_desc(self) -> str:
        return "Open a distributed crawl run and queue its start requests in Redis (docs/distributed.md)"

    def run(self, args: list[str], opts) -> None:
        if len(args) != 1:
            raise UsageError("running 'scrapy seed' needs exactly one spider (sarawak)")
        settings = self.settings
        settings.set("NEWSCRAWL_DISTRIBUTED", True, priority="cmdline")
        try:
            check_arguments(opts.spargs, settings)
            distributed.check(settings)
        except (OutletError, ValueError, OSError) as exc:
            _fail(str(exc), EXIT_USAGE)
        distributed.configure(settings)
        url = settings.get("ARCHIVE_URL")
        try:
            ArchiveConfig.from_settings(settings).open().close()  # usable (and created) before the lock
            lock = RunLock(url).acquire()  # exclusive: no crawl and no worker may be running
        except ArchiveError as exc:
            _fail(str(exc), EXIT_ARCHIVE)
        except AlreadyRunning as exc:
            _fail(f"{exc}; not seeding a second run", EXIT_LOCKED)
        try:
            run_id, queued = self._seed(args[0], opts.spargs)
        except distributed.RedisError as exc:
            _fail(f"cannot use Redis at {distributed.redacted(settings)}: {exc}", EXIT_ARCHIVE)
        except ArchiveError as exc:
            _fail(str(exc), EXIT_ARCHIVE)
        finally:
            lock.release()
        print(f"newscrawl: crawl run {run_id} seeded with {queued} requests in {settings.get('NEWSCRAWL_REDIS_PREFIX')}:*"
              f" ({redact(url)}); start the workers with NEWSCRAWL_DISTRIBUTED=1")

    def _seed(self, name: str, spargs: dict) -> tuple[int, int]:
        """A crawler with its components but no engine: the spider builds its start requests as in a crawl."""
        settings = self.settings
        client = distributed.redis_client(settings)
        names = distributed.keys(settings)
        crawler = Crawler(self.crawler_process.spider_loader.load(name), settings)
        crawler.stats = load_object(crawler.settings["STATS_CLASS"])(crawler)
        crawler.request_fingerprinter = build_from_crawler(
            load_object(crawler.settings["REQUEST_FINGERPRINTER_CLASS"]), crawler)
        crawler.extensions = build_from_crawler(ExtensionManager, crawler)  # opens the archive (ArchiveExtension)
        archive, state = archive_extension(crawler).archive, archive_extension(crawler).state
        try:
            return self._queue(crawler, spargs, client, names, archive, state)
        finally:
            archive.close()

    def _queue(self, crawler: Crawler, spargs: dict, client, names: dict, archive, state) -> tuple[int, int]:
        settings = self.settings
        left = distributed.file_deferred_aliases(settings, archive)  # a run whose last worker was killed
        client.delete(names["queue"], names["seen"], names["run"],
                      *client.scan_iter(match=names["learned"] + "*"))
        spider = crawler.spidercls.from_crawler(crawler, **spargs)
        crawler.spider = spider
        arguments = {**dict(getattr(spider, "arguments", {})), "archive": archive.url,
                     "distributed": settings.get("NEWSCRAWL_REDIS_PREFIX")}
        run_id = state.start_run(spider.name, arguments)
        scheduler = distributed.Scheduler.from_crawler(crawler)
        scheduler.open(spider)
        queued = sum(bool(scheduler.enqueue_request(r)) for r in spider._start_requests() if r is not None)
        state.flush_fetches()
        archive.flush()
        client.set(names["run"], run_id)  # last: a worker joins only a fully seeded run
        if left:
            print(f"newscrawl: {left} URL variants of the previous run had no article", flush=True)
        stats = {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("newscrawl/")}
        if stats:
            print("newscrawl: seeding " + json.dumps(stats, sort_keys=True))
        return run_id, queued
