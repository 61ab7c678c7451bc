"""``scrapy crawl`` with checks first: a bad argument or archive stops the run before any request.

Exit statuses (documented in the README): 0 the run worked (some bad pages are normal), 2 bad argument or
setting, 3 the archive cannot be opened.
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from ..archive import Archive, ArchiveError
from ..dates import parse_since
from ..outlets import OutletError, load_outlets, parse_site_arg

EXIT_USAGE = 2
EXIT_ARCHIVE = 3


def _fail(message: str, status: int) -> None:
    print(f"newscrawl: error: {message}", file=sys.stderr)
    sys.exit(status)


def check_arguments(spargs: dict, settings) -> None:
    """Raise ValueError with a user message for a bad ``site``/``since`` argument or outlets file."""
    if "site" in spargs:
        parse_site_arg(spargs["site"])
    else:
        load_outlets(spargs.get("outlets_file") or settings.get("NEWSCRAWL_OUTLETS_FILE"))
    if spargs.get("since"):
        parse_since(spargs["since"])
    for name in ("NEWSCRAWL_BATCH_SIZE", "NEWSCRAWL_PAGINATION_DEPTH", "NEWSCRAWL_LISTING_DEPTH"):
        try:
            value = settings.getint(name)
        except (TypeError, ValueError):
            raise ValueError(f"setting {name} must be an integer, got {settings.get(name)!r}") from None
        if value < 0:
            raise ValueError(f"setting {name} must not be negative, got {value}")


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts) -> None:
        try:
            check_arguments(opts.spargs, self.settings)
        except (OutletError, ValueError, OSError) as exc:
            _fail(str(exc), EXIT_USAGE)
        try:
            with Archive.open(self.settings.get("ARCHIVE_URL")) as archive:
                archive.check()
        except ArchiveError as exc:
            _fail(str(exc), EXIT_ARCHIVE)
        super().run(args, opts)
