"""Querying the archive: filters, and streaming ``search`` / ``articles`` iterators.

Every function takes a SQLAlchemy ``Engine`` so it runs unchanged on SQLite (FTS5) and PostgreSQL (tsvector/GIN).
User input only ever reaches SQL as bound parameters: a query is parsed here and re-rendered as a fully quoted
FTS5 MATCH expression or a ``to_tsquery`` string, which is itself a bound parameter.

The query language is :mod:`newscrawl.query.syntax`; one article's details, :mod:`newscrawl.query.article`.

Dates: ``since``/``until`` are inclusive calendar days in Malaysian time (+08:00): an article published at
``2024-03-04T23:30:00+00:00`` is on 2024-03-05. Articles without ``published_at`` drop out of date filters.

Stories: without ``include_duplicates`` one row per story group (``coalesce(duplicate_of, id)``) is returned: the
earliest archived article of the group *among those matching every filter*, so filtering on one outlet still finds
its copy of a story first archived elsewhere (that row then carries ``duplicate_of``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ARRAY,
    REAL,
    Connection,
    Engine,
    Float,
    Integer,
    and_,
    bindparam,
    cast,
    column,
    exists,
    func,
    inspect,
    literal_column,
    not_,
    or_,
    select,
    table,
)
from sqlalchemy.sql.elements import ColumnElement

from newscrawl import record
from newscrawl.query import cjk
from newscrawl.query.syntax import And, Not, Or, QueryError, Term, parse_query, to_fts5, to_tsquery
from newscrawl.store import fts, periodindex
from newscrawl.store.schema import articles

SORTS = ("relevance", "date", "newest")
LOCAL_TZ = "+08:00"  # the day boundaries of --since/--until (Sarawak time)
PG_LOCAL_ZONE = "Asia/Kuching"  # +08:00, no DST

# Row shapes, from the article record (newscrawl/record.py): search results (`search --format csv|jsonl`), and
# exports (plus any column a later version adds to `articles`, e.g. a WARC capture reference).
RESULT_COLUMNS = record.RESULT_COLUMNS
EXPORT_COLUMNS = record.EXPORT_COLUMNS
JSON_LIST_COLUMNS = record.JSON_LISTS

MARK_START, MARK_END = "\x02", "\x03"  # match markers in snippets, rendered by format_marks()


# --------------------------------------------------------------------------- filters


def parse_day(value: str, *, end: bool = False, option: str = "date") -> date:
    """YYYY-MM-DD, or YYYY-MM / YYYY meaning its first (or, with end=True, last) day."""
    value = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
        if re.fullmatch(r"\d{4}-\d{2}", value):
            first = date.fromisoformat(value + "-01")
            return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1) if end else first
        if re.fullmatch(r"\d{4}", value):
            return date(int(value), 12, 31) if end else date(int(value), 1, 1)
    except ValueError:
        pass
    raise QueryError(f"bad {option} {value!r}: expected YYYY-MM-DD (or YYYY-MM, YYYY)")


@dataclass
class Filters:
    """Filters shared by search, articles, export and stats. Outlets are archive keys (see resolve_outlets)."""

    outlets: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    section: str | None = None
    language: str | None = None
    include_duplicates: bool = False
    query: Any = field(default=None, repr=False)  # parsed query tree, or None
    # SQLite: (FTS table, MATCH expression) the query runs as, resolved once per search (see sqlite_target)
    fts_target: tuple[str, Any] | None = field(default=None, repr=False, compare=False)
    # SQLite: selection.use_covering's answer for this query and these filters, asked once (dataclasses.replace
    # leaves it out: a copy with another query asks again)
    covering: bool | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def build(cls, *, query: str | None = None, outlets: Sequence[str] | str | None = None,
              since: date | str | None = None, until: date | str | None = None, section: str | None = None,
              language: str | None = None, include_duplicates: bool = False) -> Filters:
        if isinstance(outlets, str):
            outlets = (outlets,)
        if isinstance(since, str):
            since = parse_day(since, option="--since")
        if isinstance(until, str):
            until = parse_day(until, end=True, option="--until")
        if since and until and since > until:
            raise QueryError(f"--since {since} is after --until {until}")
        return cls(outlets=tuple(outlets or ()), since=since, until=until, section=section or None,
                   language=(language or "").lower() or None, include_duplicates=include_duplicates,
                   query=parse_query(query) if query is not None else None)


def known_outlets(engine: Engine) -> list[str]:
    """Outlet keys of outlets.json plus every outlet present in the archive, sorted."""
    from newscrawl.outlets import load_outlets

    with engine.connect() as conn:
        present = {r[0] for r in conn.execute(select(articles.c.outlet).distinct())}
    return sorted(present | {o.key for o in load_outlets()})


def resolve_outlets(engine: Engine, names: Sequence[str]) -> tuple[str, ...]:
    """Map outlet keys or names ('dayakdaily', 'The Borneo Post') to archive keys; QueryError lists known ones."""
    from newscrawl.outlets import load_outlets

    by_name = {}
    for o in load_outlets():
        by_name[o.key.casefold()] = o.key
        by_name[o.name.casefold()] = o.key
    keys = []
    with engine.connect() as conn:
        for name in names:
            key = by_name.get(name.strip().casefold())
            if key is None:
                present = conn.execute(select(articles.c.outlet).where(articles.c.outlet == name).limit(1)).first()
                if present is None:
                    raise QueryError(f"unknown outlet {name!r}; known outlets: {', '.join(known_outlets(engine))}")
                key = name
            keys.append(key)
    return tuple(dict.fromkeys(keys))


# --------------------------------------------------------------------------- statements


MIXED = "mixed"  # sqlite_target's table for a query mixing CJK and other terms (each on its own index)


def sqlite_target(conn: Connection, flt: Filters) -> tuple[str, Any]:
    """The FTS5 table and MATCH expression of the query: ``articles_fts`` and :func:`to_fts5`, or for a query
    holding only CJK terms the trigram table ``articles_cjk`` (:mod:`newscrawl.query.cjk`), or for a query mixing
    CJK and other terms ``MIXED`` and a function giving the SELECT of the matching rowids (:func:`cjk.sqlite_hits`;
    ``newest=N``: enough for the N newest). Cached on ``flt``."""
    if flt.fts_target is None:
        if cjk.routes(flt.query) and conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = ?", (fts.CJK_TABLE,)).first():
            if cjk.mixed(flt.query):  # a builder: newest=N gives the rowids a window or a capped count needs
                expand = cjk.expanded(flt.query, cjk.expander(conn))  # now: the connection may be gone later
                node = flt.query
                flt.fts_target = (MIXED, lambda newest=None: cjk.sqlite_hits(node, expand, newest=newest))
            else:
                flt.fts_target = (fts.CJK_TABLE, cjk.to_fts5_trigram(flt.query, cjk.expander(conn)))
        else:
            flt.fts_target = (fts.FTS_TABLE, to_fts5(flt.query))
    return flt.fts_target


class _Fts:
    """Dialect-specific pieces of a full-text query against an aliased articles table."""

    def __init__(self, dialect: str, node: Any, target: tuple[str, Any] | None = None) -> None:
        self.dialect = dialect
        self.node = node
        self.table, expr = target or (fts.FTS_TABLE, to_fts5(node) if dialect == "sqlite" else "")
        self.mixed_build = expr if self.table == MIXED else None  # SQLite, mixed scripts: rowid SELECT builder
        self.mixed_hits = self.mixed_build() if self.mixed_build is not None else None
        if self.mixed_hits is not None:
            expr = ""
        self.param = bindparam("fts_query", expr if dialect == "sqlite" else to_tsquery(node))
        self.hits: Any = None  # the materialised matches (SQLite), set by _build
        self.like_walk = False  # SQLite, CJK, date order: rows tested with LIKE, not the index (_plan_cjk)

    def tsquery(self) -> ColumnElement:
        return func.to_tsquery(literal_column(f"'{fts.PG_CONFIG}'::regconfig"), self.param)

    def pg_match(self, alias: str) -> ColumnElement:
        """PostgreSQL: 'this row matches' (tsvector @@ tsquery, or for queries holding CJK terms membership of the
        ids the CJK and word indexes give, cjk.pg_ids)."""
        if cjk.routes(self.node):
            return cjk.pg_match(self.node, alias)
        return self.document(alias).op("@@")(self.tsquery())

    def pg_score(self, alias: str) -> ColumnElement:
        """PostgreSQL: relevance (ts_rank_cd, or for CJK queries cjk.pg_score)."""
        if cjk.routes(self.node):
            return cjk.pg_score(self.node, alias)
        return func.ts_rank_cd(self.document(alias), self.tsquery())

    def document(self, alias: str) -> ColumnElement:
        return literal_column(fts.pg_document_sql(f"{alias}."))

    def matches(self, tbl: Any, alias: str) -> ColumnElement:
        """Correlated 'this row matches the query' condition (used for the story-group check)."""
        if self.dialect == "sqlite" and self.like_walk:
            return cjk.like_condition(self.node, alias)
        if self.dialect == "sqlite" and self.hits is not None:
            return tbl.c.id.in_(select(self.hits.c.hit_id))
        if self.dialect == "sqlite" and self.mixed_hits is not None:
            return tbl.c.id.in_(self.mixed_hits)
        if self.dialect == "sqlite":
            f = table(self.table, column("rowid"), column(self.table)).alias(f"{alias}_fts")
            return exists(select(literal_column("1")).select_from(f).where(
                f.c[self.table].op("MATCH")(self.param), f.c.rowid == tbl.c.id))
        if cjk.routes(self.node):  # the probed row itself (membership of every match would compute them all)
            return cjk.pg_row(self.node, alias)
        return self.pg_match(alias)


def conditions(tbl: Any, flt: Filters, dialect: str) -> list[ColumnElement]:
    """WHERE conditions of the filters (not the query, not story grouping) on a possibly aliased table."""
    conds: list[ColumnElement] = []
    if flt.outlets:
        conds.append(tbl.c.outlet.in_(flt.outlets))
    if flt.section:
        conds.append(func.lower(tbl.c.section) == flt.section.lower())
    if flt.language:
        conds.append(func.lower(tbl.c.language) == flt.language)
    if flt.since or flt.until:
        day = _day_expr(tbl, dialect)
        if flt.since:
            # The string range lets the published_at index narrow the scan (offsets shift a day at most).
            conds.append(tbl.c.published_at >= (flt.since - timedelta(days=1)).isoformat())
            conds.append(day >= flt.since.isoformat())
        if flt.until:
            conds.append(tbl.c.published_at < (flt.until + timedelta(days=2)).isoformat())
            conds.append(day <= flt.until.isoformat())
    return conds


def _day_expr(tbl: Any, dialect: str) -> ColumnElement:
    if dialect == "sqlite":
        return func.date(tbl.c.published_at, "+8 hours")
    name = tbl.name if hasattr(tbl, "name") else "articles"
    return literal_column(
        f"to_char(timezone('{PG_LOCAL_ZONE}', CAST({name}.published_at AS timestamptz)), 'YYYY-MM-DD')")


def day_expr(engine: Engine) -> ColumnElement:
    """The +08:00 calendar day of ``articles.published_at`` (unaliased), for stats and audits."""
    return _day_expr(articles, engine.dialect.name)


day_expr_for = _day_expr


def _build(engine: Engine, flt: Filters, *, columns: Sequence[str], sort: str, limit: int | None,
           top: int | None = None, window: int | None = None, candidates: Any = None, like_walk: bool = False,
           hit_ids: Sequence[tuple[int, float]] | None = None,
           cjk_ids: Sequence[tuple[int, float]] | None = None, cjk_above: int | None = None) -> Any:
    """The SELECT for ``flt``. Each narrowing the full-text hits the caller widens (see ``_plan``; SQLite, and
    ``window``/``top``, ``hit_ids`` and ``candidates`` on PostgreSQL):
    ``top``: rank only the ``top`` best matches instead of joining every match;
    ``window``: rank only the ``window`` most recently archived matches (highest ids);
    ``hit_ids`` (PostgreSQL): only these (id, score) pairs, matches ranked by ``_pg_window``;
    ``candidates``: only the article ids this SELECT gives (the first ones in date order), and no scoring;
    ``cjk_ids`` (PostgreSQL, CJK terms): the matches to rank with their scores, found by _plan_cjk_pg's walk;
    ``cjk_above`` (PostgreSQL, CJK terms, with ``window``): the indexes read only ids above it (cjk.pg_ids)."""
    dialect = engine.dialect.name
    a = articles.alias("a")
    extra = [literal_column(f"a.{name}").label(name) for name in columns if name not in a.c]
    cols = [a.c[name] for name in columns if name in a.c] + extra
    target = None
    if flt.query is not None and dialect == "sqlite":
        if flt.fts_target is None:
            with engine.connect() as conn:
                sqlite_target(conn, flt)
        target = flt.fts_target
    ftsq = _Fts(dialect, flt.query, target) if flt.query is not None else None
    score = None
    if ftsq is None:
        stmt = select(*cols).select_from(a)
    elif like_walk:  # SQLite, CJK, date order: dated articles in that order, each tested by LIKE (_plan_cjk)
        ftsq.like_walk = True
        stmt = select(*cols).select_from(a).where(a.c.published_at.is_not(None), cjk.like_condition(flt.query, "a"))
    elif dialect == "sqlite":
        # The matches are materialised first so the plan is always "full-text hits, then filter": left to itself
        # SQLite may walk an outlet/date index and run the full-text query once per candidate row.
        rank = func.bm25(literal_column(ftsq.table), 5.0, 1.0)  # a title hit weighs 5 text hits
        cjk_route = ftsq.table in (fts.CJK_TABLE, MIXED)
        if cjk_route:  # scored below on the joined row (cjk.score): bm25 over expanded trigrams is slow
            rank = literal_column("0")
        if candidates is not None:
            rank = literal_column("0")  # date order: no score needed (and bm25 per probed row is slow)
        if ftsq.mixed_hits is not None:  # mixed scripts: the rowids of both indexes, combined (cjk.sqlite_hits)
            rowid = (ftsq.mixed_build(window) if window is not None else ftsq.mixed_hits).subquery("m").c[0]
            hits = select(rowid.label("hit_id"), rank.label("rank"))
        else:
            f = table(ftsq.table, column("rowid"), column(ftsq.table))
            rowid = f.c.rowid
            hits = select(rowid.label("hit_id"), rank.label("rank")).where(f.c[ftsq.table].op("MATCH")(ftsq.param))
        if window is not None:  # FTS5 walks its doclists backwards by rowid: the newest `window` cost `window`
            newest = hits.order_by(rowid.desc()).limit(window).subquery("newest")
            hits = select(newest.c.hit_id, newest.c.rank)
            if top is not None:
                hits = hits.order_by(newest.c.rank, newest.c.hit_id).limit(top)
        elif top is not None:  # the best `top` in the final order (score desc = rank asc, then id)
            hits = hits.order_by(rank, rowid).limit(top)
        if candidates is not None:  # a subquery, not a list: any number of ids in a constant number of parameters
            hits = hits.where(rowid.in_(candidates))
        hits = hits.cte("hits").prefix_with("MATERIALIZED")
        # story-group probes must see every match, not only those of a narrowed set
        ftsq.hits = hits if top is None and window is None and candidates is None else None
        if cjk_route and candidates is None:  # CJK: the probes see the window (one MATCH per probe is too slow)
            ftsq.hits = hits
        score = (-hits.c.rank).label("score")
        if cjk_route and candidates is None:
            score = cjk.score(flt.query, a.c.title, a.c.text).label("score")
        stmt = select(*cols, score).select_from(hits.join(a, a.c.id == hits.c.hit_id))
    elif cjk.routes(flt.query) and candidates is None:  # PostgreSQL, CJK terms: ids from index scans (_plan_cjk_pg)
        if cjk_ids is not None:  # found and scored by walking the newest articles
            ids, scores = zip(*cjk_ids) if cjk_ids else ((), ())
            hits = select(func.unnest(cast(bindparam("cjk_ids", list(ids)), ARRAY(Integer))).label("hit_id"),
                          func.unnest(cast(bindparam("cjk_scores", list(scores)), ARRAY(Float))).label("score"))
        else:
            ids = cjk.pg_ids(flt.query, above=cjk_above).subquery("cjk_ids")
            hits = select(ids.c.id.label("hit_id"))
            if window is not None:  # the newest `window` matches
                hits = hits.order_by(ids.c.id.desc()).limit(window)
        hits = hits.cte("hits").prefix_with("MATERIALIZED")
        score = (hits.c.score if cjk_ids is not None else ftsq.pg_score("a")).label("score")
        stmt = select(*cols, score).select_from(hits.join(a, a.c.id == hits.c.hit_id))
    elif cjk.routes(flt.query):  # PostgreSQL, CJK terms, date walk: each candidate row tested itself
        score = ftsq.pg_score("a").label("score")
        stmt = select(*cols, score).select_from(a).where(a.c.id.in_(candidates), cjk.pg_row(flt.query, "a"))
    elif window is not None:  # PostgreSQL: the newest `window` matches (primary key scanned backwards), ranked
        n = articles.alias("n")
        newest = (select(n.c.id.label("hit_id"),
                         ftsq.pg_score("n").label("score"))
                  .where(ftsq.pg_match("n"))
                  .order_by(n.c.id.desc()).limit(window).subquery("newest"))
        hits = select(newest.c.hit_id, newest.c.score)
        if top is not None:
            hits = hits.order_by(newest.c.score.desc(), newest.c.hit_id.desc()).limit(top)
        hits = hits.subquery("hits")
        score = hits.c.score.label("score")
        stmt = select(*cols, score).select_from(hits.join(a, a.c.id == hits.c.hit_id))
    elif hit_ids is not None:  # PostgreSQL: matches already ranked (two array parameters, read by primary key)
        ids, scores = zip(*hit_ids) if hit_ids else ((), ())
        hits = select(func.unnest(cast(bindparam("hit_ids", list(ids)), ARRAY(Integer))).label("hit_id"),
                      func.unnest(cast(bindparam("hit_scores", list(scores)), ARRAY(REAL))).label("score")
                      ).subquery("hits")
        score = hits.c.score.label("score")
        stmt = select(*cols, score).select_from(hits.join(a, a.c.id == hits.c.hit_id))
    else:
        score = ftsq.pg_score("a").label("score")
        stmt = select(*cols, score).select_from(a).where(ftsq.pg_match("a"))
        if candidates is not None:
            stmt = stmt.where(a.c.id.in_(candidates))
    stmt = stmt.where(*conditions(a, flt, dialect))
    if not flt.include_duplicates:
        # A copy stands for its story only when no earlier member (the head, or an earlier copy) matches too.
        # Two EXISTS rather than one with OR, so each probe uses an index (primary key / duplicate_of).
        earlier = []
        for name, link in (("b", lambda b: b.c.id == a.c.duplicate_of),
                           ("c", lambda b: and_(b.c.duplicate_of == a.c.duplicate_of, b.c.id < a.c.id))):
            b = articles.alias(name)
            probe = select(literal_column("1")).select_from(b).where(link(b), *conditions(b, flt, dialect))
            if ftsq is not None:
                probe = probe.where(ftsq.matches(b, name))
            earlier.append(exists(probe))
        stmt = stmt.where(or_(a.c.duplicate_of.is_(None), not_(or_(*earlier))))
    if sort == "relevance" and score is not None:
        # equal scores: oldest first on SQLite (bm25 rarely ties); newest first on PostgreSQL, whose ts_rank_cd
        # ties by the thousand (0.1 per occurrence of a word) and whose narrowed plans rank the newest matches
        stmt = stmt.order_by(score.desc(), a.c.id.desc() if dialect == "postgresql" else a.c.id)
    elif sort == "newest":
        stmt = stmt.order_by(a.c.published_at.desc().nulls_last(), a.c.id.desc())
    else:
        stmt = stmt.order_by(a.c.published_at.asc().nulls_last(), a.c.id)
    if limit:
        stmt = stmt.limit(limit)
    return stmt


def _check(engine: Engine, flt: Filters, sort: str) -> None:
    if sort not in SORTS:
        raise QueryError(f"bad sort {sort!r}: expected one of {', '.join(SORTS)}")
    if flt.query is not None and not fts.has_index(engine):
        raise QueryError("the archive has no full-text index: run `newscrawl index --rebuild`")


def extra_columns(engine: Engine) -> list[str]:
    """Columns of the live ``articles`` table that this version does not declare (e.g. a WARC reference)."""
    # the tsvector and the period columns are derived for indexes, not data
    declared = set(articles.c.keys()) | {fts.PG_COLUMN} | set(periodindex.COLUMNS)
    return [c["name"] for c in inspect(engine).get_columns("articles") if c["name"] not in declared]


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    for name in JSON_LIST_COLUMNS:
        if name in row and isinstance(row[name], str):
            try:
                row[name] = json.loads(row[name])
            except ValueError:
                row[name] = [row[name]]
    return row


def iter_rows(engine: Engine, flt: Filters, *, columns: Sequence[str] = RESULT_COLUMNS, sort: str = "date",
              limit: int | None = None, snippets: bool = False, chunk: int = 500,
              exact: bool = False) -> Iterator[dict[str, Any]]:
    """Stream matching rows as dicts; memory stays bounded by ``chunk`` whatever the result size.

    ``exact``: rank every match of a relevance search, however many (see ``RANK_WINDOW``)."""
    _check(engine, flt, sort)
    if sort == "relevance" and flt.query is None:
        sort = "date"
    with engine.connect() as conn:
        if limit and engine.dialect.name == "postgresql":
            # a search's statements are costed high (every match ranked, as far as the planner knows), so
            # PostgreSQL would compile them with JIT first: ~35 ms of every search, for plans that run in less
            conn.exec_driver_sql("SET LOCAL jit = off")
        narrowed = _plan(conn, engine, flt, columns, sort, limit, exact)
        if narrowed is not None:
            batches: Iterator[Sequence[Any]] = iter([narrowed])
        else:
            stmt = _build(engine, flt, columns=columns, sort=sort, limit=limit)
            result = conn.execution_options(stream_results=True, yield_per=chunk).execute(stmt)
            batches = iter(lambda: result.fetchmany(chunk), [])
        for batch in batches:
            rows = [_decode(dict(r._mapping)) for r in batch]
            if snippets and flt.query is not None:
                marks = _snippets(conn, flt, [r["id"] for r in rows])
                for r in rows:
                    r["title_marked"], r["snippet"] = marks.get(r["id"], (r.get("title"), ""))
            yield from rows


# Query plans (SQLite; on PostgreSQL the date walk and the window). Joining every full-text match is fine for a
# few thousand matches; a common word matches most of a million-article archive, where bm25 over every match
# alone takes ~0.6 s. With a limit, such searches look at a narrowed set first and widen it (x8) until enough
# rows survive the filters and story grouping.
MANY_MATCHES = 20_000  # from this many matches on, searches with a limit use a narrowed plan
RANK_WINDOW = 50_000  # relevance over more matches ranks the newest this many (exact=True: all of them)
# PostgreSQL: relevance over more matches ranks about this many of the newest (exact=True: all). Ranking one match
# costs ~10 us there (its tsvector read from TOAST), not ~1 us: at a million articles a word in 2 % of them
# (20,000 matches) takes ~250 ms to rank in full, 2,000 of them ~25 ms.
PG_RANK_WINDOW = 2_000
# ... found by walking ids backwards when matches are dense (each row read is a match); sparser matches are found
# by ANDing the GIN index's bitmap with the primary key's over the newest ids expected to hold PG_RANK_WINDOW
PG_DENSE_SHARE = 0.2
# CJK queries on SQLite: relevance over more matches ranks the newest this many (scoring one costs ~40 us, and a
# short term's expanded trigrams ~25 us per match to merge: bench/query_cjk.py)
CJK_RANK_WINDOW = 2_000
PROBE_FACTOR = 50  # date order: first look at limit x this many articles (matches are >= 2 % of them)


def _plan(conn: Connection, engine: Engine, flt: Filters, columns: Sequence[str], sort: str, limit: int | None,
          exact: bool) -> list[Any] | None:
    """The rows of a narrowed plan, or None when the plain statement (join every match) is the right one.

    * date order, many matches: walk the articles passing the filters in that order (the published_at index)
      and test the query on the first few hundred: the exact rows, without touching every match.
    * relevance, more than RANK_WINDOW matches: bm25 over the RANK_WINDOW most recently archived matches
      (documented approximation; ``exact`` ranks all).
    * relevance, fewer: bm25 over every match, joining only the best (same rows as the plain plan).
    * PostgreSQL: the date walk; relevance over more than PG_RANK_WINDOW matches (by the column's statistics)
      ranks about PG_RANK_WINDOW of the newest (_pg_window; ``exact`` ranks all); else the plain statement.
    * CJK queries on SQLite: see _plan_cjk.
    """
    if engine.dialect.name not in ("sqlite", "postgresql") or not limit or flt.query is None:
        return None
    if engine.dialect.name == "sqlite" and sqlite_target(conn, flt)[0] in (fts.CJK_TABLE, MIXED):
        return _plan_cjk(conn, engine, flt, columns, sort, limit, exact)
    if engine.dialect.name == "postgresql" and cjk.routes(flt.query):
        return _plan_cjk_pg(conn, engine, flt, columns, sort, limit, exact)
    if sort in ("date", "newest"):
        if _match_count(conn, flt, at_most=MANY_MATCHES) < MANY_MATCHES:
            return None
        return _probe_in_date_order(conn, engine, flt, columns, sort, limit)
    filtered = bool(flt.outlets or flt.since or flt.until or flt.section or flt.language)
    if engine.dialect.name != "sqlite":  # PostgreSQL: only the window (its tsvectors are read row by row)
        if exact:
            return None
        return _pg_window(conn, engine, flt, columns, sort, limit, filtered)  # CJK terms: _plan_cjk_pg, above
    matches = _match_count(conn, flt, at_most=max(MANY_MATCHES, RANK_WINDOW + 1))
    if matches > RANK_WINDOW and not exact:
        return _widen(conn, engine, flt, columns, sort, limit, RANK_WINDOW, matches, filtered)
    if filtered:  # the survivors of a set of the best are too unpredictable: join every match
        return None
    if matches > RANK_WINDOW:  # counted only up to the window so far
        matches = _match_count(conn, flt)
    return _widen(conn, engine, flt, columns, sort, limit, None, matches, filtered)


def _plan_cjk(conn: Connection, engine: Engine, flt: Filters, columns: Sequence[str], sort: str, limit: int,
              exact: bool) -> list[Any] | None:
    """CJK queries on SQLite. A one- or two-character term is an OR of every trigram starting with it, which FTS5
    evaluates in time proportional to all its matches; the date walk (one MATCH per probed batch) is slower still.
    So: date order and relevance over at most CJK_RANK_WINDOW matches take the plain statement (every match once);
    relevance over more ranks the CJK_RANK_WINDOW most recently archived matches (widened x8 until ``limit`` rows
    survive the filters), like RANK_WINDOW for other queries (``exact`` ranks all). Date order with at least
    CJK_RANK_WINDOW matches walks the dated articles in that order testing each with LIKE (a dense term is found
    within a few hundred rows), like the date walk of other queries."""
    if sort in ("date", "newest"):
        if _match_count(conn, flt, at_most=CJK_RANK_WINDOW) < CJK_RANK_WINDOW:
            return None
        rows = conn.execute(_build(engine, flt, columns=columns, sort=sort, limit=limit, like_walk=True)).all()
        return rows if len(rows) >= limit else None  # undated articles sort last: the plain plan has them
    if exact:
        return None
    matches = _match_count(conn, flt, at_most=CJK_RANK_WINDOW + 1)
    window = CJK_RANK_WINDOW
    while matches > window:
        rows = conn.execute(_build(engine, flt, columns=columns, sort=sort, limit=limit, window=window)).all()
        if len(rows) >= limit:
            return rows
        window *= 8
        matches = _match_count(conn, flt, at_most=window + 1)
    return None


def _plan_cjk_pg(conn: Connection, engine: Engine, flt: Filters, columns: Sequence[str], sort: str, limit: int,
                 exact: bool) -> list[Any] | None:
    """Queries holding CJK terms on PostgreSQL, with the results of _plan_cjk on SQLite: relevance ranks the
    CJK_RANK_WINDOW most recently archived matches (widened x8 until ``limit`` rows survive the filters; ``exact``
    ranks all); date order with at least CJK_RANK_WINDOW matches walks the dated articles in that order testing
    each row (_probe_in_date_order), else reads every match.

    The newest matches come from one of two routes with the same result: the indexes give every match (cjk.pg_ids,
    each read from the table: ~7 us a match), or the newest articles are walked backwards testing and scoring
    each row (cjk.pg_walk, ~3 us a row), which wins when matches are dense (古晋 in 19 % of 200,000 articles:
    234 -> 51 ms).
    The walk is tried first (_cjk_pg_newest): it gives up for the indexes when the density it measures on the
    window's number of newest rows makes them cheaper (few matches: it finds none or nearly none). A capped count
    (the indexes' ids up to the window, stopping early) tells whether a window too small for the filters holds
    every match."""
    def capped(at_most: int) -> int:  # matches counted no further than at_most (may count one twice: OR)
        hits = select(literal_column("1")).select_from(cjk.pg_ids(flt.query, union_all=True).subquery()).limit(at_most)
        return conn.execute(select(func.count()).select_from(hits.subquery())).scalar()

    if sort in ("date", "newest"):
        if capped(CJK_RANK_WINDOW) < CJK_RANK_WINDOW:
            return None
        return _probe_in_date_order(conn, engine, flt, columns, sort, limit)
    if exact:
        return None
    window = CJK_RANK_WINDOW
    while True:
        ids, density = _cjk_pg_newest(conn, flt, window)
        above = _cjk_pg_range(conn, flt, window, density) if ids is None else None
        rows = conn.execute(_build(engine, flt, columns=columns, sort=sort, limit=limit, window=window,
                                   cjk_ids=ids, cjk_above=above)).all()
        if len(rows) >= limit or capped(window + 1) <= window:  # enough, or every match ranked
            return rows
        window *= 8


def _cjk_pg_range(conn: Connection, flt: Filters, window: int, density: float) -> int | None:
    """The lowest id bound whose range holds the ``window`` newest matches (so that reading the range from the
    indexes gives exactly them), or None for every match: from the matches per id the walk measured (x2 to spare),
    lowered x4 until a capped count of the range reaches the window. Reading a range costs its matches, not
    all (民都鲁, 16,000 matches in 200,000 articles: 2,000 read instead of 16,000)."""
    if density <= 0:
        return None
    last = int(conn.execute(select(func.max(articles.c.id))).scalar() or 0)
    span = window / density * 2
    while span < last:
        above = int(last - span)
        hits = select(literal_column("1")).select_from(
            cjk.pg_ids(flt.query, above=above).subquery()).limit(window)  # distinct: an OR counts an id once
        if conn.execute(select(func.count()).select_from(hits.subquery())).scalar() >= window:
            return above
        span *= 4
    return None


CJK_WALK = 1  # rows first walked for the newest matches of a CJK query on PostgreSQL: this many x the window


def _cjk_pg_newest(conn: Connection, flt: Filters, window: int) -> tuple[list[tuple[int, float]] | None, float]:
    """The ``window`` most recently archived matches, (id, score), found by walking the newest articles
    (cjk.pg_walk, which scores the rows it reads; only the CJK articles when the query can match no other), or
    None when matches are too sparse for the walk to pay (then the indexes give them; a few matches in all: the
    first walk finds none or measures a low density): a first walk over CJK_WALK x the window's rows measures the
    density; walking on is worth it while, at that density, the rows still to walk cost less than reading every
    match from the indexes (walking ~3 us a row, the indexes ~7 us a match: the density x the rows walkable).
    With the matches per id of the range walked (0: none found), for _cjk_pg_range."""
    rows, found, edge, done = CJK_WALK * window, [], None, 0
    top = walkable = None
    for _ in range(3):
        found += [tuple(r) for r in conn.execute(cjk.pg_walk(flt.query, rows, window - len(found), below=edge,
                                                             scored=True))]
        if len(found) >= window:
            return found, 0.0
        if not found:
            return None, 0.0
        if top is None:
            top = found[0][0]
        edge = conn.execute(select(func.min(literal_column("id"))).select_from(
            cjk.pg_newest(flt.query, select(articles.c.id), edge).limit(rows).subquery())).scalar()
        if edge is None:
            return None, 0.0
        done += rows
        density = len(found) / max(1, done)
        rows = int((window - len(found)) / density * 1.5) + 1  # the rest at the density seen, +50 %
        if walkable is None:  # asked only when the first walk fell short (statistics: no scan)
            walkable = _pg_rows(conn, fts.PG_CJK_IDS_INDEX if cjk.only_cjk_rows(flt.query) else None)
        if 3 * rows > 7 * density * walkable:
            return None, len(found) / max(1, top + 1 - edge)
    return None, len(found) / max(1, top + 1 - edge)


def _widen(conn: Connection, engine: Engine, flt: Filters, columns: Sequence[str], sort: str, limit: int,
           window: int | None, matches: int, filtered: bool) -> list[Any]:
    """Rows from the ``top`` best of the ``window`` newest matches (None: of every match), both widened (x8,
    the top first) until ``limit`` rows survive the filters and story grouping or the set holds every match
    (then the same rows, in the same order, as the plain plan). Only the ``top`` are joined to ``articles``."""
    top = max(100, limit * 5) * (8 if filtered else 1)  # filters drop most of the best: start wider
    while True:
        stmt = _build(engine, flt, columns=columns, sort=sort, limit=limit, top=top, window=window)
        rows = conn.execute(stmt).all()
        if window is None and engine.dialect.name != "sqlite":  # the plain statement: every match, exact
            return rows
        scope = matches if window is None else min(window, matches)
        if len(rows) >= limit or (top >= scope and scope >= matches):
            return rows
        if top < scope:
            top *= 8
        else:
            window = None if window is None or window * 8 >= matches else window * 8
            if window is None:  # the full set from now on: count it exactly
                matches = _match_count(conn, flt)


def _pg_window(conn: Connection, engine: Engine, flt: Filters, columns: Sequence[str], sort: str, limit: int,
               filtered: bool) -> list[Any] | None:
    """PostgreSQL, relevance: ts_rank_cd over about PG_RANK_WINDOW of the newest matches, the ``top`` best of them
    joined (filters, story grouping); both widened (x8, the top first) until ``limit`` rows survive. None (the
    plain statement, every match ranked) when the statistics expect at most PG_RANK_WINDOW matches.

    The matches are read newest first, a slice of ids at a time, with their scores (``_pg_slice``): dense ones
    (PG_DENSE_SHARE of the articles) walking the primary key backwards, each row tested; sparser ones, only
    those passing the filters, through the GIN bitmap ANDed with the primary key's over the ids expected to hold
    PG_RANK_WINDOW matches, so only those rows are read. Without NOT, a row's score is its test (ts_rank_cd is
    above 0 exactly when the query's words are there, phrases in place: one tsvector read, not two). A wider window reads the next slice only. Once the
    slices reach the first id every match has been ranked: the rows are exactly those of the plain statement."""
    share, total, candidates = pg_share(conn, flt.query)
    if share * total <= PG_RANK_WINDOW:
        return None
    dense = share >= PG_DENSE_SHARE
    # a candidate that must be tested as well (NOT: see _pg_slice) reads its tsvector twice: half as many
    tested = 2 if to_tsquery(candidates) != to_tsquery(flt.query) and _has_not(flt.query) else 1
    last = int(conn.execute(select(func.max(articles.c.id))).scalar() or 0)
    ranked: list[tuple[int, float]] = []  # (id, score) of the matches read so far
    upper = last + 1  # the ids read so far are those from `upper` on
    window = PG_RANK_WINDOW
    top = max(100, limit * 5) * (8 if filtered and dense else 1)  # filters drop most of the best: start wider
    while True:
        wanted = window - len(ranked)
        if dense:
            found = _pg_slice(conn, flt, upper, wanted=wanted)
            complete = len(found) < wanted
            upper = min((i for i, _ in found), default=0)
        else:
            lower = max(0, upper - int(wanted / share / tested))
            found = _pg_slice(conn, flt, upper, lower=lower, candidates=candidates)
            complete = lower == 0
            upper = lower + 1
        ranked.extend(found)
        ranked.sort(key=lambda hit: (-hit[1], -hit[0]))  # score desc, then newest first (as _build orders)
        while True:
            rows = conn.execute(_build(engine, flt, columns=columns, sort=sort, limit=limit,
                                       hit_ids=ranked[:top])).all()
            if len(rows) >= limit or (complete and top >= len(ranked)):
                return rows
            if top >= len(ranked):
                break
            top *= 8
        window *= 8


def _pg_slice(conn: Connection, flt: Filters, upper: int, *, wanted: int | None = None, lower: int | None = None,
              candidates: Any = None) -> list[tuple[int, float]]:
    """(id, score) of the matches with ids below ``upper``: the first ``wanted`` walking the primary key backwards
    (filters left to the caller: given them, the planner walks a date index and tests every row of it), or
    those passing the filters above ``lower``, through the GIN bitmap of ``candidates`` (a query matching a
    superset, see pg_share) ANDed with the primary key's, the tsvector read only for the rows passing the
    filters. The planner would rather walk that id range testing every row (it does not know that each test
    reads a TOASTed tsvector), hence ``enable_indexscan`` off for it."""
    ftsq = _Fts("postgresql", flt.query)
    if wanted is not None:
        n = articles.alias("n")
        walk = select(n.c.id, ftsq.pg_score("n").label("score")).where(n.c.id < upper).order_by(n.c.id.desc())
        if _has_not(flt.query):
            walk = walk.where(ftsq.pg_match("n")).limit(wanted)
        else:  # the score is the test (see below): one tsvector read per row walked, not two per match
            scored = walk.offset(0).subquery("scored")
            walk = select(scored.c.id, scored.c.score).where(scored.c.score > 0).order_by(
                scored.c.id.desc()).limit(wanted)
        return [tuple(r) for r in conn.execute(walk)]
    # the candidates, fenced (OFFSET 0) so that the filters and the test are not turned into more bitmaps: the
    # planner would AND an outlet or date index's bitmap too, at a cost of more than the rows it saves
    f = articles.alias("f")
    bitmap = to_tsquery(candidates)
    fenced = select(f.c.id, f.c.outlet, f.c.section, f.c.language, f.c.published_at,
                    literal_column(fts.pg_document_sql("f.")).label(fts.PG_COLUMN)).where(
        f.c.id < upper, f.c.id > lower, ftsq.document("f").op("@@")(func.to_tsquery(
            literal_column(f"'{fts.PG_CONFIG}'::regconfig"), bindparam("fts_candidates", bitmap)))
    ).offset(0).subquery("n")
    stmt = select(fenced.c.id, ftsq.pg_score("n").label("score")).where(*conditions(fenced, flt, "postgresql"))
    if bitmap != to_tsquery(flt.query) and _has_not(flt.query):  # tested row by row
        stmt = stmt.where(ftsq.pg_match("n"))
    elif bitmap != to_tsquery(flt.query):
        # without NOT the score is the test: ts_rank_cd sums the covers of the query (phrases by position), and a
        # document has one exactly when it matches; one tsvector read per candidate instead of two
        scored = stmt.offset(0).subquery("scored")
        stmt = select(scored.c.id, scored.c.score).where(scored.c.score > 0)
    conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
    try:
        return [tuple(r) for r in conn.execute(stmt)]
    finally:
        conn.exec_driver_sql("RESET enable_indexscan")


def _has_not(node: Any) -> bool:
    if isinstance(node, Not):
        return True
    return isinstance(node, (And, Or)) and any(_has_not(item) for item in node.items)


def pg_share(conn: Connection, node: Any) -> tuple[float, float, Any]:
    """PostgreSQL: (the share of articles ``node`` is expected to match, the articles, a query for the GIN bitmap
    of its candidates), from the statistics ``ANALYZE`` (autovacuum) keeps of the tsvector column: the share of
    articles holding each of its most common lexemes (down to ~2 % of the articles at a million); a rarer word
    counts half that floor, as the planner counts it. A phrase or an AND counts as its rarest part and an OR as
    the sum of its parts: the planner multiplies them as if words were independent ('"baram dam"', in 16,800
    of a million articles, was expected in 198), and would then read every match of its GIN bitmap rather than
    AND it with the primary key's. So the candidates are those of the rarest word of each phrase and AND (NOTs
    left out), a superset that the planner estimates well; the query itself is tested on them.
    (0, 0, node) in an archive never analysed: the plain statement."""
    row = conn.exec_driver_sql(  # constants for the pg_stats view, not a join: 0.6 ms instead of 5
        "SELECT (SELECT reltuples FROM pg_class WHERE oid = to_regclass('articles')), "
        "s.most_common_elems::text::text[], s.most_common_elem_freqs FROM pg_stats s "
        "WHERE s.schemaname = (SELECT ns.nspname FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace "
        "WHERE c.oid = to_regclass('articles')) AND s.tablename = 'articles' AND s.attname = %s",
        (fts.PG_COLUMN,)).first()
    if row is None or not row[1] or not row[2] or row[0] <= 0:
        return 0.0, 0.0, node
    elems, freqs = row[1], row[2]
    common = dict(zip(elems, freqs))
    floor = freqs[len(elems)] / 2  # after the lexemes' shares: the lowest one (then the highest, the nulls)

    def estimate(node: Any) -> tuple[float, Any]:
        if isinstance(node, Term):
            tokens = node.tokens
            shares = [common.get(tok, floor) for tok in tokens]
            if node.prefix:
                shares[-1] = min(1.0, sum(f for e, f in common.items() if e.startswith(tokens[-1]))) or floor
            if len(tokens) == 1:
                return shares[0], node
            i = min(range(len(tokens)), key=shares.__getitem__)
            return shares[i], Term(tokens[i], prefix=node.prefix and i == len(tokens) - 1)
        if isinstance(node, Or):
            parts = [estimate(item) for item in node.items]
            return min(1.0, sum(share for share, _ in parts)), Or(tuple(part for _, part in parts))
        return min((estimate(item) for item in node.items if not isinstance(item, Not)), key=lambda p: p[0])

    share, candidates = estimate(node)
    return share, float(row[0]), candidates


def _probe_in_date_order(conn: Connection, engine: Engine, flt: Filters, columns: Sequence[str], sort: str,
                         limit: int) -> list[Any] | None:
    """Date-ordered search by walking dated articles in that order; None when the walk runs out of dated
    articles before ``limit`` rows (undated ones sort last: the plain plan handles that tail)."""
    w = articles.alias("w")
    order = ((w.c.published_at.desc(), w.c.id.desc()) if sort == "newest" else (w.c.published_at, w.c.id))
    walk = select(w.c.id).where(w.c.published_at.is_not(None), *conditions(w, flt, engine.dialect.name)
                                ).order_by(*order)
    size = limit * PROBE_FACTOR
    while True:
        first = walk.limit(size)
        rows = conn.execute(_build(engine, flt, columns=columns, sort=sort, limit=limit, candidates=first)).all()
        if len(rows) >= limit:
            return rows
        if conn.execute(select(func.count()).select_from(first.subquery())).scalar() < size:
            return None
        size *= 8


def _pg_rows(conn: Connection, index: str | None = None) -> float:
    """PostgreSQL's own estimate of the articles row count, or of the entries of a partial ``index`` (statistics,
    no scan; an index never analysed counts the table's rows)."""
    sql = "SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = to_regclass(%s)"
    rows = conn.exec_driver_sql(sql, (index,)).scalar() if index else None
    return float(rows if rows is not None and rows > 0 else conn.exec_driver_sql(sql, ("articles",)).scalar() or 0)


def _match_count(conn: Connection, flt: Filters, at_most: int | None = None) -> int:
    """Full-text matches of the query (filters ignored), counting no further than ``at_most``: reading rowids
    only, 50,000 of them cost ~2 ms on SQLite."""
    if conn.dialect.name == "postgresql":
        ftsq = _Fts("postgresql", flt.query)
        hits = select(literal_column("1")).select_from(articles.alias("a")).where(
            ftsq.pg_match("a"))
        if at_most is not None:  # for choosing a plan the planner's estimate will do: counting reads every row
            compiled = hits.compile(dialect=conn.dialect)
            plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params).scalar()
            return min(at_most, int(plan[0]["Plan"]["Plan Rows"]))
    else:
        name, expr = sqlite_target(conn, flt)
        if name == MIXED:
            hits = expr(at_most)
        else:
            f = table(name, column("rowid"), column(name))
            hits = select(f.c.rowid).where(f.c[name].op("MATCH")(bindparam("fts_query", expr)))
    if at_most is not None:
        hits = hits.limit(at_most)
    return conn.execute(select(func.count()).select_from(hits.subquery())).scalar()


def _snippets(conn: Connection, flt: Filters, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Highlighted title and text snippet per article id (matches wrapped in MARK_START/MARK_END)."""
    node = flt.query
    if cjk.routes(node) and (conn.dialect.name != "sqlite" or sqlite_target(conn, flt)[0] in (fts.CJK_TABLE, MIXED)):
        # CJK: the marks are placed here (ts_headline knows no substrings; FTS5's snippet() over hundreds of
        # expanded trigram phrases is slow), the same on both dialects
        rows = conn.execute(select(articles.c.id, articles.c.title, articles.c.text).where(articles.c.id.in_(ids)))
        return {rid: (cjk.mark(title, node, MARK_START, MARK_END, whole=True),
                      cjk.mark(text, node, MARK_START, MARK_END)) for rid, title, text in rows}
    if conn.dialect.name == "sqlite":
        name, expr = sqlite_target(conn, flt)
        f = table(name, column("rowid"), column(name))
        ftsname = literal_column(name)
        stmt = select(f.c.rowid, func.highlight(ftsname, 0, MARK_START, MARK_END),
                      func.snippet(ftsname, 1, MARK_START, MARK_END, "…", 24)).where(
            f.c[name].op("MATCH")(expr), f.c.rowid.in_(ids))
    else:
        q = _Fts("postgresql", node).tsquery()
        cfg = literal_column(f"'{fts.PG_CONFIG}'::regconfig")
        opts = f"StartSel={MARK_START}, StopSel={MARK_END}"
        stmt = select(articles.c.id,
                      func.ts_headline(cfg, articles.c.title, q, opts + ", HighlightAll=true"),
                      func.ts_headline(cfg, articles.c.text, q, opts + ", MaxWords=30, MinWords=15,"
                                       " MaxFragments=2, FragmentDelimiter=\" … \"")).where(articles.c.id.in_(ids))
    return {rid: (title, " ".join((snip or "").split())) for rid, title, snip in conn.execute(stmt)}


def format_marks(text: str | None, start: str = "**", end: str = "**") -> str:
    """Replace the internal match markers with visible ones."""
    return (text or "").replace(MARK_START, start).replace(MARK_END, end)


def count(engine: Engine, flt: Filters) -> int:
    """How many rows ``iter_rows`` would yield without a limit."""
    _check(engine, flt, "date")
    stmt = _build(engine, flt, columns=("id",), sort="date", limit=None).order_by(None)
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one())


# --------------------------------------------------------------------------- the Python API


def search(engine: Engine, query: str, *, outlets: Sequence[str] | str | None = None,
           since: date | str | None = None, until: date | str | None = None, section: str | None = None,
           language: str | None = None, include_duplicates: bool = False, limit: int | None = 20,
           sort: str = "relevance", exact: bool = False) -> Iterator[dict[str, Any]]:
    """Articles matching ``query`` (see module doc for the syntax), best first; each dict carries
    RESULT_COLUMNS plus ``score`` (higher is better) and ``snippet`` (matches in ``**``).

    Outlets may be keys or names; raises QueryError on bad syntax, unknown outlets or bad dates. A relevance
    search matching more than RANK_WINDOW articles ranks the most recently archived RANK_WINDOW of them unless
    ``exact``.
    """
    flt = Filters.build(query=query, outlets=outlets, since=since, until=until, section=section,
                        language=language, include_duplicates=include_duplicates)
    flt.outlets = resolve_outlets(engine, flt.outlets)
    for row in iter_rows(engine, flt, sort=sort, limit=limit, snippets=True, exact=exact):
        row["snippet"] = format_marks(row["snippet"])
        row.pop("title_marked", None)
        yield row


def iter_articles(engine: Engine, *, query: str | None = None, outlets: Sequence[str] | str | None = None,
                  since: date | str | None = None, until: date | str | None = None, section: str | None = None,
                  language: str | None = None, include_duplicates: bool = False, limit: int | None = None,
                  sort: str = "date", with_text: bool = True) -> Iterator[dict[str, Any]]:
    """Every matching article with all its columns (authors/tags as lists), streamed in date order."""
    flt = Filters.build(query=query, outlets=outlets, since=since, until=until, section=section,
                        language=language, include_duplicates=include_duplicates)
    flt.outlets = resolve_outlets(engine, flt.outlets)
    columns = [c for c in EXPORT_COLUMNS if with_text or c != "text"] + extra_columns(engine)
    yield from iter_rows(engine, flt, columns=columns, sort=sort, limit=limit)


def to_pandas(engine: Engine, **kwargs: Any) -> Any:
    """``iter_articles(**kwargs)`` as a pandas DataFrame (needs pandas: ``pip install pandas``)."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError("to_pandas needs pandas: pip install -e '.[pandas]'") from exc
    frame = pd.DataFrame.from_records(list(iter_articles(engine, **kwargs)))
    for name in ("published_at", "modified_at", "fetched_at"):
        if name in frame:
            frame[name] = pd.to_datetime(frame[name], utc=True, errors="coerce", format="ISO8601")
    return frame


__all__ = [
    "Filters", "parse_day", "resolve_outlets", "known_outlets", "iter_rows", "count", "search", "iter_articles",
    "to_pandas", "format_marks", "day_expr",
]
