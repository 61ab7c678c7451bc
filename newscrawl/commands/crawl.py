"""``scrapy crawl`` with checks first: a bad argument, setting or archive stops the run before any request.

Exit statuses (docs/operations.md; the README lists them):
0 the run worked (some bad pages are normal), 1 Scrapy could not start the spider, 2 bad argument or setting,
3 the archive cannot be used (bad URL, unreachable, read-only, another application's database), 4 the run could
not do its job (no outlet answered; nothing stored because of errors), 74 the archive failed during the run (a
commit failed, e.g. disk full: the run stopped), 75 another crawl is running against the same archive
(EX_TEMPFAIL: cron simply tries again next time), 130 / 143 stopped by Ctrl-C / SIGTERM (what was fetched before
is stored). Statuses 2, 3 and 75 are decided before Scrapy starts (no banner, no request); 4 and 74 end with one
line on stderr naming the cause.
"""

from __future__ import annotations

import signal
import sys
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from .. import distributed
from ..dates import parse_since
from ..extensions import archive_extension
from ..outlets import OutletError, load_outlets, parse_site_arg
from ..settings_check import check_settings
from ..store.archive import ArchiveError
from ..store.crawlstate import CrawlState
from ..store.engine import ArchiveConfig
from ..store.runlock import AlreadyRunning, RunLock
from ..store.schema import articles

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_ARCHIVE = 3
EXIT_FAILED = 4
EXIT_ARCHIVE_FAILED = 74  # EX_IOERR
EXIT_LOCKED = 75  # EX_TEMPFAIL
EXIT_SIGNAL_BASE = 128  # + the signal number, as a shell reports a process killed by it: 130 SIGINT, 143 SIGTERM
RUN_STATUS_EXIT = {"finished": EXIT_OK, "stopped": EXIT_OK, "failed": EXIT_FAILED,
                   "archive_error": EXIT_ARCHIVE_FAILED}
FEED_ITEM_CLASS = "newscrawl.items.ArticleRecord"


def _fail(message: str, status: int) -> None:
    print(f"newscrawl: error: {message}", file=sys.stderr)
    sys.exit(status)


def check_arguments(spargs: dict, settings) -> None:
    """Raise ValueError with a user message for a bad ``site``/``since`` argument, setting or outlets file."""
    check_settings(settings)
    if "site" in spargs:
        parse_site_arg(spargs["site"])
    else:
        load_outlets(spargs.get("outlets_file") or settings.get("NEWSCRAWL_OUTLETS_FILE"))
    if spargs.get("since"):
        parse_since(spargs["since"])
    unknown = set(spargs) - {"site", "since", "outlets_file"}
    if unknown:
        raise ValueError(f"unknown spider argument(s): {', '.join(sorted(unknown))} (known: site, since, outlets_file)")


def export_articles_only(settings) -> None:
    """Feeds (``-o``/``-O``, FEEDS) carry the archived article records, not the pipeline's internal items."""
    feeds = settings.getdict("FEEDS")
    if not feeds:
        return
    for options in feeds.values():
        options.setdefault("item_classes", [FEED_ITEM_CLASS])
        options.setdefault("fields", [column.name for column in articles.columns])  # the archive's order
    settings.set("FEEDS", feeds, priority=settings.getpriority("FEEDS"))


def exit_status(crawler: Any, signum: int | None) -> tuple[int, str | None]:
    """The exit status of a finished crawl and the one-line cause to print (None: nothing to say)."""
    ext = archive_extension(crawler)
    status = ext.run_status if ext is not None else None
    if status == "interrupted":
        return EXIT_SIGNAL_BASE + (signum or signal.SIGINT), None
    code = RUN_STATUS_EXIT.get(status, EXIT_FAILED)
    cause = ext.failure if ext is not None else None
    if code and not cause:
        cause = f"the run ended with status {status!r}"
    return code, cause


class Command(ScrapyCrawlCommand):
    _lock: RunLock | None = None
    _signum: int | None = None

    def process_options(self, args: list[str], opts) -> None:
        """Everything that can fail before the first request fails here: before Scrapy configures logging and
        prints its banner, so the error is the only line."""
        super().process_options(args, opts)
        if len(args) != 1:
            raise UsageError("running 'scrapy crawl' needs exactly one spider (sarawak)")
        try:
            check_arguments(opts.spargs, self.settings)
        except (OutletError, ValueError, OSError) as exc:
            _fail(str(exc), EXIT_USAGE)
        export_articles_only(self.settings)
        archive_url = self.settings.get("ARCHIVE_URL")
        shared = distributed.enabled(self.settings)
        if shared:
            self._join_distributed_run()
        try:
            # the settings the crawl will use: a fresh archive is created with the -s layout (permutations...)
            archive = ArchiveConfig.from_settings(self.settings).open()
        except ArchiveError as exc:
            _fail(str(exc), EXIT_ARCHIVE)
        try:  # before the write check, which would wait for a running crawl's write lock
            self._lock = RunLock(archive_url, shared=shared).acquire()
        except AlreadyRunning as exc:
            archive.close()
            _fail(f"{exc}; not starting a second crawl", EXIT_LOCKED)
        except Exception as exc:  # noqa: BLE001 - a lock we cannot take is an archive problem
            archive.close()
            _fail(f"cannot lock archive: {exc}", EXIT_ARCHIVE)
        try:
            with archive:
                archive.check(write=True)
        except ArchiveError as exc:
            self._lock.release()
            _fail(str(exc), EXIT_ARCHIVE)

    def _join_distributed_run(self) -> None:
        """A worker of a distributed run: scrapy-redis' scheduler, and a run ``scrapy seed`` opened."""
        try:
            distributed.check(self.settings)
        except ValueError as exc:
            _fail(str(exc), EXIT_USAGE)
        distributed.configure(self.settings)
        try:
            run_id = distributed.run_id(self.settings)
        except distributed.RedisError as exc:
            _fail(f"cannot use Redis at {distributed.redacted(self.settings)}: {exc}", EXIT_ARCHIVE)
        if run_id is None:
            _fail(f"no distributed run is seeded under {self.settings.get('NEWSCRAWL_REDIS_PREFIX')}:* "
                  "(run 'scrapy seed sarawak' with the same settings first)", EXIT_USAGE)

    def _leave_distributed_run(self) -> None:
        """The last worker out files the variants others left, closes the run and forgets it in Redis."""
        if not self._lock.try_exclusive():
            return
        run_id = distributed.run_id(self.settings)
        if run_id is None:
            return
        with ArchiveConfig.from_settings(self.settings).open() as archive:
            distributed.file_deferred_aliases(self.settings, archive)
            CrawlState(archive).close_run(run_id)
        distributed.redis_client(self.settings).delete(distributed.keys(self.settings)["run"])
        print(f"newscrawl: last worker out: crawl run {run_id} closed", file=sys.stderr)

    def _record_signal(self) -> None:
        """Remember which signal stopped the crawl (Ctrl-C 130, SIGTERM 143) before Scrapy's own handler."""
        process = self.crawler_process
        shutdown = process._signal_shutdown

        def record(signum: int, frame: Any) -> None:
            self._signum = self._signum or signum
            shutdown(signum, frame)

        process._signal_shutdown = record

    def run(self, args: list[str], opts) -> None:
        try:
            self._record_signal()
            crawler = self.crawler_process.create_crawler(args[0])
            self.crawler_process.crawl(crawler, **opts.spargs)
            self.crawler_process.start()
            if distributed.enabled(self.settings) and not self.crawler_process.bootstrap_failed:
                self._leave_distributed_run()
        finally:
            if self._lock is not None:
                self._lock.release()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        self.exitcode, cause = exit_status(crawler, self._signum)
        if cause:
            print(f"newscrawl: error: {cause}", file=sys.stderr)
