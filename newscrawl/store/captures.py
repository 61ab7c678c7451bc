"""Pointers from archived articles to their WARC captures (the ``captures`` table; docs/warc.md).

``Archive.store`` calls :func:`insert` inside the article's savepoint when the item carries a capture, so an
article and its pointer land together. Reads for re-extraction and the WARC commands are here too; all SQL on
``captures`` lives in this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from newscrawl.store.schema import articles, captures


@dataclass(frozen=True)
class Capture:
    """Where one response record is: enough to read it back with a seek, and to cite it."""

    url: str
    warc_file: str
    warc_offset: int
    warc_length: int
    record_id: str
    payload_digest: str | None
    captured_at: str
    hints: str | None = None  # JSON: the extraction hints used at capture time

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def insert(conn: Connection, capture: Capture | dict[str, Any]) -> int:
    """Record a capture (idempotent on its record id); returns its id."""
    values = capture.as_dict() if isinstance(capture, Capture) else {"hints": None, **capture}
    existing = conn.execute(select(captures.c.id).where(captures.c.record_id == values["record_id"])).scalar()
    if existing is not None:
        return existing
    return conn.execute(captures.insert().values(**{c: values[c] for c in _FIELDS})).inserted_primary_key[0]


def attach(conn: Connection, capture_id: int, article_id: int) -> None:
    """The capture is a fetch of this article (whatever the store decided: new, updated, unchanged...)."""
    conn.execute(captures.update().where(captures.c.id == capture_id).values(article_id=article_id))


_FIELDS = ("url", "warc_file", "warc_offset", "warc_length", "record_id", "payload_digest", "captured_at", "hints")


def for_articles(conn: Connection, article_ids: list[int] | None = None, outlets: tuple[str, ...] = (),
                 since: str | None = None, until: str | None = None, after_id: int = 0,
                 limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Articles with a capture (filtered; ids above ``after_id``, at most ``limit``), joined with it: the work
    list of re-extraction."""
    query = (select(articles.c.id, articles.c.url, articles.c.outlet, articles.c.title, articles.c.text,
                    articles.c.content_hash, articles.c.published_at, captures.c.id.label("capture_id"),
                    *[captures.c[name] for name in _FIELDS if name != "url"],
                    captures.c.url.label("fetched_url"))
             .join(captures, captures.c.id == articles.c.capture_id).where(articles.c.id > after_id)
             .order_by(articles.c.id).limit(limit))
    if article_ids:
        query = query.where(articles.c.id.in_(article_ids))
    if outlets:
        query = query.where(articles.c.outlet.in_(outlets))
    if since:
        query = query.where(articles.c.published_at >= since)
    if until:
        query = query.where(articles.c.published_at < until)
    for row in conn.execute(query):
        yield dict(row._mapping)


def count_pointers(conn: Connection) -> int:
    """Articles that point to a capture."""
    return conn.execute(select(func.count()).select_from(articles).where(articles.c.capture_id.is_not(None))).scalar_one()


def pages(conn: Connection) -> list[dict[str, Any]]:
    """The captured articles as WACZ pages (url as fetched, capture time, title), in capture order."""
    rows = conn.execute(select(captures.c.url, captures.c.captured_at, articles.c.title)
                        .join(articles, articles.c.capture_id == captures.c.id).order_by(captures.c.id))
    return [{"url": url, "ts": ts, "title": title} for url, ts, title in rows]
