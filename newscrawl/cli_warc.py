"""``newscrawl reextract``, ``newscrawl import-warc`` and ``newscrawl warc index|wacz|recover`` (docs/warc.md).

Options are parsed here; the work is done by :mod:`newscrawl.warc`. The two commands that write the archive
take the crawl's run lock (exit 75 while a crawl runs), like ``newscrawl db``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from newscrawl.cli import UserError, archive_option
from newscrawl.cli_db import open_for_writing
from newscrawl.outlets import OutletError, load_outlets, parse_site_arg
from newscrawl.workers import ExtractionPool, default_workers


def _settings() -> Any:
    from scrapy.settings import Settings  # here, not at the top: every `newscrawl` command would load Scrapy

    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    return settings


def warc_dir_option(fn):
    return click.option("--warc-dir", default=lambda: _settings().get("WARC_DIR"), show_default="WARC_DIR setting",
                        envvar="NEWSCRAWL_WARC_DIR", metavar="DIR",
                        help="Directory of the crawl's WARC files (env NEWSCRAWL_WARC_DIR).")(fn)


def workers_option(fn):
    return click.option("--workers", type=click.IntRange(min=1), default=None,
                        help="Extraction worker processes (default: one per core).")(fn)


def outlets_option(fn):
    return click.option("--outlets-file", metavar="FILE", default=None,
                        help="Outlets file (default: the packaged newscrawl/outlets.json).")(fn)


def _outlets(outlets_file: str | None, sites: str | None = None):
    try:
        return parse_site_arg(sites) if sites else load_outlets(outlets_file)
    except (OutletError, OSError, ValueError) as exc:
        raise UserError(str(exc)) from exc


def _bar(total: int | None, label: str):
    return click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)


@click.command()
@archive_option
@warc_dir_option
@click.option("--outlet", "outlets", multiple=True, metavar="KEY", help="Only this outlet; repeatable.")
@click.option("--since", metavar="DATE", help="Only articles published from this day (ISO 8601).")
@click.option("--until", metavar="DATE", help="Only articles published before this day (ISO 8601).")
@click.option("--id", "article_ids", multiple=True, type=int, metavar="N", help="Only this article; repeatable.")
@workers_option
@outlets_option
def reextract(archive_url: str, warc_dir: str, outlets: tuple[str, ...], since: str | None, until: str | None,
              article_ids: tuple[int, ...], workers: int | None, outlets_file: str | None) -> None:
    """Re-run the current extraction on the stored WARC captures (no network); changed rows get a revision."""
    from newscrawl.store import captures
    from newscrawl.warc.reextract import reextract as run

    archive, lock = open_for_writing(archive_url, settings=_settings())
    try:
        total = archive.read(captures.count_pointers)
        filters = {"outlets": outlets, "since": since, "until": until, "article_ids": list(article_ids)}
        settings = _settings()
        with ExtractionPool(workers or default_workers(), settings.getfloat("NEWSCRAWL_EXTRACT_TIMEOUT"),
                            neardup_config=archive.neardup) as pool, _bar(total, "re-extracting") as bar:
            summary = run(archive, warc_dir, pool, outlets_file=outlets_file, progress=bar.update,
                          min_text_length=settings.getint("NEWSCRAWL_MIN_TEXT_LENGTH"), **filters)
    finally:
        archive.close()
        lock.release()
    click.echo(summary.line())


@click.command("import-warc")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@archive_option
@click.option("--site", "sites", metavar="URL[,URL]",
              help="Import these sites (as `-a site=` of the crawl) instead of the outlets file's outlets.")
@workers_option
@outlets_option
def import_warc(files: tuple[str, ...], archive_url: str, sites: str | None, workers: int | None,
                outlets_file: str | None) -> None:
    """Archive the configured outlets' articles found in WARC files made by other tools."""
    from newscrawl.store.crawlstate import CrawlState
    from newscrawl.warc.importer import import_job, import_warcs

    outlets = _outlets(outlets_file, sites)
    settings = _settings()
    archive, lock = open_for_writing(archive_url, create=True, settings=settings)
    state = CrawlState(archive)
    state.start_run("import-warc", {"files": [os.path.basename(f) for f in files]})
    status = "failed"
    try:
        with ExtractionPool(workers or default_workers(), settings.getfloat("NEWSCRAWL_EXTRACT_TIMEOUT"),
                            neardup_config=archive.neardup, job=import_job) as pool, \
                _bar(sum(os.path.getsize(f) for f in files), "importing (bytes)") as bar:
            summary = import_warcs(list(files), archive, state, outlets, pool, settings, progress=bar.update)
        status = "finished"
    finally:
        state.finish_run(status, {})
        archive.close()
        lock.release()
    click.echo(summary.line())
    for reason, n in sorted(summary.skipped.items()):
        click.echo(f"  skipped {reason}: {n}")
    for reason, n in sorted(summary.dropped.items()):
        click.echo(f"  dropped {reason}: {n}")


@click.group()
def warc() -> None:
    """The crawl's WARC files: CDXJ index, WACZ package, recovery after a killed crawl."""


@warc.command("index")
@warc_dir_option
@click.option("-o", "--output", metavar="FILE", help="Index file (default: DIR/index.cdxj).")
def warc_index(warc_dir: str, output: str | None) -> None:
    """Write a CDXJ index of every WARC file in the directory (for pywb and other replay tools)."""
    from newscrawl.warc.package import cdxj_index, warc_files

    files = warc_files(warc_dir)
    if not files:
        raise UserError(f"no *.warc.gz files in {warc_dir}")
    target = Path(output or Path(warc_dir) / "index.cdxj")
    lines = cdxj_index(files, target)
    click.echo(f"{target}: {lines} index lines for {len(files)} WARC files")


@warc.command("wacz")
@warc_dir_option
@click.option("-o", "--output", required=True, metavar="FILE.wacz", help="The WACZ package to write.")
@click.option("--archive", "archive_url", default=None, envvar="NEWSCRAWL_ARCHIVE_URL", metavar="URL",
              help="Archive whose articles make the pages list (default: every captured HTML page).")
def warc_wacz(warc_dir: str, output: str, archive_url: str | None) -> None:
    """Package the WARC files, their index and a pages list as one WACZ file (ReplayWeb.page opens it)."""
    from newscrawl.warc.package import make_wacz, warc_files

    files = warc_files(warc_dir)
    if not files:
        raise UserError(f"no *.warc.gz files in {warc_dir}")
    pages = make_wacz(files, output, archive_url)
    click.echo(f"{output}: {len(files)} WARC files, {pages} pages")


@warc.command("recover")
@warc_dir_option
def warc_recover(warc_dir: str) -> None:
    """Finish the files a killed crawl left open (*.warc.gz.open): cut the torn record, give the final name."""
    from newscrawl.warc.writer import OPEN_SUFFIX, recover

    done = 0
    for path in sorted(Path(warc_dir).glob(f"*.warc.gz{OPEN_SUFFIX}")):
        result = recover(path)
        if result is None:
            click.echo(f"{path.name}: in use by a running crawl, left alone")
            continue
        done += 1
        click.echo(f"{result[0].name}: {result[1]} torn bytes cut")
    click.echo(f"{done} files recovered")
