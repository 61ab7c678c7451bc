"""``newscrawl db check|upgrade|version`` and ``newscrawl remove``: the archive's upkeep, for the operator
(docs/operations.md).

Both write to the archive, so they take the crawl's run lock: they never race a running crawl (exit 75).
The work is done by :mod:`newscrawl.store.integrity`; this module only parses options and prints.
"""

from __future__ import annotations

import sys
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from newscrawl.cli import UserError, archive_option
from newscrawl.store import integrity, migrate
from newscrawl.store.archive import Archive, ArchiveError
from newscrawl.store.engine import ArchiveConfig, make_engine, one_line, parse_url, prepare_sqlite_file, redact
from newscrawl.store.runlock import AlreadyRunning, RunLock

EXIT_LOCKED = 75


def open_for_writing(url: str, *, create: bool = False, settings: Any = None) -> tuple[Archive, RunLock]:
    """The archive (created if ``create``; ``settings``: Scrapy settings, else newscrawl's own) and its run lock,
    for commands that write: exit 75 while a crawl runs. Opened first: a missing archive is a usage error, not a
    lock to wait for."""
    try:
        archive = ArchiveConfig.from_settings(settings, url=url).open(create=create)
    except ArchiveError as exc:
        raise UserError(str(exc)) from exc
    try:
        return archive, _lock(url)
    except SystemExit:
        archive.close()
        raise


def _lock(url: str) -> RunLock:
    try:
        return RunLock(url).acquire()
    except AlreadyRunning as exc:
        click.echo(f"Error: {exc}; try again when it has finished", err=True)
        sys.exit(EXIT_LOCKED)


def _revision(url: str) -> str | None:
    """The schema revision of an existing archive (None: a database without our tables), read only."""
    try:
        parsed = parse_url(url)
        prepare_sqlite_file(parsed, create=False)  # these commands never create an archive
        engine = make_engine(parsed)
        try:
            return migrate.current(engine)
        finally:
            engine.dispose()
    except ArchiveError as exc:
        raise UserError(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise UserError(f"cannot open archive {redact(url)}: {one_line(exc)}") from exc


@click.group()
def db() -> None:
    """Archive upkeep: schema version and upgrades, check (and repair) references to deleted articles."""


@db.command()
@archive_option
def upgrade(archive_url: str) -> None:
    """Bring the archive's schema to this version of newscrawl (its Alembic migrations, in one transaction).

    A crawl does the same when it opens the archive; queries refuse an archive that needs it.
    """
    before = _revision(archive_url)
    if before is None:
        raise UserError(f"{redact(archive_url)} is not a newscrawl archive (no articles table)")
    lock = _lock(archive_url)
    try:
        with ArchiveConfig.from_settings(url=archive_url).open(create=True) as archive:
            after = migrate.current(archive.engine)
    except ArchiveError as exc:
        raise UserError(str(exc)) from exc
    finally:
        lock.release()
    click.echo(f"archive schema is current (revision {after})" if before == after
               else f"archive schema upgraded from revision {before} to {after}")


@db.command()
@archive_option
def version(archive_url: str) -> None:
    """Print the archive's schema revision and the one this newscrawl writes."""
    rev = _revision(archive_url)
    head = migrate.head()
    state = "current" if rev == head else "run `newscrawl db upgrade`" if rev else "not an archive"
    click.echo(f"archive revision {rev or '-'}, newscrawl {head}: {state}")


@db.command()
@archive_option
@click.option("--repair", is_flag=True, help="Remove the rows that point at deleted articles.")
def check(archive_url: str, repair: bool) -> None:
    """Report rows that point at articles that no longer exist (deleted by hand with foreign keys off).

    Exit status 1 when some are found and not repaired, so a cron job or a script can notice.
    """
    archive, lock = open_for_writing(archive_url)
    try:
        found = archive.read(lambda conn: integrity.find_orphans(conn, full=True))
        if not found:
            click.echo("archive consistent: no row points at a missing article")
            return
        for table, n in sorted(found.items()):
            click.echo(f"{table}: {n} row(s) point at missing articles")
        if not repair:
            click.echo("run `newscrawl db check --repair` to remove them")
            sys.exit(1)
        repaired = archive.write(lambda conn: integrity.repair(conn, full=True))
        archive.flush()
        if archive.engine.dialect.name == "sqlite" and "article_urls" in repaired:
            from newscrawl.store.fts import rebuild_fts

            rebuild_fts(archive.engine)
        click.echo(f"repaired {sum(repaired.values())} row(s)")
    finally:
        archive.close()
        lock.release()


@click.command()
@click.argument("article_id", type=int)
@archive_option
@click.option("--note", metavar="TEXT", help="Why (a takedown request...): kept with the 'removed' event.")
def remove(article_id: int, archive_url: str, note: str | None) -> None:
    """Remove one article properly: its row, URLs, revisions and index entries; its copies are regrouped and a
    'removed' event is recorded in article_events. A later crawl may archive the page again if it is still
    published."""
    archive, lock = open_for_writing(archive_url)
    try:
        removed = archive.write(lambda conn: integrity.remove_article(conn, article_id, note))
        if removed is None:
            raise UserError(f"no article with id {article_id}")
        archive.flush()
        click.echo(f"removed article {removed['id']}: {removed['title']} ({removed['url']}, "
                   f"{len(removed['urls'])} URL(s))")
    finally:
        archive.close()
        lock.release()
