"""Attention over time: stories matching a query per period and outlet, absolute and as a share.

``stories`` is how many stories of the outlet published in the period match the query (a story counts once per
outlet, see :mod:`newscrawl.query.selection`; ``include_duplicates`` counts rows). ``share`` (with ``normalise``)
divides it by all the outlet's stories in that period under the same filters, so a busy outlet does not look
more interested: the denominator is counted the same way as the numerator, hence ``0 <= share <= 1``.

Every period between the first and last one with a match (or ``since``/``until`` when given) is reported for
every outlet with a match (or every ``--outlet`` asked for), zeros included: a gap in attention is data.
Periods are computed and grouped in SQL on both dialects (:mod:`newscrawl.query.periods`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, QueuePool, case, func, select

from newscrawl.query import periods
from newscrawl.query.search import Filters, conditions, resolve_outlets
from newscrawl.query.selection import (
    RESEARCH_INDEX,
    counting,
    dated,
    execute_covering,
    match_condition,
    period_conditions,
    period_plan,
    require_index,
    selected,
    story_count,
    story_key,
    use_covering,
)
from newscrawl.query.stats import plausible_range
from newscrawl.store import periodindex
from newscrawl.store.schema import articles

COLUMNS = ("query", "period", "outlet", "stories", "share")  # the JSON/CSV row shape
PARTS = min(4, os.cpu_count() or 1)  # SQLite: threads counting a common word's periods (see _partitions)


@dataclass(frozen=True)
class Row:
    query: str
    period: str  # 2026-05-04 | 2026-W19 | 2026-05
    outlet: str
    stories: int
    share: float | None  # stories / the outlet's stories in the period (normalise), else None
    start: date  # the period's first day (for plots and frames; not in the JSON shape)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k in COLUMNS}


def counts(engine: Engine, flt: Filters, by: str) -> dict[tuple[str, date], int]:
    """{(outlet, period start): stories} for the articles ``flt`` selects (query included when set)."""
    a = articles.alias("a")
    out: dict[tuple[str, date], int] = {}
    for key, (n,) in _per_period(engine, flt, by, a, [story_count(a, flt.include_duplicates)], tested=False,
                                 stories=not flt.include_duplicates):
        out[key] = out.get(key, 0) + int(n)
    return out


def counts_with_totals(engine: Engine, flt: Filters, by: str) -> tuple[dict[tuple[str, date], int],
                                                                        dict[tuple[str, date], int]]:
    """(``counts(flt)``, ``counts`` of the same filters without the query) in one scan of a research index
    (SQLite, a query matching much of the archive): each row is tested against the full-text hits inside the
    aggregate, so the denominator of ``normalise`` costs no second pass over the archive."""
    a = articles.alias("a")
    match = match_condition(a, flt.query, engine.dialect.name)
    if flt.include_duplicates:
        matching, total = func.count(case((match, a.c.id))), func.count()
    else:
        key = story_key(a)
        matching, total = func.count(case((match, key)).distinct()), func.count(key.distinct())
    found: dict[tuple[str, date], int] = {}
    totals: dict[tuple[str, date], int] = {}
    for key, (n, t) in _per_period(engine, flt, by, a, [matching, total], tested=True):
        if n:
            found[key] = found.get(key, 0) + int(n)
        totals[key] = totals.get(key, 0) + int(t)
    return found, totals


def _per_period(engine: Engine, flt: Filters, by: str, a: Any, aggregates: list[Any], tested: bool,
                stories: bool = False, split: bool = True) -> Iterator[tuple[tuple[str, date], list[Any]]]:
    """((outlet, period start), the ``aggregates``) per group of the articles ``flt`` selects. ``tested``: the
    query is tested inside the aggregates (every row of the filters is read), else it selects the rows.
    SQLite with the period columns groups down the period index (:func:`period_plan`); otherwise the period is
    computed per row, over the research index when that pays (``use_covering``). A group may come twice (two
    values of one period on the computed plan): the caller adds them up. ``stories``: the one aggregate is
    ``story_count``; on PostgreSQL's computed plan it is then counted from the distinct (outlet, period, story)
    rows, which PostgreSQL hashes, where ``count(DISTINCT)`` sorts every match (1.9 -> 1.5 s for 800,000)."""
    dialect = engine.dialect.name
    plan = period_plan(engine, flt, by)
    parts = _partitions(engine, flt, by) if split and plan is not None and dialect == "sqlite" else [flt]
    if len(parts) > 1:  # disjoint periods, so disjoint groups: each part counted whole on its own connection
        with ThreadPoolExecutor(len(parts)) as pool:
            for got in pool.map(lambda part: list(_per_period(engine, part, by, a, aggregates, tested, stories,
                                                              split=False)), parts):
                yield from got
        return
    if plan is not None:
        index, cols = plan
        stmt = select(a.c.outlet, *cols, *aggregates).where(
            *period_conditions(a, replace(flt, query=None) if tested else flt, by, dialect)).group_by(a.c.outlet, *cols)
    else:
        index = RESEARCH_INDEX
        period = periods.pg_first_day(a, by) if dialect == "postgresql" else periods.expr(a, dialect, by)
        where = [dated(a, indexed=dialect == "sqlite"),
                 *(conditions(a, flt, dialect) if tested else selected(a, flt, dialect))]
        if stories and dialect == "postgresql":
            rows = (select(a.c.outlet, period.label("period")).where(*where)
                    .group_by(a.c.outlet, period, story_key(a)).subquery("rows"))
            stmt = select(rows.c.outlet, rows.c.period, func.count()).group_by(rows.c.outlet, rows.c.period)
        else:
            stmt = select(a.c.outlet, period.label("period"), *aggregates).where(*where).group_by(a.c.outlet, period)
    covering = dialect == "sqlite" and (plan is not None or tested or use_covering(engine, flt))
    skip = len(plan[1]) if plan is not None else 1  # the grouping columns after outlet; the period is the last
    with counting(engine, flt) as conn:
        for outlet, *rest in (execute_covering(conn, stmt, index=index) if covering else conn.execute(stmt)):
            value = rest[skip - 1]
            if value is None or value == "":  # a published_at the database cannot read as a time
                continue
            if plan is not None:
                start = periodindex.start_of(value, by)
            elif dialect == "postgresql":
                start = periodindex.start_of(value, "day")  # pg_first_day: the first day's number
            else:
                start = periods.start_of(str(value), by)
            yield (outlet, start), rest[skip:]


def _partitions(engine: Engine, flt: Filters, by: str) -> list[Filters]:
    """SQLite's period-index walk for a query matching much of the archive is one thread's work (~0.7 s at a
    million articles, most of it testing each index entry against the full-text hits): ``flt`` cut into PARTS
    runs of whole periods (``since``/``until`` at period starts) of about equal length between the archive's
    first and last publication dates, to count at once. sqlite3 releases the GIL while a statement runs: a word
    in 80 % of a million articles by week, two threads on two cores, 0.67 -> 0.53 s (each thread still reads all
    the full-text hits; docs/research.md#scale). One part when the engine's connections are not to a file
    (in-memory: each would open its own database), for a narrower walk (below) or a span under two periods.
    Each thread reads in its own transaction: while a crawl writes, two runs may see the archive a few articles
    apart (a share's numerator and denominator still come from one statement)."""
    if (PARTS < 2 or flt.outlets or not isinstance(engine.pool, QueuePool)
            or engine.url.database in (None, "", ":memory:")):
        return [flt]
    first, last = plausible_range()
    lo, hi = max(first, flt.since or first), min(last, flt.until or last)
    col = articles.c.published_at
    with engine.connect() as conn:  # two seeks of the published_at index
        oldest = conn.execute(select(func.min(col)).where(col >= first.isoformat())).scalar()
        newest = conn.execute(select(func.max(col)).where(col < (last + timedelta(days=1)).isoformat())).scalar()
    try:
        archived = date.fromisoformat(oldest[:10]), date.fromisoformat(newest[:10])
    except (TypeError, ValueError):  # nothing dated, or a date the index sorts but Python cannot read
        return [flt]
    start, end = max(lo, archived[0]), min(hi, archived[1])
    # Only a walk over most of the index pays for a second thread: each thread reads every full-text hit again
    # (one outlet of four since 2024, 33,000 entries: 114 -> 173 ms split), so an outlet filter or a range under
    # half of the archive's dated span is counted on one.
    if (end - start) * 2 < archived[1] - archived[0]:
        return [flt]
    cuts = sorted({periods.of_day(start + (end - start) * i / PARTS, by) for i in range(1, PARTS)} - {lo})
    cuts = [c for c in cuts if lo < c <= hi]
    bounds = [lo, *cuts, hi + timedelta(days=1)]
    parts = [replace(flt, since=b, until=e - timedelta(days=1)) for b, e in zip(bounds, bounds[1:])]
    for part in parts:
        part.covering = flt.covering  # the same query and outlets: use_covering's answer does not depend on dates
    return parts


def attention(engine: Engine, queries: Sequence[str] | str, *, by: str = "week",
              outlets: Sequence[str] | str | None = None, since: date | str | None = None,
              until: date | str | None = None, section: str | None = None, language: str | None = None,
              normalise: bool = False, include_duplicates: bool = False) -> list[Row]:
    """Matching stories per period and outlet for each query (search's syntax), ordered by query, period, outlet.

    Raises QueryError (bad query, outlet, date) or ValueError (bad period)."""
    periods.check(by)
    if isinstance(queries, str):
        queries = [queries]
    if not queries:
        raise ValueError("give at least one query")
    flts = [Filters.build(query=q, outlets=outlets, since=since, until=until, section=section, language=language,
                          include_duplicates=include_duplicates) for q in queries]
    chosen = resolve_outlets(engine, flts[0].outlets)
    for flt in flts:
        flt.outlets = chosen
        require_index(engine, flt)
    found, totals = [], {}
    for flt in flts:
        if normalise and use_covering(engine, flt):  # one scan for the counts and the denominator
            got, totals = counts_with_totals(engine, flt, by)
            found.append(got)
        else:
            found.append(counts(engine, flt, by))
    keys = [k for f in found for k in f]
    first = flts[0].since or min((d for _, d in keys), default=None)
    last = flts[0].until or max((d for _, d in keys), default=None)
    if first is None or last is None:
        return []
    starts = periods.span(first, last, by)
    shown = list(chosen) or sorted({o for o, _ in keys})
    if normalise and not totals:  # the denominator over the periods shown only: a narrow topic need not count all
        since_, until_ = flts[0].since, flts[0].until  # a partial first/last period: the same days as the counts
        base = Filters(outlets=chosen, since=max(since_ or starts[0], starts[0]),
                       until=min(until_ or periods.end_of(starts[-1], by), periods.end_of(starts[-1], by)),
                       section=flts[0].section, language=flts[0].language, include_duplicates=include_duplicates)
        totals = counts(engine, base, by)
    rows = []
    for q, got in zip(queries, found):
        for start in starts:
            for outlet in shown:
                n = got.get((outlet, start), 0)
                total = totals.get((outlet, start), 0)
                share = (n / total if total else None) if normalise else None
                rows.append(Row(q, periods.label(start, by), outlet, n, share, start))
    return rows


def to_frame(rows: Sequence[Row]) -> Any:
    """Rows as a pandas DataFrame: COLUMNS plus ``start`` (the period's first day, a Timestamp)."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError("DataFrames need pandas: pip install -e '.[pandas]'") from exc
    frame = pd.DataFrame([{**r.as_dict(), "start": r.start} for r in rows], columns=[*COLUMNS, "start"])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["share"] = frame["share"].astype("float64")
    return frame


def attention_frame(engine: Engine, queries: Sequence[str] | str, **kwargs: Any) -> Any:
    """``attention(...)`` as a pandas DataFrame."""
    return to_frame(attention(engine, queries, **kwargs))
