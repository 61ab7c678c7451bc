"""``scrapy crawl`` with checks first: a bad argument or archive stops the run before any request.

Exit statuses (documented in the README):
0 the run worked (some bad pages are normal), 1 Scrapy could not start the spider, 2 bad argument or setting,
3 the archive cannot be opened, 4 the run could not do its job (no outlet answered), 75 another crawl is
running against the same archive (EX_TEMPFAIL: cron will simply try again next time).
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from ..archive import Archive, ArchiveError
from ..dates import parse_since
from ..outlets import OutletError, load_outlets, parse_site_arg
from ..runlock import AlreadyRunning, RunLock

EXIT_USAGE = 2
EXIT_ARCHIVE = 3
EXIT_FAILED = 4
EXIT_LOCKED = 75


def _fail(message: str, status: int) -> None:
    print(f"newscrawl: error: {message}", file=sys.stderr)
    sys.exit(status)


def check_arguments(spargs: dict, settings) -> None:
    """Raise ValueError with a user message for a bad ``site``/``since`` argument, setting or outlets file."""
    if "site" in spargs:
        parse_site_arg(spargs["site"])
    else:
        load_outlets(spargs.get("outlets_file") or settings.get("NEWSCRAWL_OUTLETS_FILE"))
    if spargs.get("since"):
        parse_since(spargs["since"])
    unknown = set(spargs) - {"site", "since", "outlets_file"}
    if unknown:
        raise ValueError(f"unknown spider argument(s): {', '.join(sorted(unknown))} (known: site, since, outlets_file)")
    positive = ("NEWSCRAWL_BATCH_SIZE", "NEWSCRAWL_LISTING_CHUNK", "NEWSCRAWL_LISTING_LINKS",
                "NEWSCRAWL_SITEMAP_MAX_SIZE", "NEWSCRAWL_SITEMAP_MAX_URLS", "NEWSCRAWL_SITEMAPS_PER_OUTLET")
    for name in (*positive, "NEWSCRAWL_PAGINATION_DEPTH", "NEWSCRAWL_LISTING_DEPTH", "NEWSCRAWL_SITEMAP_DEPTH",
                 "NEWSCRAWL_FRONTIER_SIZE", "NEWSCRAWL_RECHECK_PER_RUN", "NEWSCRAWL_MIN_TEXT_LENGTH"):
        try:
            value = settings.getint(name)
        except (TypeError, ValueError):
            raise ValueError(f"setting {name} must be an integer, got {settings.get(name)!r}") from None
        if value < 0 or (name in positive and value == 0):
            raise ValueError(f"setting {name} must be {'positive' if name in positive else 'zero or more'}, got {value}")


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts) -> None:
        if len(args) != 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        try:
            check_arguments(opts.spargs, self.settings)
        except (OutletError, ValueError, OSError) as exc:
            _fail(str(exc), EXIT_USAGE)
        archive_url = self.settings.get("ARCHIVE_URL")
        try:
            with Archive.open(archive_url) as archive:
                archive.check()
        except ArchiveError as exc:
            _fail(str(exc), EXIT_ARCHIVE)
        try:
            lock = RunLock(archive_url).acquire()
        except AlreadyRunning as exc:
            _fail(f"{exc}; not starting a second crawl", EXIT_LOCKED)
        except Exception as exc:  # noqa: BLE001 - a lock we cannot take is an archive problem
            _fail(f"cannot lock archive: {exc}", EXIT_ARCHIVE)
        try:
            crawler = self.crawler_process.create_crawler(args[0])
            self.crawler_process.crawl(crawler, **opts.spargs)
            self.crawler_process.start()
        finally:
            lock.release()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif getattr(crawler, "newscrawl_run_status", None) == "failed":
            self.exitcode = EXIT_FAILED
