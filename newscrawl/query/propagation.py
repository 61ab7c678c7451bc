"""How syndicated stories travelled: for each story group run by several outlets, who published first and who
followed, with the delays; and per pair of outlets, how often each was first.

A story group is ``articles.duplicate_of`` (see docs/near-duplicates.md). Each outlet is represented by its
earliest copy; outlets are ordered by the publication instant (``published_at`` with its offset; compared as
instants whatever offset each outlet stores). Copies without a usable publication time are listed last, with
no delay, and take no part in the pair counts. The groups come from SQL (those with a member matching the query
and filters, or the group of one article); the ordering is done here, over the members of those groups only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import combinations
from typing import Any

from sqlalchemy import Engine, exists, or_, select

from newscrawl.query.search import Filters, resolve_outlets
from newscrawl.query.selection import require_index, selected, story_key
from newscrawl.query.syntax import QueryError
from newscrawl.store.schema import articles
from newscrawl.store.stories import parse_time

CHUNK = 500  # story roots per IN list


@dataclass(frozen=True)
class Copy:
    article_id: int
    outlet: str
    published_at: str | None
    url: str
    delay_minutes: float | None  # after the first outlet's copy; None when undated


@dataclass
class Story:
    story_id: int  # the group's root
    title: str
    copies: list[Copy] = field(default_factory=list)  # first outlet first, then followers in order

    @property
    def first(self) -> Copy:
        return self.copies[0]

    def as_dict(self) -> dict[str, Any]:
        return {"story_id": self.story_id, "title": self.title,
                "copies": [vars(c) for c in self.copies]}


@dataclass(frozen=True)
class Pair:
    outlet_a: str  # alphabetically first
    outlet_b: str
    stories: int  # groups both ran with a publication time
    a_first: int
    b_first: int
    same_time: int

    def as_dict(self) -> dict[str, Any]:
        return vars(self).copy()


PAIR_COLUMNS = ("outlet_a", "outlet_b", "stories", "a_first", "b_first", "same_time")


def _roots(engine: Engine, flt: Filters) -> list[int]:
    """Roots of the groups with a member selected by ``flt`` that have at least one copy."""
    a = articles.alias("a")
    c = articles.alias("c")
    grouped = or_(a.c.duplicate_of.is_not(None),
                  exists(select(c.c.id).where(c.c.duplicate_of == a.c.id)))
    stmt = select(story_key(a)).where(grouped, *selected(a, flt, engine.dialect.name)).distinct()
    with engine.connect() as conn:
        return list(conn.execute(stmt).scalars())


def _members(engine: Engine, roots: Sequence[int]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    cols = (articles.c.id, articles.c.outlet, articles.c.published_at, articles.c.url, articles.c.title,
            articles.c.duplicate_of)
    with engine.connect() as conn:
        for i in range(0, len(roots), CHUNK):
            part = list(roots[i:i + CHUNK])
            for row in conn.execute(select(*cols).where(or_(articles.c.id.in_(part),
                                                            articles.c.duplicate_of.in_(part)))):
                out.setdefault(row.duplicate_of or row.id, []).append(row)
    return out


def _story(root: int, rows: Iterable[Any]) -> Story | None:
    """The group's timeline, one copy per outlet; None unless at least two outlets ran it."""
    rows = list(rows)
    title = next((r.title for r in rows if r.id == root), rows[0].title)
    earliest: dict[str, tuple[datetime | None, Any]] = {}
    for r in sorted(rows, key=lambda r: r.id):
        t = parse_time(r.published_at)
        have = earliest.get(r.outlet)
        if have is None or (t is not None and (have[0] is None or t < have[0])):
            earliest[r.outlet] = (t, r)
    if len(earliest) < 2:
        return None
    dated = sorted(((t, r) for t, r in earliest.values() if t is not None), key=lambda p: (p[0], p[1].outlet))
    undated = sorted((r for t, r in earliest.values() if t is None), key=lambda r: r.outlet)
    story = Story(root, title)
    start = dated[0][0] if dated else None
    for t, r in dated:
        story.copies.append(Copy(r.id, r.outlet, r.published_at, r.url, (t - start).total_seconds() / 60))
    for r in undated:
        story.copies.append(Copy(r.id, r.outlet, r.published_at, r.url, None))
    return story


def pairs(stories: Iterable[Story]) -> list[Pair]:
    """Per pair of outlets: groups both ran (with times), and how often each published first."""
    counts: dict[tuple[str, str], list[int]] = {}
    for s in stories:
        timed = [c for c in s.copies if c.delay_minutes is not None]
        for x, y in combinations(timed, 2):
            a, b = sorted((x, y), key=lambda c: c.outlet)
            cell = counts.setdefault((a.outlet, b.outlet), [0, 0, 0, 0])
            cell[0] += 1
            if a.delay_minutes < b.delay_minutes:
                cell[1] += 1
            elif b.delay_minutes < a.delay_minutes:
                cell[2] += 1
            else:
                cell[3] += 1
    return [Pair(a, b, *cell) for (a, b), cell in sorted(counts.items())]


def propagation(engine: Engine, query: str | None = None, *, story: int | None = None,
                outlets: Sequence[str] | str | None = None, since: date | str | None = None,
                until: date | str | None = None, section: str | None = None,
                language: str | None = None) -> list[Story]:
    """Story groups run by two or more outlets, newest first publication first: those with a member matching
    ``query`` and the filters, or (``story``) the group of that article. Raises QueryError."""
    if story is not None:
        with engine.connect() as conn:
            row = conn.execute(select(articles.c.id, articles.c.duplicate_of)
                               .where(articles.c.id == story)).first()
        if row is None:
            raise QueryError(f"no article with id {story} in the archive")
        roots = [row.duplicate_of or row.id]
    else:
        flt = Filters.build(query=query, outlets=outlets, since=since, until=until, section=section,
                            language=language)
        flt.outlets = resolve_outlets(engine, flt.outlets)
        require_index(engine, flt)
        roots = _roots(engine, flt)
    groups = _members(engine, sorted(roots))
    found = [s for root, rows in groups.items() if (s := _story(root, rows)) is not None]
    newest = max((parse_time(c.published_at) for s in found for c in s.copies if parse_time(c.published_at)),
                 default=None)

    def first_time(s: Story) -> datetime:
        return parse_time(s.first.published_at) or newest or datetime.min

    return sorted(found, key=lambda s: (first_time(s), s.story_id), reverse=True)


def copies_frame(stories: Sequence[Story]) -> Any:
    """One row per copy: story_id, title, order (0 = first), outlet, article_id, published_at, delay_minutes."""
    import pandas as pd

    rows = [{"story_id": s.story_id, "title": s.title, "order": i, **vars(c)}
            for s in stories for i, c in enumerate(s.copies)]
    return pd.DataFrame(rows, columns=["story_id", "title", "order", "article_id", "outlet", "published_at", "url",
                                       "delay_minutes"])


def pairs_frame(stories: Sequence[Story]) -> Any:
    import pandas as pd

    return pd.DataFrame([p.as_dict() for p in pairs(stories)], columns=list(PAIR_COLUMNS))
