"""Words over-represented in the stories matching a query, against the archive (under the same filters).

Method: the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words",
Political Analysis 16(4)), reported as its z-score. For a word w with count y_m in the matching texts (n_m words
in all) and y_a in the archive's texts (n_a words)::

    prior    alpha_w = A * (y_m + y_a) / (n_m + n_a)            A = PRIOR_WORDS pseudo-words
    delta_w  = log((y_m + alpha_w) / (n_m + A - y_m - alpha_w)) - log((y_a + alpha_w) / (n_a + A - y_a - alpha_w))
    z_w      = delta_w / sqrt(1 / (y_m + alpha_w) + 1 / (y_a + alpha_w))

The prior shrinks rare words towards no difference, so a word seen twice does not top the list as a raw ratio
would. Words are runs of letters (casefolded, at least two), without English and Malay stopwords (the
maintained lists of the ``stop-words`` package), numbers, or the query's own words (they are over-represented by
construction).

Scale: the counts come from samples, not a pass over every text: up to ``sample`` matching stories (one article
per story) and ``background`` articles of the archive, drawn uniformly with a fixed seed (the same archive gives
the same list). A small selection is read in full (ids only); a large one (judged by its query's matches alone,
``_at_least``) is sampled by drawing ids (``_draw``). Texts are read for the samples only.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, bindparam, column, func, select, table

from newscrawl.query import cjk
from newscrawl.query.search import Filters, conditions, pg_share, resolve_outlets
from newscrawl.query.selection import (
    counting,
    execute_covering,
    match_condition,
    require_index,
    selected,
    sqlite_hits,
    story_key,
    use_covering,
)
from newscrawl.query.syntax import And, Not, Or, Term, to_fts5
from newscrawl.store import fts
from newscrawl.store.schema import articles

SAMPLE = 1000  # matching stories whose texts are counted
BACKGROUND = 3000  # archive articles whose texts are counted
PRIOR_WORDS = 10_000  # A: weight of the prior, in words
MIN_COUNT = 3  # a word must occur this often in the matching sample
SEED = 17
CHUNK = 500
DRAW_FROM = 10  # selections of more than this many times the sample ...
DRAW_SHARE = 0.1  # ... and this share of the archive are sampled by drawing ids (``_draw``)
DRAW_TRIES = 200_000  # ids drawn at most before reading every selected id instead
DRAW_CHUNK = 10_000  # drawn ids per statement (SQLite allows 32,766 parameters)
STOPWORD_LANGUAGES = ("en", "ms")
_WORD = re.compile(r"[^\W\d_]{2,}")

COLUMNS = ("term", "score", "matching", "matching_per_10k", "archive_per_10k")


@dataclass(frozen=True)
class Word:
    term: str
    score: float  # z-score of the log-odds ratio (higher: more over-represented)
    matching: int  # occurrences in the matching sample
    matching_per_10k: float
    archive_per_10k: float

    def as_dict(self) -> dict[str, Any]:
        return vars(self).copy()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """English and Malay stopwords (``stop-words`` package), casefolded."""
    from stop_words import get_stop_words

    return frozenset(w.casefold() for lang in STOPWORD_LANGUAGES for w in get_stop_words(lang))


def _query_words(node: Any) -> tuple[set[str], tuple[str, ...]]:
    """(words, prefixes) of the query's positive terms."""
    words: set[str] = set()
    prefixes: list[str] = []

    def walk(n: Any) -> None:
        if isinstance(n, Term):
            toks = n.tokens
            words.update(toks[:-1] if n.prefix else toks)
            if n.prefix:
                prefixes.append(toks[-1])
        elif isinstance(n, (And, Or)):
            for i in n.items:
                if not isinstance(i, Not):
                    walk(i)

    walk(node)
    return words, tuple(prefixes)


def _ids(engine: Engine, flt: Filters, one_per_story: bool) -> list[int]:
    a = articles.alias("a")
    cols = (a.c.id, story_key(a)) if one_per_story else (a.c.id,)
    stmt = select(*cols).where(*selected(a, flt, engine.dialect.name)).order_by(a.c.id)
    covering = use_covering(engine, flt)
    with counting(engine, flt) as conn:
        result = execute_covering(conn, stmt) if covering else conn.execute(stmt)
        if not one_per_story:
            return [aid for (aid,) in result]
        seen: dict[int, int] = {}
        for aid, story in result:
            seen.setdefault(story, aid)  # the story's earliest archived matching article
        return sorted(seen.values())


def _count_up_to(engine: Engine, flt: Filters, at_most: int) -> int:
    """Articles ``flt`` selects, counted no further than ``at_most`` (the full-text index alone for a query)."""
    a = articles.alias("a")
    filtered = bool(flt.outlets or flt.since or flt.until or flt.section or flt.language)
    if flt.query is not None and engine.dialect.name == "sqlite" and not filtered:
        hits = sqlite_hits(flt.query, "q")
    else:
        hits = select(a.c.id).where(*selected(a, flt, engine.dialect.name))
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(hits.limit(at_most).subquery())).scalar()


def _at_least(engine: Engine, flt: Filters, n: int) -> bool:
    """Whether the selection is large enough to sample by drawing ids, judged by the query's matches alone, from
    the full-text index: SQLite counts its hits up to ``n``; PostgreSQL estimates them from the tsvector column's
    statistics (:func:`~newscrawl.query.search.pg_share`), because counting matches there reads each matching row
    (4.5 s for 100,000 at a million articles). The other filters are left out for the same reason (testing them
    reads rows: 0.5 s on SQLite for the same count with an outlet). A guess that is wrong either way costs time,
    not the answer: ``_draw`` gives up early on a selection too sparse to sample, and every id is read instead."""
    if flt.query is None:
        return _count_up_to(engine, flt, n) >= n
    if engine.dialect.name == "postgresql" and not cjk.routes(flt.query):
        with engine.connect() as conn:
            share, rows, _ = pg_share(conn, flt.query)
        if rows:  # an archive never analysed has no statistics: count
            return share * rows >= n
    return _count_up_to(engine, Filters(query=flt.query), n) >= n


def _draw(engine: Engine, flt: Filters, k: int, one_per_story: bool) -> list[int] | None:
    """Up to ``k`` ids selected by ``flt``, uniformly at random (fixed seed), found by drawing ids of the whole
    archive and keeping those that pass: for a selection holding much of a million articles this reads a few
    thousand rows instead of every id. None when the selection is too sparse for DRAW_TRIES draws."""
    rng = random.Random(SEED)
    a = articles.alias("a")
    dialect = engine.dialect.name
    with engine.connect() as conn:
        top = conn.execute(select(func.max(articles.c.id))).scalar() or 0
        picked: dict[int, int] = {}
        tried: set[int] = set()
        batch = 2 * k
        while len(tried) < min(top, DRAW_TRIES):
            draws = sorted({rng.randint(1, top) for _ in range(batch)} - tried)
            tried.update(draws)
            for i in range(0, len(draws), DRAW_CHUNK):
                part = draws[i:i + DRAW_CHUNK]
                if dialect == "sqlite":  # the drawn rows first: else SQLite may walk an outlet/date index per chunk
                    a = (select(*[articles.c[n] for n in ("id", "outlet", "published_at", "section", "language",
                                                          "duplicate_of")])
                         .where(articles.c.id.in_(part)).cte("a").prefix_with("MATERIALIZED"))
                conds = conditions(a, flt, dialect)
                if flt.query is not None and dialect == "sqlite" and not cjk.routes(flt.query):  # FTS5 seeks each rowid in the doclist
                    f = table(fts.FTS_TABLE, column("rowid"), column(fts.FTS_TABLE))
                    conds.append(a.c.id.in_(select(f.c.rowid).where(
                        f.c[fts.FTS_TABLE].op("MATCH")(bindparam("q", to_fts5(flt.query))), f.c.rowid.in_(part))))
                elif flt.query is not None:
                    conds.append(match_condition(a, flt.query, dialect))
                for aid, story in conn.execute(select(a.c.id, story_key(a)).where(a.c.id.in_(part), *conds)):
                    picked.setdefault(story if one_per_story else aid, aid)
            if len(picked) >= k:
                return sorted(rng.sample(sorted(picked.values()), k))
            if len(picked) * DRAW_TRIES < k * len(tried):  # at this hit rate the tries would run out first
                return None
            # enough draws for what is missing at the rate seen so far (+20 %)
            batch = max(2 * k, int(1.2 * (k - len(picked)) * len(tried) / max(1, len(picked))))
    return None


def _pick(engine: Engine, flt: Filters, k: int, one_per_story: bool) -> list[int]:
    """Up to ``k`` ids selected by ``flt``: all of them when few (exact), else a fixed-seed random sample."""
    with engine.connect() as conn:
        top = conn.execute(select(func.max(articles.c.id))).scalar() or 0
    enough = max(DRAW_FROM * k, int(DRAW_SHARE * top))
    if not _at_least(engine, flt, enough):  # few, or a small share: reading every id is cheaper
        return _sample(_ids(engine, flt, one_per_story), k)
    drawn = _draw(engine, flt, k, one_per_story)
    return drawn if drawn is not None else _sample(_ids(engine, flt, one_per_story), k)


def _counts(engine: Engine, ids: Sequence[int], skip: set[str], prefixes: tuple[str, ...]) -> Counter:
    counts: Counter = Counter()
    stop = stopwords()
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql" and ids:
            # The stored tsvector counted by PostgreSQL (ts_stat), not the texts split in Python: its 'simple'
            # parser's words; compounds (e-mail) and mixed tokens (rm2mil) are dropped, their parts kept.
            inner = (f"SELECT {fts.PG_COLUMN} FROM {articles.name} "
                     f"WHERE id IN ({', '.join(str(int(i)) for i in ids)})")  # integers only
            for word, n in conn.execute(select(column("word"), column("nentry"))
                                        .select_from(func.ts_stat(bindparam("inner", inner)))):
                if _WORD.fullmatch(word):
                    counts[word.casefold()] += int(n)
            ids = []
        for i in range(0, len(ids), CHUNK):
            part = list(ids[i:i + CHUNK])
            for title, text in conn.execute(select(articles.c.title, articles.c.text).where(articles.c.id.in_(part))):
                counts.update(_WORD.findall(f"{title or ''} {text or ''}".casefold()))
    for w in [w for w in counts if w in stop or w in skip or (prefixes and w.startswith(prefixes))]:
        del counts[w]
    return counts


def _sample(ids: list[int], k: int) -> list[int]:
    return ids if len(ids) <= k else sorted(random.Random(SEED).sample(ids, k))


def log_odds(matching: Counter, archive: Counter, prior_words: float = PRIOR_WORDS) -> dict[str, float]:
    """z-scores of the log-odds ratio with an informative Dirichlet prior (module doc) for every word seen."""
    n_m, n_a = sum(matching.values()), sum(archive.values())
    total = n_m + n_a
    out = {}
    for w in set(matching) | set(archive):
        y_m, y_a = matching.get(w, 0), archive.get(w, 0)
        alpha = prior_words * (y_m + y_a) / total
        delta = (math.log((y_m + alpha) / (n_m + prior_words - y_m - alpha))
                 - math.log((y_a + alpha) / (n_a + prior_words - y_a - alpha)))
        out[w] = delta / math.sqrt(1 / (y_m + alpha) + 1 / (y_a + alpha))
    return out


def top_words(matching: Counter, archive: Counter, limit: int, min_count: int = MIN_COUNT) -> list[Word]:
    scores = log_odds(matching, archive)
    n_m, n_a = sum(matching.values()) or 1, sum(archive.values()) or 1
    ranked = sorted((w for w in matching if matching[w] >= min_count), key=lambda w: (-scores[w], w))
    return [Word(w, round(scores[w], 3), matching[w], round(matching[w] * 1e4 / n_m, 2),
                 round(archive.get(w, 0) * 1e4 / n_a, 2)) for w in ranked[:limit] if scores[w] > 0]


def words(engine: Engine, query: str, *, outlets: Sequence[str] | str | None = None,
          since: date | str | None = None, until: date | str | None = None, section: str | None = None,
          language: str | None = None, include_duplicates: bool = False, limit: int = 30, sample: int = SAMPLE,
          background: int = BACKGROUND, min_count: int = MIN_COUNT) -> list[Word]:
    """The ``limit`` words most over-represented in stories matching ``query`` (best first)."""
    flt = Filters.build(query=query, outlets=outlets, since=since, until=until, section=section, language=language,
                        include_duplicates=include_duplicates)
    flt.outlets = resolve_outlets(engine, flt.outlets)
    require_index(engine, flt)
    skip, prefixes = _query_words(flt.query)
    matching_ids = _pick(engine, flt, sample, one_per_story=not include_duplicates)
    if not matching_ids:
        return []
    base = Filters(outlets=flt.outlets, since=flt.since, until=flt.until, section=flt.section,
                   language=flt.language, include_duplicates=True)
    matching = _counts(engine, matching_ids, skip, prefixes)
    archive = _counts(engine, _pick(engine, base, background, one_per_story=False), skip, prefixes)
    return top_words(matching, archive, limit, min_count)


def words_frame(engine: Engine, query: str, **kwargs: Any) -> Any:
    import pandas as pd

    return pd.DataFrame([w.as_dict() for w in words(engine, query, **kwargs)], columns=list(COLUMNS))
