"""The archive's own health: whose file it is, whether we may write it, rows left behind by hand, removals.

- **Marker**: ``archive_meta`` holds ``application = newscrawl``, written when the archive is created. A database
  with tables but neither the marker nor any of our tables belongs to another application: it is refused, never
  filled with our tables. Archives made before the marker existed have our tables and get it on their next open.
- **Write check**: the crawl's pre-flight writes (and rolls back) a row, so a read-only file or a user without
  INSERT rights fails before the first request instead of after the first batch.
- **Orphans**: rows deleted by hand (the sqlite3 shell leaves foreign keys off; a ``DROP TABLE articles``) leave
  URL aliases, revisions, signatures and listings pointing at articles that do not exist. Those would make the
  store path look up a missing row for those URLs on every later crawl. :func:`repair` removes them (every crawl
  runs it at start; ``newscrawl db check --repair`` on demand), so the URLs are simply archived again.
- **Removal**: :func:`remove_article` deletes one article with everything that points at it, keeps its story
  group consistent and records a ``removed`` event in ``article_events``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, Engine, delete, exists, func, inspect, select, update

from .schema import archive_meta, article_urls, articles, neardup_bands, neardup_signatures, revisions

log = logging.getLogger(__name__)

APPLICATION = "newscrawl"
# Tables only a newscrawl archive has: one of them present (without the marker) = an archive made before the marker.
OUR_TABLES = frozenset(("articles", "article_urls", "crawl_runs", "neardup_config"))


class ForeignDatabase(Exception):
    """The database holds another application's tables."""


def claim(engine: Engine) -> None:
    """Raise ForeignDatabase unless the database is empty, marked as ours, or has our tables (older archive)."""
    tables = set(inspect(engine).get_table_names())
    if not tables:
        return
    if archive_meta.name in tables:
        with engine.connect() as conn:
            owner = conn.execute(select(archive_meta.c.value).where(archive_meta.c.name == "application")).scalar()
        if owner in (None, APPLICATION):
            return
        raise ForeignDatabase(f"it belongs to {owner!r}, not newscrawl")
    if tables & OUR_TABLES:
        return
    shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
    raise ForeignDatabase(f"it holds another application's tables ({shown}) and no newscrawl marker")


def mark(engine: Engine) -> None:
    """Write the marker (idempotent; run after the tables are created)."""
    with engine.begin() as conn:
        if conn.execute(select(archive_meta.c.value).where(archive_meta.c.name == "application")).first() is None:
            conn.execute(archive_meta.insert().values(name="application", value=APPLICATION))
            conn.execute(archive_meta.insert().values(name="created_at", value=_now()))


def check_writable(conn: Connection) -> None:
    """Write a row and roll it back: raises the database's own error when the archive cannot be written."""
    with conn.begin():
        conn.execute(archive_meta.insert().values(name=f"write_check_{_now()}", value="x"))
        conn.rollback()


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------- orphans

def _missing(column: Any) -> Any:
    """Rows whose ``column`` names an article that does not exist (an alias: ``column`` may be of articles)."""
    target = articles.alias("target")
    return column.is_not(None) & ~exists().where(target.c.id == column)


def _orphan_checks(full: bool) -> list[tuple[str, Any]]:
    """(name, column) of every reference to an article. ``full`` adds the band index (64 rows per article; its
    orphans are harmless to a crawl, which ignores band hits without a row, so only ``db check`` scans it)."""
    from .schema import listings

    checks = [("article_urls", article_urls.c.article_id), ("revisions", revisions.c.article_id),
              ("neardup_signatures", neardup_signatures.c.article_id), ("listings", listings.c.article_id),
              ("articles.duplicate_of", articles.c.duplicate_of)]
    if full:
        checks.append(("neardup_bands", neardup_bands.c.article_id))
    return checks


def find_orphans(conn: Connection, full: bool = True) -> dict[str, int]:
    """Count the rows pointing at articles that do not exist, per table (only tables with some)."""
    found = {}
    for name, column in _orphan_checks(full):
        n = conn.execute(select(func.count()).select_from(column.table).where(_missing(column))).scalar_one()
        if n:
            found[name] = n
    return found


def suspect(conn: Connection) -> bool:
    """A cheap test, run by every crawl, for articles deleted by hand: every article has at least one URL and at
    most one signature, so more distinct articles among the URLs, or more signatures, than articles means rows
    point at deleted ones. (Counts over indexes: a fraction of what the full check costs; see bench/repair.py.)"""
    n = conn.execute(select(func.count()).select_from(articles)).scalar_one()
    with_urls = conn.execute(select(func.count(article_urls.c.article_id.distinct()))).scalar_one()
    signatures = conn.execute(select(func.count()).select_from(neardup_signatures)).scalar_one()
    return with_urls > n or signatures > n


def repair(conn: Connection, full: bool = False) -> dict[str, int]:
    """Remove (or, for listings and story links, detach) every reference to a missing article; per-table counts.

    Aliases, revisions, signatures and bands of a missing article are deleted; its listings forget the article
    (the URL becomes pending and is fetched again); copies whose story root is missing are regrouped under their
    earliest remaining member.
    """
    repaired: dict[str, int] = {}
    missing: set[int] = set()  # ids of deleted articles, from the small tables
    for name, column in _orphan_checks(full):
        if name == "articles.duplicate_of":
            n = _regroup(conn)
        elif name == "listings":
            n = conn.execute(update(column.table).where(_missing(column)).values(article_id=None)).rowcount
        else:
            if name != "neardup_bands":
                missing.update(conn.execute(select(column).distinct().where(_missing(column))).scalars())
            n = conn.execute(delete(column.table).where(_missing(column))).rowcount
        if n:
            repaired[name] = n
    if missing and not full:
        # Their band keys too: a new article may get a deleted one's id (SQLite reuses the highest ids) and
        # its text's band keys. (The bands have no index by article: only the known ids are looked for.)
        ids = sorted(missing)
        n = sum(conn.execute(delete(neardup_bands).where(neardup_bands.c.article_id.in_(ids[i:i + 500]))).rowcount
                for i in range(0, len(ids), 500))
        if n:
            repaired["neardup_bands"] = n
    if repaired.keys() & {"article_urls", "listings"}:
        # Their URLs must be listed again, but unchanged sitemaps and sections would answer 304: forget the
        # validators, so the next crawl reads every listing surface in full once.
        from .schema import http_validators

        repaired["http_validators"] = conn.execute(delete(http_validators)).rowcount
    return repaired


def _regroup(conn: Connection, roots: list[int] | None = None) -> int:
    """Copies whose ``duplicate_of`` names a missing article (or one of ``roots``, about to be removed): the
    earliest of them becomes the root of the others. Returns the number of articles re-pointed."""
    from .stories import story_order as _story_order

    if roots is None:
        roots = list(conn.execute(select(articles.c.duplicate_of).distinct()
                                  .where(_missing(articles.c.duplicate_of))).scalars())
    moved = 0
    cols = (articles.c.id, articles.c.published_at, articles.c.fetched_at)
    for root in roots:
        members = sorted(conn.execute(select(*cols).where(articles.c.duplicate_of == root)), key=_story_order)
        if not members:
            continue
        new_root = members[0].id
        conn.execute(update(articles).where(articles.c.id == new_root).values(duplicate_of=None))
        conn.execute(update(articles).where(articles.c.duplicate_of == root).values(duplicate_of=new_root))
        moved += len(members)
    return moved


def remove_article(conn: Connection, article_id: int, note: str | None = None) -> dict[str, Any] | None:
    """Delete an article and what points at it; record a ``removed`` event. None when there is no such article.

    Its copies are regrouped under the earliest remaining one; its listings forget it, so a later crawl may
    archive the page again if the outlet still publishes it (the event says it was removed, and when).
    """
    from .schema import article_events, listings

    row = conn.execute(select(articles.c.id, articles.c.url, articles.c.title).where(articles.c.id == article_id)).first()
    if row is None:
        return None
    urls = list(conn.execute(select(article_urls.c.url).where(article_urls.c.article_id == article_id)).scalars())
    for table in (article_urls, revisions, neardup_signatures, neardup_bands):
        conn.execute(delete(table).where(table.c.article_id == article_id))
    conn.execute(update(listings).where(listings.c.article_id == article_id).values(article_id=None))
    _regroup(conn, [article_id])  # its copies first: the foreign key must hold when the row goes
    conn.execute(delete(articles).where(articles.c.id == article_id))
    conn.execute(article_events.insert().values(article_id=article_id, run_id=None, url=row.url, event="removed",
                                                status=None, location=note, at=_now()))
    return {"id": row.id, "url": row.url, "title": row.title, "urls": urls}


