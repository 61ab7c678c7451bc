"""CJK queries on SQLite: the user's query tree as an FTS5 expression for the trigram table ``articles_cjk``.

A query holding a CJK character runs against the CJK index (:mod:`newscrawl.store.fts`): Chinese has no spaces,
so a term is matched as a substring (古晋 finds 砂拉越古晋市议会), a quoted phrase as the exact character sequence.
Terms of three or more characters are trigram phrases; shorter ones (古晋, 晋) are expanded into every indexed
trigram that starts with them (``articles_cjk_vocab``), which is exact because each column of the index ends with
two padding characters. The operators (AND, OR, NOT/-, parentheses) keep their meaning. Latin terms in such a query
are matched as substrings of the CJK articles (trigram search is case-insensitive and has no word boundaries):
a query mixing scripts finds only articles that hold CJK text (docs/languages.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, bindparam

from newscrawl.query.syntax import And, Not, Or, Term
from newscrawl.store import fts
from newscrawl.text import CJK_CHAR, has_cjk

NO_MATCH = '"\ue000\ue000\ue000"'  # private-use characters: a trigram no article holds


def routes(node: Any) -> bool:
    """Whether a parsed query holds a CJK character (then it runs against the CJK index)."""
    if isinstance(node, Term):
        return has_cjk(node.text)
    if isinstance(node, Not):
        return routes(node.item)
    if isinstance(node, (And, Or)):
        return any(routes(i) for i in node.items)
    return False


def term_string(tokens: list[str]) -> str:
    """The term's tokens as the character sequence to find: no space where a CJK character meets a token."""
    out = ""
    for tok in tokens:
        if out and not (CJK_CHAR.match(out[-1]) or CJK_CHAR.match(tok[0])):
            out += " "
        out += tok
    return out


def _quote(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def to_fts5_trigram(node: Any, expand: Callable[[str], list[str]]) -> str:
    """The query as an FTS5 expression for the trigram table; ``expand(s)`` lists the trigrams starting with s."""
    if isinstance(node, Term):
        s = term_string(node.tokens)
        if len(s) >= 3:
            return _quote(s)
        grams = expand(s)
        return "(" + " OR ".join(_quote(g) for g in grams) + ")" if grams else NO_MATCH
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5_trigram(i, expand) for i in node.items) + ")"
    if isinstance(node, And):
        positives = [to_fts5_trigram(i, expand) for i in node.items if not isinstance(i, Not)]
        expr = "(" + " AND ".join(positives) + ")"
        for neg in (i for i in node.items if isinstance(i, Not)):
            expr = f"({expr} NOT {to_fts5_trigram(neg.item, expand)})"
        return expr
    raise TypeError(node)


def expander(conn: Connection) -> Callable[[str], list[str]]:
    """``expand(s)``: the indexed trigrams starting with ``s`` (1 or 2 characters), from the fts5vocab table."""
    def expand(s: str) -> list[str]:
        rows = conn.exec_driver_sql(f"SELECT term FROM {fts.CJK_VOCAB} WHERE term >= ? AND term < ?",
                                    (s, s + "\U0010ffff"))
        return [term for (term,) in rows]

    return expand


# --------------------------------------------------------------------------- PostgreSQL: pg_trgm


def _like(s: str) -> str:
    return "%" + s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _condition(node: Any, doc: Any, name: str, op: str, bigrams: Any = None) -> Any:
    """The query tree as AND/OR/NOT of ``doc <op> '%term%'`` (op: ilike or like); with ``bigrams`` (PostgreSQL:
    ``(row id column,)``), a two-character CJK term also needs the row among those whose indexed bigram array
    holds the term (``@> ARRAY[term]``, answered by ix_articles_cjk_bigrams)."""
    from sqlalchemy import and_, cast, literal_column, not_, or_, select
    from sqlalchemy.dialects.postgresql import ARRAY, array
    from sqlalchemy.types import Text

    from newscrawl.store.schema import articles

    counter = [0]

    def build(n: Any) -> Any:
        if isinstance(n, Term):
            counter[0] += 1
            term = term_string(n.tokens)
            pattern = bindparam(f"{name}_{counter[0]}", _like(term))
            # ILIKE lower-cases every row's text (2x slower on PostgreSQL): only for terms that have a case
            how = op if term.lower() != term.upper() else "like"
            found = getattr(doc, how)(pattern, escape="\\")
            if bigrams is not None and len(term) == 2 and all(CJK_CHAR.match(c) for c in term):
                # the bigram index's rows, materialised: as a row filter the planner computes every row's bigrams
                key = cast(array([bindparam(f"{name}_{counter[0]}_bigram", term, type_=Text)]), ARRAY(Text))
                hits = select(articles.c.id).where(
                    literal_column(fts.pg_cjk_predicate_sql("articles.")),
                    literal_column(fts.pg_bigrams_sql("articles.")).op("@>")(key)
                ).cte(f"{name}_{counter[0]}_hits").prefix_with("MATERIALIZED")
                found = and_(bigrams[0].in_(select(hits.c.id)), found)
            return found
        if isinstance(n, Or):
            return or_(*(build(i) for i in n.items))
        if isinstance(n, And):
            return and_(*(not_(build(i.item)) if isinstance(i, Not) else build(i) for i in n.items))
        raise TypeError(n)

    return build(node)


def pg_condition(node: Any, alias: str) -> Any:
    """The query as a boolean SQL condition on ``alias`` (the CJK document LIKE each term), for PostgreSQL: the
    pg_trgm GIN index ``ix_articles_cjk_trgm`` answers terms of three or more characters, the bigram index
    ``ix_articles_cjk_bigrams`` two-character CJK terms (newscrawl.store.fts)."""
    from sqlalchemy import and_, literal_column

    doc = literal_column(fts.pg_cjk_document_sql(f"{alias}."))
    # the bigram index only for a query of one term: combined with other terms the planner mis-estimates the LIKE
    # conditions and computed bigrams row by row (州政府 工程: 1.3 -> 7 s at 50,000 articles; docs/benchmarks.md)
    single = isinstance(node, Term)
    return and_(literal_column(fts.pg_cjk_predicate_sql(f"{alias}.")),
                _condition(node, doc, f"cjk_{alias}", "ilike", (literal_column(f"{alias}.id"),) if single else None))


def like_condition(node: Any, alias: str) -> Any:
    """SQLite: the query as LIKE conditions on ``alias``'s title and text (ASCII case-insensitive, like the
    trigram index): for walking articles in date order without the index (see search._plan_cjk)."""
    from sqlalchemy import literal_column

    doc = literal_column(f"(coalesce({alias}.title, '') || char(10) || coalesce({alias}.text, ''))")
    return _condition(node, doc, f"cjk_like_{alias}", "like")


def positive_terms(node: Any) -> list[str]:
    """The term strings of a query that are not negated."""
    if isinstance(node, Term):
        return [term_string(node.tokens)]
    if isinstance(node, Not):
        return []
    return [t for i in node.items for t in positive_terms(i)]


def score(node: Any, title: Any, text: Any, name: str = "cjk_score") -> Any:
    """Relevance of a CJK query, the same on SQLite and PostgreSQL: occurrences of the positive terms, a title
    occurrence weighing 5 (as bm25's title weight), per 1,000 characters of text (longer texts hold more by
    chance). Cheap where bm25 is not: a two-character term expands into hundreds of trigram phrases."""
    from sqlalchemy import func

    title, text = func.coalesce(title, ""), func.coalesce(text, "")
    total = None
    for k, term in enumerate(dict.fromkeys(positive_terms(node))):
        t = bindparam(f"{name}_{k}", term.casefold())

        def occurrences(col: Any, t: Any = t) -> Any:
            return (func.length(col) - func.length(func.replace(func.lower(col), t, ""))) / func.length(t)

        part = 5 * occurrences(title) + occurrences(text)
        total = part if total is None else total + part
    return total / (1.0 + func.length(text) / 1000.0)


def pg_score(node: Any, alias: str) -> Any:
    """:func:`score` on an aliased articles table (PostgreSQL)."""
    from sqlalchemy import literal_column

    return score(node, literal_column(f"{alias}.title"), literal_column(f"{alias}.text"), f"cjk_score_{alias}")


SNIPPET_CHARS = 60  # characters of context either side of the first match (SQLite's snippet shows ~24 tokens)


def mark(text: str | None, node: Any, start: str, end: str, whole: bool = False) -> str:
    """The text (or, unless ``whole``, a window around its first match) with every match of the positive terms
    wrapped in ``start``/``end``: the snippets of CJK searches (one line: whitespace runs become one space)."""
    import re

    text = text or ""
    terms = sorted({t.casefold() for t in positive_terms(node) if t}, key=len, reverse=True)
    if not terms:
        return text if whole else text[:2 * SNIPPET_CHARS]
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    if not whole:
        first = pattern.search(text)
        at = first.start() if first else 0
        lo, hi = max(0, at - SNIPPET_CHARS // 2), min(len(text), at + SNIPPET_CHARS * 3 // 2)
        text = ("…" if lo else "") + " ".join(text[lo:hi].split()) + ("…" if hi < len(text) else "")
    return pattern.sub(lambda m: start + m.group() + end, text)
