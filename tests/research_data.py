"""A generated archive for the research views, and brute-force answers computed in Python over all its rows.

Imported by the research tests. The archive has 4 outlets over 2023-11 .. 2024-04, stories copied across outlets
and within one outlet, publication times stored with other offsets near midnight (the +08:00 day differs from
the stored one), undated articles and an implausible date; texts mix English and Malay words of a small
vocabulary so queries match many rows. The brute force reads every row with plain Python (its own matcher for
the query tree, its own period arithmetic): it shares nothing with the SQL it checks but the parser.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import create_engine, insert, select

from newscrawl.query.syntax import And, Not, Or, Term, parse_query
from newscrawl.store.archive import Archive
from newscrawl.store.fts import ensure_fts
from newscrawl.store.schema import articles

OUTLETS = ("borneopost", "dayakdaily", "sarawaktribune", "utusanborneo")
WORDS = ("banjir flood landslide tanah runtuh river kuching miri sibu hospital school road bridge minister "
         "kerajaan negeri premier longhouse baram dam power water rain relief victims evacuated").split()
SARAWAK = timezone(timedelta(hours=8))


def build(url: str, n: int = 400, seed: int = 17) -> None:
    rng = random.Random(seed)
    with Archive.open(url) as arc:
        engine = arc.engine
    ensure_fts(engine)
    rows = []
    for i in range(1, n + 1):
        day = date(2023, 11, 1) + timedelta(days=rng.randrange(182))
        moment = datetime(day.year, day.month, day.day, rng.randrange(24), rng.choice((0, 30)), tzinfo=SARAWAK)
        offset = rng.choice((8, 8, 8, 0, -5))  # stored with the outlet's own offset: the +08:00 day can differ
        published: str | None = moment.astimezone(timezone(timedelta(hours=offset))).isoformat()
        if i % 37 == 0:
            published = None
        if i == 200:
            published = "0001-01-01T00:00:00+08:00"
        dup = None
        if i > 20 and rng.random() < 0.25:
            dup = rng.randrange(1, i)
            while rows[dup - 1]["duplicate_of"] is not None:  # copies point at roots
                dup = rows[dup - 1]["duplicate_of"]
        # a dateline first: on PostgreSQL title and text are one document, so no phrase may straddle the two
        text = "SARAWAK: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12)))
        rows.append({"id": i, "url": f"https://example.my/{i}/", "outlet": rng.choice(OUTLETS),
                     "title": " ".join(rng.choice(WORDS) for _ in range(3)).capitalize(), "authors": "[]",
                     "tags": "[]", "published_at": published, "section": rng.choice(("Sarawak", "Nation")),
                     "language": rng.choice(("en", "ms")), "text": text, "fetched_at": "2024-05-01T00:00:00+00:00",
                     "content_hash": f"{i:064x}", "duplicate_of": dup})
    with engine.begin() as conn:
        conn.execute(insert(articles), rows)
    engine.dispose()


# ---------------------------------------------------------------- brute force


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _has(tokens: list[str], term: Term) -> bool:
    want = term.tokens
    for i in range(len(tokens) - len(want) + 1):
        window = tokens[i:i + len(want)]
        if window[:-1] == want[:-1] and (window[-1].startswith(want[-1]) if term.prefix else window[-1] == want[-1]):
            return True
    return False


def matches(node: Any, tokens: list[list[str]]) -> bool:
    """``tokens``: each column's tokens (title, text); a phrase lies within one column, as in FTS5/tsvector."""
    if isinstance(node, Term):
        return any(_has(column, node) for column in tokens)
    if isinstance(node, Or):
        return any(matches(i, tokens) for i in node.items)
    if isinstance(node, And):
        return all((not matches(i.item, tokens)) if isinstance(i, Not) else matches(i, tokens) for i in node.items)
    raise TypeError(node)


def local_day(published: str | None) -> date | None:
    if not published:
        return None
    moment = datetime.fromisoformat(published)
    if moment.year < 1990:  # an extraction error: left out, as stats.plausible_range says
        return None
    return moment.astimezone(SARAWAK).date()


def period_label(day: date, by: str) -> str:
    if by == "day":
        return day.isoformat()
    if by == "month":
        return f"{day.year}-{day.month:02d}"
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def all_rows(url: str) -> list[dict]:
    engine = create_engine(url)
    with engine.connect() as conn:
        out = [dict(r._mapping) for r in conn.execute(select(articles))]
    engine.dispose()
    return out


def brute_attention(rows: list[dict], query: str | None, by: str, *, outlets: tuple[str, ...] = (),
                    since: date | None = None, until: date | None = None, language: str | None = None,
                    include_duplicates: bool = False) -> dict[tuple[str, str], int]:
    """{(outlet, period label): stories (distinct story roots per outlet) or rows}, non-zero cells only."""
    node = parse_query(query) if query else None
    seen: dict[tuple[str, str], set] = defaultdict(set)
    for r in rows:
        day = local_day(r["published_at"])
        if day is None or (outlets and r["outlet"] not in outlets) or (language and r["language"] != language):
            continue
        if (since and day < since) or (until and day > until):
            continue
        if node is not None and not matches(node, [_tokens(r["title"]), _tokens(r["text"])]):
            continue
        story = r["id"] if include_duplicates else (r["duplicate_of"] or r["id"])
        seen[(r["outlet"], period_label(day, by))].add(story)
    return {k: len(v) for k, v in seen.items()}
