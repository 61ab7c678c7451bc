"""One article for ``newscrawl show``: found by id, canonical URL or alias, with its aliases, story group and
revisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, column, func, inspect, literal_column, or_, select, table

from newscrawl.query.search import _decode, extra_columns
from newscrawl.store.schema import article_urls, articles


def find_article(engine: Engine, ref: str) -> int | None:
    """The article id for an id, a canonical URL or any URL alias."""
    with engine.connect() as conn:
        if ref.isdigit():
            return conn.execute(select(articles.c.id).where(articles.c.id == int(ref))).scalar()
        found = conn.execute(select(articles.c.id).where(articles.c.url == ref)).scalar()
        if found is None:
            found = conn.execute(select(article_urls.c.article_id).where(article_urls.c.url == ref)).scalar()
        return found


def article_details(engine: Engine, article_id: int) -> dict[str, Any]:
    """The article row, its URL aliases, its story group (head and copies) and revisions when recorded."""
    insp = inspect(engine)
    with engine.connect() as conn:
        row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
        if row is None:
            raise KeyError(article_id)
        art = _decode(dict(row._mapping))
        extra = extra_columns(engine)
        if extra:
            art.update(conn.execute(select(*[literal_column(c) for c in extra]).select_from(articles)
                                    .where(articles.c.id == article_id)).first()._mapping)
        urls = [dict(r._mapping) for r in conn.execute(
            select(article_urls.c.url, article_urls.c.kind, article_urls.c.first_seen)
            .where(article_urls.c.article_id == article_id).order_by(article_urls.c.first_seen, article_urls.c.url))]
        head = art["duplicate_of"] or art["id"]
        group = [dict(r._mapping) for r in conn.execute(
            select(articles.c.id, articles.c.outlet, articles.c.url, articles.c.published_at, articles.c.duplicate_of)
            .where(or_(articles.c.id == head, articles.c.duplicate_of == head), articles.c.id != article_id)
            .order_by(articles.c.id))]
        revisions: list[dict[str, Any]] | None = None
        if insp.has_table("revisions"):
            rev = table("revisions", column("article_id"), column("title"), column("content_hash"),
                        column("modified_at"), column("fetched_at"), column("text"))
            revisions = [dict(r._mapping) for r in conn.execute(
                select(rev.c.title, rev.c.content_hash, rev.c.modified_at, rev.c.fetched_at,
                       func.length(rev.c.text).label("text_length"))
                .where(rev.c.article_id == article_id).order_by(rev.c.fetched_at))]
    return {"article": art, "urls": urls, "story": group, "revisions": revisions}
