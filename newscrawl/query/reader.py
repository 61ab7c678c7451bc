"""The Python API for researchers: one archive, opened for reading, with the query layer's functions as methods.

    from newscrawl.query import Reader

    with Reader("sqlite:///archive/newscrawl.sqlite3") as archive:
        for hit in archive.search('"Baram dam"', outlets=["dayakdaily"], since="2024"):
            print(hit["title"])
        df = archive.to_pandas(query="baram OR bakun")

An archive the user may not write is opened read-only; nothing here writes. (The crawl writes through
:class:`newscrawl.store.archive.Archive`; the store never imports this layer.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine

from newscrawl.query import search as _search
from newscrawl.query.article import article_details, find_article
from newscrawl.store.engine import ArchiveConfig


class Reader:
    """Searches, streams and loads articles of one archive (SQLite or PostgreSQL)."""

    def __init__(self, url: str) -> None:
        self._archive = ArchiveConfig.from_settings(url=url).open(create=False)
        self.url = self._archive.url

    @property
    def engine(self) -> Engine:
        return self._archive.engine

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._archive.close()

    def search(self, query: str, **filters: Any) -> Iterator[dict[str, Any]]:
        """Full-text search, best first; filters and row shape: :func:`newscrawl.query.search.search`."""
        return _search.search(self.engine, query, **filters)

    def articles(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every matching article (all columns), streamed: :func:`newscrawl.query.search.iter_articles`."""
        return _search.iter_articles(self.engine, **filters)

    def to_pandas(self, **filters: Any) -> Any:
        """``articles(**filters)`` as a pandas DataFrame (needs pandas)."""
        return _search.to_pandas(self.engine, **filters)

    def article(self, ref: str | int) -> dict[str, Any] | None:
        """One article by id, canonical URL or alias, with its URLs, story group and revisions; None if unknown."""
        article_id = find_article(self.engine, str(ref))
        return None if article_id is None else article_details(self.engine, article_id)

    def count(self, table: str = "articles") -> int:
        """Rows in one of the archive's tables."""
        return self._archive.count(table)

    # research views (docs/research.md): pandas DataFrames; the lists of rows are in the modules named

    def attention(self, queries: str | list[str], **options: Any) -> Any:
        """Matching stories per period and outlet (``by``, ``normalise``, filters):
        :func:`newscrawl.query.attention.attention` as a DataFrame."""
        from newscrawl.query import attention

        return attention.attention_frame(self.engine, queries, **options)

    def sources(self, query: str, **filters: Any) -> Any:
        """Stories per outlet with share, first and last day: :func:`newscrawl.query.sources.sources`."""
        from newscrawl.query import sources

        return sources.sources_frame(self.engine, query, **filters)

    def propagation(self, query: str | None = None, **options: Any) -> tuple[Any, Any]:
        """(one row per copy with its delay, leads per outlet pair) for syndicated stories:
        :func:`newscrawl.query.propagation.propagation` (``story=ID`` for one group)."""
        from newscrawl.query import propagation

        stories = propagation.propagation(self.engine, query, **options)
        return propagation.copies_frame(stories), propagation.pairs_frame(stories)

    def words(self, query: str, **options: Any) -> Any:
        """Over-represented words with their scores: :func:`newscrawl.query.words.words`."""
        from newscrawl.query import words

        return words.words_frame(self.engine, query, **options)
