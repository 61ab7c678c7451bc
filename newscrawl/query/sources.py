"""Sources of a topic: per outlet, the stories matching a query and the first and last day it published one.

``stories`` counts each story once per outlet (``include_duplicates``: rows), undated articles included;
``first``/``last`` are +08:00 days of the plausibly dated ones (None when the outlet's matches are all undated).
``share`` is ``stories`` over all the outlet's stories under the same filters. Grouped in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Engine, case, func, select

from newscrawl.query import periods
from newscrawl.query.search import Filters, resolve_outlets
from newscrawl.query.selection import (
    counting,
    dated,
    execute_covering,
    require_index,
    selected,
    story_count,
    use_covering,
)
from newscrawl.store import periodindex
from newscrawl.store.schema import articles

COLUMNS = ("outlet", "stories", "share", "first", "last")


def _per_outlet(engine: Engine, flt: Filters) -> dict[str, tuple[int, str | None, str | None]]:
    a = articles.alias("a")
    pg = engine.dialect.name == "postgresql"  # days as numbers there: one time-zone conversion, no to_char, per row
    day = case((dated(a), periods.pg_first_day(a, "day") if pg else periods.expr(a, engine.dialect.name, "day")),
               else_=None)
    stmt = (select(a.c.outlet, story_count(a, flt.include_duplicates), func.min(day), func.max(day))
            .where(*selected(a, flt, engine.dialect.name)).group_by(a.c.outlet))
    covering = use_covering(engine, flt)
    as_day = (lambda n: n if n is None else periodindex.start_of(n, "day").isoformat()) if pg else (lambda d: d)
    with counting(engine, flt) as conn:
        result = execute_covering(conn, stmt) if covering else conn.execute(stmt)
        return {outlet: (int(n), as_day(first), as_day(last)) for outlet, n, first, last in result}


def sources(engine: Engine, query: str, *, outlets: Sequence[str] | str | None = None,
            since: date | str | None = None, until: date | str | None = None, section: str | None = None,
            language: str | None = None, include_duplicates: bool = False) -> list[dict[str, Any]]:
    """One dict per outlet with a match (COLUMNS), most stories first."""
    flt = Filters.build(query=query, outlets=outlets, since=since, until=until, section=section, language=language,
                        include_duplicates=include_duplicates)
    flt.outlets = resolve_outlets(engine, flt.outlets)
    require_index(engine, flt)
    found = _per_outlet(engine, flt)
    if not found:
        return []
    base = Filters(outlets=tuple(found), since=flt.since, until=flt.until, section=flt.section,
                   language=flt.language, include_duplicates=include_duplicates)
    totals = _per_outlet(engine, base)
    rows = [{"outlet": o, "stories": n, "share": n / totals[o][0] if totals.get(o, (0,))[0] else None,
             "first": first and str(first)[:10], "last": last and str(last)[:10]}
            for o, (n, first, last) in found.items()]
    return sorted(rows, key=lambda r: (-r["stories"], r["outlet"]))


def sources_frame(engine: Engine, query: str, **kwargs: Any) -> Any:
    """``sources(...)`` as a pandas DataFrame (first/last as datetime64)."""
    import pandas as pd

    frame = pd.DataFrame(sources(engine, query, **kwargs), columns=list(COLUMNS))
    for name in ("first", "last"):
        frame[name] = pd.to_datetime(frame[name])
    return frame
