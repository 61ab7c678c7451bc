"""The rows a research view counts: filters and full-text query of the search layer, as WHERE conditions.

Research views (attention, sources, propagation, words) group and count in SQL, so they need the query as a
condition on a (possibly aliased) ``articles`` table rather than search's ranked statement: on SQLite the FTS5
hits are read once (``id IN (SELECT rowid ... MATCH ...)``, SQLite then fetches each hit by primary key), on
PostgreSQL the stored tsvector is matched with ``@@``. The query syntax, its rendering and the filters are
search's own (:func:`newscrawl.query.search.to_fts5`, ``to_tsquery``, ``conditions``): there is one parser.

Stories: a research view counts a story once per outlet (``count(DISTINCT coalesce(duplicate_of, id))``), the
grouping search uses when filtered on one outlet, so a wire story run by three papers is attention in each of
the three; ``include_duplicates`` counts rows.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, and_, bindparam, column, func, literal_column, select, table
from sqlalchemy.sql.elements import ColumnElement

from newscrawl.store import fts
from newscrawl.query.search import Filters, conditions
from newscrawl.query.syntax import QueryError, to_fts5, to_tsquery
from newscrawl.query.stats import plausible_range


def match_condition(tbl: Any, node: Any, dialect: str, name: str = "fts_query") -> ColumnElement:
    """``tbl`` rows matching the parsed query ``node``; ``name`` names the bound parameter (unique per statement)."""
    if dialect == "sqlite":
        f = table(fts.FTS_TABLE, column("rowid"), column(fts.FTS_TABLE))
        hits = select(f.c.rowid).where(f.c[fts.FTS_TABLE].op("MATCH")(bindparam(name, to_fts5(node))))
        return tbl.c.id.in_(hits)
    alias = tbl.name if hasattr(tbl, "name") else "articles"
    tsquery = func.to_tsquery(literal_column(f"'{fts.PG_CONFIG}'::regconfig"), bindparam(name, to_tsquery(node)))
    return literal_column(fts.pg_document_sql(f"{alias}.")).op("@@")(tsquery)


def dated(tbl: Any) -> ColumnElement:
    """Articles with a plausible publication date (see ``stats.plausible_range``): undated rows and extraction
    errors (year 1, year 9999) would put a topic in no period or stretch the timeline over empty centuries."""
    first, last = plausible_range()
    return and_(tbl.c.published_at.is_not(None), tbl.c.published_at >= (first - timedelta(days=1)).isoformat(),
                tbl.c.published_at < (last + timedelta(days=2)).isoformat())


def selected(tbl: Any, flt: Filters, dialect: str, *, name: str = "fts_query") -> list[ColumnElement]:
    """WHERE conditions for the filters and (when set) the query of ``flt`` on ``tbl``."""
    conds = conditions(tbl, flt, dialect)
    if flt.query is not None:
        conds.append(match_condition(tbl, flt.query, dialect, name))
    return conds


def story_key(tbl: Any) -> ColumnElement:
    """The story a row belongs to: its root's id."""
    return func.coalesce(tbl.c.duplicate_of, tbl.c.id)


def story_count(tbl: Any, include_duplicates: bool) -> ColumnElement:
    """Stories (distinct story groups) in a group of rows, or rows with ``include_duplicates``."""
    return func.count() if include_duplicates else func.count(story_key(tbl).distinct())


def require_index(engine: Engine, flt: Filters) -> None:
    if flt.query is not None and not fts.has_index(engine):
        raise QueryError("the archive has no full-text index: run `newscrawl index --rebuild`")
