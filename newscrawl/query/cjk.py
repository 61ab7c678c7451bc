"""CJK queries: the user's query tree matched by the index that can match each term.

Chinese has no spaces, so a term holding a CJK character is matched by the CJK index (:mod:`newscrawl.store.fts`)
as a substring (古晋 finds 砂拉越古晋市议会), a quoted phrase as the exact character sequence. On SQLite that is the
trigram table ``articles_cjk``: terms of three or more characters are trigram phrases; shorter ones (古晋, 晋) are
expanded into every indexed trigram that starts with them (``articles_cjk_vocab``), which is exact because each
column of the index ends with two padding characters. On PostgreSQL each such term is a ``LIKE`` condition answered
by the pg_trgm (and bigram) indexes. The operators (AND, OR, NOT/-, parentheses) keep their meaning.

A query mixing scripts (``古晋 OR Kuching``) means what it would on one index: each term is matched by its own
index, a CJK term by the CJK index, any other term by the word index exactly as in a query without CJK, and the
operators combine the results (SQLite: rowid sets of ``articles_fts`` and ``articles_cjk`` intersected, united,
subtracted; PostgreSQL: ``tsvector @@`` and ``LIKE`` conditions in one WHERE). docs/languages.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, bindparam, literal_column

from newscrawl.query.syntax import And, Not, Or, Term
from newscrawl.store import fts
from newscrawl.text import CJK_CHAR, has_cjk

NO_MATCH = '"\ue000\ue000\ue000"'  # private-use characters: a trigram no article holds


def routes(node: Any) -> bool:
    """Whether a parsed query holds a CJK character (then its CJK terms need the CJK index)."""
    return "cjk" in scripts(node)


def scripts(node: Any) -> set[str]:
    """The indexes a query's terms need: ``{"cjk"}``, ``{"words"}`` or both (a mixed query)."""
    if isinstance(node, Term):
        return {"cjk" if has_cjk(node.text) else "words"}
    if isinstance(node, Not):
        return scripts(node.item)
    if isinstance(node, (And, Or)):
        return set().union(*(scripts(i) for i in node.items))
    return set()


def mixed(node: Any) -> bool:
    """Whether a query has both CJK terms and others (each matched by its own index)."""
    return len(scripts(node)) == 2


def _grouped(items: tuple[Any, ...], join: type) -> list[tuple[str, Any]]:
    """``items`` of one AND or OR as (script, node): the items of one script joined into one node (``join``),
    the mixed ones as they are, so each index is asked once per group."""
    pure: dict[str, list[Any]] = {}
    out: list[tuple[str, Any]] = []
    for item in items:
        kind = scripts(item)
        if len(kind) == 1:
            pure.setdefault(next(iter(kind)), []).append(item)
        else:
            out.append(("mixed", item))
    for kind, nodes in pure.items():
        out.insert(0, (kind, nodes[0] if len(nodes) == 1 else join(tuple(nodes))))
    return out


def combine(node: Any, leaf: Callable[[str, Any], Any], both: Callable[[list[Any]], Any],
            either: Callable[[list[Any]], Any], minus: Callable[[Any, Any], Any]) -> Any:
    """A mixed query as a combination of single-script parts: ``leaf(script, node)`` matches one part on its index
    ("cjk" or "words"); ``both``/``either`` intersect/unite, ``minus(a, b)`` is a without b."""
    kind = scripts(node)
    if len(kind) == 1:
        return leaf(next(iter(kind)), node)

    def part(k: str, n: Any) -> Any:
        return combine(n, leaf, both, either, minus) if k == "mixed" else leaf(k, n)

    if isinstance(node, Or):
        return either([part(k, n) for k, n in _grouped(node.items, Or)])
    if isinstance(node, And):
        positives = _grouped(tuple(i for i in node.items if not isinstance(i, Not)), And)
        negatives = _grouped(tuple(i.item for i in node.items if isinstance(i, Not)), Or)
        found = part(*positives[0]) if len(positives) == 1 else both([part(k, n) for k, n in positives])
        if negatives:
            found = minus(found, part(*negatives[0]) if len(negatives) == 1
                          else either([part(k, n) for k, n in negatives]))
        return found
    raise TypeError(node)  # a bare Not is rejected by the parser


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


def to_fts5_trigram(node: Any, expand: Callable[[str], list[str]] | None,
                    short: Callable[[str], str] | None = None) -> str:
    """The query as an FTS5 expression for the trigram table; ``expand(s)`` lists the trigrams starting with s
    (or ``short(s)`` renders such a one- or two-character term itself)."""
    if isinstance(node, Term):
        s = term_string(node.tokens)
        if len(s) >= 3:
            return _quote(s)
        if short is not None:
            return short(s)
        grams = expand(s) if expand is not None else []
        return "(" + " OR ".join(_quote(g) for g in grams) + ")" if grams else NO_MATCH
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5_trigram(i, expand, short) for i in node.items) + ")"
    if isinstance(node, And):
        positives = [to_fts5_trigram(i, expand, short) for i in node.items if not isinstance(i, Not)]
        expr = "(" + " AND ".join(positives) + ")"
        for neg in (i for i in node.items if isinstance(i, Not)):
            expr = f"({expr} NOT {to_fts5_trigram(neg.item, expand, short)})"
        return expr
    raise TypeError(node)


_SHORT = "\ue001{}\ue001"  # where a short term's expansion goes in the SQL-built expression (sql_match)


def sql_match(node: Any, name: str) -> Any:
    """The trigram MATCH expression as SQL that expands short terms itself (a scalar subquery over
    ``articles_cjk_vocab`` per one- or two-character term): for callers without a connection to expand them
    first (the research views' conditions)."""
    from sqlalchemy import func, literal, select, text

    shorts: list[str] = []

    def short(s: str) -> str:
        shorts.append(s)
        return _SHORT.format(len(shorts) - 1)

    rendered = to_fts5_trigram(node, None, short)
    parts = re.split("\ue001", rendered)
    expr: Any = None
    for k, piece in enumerate(parts):
        if k % 2:
            s = shorts[int(piece)]
            grams = (select(func.group_concat(literal_column("'\"' || replace(term, '\"', '\"\"') || '\"'"), " OR "))
                     .select_from(text(fts.CJK_VOCAB))
                     .where(text(f"term >= :{name}_lo{piece} AND term < :{name}_hi{piece}")
                            .bindparams(**{f"{name}_lo{piece}": s, f"{name}_hi{piece}": s + "\U0010ffff"}))
                     .scalar_subquery())
            value = func.coalesce(literal("(") + grams + literal(")"), literal(NO_MATCH))
        elif not piece:
            continue
        else:
            value = bindparam(f"{name}_{k}", piece)
        expr = value if expr is None else expr.op("||")(value)
    return expr


def sqlite_hits(node: Any, expand: Callable[[str], list[str]] | None, name: str = "cjk_hits") -> Any:
    """SQLite: the ids of the articles matching a query that holds CJK terms, as a SELECT of one column
    (``rowid``): a CJK-only query is one MATCH on ``articles_cjk``; a mixed one matches each part on its own
    index (words on ``articles_fts``) and intersects, unites and subtracts the rowid sets. ``expand``: the
    short-term expander (:func:`expander`), or None to expand in SQL (:func:`sql_match`)."""
    from sqlalchemy import column, except_, intersect, select, table, union

    from newscrawl.query.syntax import to_fts5

    counter = [0]

    def leaf(kind: str, n: Any) -> Any:
        counter[0] += 1
        tname = fts.CJK_TABLE if kind == "cjk" else fts.FTS_TABLE
        f = table(tname, column("rowid"))
        if kind == "cjk":
            expr = (bindparam(f"{name}_{counter[0]}", to_fts5_trigram(n, expand)) if expand is not None
                    else sql_match(n, f"{name}_{counter[0]}"))
        else:
            expr = bindparam(f"{name}_{counter[0]}", to_fts5(n))
        return select(f.c.rowid).where(literal_column(tname).op("MATCH")(expr))

    def flat(sel: Any) -> Any:  # SQLite takes no parenthesised compound SELECT: nest it as a subquery
        if not hasattr(sel, "selects"):
            return sel
        sub = sel.subquery()
        return select(sub.c[0])

    def both(parts: list[Any]) -> Any:
        return intersect(*(flat(p) for p in parts))

    def either(parts: list[Any]) -> Any:
        return union(*(flat(p) for p in parts))

    def minus(a: Any, b: Any) -> Any:
        return except_(flat(a), flat(b))

    return flat(combine(node, leaf, both, either, minus))


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


def pg_condition(node: Any, alias: str, name: str = "") -> Any:
    """The query as a boolean SQL condition on ``alias`` (the CJK document LIKE each term), for PostgreSQL: the
    pg_trgm GIN index ``ix_articles_cjk_trgm`` answers terms of three or more characters, the bigram index
    ``ix_articles_cjk_bigrams`` two-character CJK terms (newscrawl.store.fts)."""
    from sqlalchemy import and_, literal_column

    doc = literal_column(fts.pg_cjk_document_sql(f"{alias}."))
    # the bigram index only for a query of one term: combined with other terms the planner mis-estimates the LIKE
    # conditions and computed bigrams row by row (州政府 工程: 1.3 -> 7 s at 50,000 articles; docs/benchmarks.md)
    single = isinstance(node, Term)
    return and_(literal_column(fts.pg_cjk_predicate_sql(f"{alias}.")),
                _condition(node, doc, f"cjk{name}_{alias}", "ilike", (literal_column(f"{alias}.id"),) if single else None))


def pg_match(node: Any, alias: str, name: str = "") -> Any:
    """PostgreSQL: 'row ``alias`` matches' for a query holding CJK terms: :func:`pg_condition`, or for a mixed
    query its CJK parts as pg_condition and the others as ``tsvector @@ to_tsquery`` (exactly the condition of a
    query without CJK), combined by the operators in one WHERE."""
    from sqlalchemy import and_, func, not_, or_

    from newscrawl.query.syntax import to_tsquery

    if not mixed(node):
        return pg_condition(node, alias, name)
    counter = [0]

    def leaf(kind: str, n: Any) -> Any:
        counter[0] += 1
        if kind == "cjk":
            return pg_condition(n, alias, f"{name}m{counter[0]}")
        q = func.to_tsquery(literal_column(f"'{fts.PG_CONFIG}'::regconfig"),
                            bindparam(f"tsq_{name}{alias}_{counter[0]}", to_tsquery(n)))
        return literal_column(fts.pg_document_sql(f"{alias}.")).op("@@")(q)

    return combine(node, leaf, lambda parts: and_(*parts), lambda parts: or_(*parts),
                   lambda a, b: and_(a, not_(b)))


def like_condition(node: Any, alias: str) -> Any:
    """SQLite: the query as LIKE conditions on ``alias``'s title and text (ASCII case-insensitive, like the
    trigram index): for walking articles in date order without the index (see search._plan_cjk)."""
    from sqlalchemy import and_, column, not_, or_, select, table

    from newscrawl.query.syntax import to_fts5

    doc = literal_column(f"(coalesce({alias}.title, '') || char(10) || coalesce({alias}.text, ''))")
    if not mixed(node):
        return _condition(node, doc, f"cjk_like_{alias}", "like")
    counter = [0]

    def leaf(kind: str, n: Any) -> Any:  # a mixed query's other terms: the word index's hits, read once
        counter[0] += 1
        if kind == "cjk":
            return _condition(n, doc, f"cjk_like_{alias}{counter[0]}", "like")
        f = table(fts.FTS_TABLE, column("rowid"))
        return literal_column(f"{alias}.id").in_(select(f.c.rowid).where(literal_column(fts.FTS_TABLE).op("MATCH")(
            bindparam(f"cjk_like_{alias}{counter[0]}_words", to_fts5(n)))))

    return combine(node, leaf, lambda parts: and_(*parts), lambda parts: or_(*parts),
                   lambda a, b: and_(a, not_(b)))


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
