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

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, column, func, inspect, literal_column, select, table
from sqlalchemy.sql.elements import ColumnElement

from newscrawl.query import cjk
from newscrawl.query.search import Filters, conditions
from newscrawl.query.stats import plausible_range
from newscrawl.query.syntax import QueryError, to_fts5, to_tsquery
from newscrawl.store import fts, periodindex
from newscrawl.store.schema import articles


def match_condition(tbl: Any, node: Any, dialect: str, name: str = "fts_query") -> ColumnElement:
    """``tbl`` rows matching the parsed query ``node``; ``name`` names the bound parameter (unique per statement).
    A query holding CJK terms matches them on the CJK index, as search does (:mod:`newscrawl.query.cjk`)."""
    if dialect == "sqlite":
        return tbl.c.id.in_(sqlite_hits(node, name))
    alias = tbl.name if hasattr(tbl, "name") else "articles"
    if cjk.routes(node):
        return cjk.pg_match(node, alias, name)
    tsquery = func.to_tsquery(literal_column(f"'{fts.PG_CONFIG}'::regconfig"), bindparam(name, to_tsquery(node)))
    return literal_column(fts.pg_document_sql(f"{alias}.")).op("@@")(tsquery)


def sqlite_hits(node: Any, name: str = "fts_query") -> Any:
    """SQLite: the SELECT of the rowids matching ``node``: one MATCH on ``articles_fts``, or for a query holding
    CJK terms search's rowid set over the CJK index (and the word index for the other terms of a mixed query)."""
    if cjk.routes(node):
        return cjk.sqlite_hits(node, None, name)
    f = table(fts.FTS_TABLE, column("rowid"), column(fts.FTS_TABLE))
    return select(f.c.rowid).where(f.c[fts.FTS_TABLE].op("MATCH")(bindparam(name, to_fts5(node))))


def dated(tbl: Any, indexed: bool = True) -> ColumnElement:
    """Articles with a plausible publication date (see ``stats.plausible_range``): undated rows and extraction
    errors (year 1, year 9999) would put a topic in no period or stretch the timeline over empty centuries.
    ``indexed=False`` (PostgreSQL): a condition no index serves, compared in the "C" collation, which the
    ``published_at`` index does not have (ISO 8601 text sorts the same in it; the planner still reads the
    column's statistics, so its row estimates stay right). The range holds nearly every article, and PostgreSQL,
    which costs a full-text match as one operator, would walk that b-tree testing each row's match rather than
    read the GIN index (see PG_MATCH_SETTINGS)."""
    first, last = plausible_range()
    at = tbl.c.published_at if indexed else tbl.c.published_at.collate("C")
    in_range = [at >= (first - timedelta(days=1)).isoformat(), at < (last + timedelta(days=2)).isoformat()]
    return and_(tbl.c.published_at.is_not(None), *in_range) if indexed else and_(*in_range)  # (NULL is in no range)


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


RESEARCH_INDEX = "ix_articles_outlet_published_story"  # store/schema.py, revision 0002
MANY_SHARE = 0.1  # from this share of the archive matching on, SQLite counts from the covering index


def use_covering(engine: Engine, flt: Filters) -> bool:
    """On SQLite: should a count over ``flt`` scan the research index rather than fetch each matching row?
    Yes when the query matches a large share of the archive (a common word: fetching 800,000 rows with their
    text costs seconds, the index holds ~50 bytes per article) or there is no query (an outlet's total); no when
    the filters need columns the index lacks (section, language) or the archive has no such index. Counting
    matches up to the threshold reads only the full-text index's rowids (a few ms)."""
    if flt.covering is None:
        flt.covering = _use_covering(engine, flt)
    return flt.covering


def _use_covering(engine: Engine, flt: Filters) -> bool:
    if engine.dialect.name != "sqlite" or flt.section or flt.language:
        return False
    if RESEARCH_INDEX not in {ix["name"] for ix in inspect(engine).get_indexes(articles.name)}:
        return False
    if flt.query is None:
        return True
    hits = sqlite_hits(flt.query, "probe")
    with engine.connect() as conn:
        size = conn.execute(select(func.max(articles.c.id))).scalar() or 0
        threshold = max(1, int(size * MANY_SHARE))
        return conn.execute(select(func.count()).select_from(hits.limit(threshold).subquery())).scalar() >= threshold


def execute_covering(conn: Connection, stmt: Any, alias: str = "a", index: str = RESEARCH_INDEX) -> Any:
    """Run ``stmt`` (a SELECT from ``articles AS alias``) on SQLite with ``INDEXED BY`` a research index.

    SQLAlchemy has no SQLite table hints, and left to itself SQLite looks each full-text match up by rowid."""
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})  # IN lists
    sql = str(compiled)
    target = f"FROM {articles.name} AS {alias}"
    if target not in sql:
        raise ValueError(f"statement does not select from {target}")
    sql = sql.replace(target, f"{target} INDEXED BY {index}", 1)
    params = tuple(compiled.params[name] for name in compiled.positiontup)
    return conn.exec_driver_sql(sql, params)


def period_plan(engine: Engine, flt: Filters, by: str) -> tuple[str, list[ColumnElement]] | None:
    """With the period indexes (:mod:`newscrawl.store.periodindex`), for counts where reading one pays: (the index to
    read, the columns to group by after ``outlet``). SQLite: no query, or one matching much of the archive
    (``use_covering``): each index entry is tested against the full-text hits. PostgreSQL: no query (an outlet's
    stories per period, ``--normalise``'s denominator), by an index-only scan: its full-text matches are found in
    the GIN index, which knows no periods, so a query's rows are read either way. None otherwise (a rare word's
    matches are fewer rows to look up than the index has entries; section and language are not in the index)."""
    dialect = engine.dialect.name
    if dialect == "sqlite":
        if not use_covering(engine, flt):
            return None
    elif flt.query is not None or flt.section or flt.language:
        return None
    if not periodindex.available(engine):
        return None
    index, cols = periodindex.PLANS[by]
    return index, [literal_column(periodindex.column_sql(c, dialect)) for c in cols]


def period_conditions(a: Any, flt: Filters, by: str, dialect: str = "sqlite") -> list[ColumnElement]:
    """The filters of ``flt`` (outlets, dates, plausible dates) and its query on ``a`` (``articles AS a``) in terms
    of the period columns of ``by``'s index, so a statement reads nothing but that index (and on SQLite the
    full-text index's rowids); the period bounds let it seek to the first period rather than test every entry."""
    first, last = plausible_range()
    lo, hi = max(first, flt.since or first), min(last, flt.until or last)
    _, cols = periodindex.PLANS[by]
    period = periodindex.PERIOD_OF[cols[0]]
    grouped = literal_column(periodindex.column_sql(cols[0], dialect))
    day = literal_column(periodindex.column_sql("published_day", dialect))
    conds = []
    if flt.outlets:
        conds.append(a.c.outlet.in_(flt.outlets))
    conds += [grouped >= period(lo), grouped <= period(hi),
              day >= periodindex.day_number(lo), day <= periodindex.day_number(hi)]
    if flt.query is not None:
        conds.append(match_condition(a, flt.query, dialect))
    return conds


# PostgreSQL, for a statement that reads a full-text query's matches to count them: the GIN index's bitmap of
# their rows, read whole (measured at 1,000,000 articles, docs/research.md#scale).
PG_MATCH_SETTINGS = (
    # past ~100,000 matches a 4 MB (default) bitmap goes lossy: every row of a lossy page is re-tested, its
    # tsvector read back from TOAST (a word in 12 % of the archive: 0.85 s lossy, 0.57 s exact)
    "SET LOCAL work_mem = '64MB'",
    # the planner costs `tsvector @@ tsquery` as one operator, not the TOAST read it is, so it would test every
    # document in a sequential scan (a word in 37 % of the archive: 3.8 s, from the GIN bitmap 1.2 s) or every
    # article of an outlet and date range walked down a b-tree (a common word in one outlet since 2024: 540 ms,
    # from the b-tree's bitmap ANDed with the GIN's 130 ms): bitmap scans only
    "SET LOCAL enable_seqscan = off",
    "SET LOCAL enable_indexscan = off",
    # costed high, such statements were compiled by JIT first: ~35 ms of plans that run in 100 ms
    "SET LOCAL jit = off",
)


@contextmanager
def counting(engine: Engine, flt: Filters) -> Iterator[Connection]:
    """A connection for a research view's counting statement over ``flt``; on PostgreSQL with a full-text query,
    inside a transaction holding PG_MATCH_SETTINGS (SET LOCAL: they end with it, the pool's connections keep none).
    A query with CJK terms matches through the trigram indexes (:mod:`newscrawl.query.cjk`): planned as it is."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql" and flt.query is not None and not cjk.routes(flt.query):
            for sql in PG_MATCH_SETTINGS:
                conn.exec_driver_sql(sql)
        yield conn


def require_index(engine: Engine, flt: Filters) -> None:
    if flt.query is not None and not fts.has_index(engine):
        raise QueryError("the archive has no full-text index: run `newscrawl index --rebuild`")
