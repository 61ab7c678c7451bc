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

from sqlalchemy import Connection, Float, bindparam, literal, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

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


def only_cjk_rows(node: Any) -> bool:
    """Whether every article the query matches holds a CJK character (a positive CJK term is required: a CJK
    term, an AND with one, an OR of such parts), so that it can be looked for among the CJK articles only."""
    if isinstance(node, Term):
        return has_cjk(node.text)
    if isinstance(node, And):
        return any(only_cjk_rows(i) for i in node.items if not isinstance(i, Not))
    if isinstance(node, Or):
        return all(only_cjk_rows(i) for i in node.items)
    return False


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


def sqlite_hits(node: Any, expand: Callable[[str], list[str]] | None, name: str = "cjk_hits",
                newest: int | None = None) -> Any:
    """SQLite: the ids of the articles matching a query that holds CJK terms, as a SELECT of one column
    (``rowid``): a CJK-only query is one MATCH on ``articles_cjk``; a mixed one matches each part on its own
    index (words on ``articles_fts``, one MATCH per group of terms of one script) and intersects (AND) and unites
    (OR) the rowid sets; a negated part is ``rowid NOT IN`` its own set, tested in each SELECT of the positive
    parts (``(a OR b) -c`` is ``a -c`` united with ``b -c``). ``expand``: the short-term expander
    (:func:`expander`), or None to expand in SQL (:func:`sql_match`). ``newest``: only the ``newest`` highest rowids
    are needed (a relevance window, a capped count): each united SELECT gives no more than that many, newest first
    (FTS5 reads its doclists backwards), instead of every match."""
    from sqlalchemy import column, intersect, select, table, union

    from newscrawl.query.syntax import to_fts5

    counter = [0]

    def wrap(sel: Any) -> Any:  # SQLite takes no parenthesised compound or limited SELECT in a compound
        if not hasattr(sel, "selects") and sel._limit_clause is None:
            return sel
        return select(sel.subquery().c[0])

    def limited(sel: Any, rowid: Any, negated: tuple[Any, ...], at_most: int | None) -> Any:
        sel = sel.where(*(rowid.not_in(wrap(hits(m, (), None))) for m in negated))
        return sel.order_by(rowid.desc()).limit(at_most) if at_most is not None else sel

    def hits(n: Any, negated: tuple[Any, ...], at_most: int | None) -> Any:
        kind = scripts(n)
        if len(kind) == 1:
            counter[0] += 1
            tname = fts.CJK_TABLE if kind == {"cjk"} else fts.FTS_TABLE
            f = table(tname, column("rowid"))
            if kind == {"cjk"}:
                expr = (bindparam(f"{name}_{counter[0]}", to_fts5_trigram(n, expand)) if expand is not None
                        else sql_match(n, f"{name}_{counter[0]}"))
            else:
                expr = bindparam(f"{name}_{counter[0]}", to_fts5(n))
            return limited(select(f.c.rowid).where(literal_column(tname).op("MATCH")(expr)), f.c.rowid, negated,
                           at_most)
        if isinstance(n, Or):
            return union(*(wrap(hits(part, negated, at_most)) for _, part in _grouped(n.items, Or)))
        if isinstance(n, And):
            positives = _grouped(tuple(i for i in n.items if not isinstance(i, Not)), And)
            negated = negated + tuple(part for _, part in _grouped(tuple(i.item for i in n.items
                                                                          if isinstance(i, Not)), Or))
            if len(positives) == 1:  # one positive group: the negations and the limit go inside it
                return hits(positives[0][1], negated, at_most)
            sub = intersect(*(wrap(hits(part, (), None)) for _, part in positives)).subquery()
            return limited(select(sub.c[0]), sub.c[0], negated, at_most)
        raise TypeError(n)  # a bare Not is rejected by the parser

    found = hits(node, (), newest)
    return select(found.subquery().c[0]) if hasattr(found, "selects") else found


def expanded(node: Any, expand: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    """``expand`` applied now to every short CJK term of the query, as a lookup for later."""
    terms: dict[str, list[str]] = {}

    def walk(n: Any) -> None:
        if isinstance(n, Term):
            s = term_string(n.tokens)
            if has_cjk(n.text) and len(s) < 3 and s not in terms:
                terms[s] = expand(s)
        elif isinstance(n, Not):
            walk(n.item)
        else:
            for i in n.items:
                walk(i)

    walk(node)
    return lambda s: terms[s]


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


def _condition(node: Any, doc: Any, name: str, op: str) -> Any:
    """The query tree as AND/OR/NOT of ``doc <op> '%term%'`` (op: ilike or like)."""
    from sqlalchemy import and_, not_, or_

    counter = [0]

    def build(n: Any) -> Any:
        if isinstance(n, Term):
            counter[0] += 1
            term = term_string(n.tokens)
            pattern = bindparam(f"{name}_{counter[0]}", _like(term))
            # ILIKE lower-cases every row's text (2x slower on PostgreSQL): only for terms that have a case
            how = op if term.lower() != term.upper() else "like"
            return getattr(doc, how)(pattern, escape="\\")
        if isinstance(n, Or):
            return or_(*(build(i) for i in n.items))
        if isinstance(n, And):
            return and_(*(not_(build(i.item)) if isinstance(i, Not) else build(i) for i in n.items))
        raise TypeError(n)

    return build(node)


# --------------------------------------------------------------------------- PostgreSQL: bigram and pg_trgm indexes
#
# A query holding CJK terms is answered as a set of article ids built from index scans, one per part of the query
# (pg_ids), and each article is then read once. Every part is one SELECT on one index, so the planner never mixes
# them up: combined in one WHERE it mis-estimated the LIKE conditions and computed the bigram function row by row
# (州政府 工程: 1.3 -> 7 s at 50,000 articles), and an OR of two-character terms read every article.
# * a CJK term holding two adjacent CJK characters: the bigram index ``ix_articles_cjk_bigrams`` (``@>`` its
#   bigrams; exact for a two-character term, otherwise rechecked with strpos on the rows it gives); the positive
#   such terms of one AND are one ``@>`` of all their bigrams;
# * another CJK term of three or more characters (``RM300万``): the pg_trgm index, ``LIKE '%term%'``;
# * a one-character term (晋): every CJK article, tested with strpos;
# * the non-CJK parts of a mixed query: the stored tsvector, ``@@ to_tsquery`` as in a query without CJK.
# AND is INTERSECT, OR is UNION; a negated part is tested on the rows each positive part gives (pg_row).
# A relevance search over many dense matches needs only the newest of them: search walks the newest articles
# instead, testing each row (pg_walk; search._plan_cjk_pg picks the route, both give the same rows).


def _bigrams(term: str) -> list[str]:
    """The term's bigrams of two adjacent CJK characters (what newscrawl_cjk_bigrams indexes)."""
    return list(dict.fromkeys(term[i:i + 2] for i in range(len(term) - 1)
                              if CJK_CHAR.match(term[i]) and CJK_CHAR.match(term[i + 1])))


class _Pg:
    """The PostgreSQL pieces of one query, with bound parameters named uniquely from ``name``."""

    def __init__(self, name: str, union_all: bool = False, above: int | None = None) -> None:
        self.name = name
        self.n = 0
        self.union_all = union_all  # OR as UNION ALL: an upper bound that streams (capped counts)
        self.above = above  # only ids above this (the newest matches: see pg_ids)

    def param(self, value: Any, **kw: Any) -> Any:
        self.n += 1
        return bindparam(f"{self.name}_{self.n}", value, **kw)

    def tsquery_match(self, n: Any, prefix: str) -> Any:
        from sqlalchemy import func

        from newscrawl.query.syntax import to_tsquery

        q = func.to_tsquery(literal_column(f"'{fts.PG_CONFIG}'::regconfig"), self.param(to_tsquery(n)))
        return literal_column(fts.pg_document_sql(prefix)).op("@@")(q)

    def contains(self, term: str, prefix: str) -> Any:
        """The CJK document of the row holds ``term`` (case-insensitively for a term with case), tested row by row:
        strpos, which no index answers (so the planner keeps to the index the part chose). Title and text apart:
        a term never spans the newline between them, and concatenating them copied every row's text."""
        from sqlalchemy import func, or_

        cased = term.lower() != term.upper()
        t = self.param(term.lower() if cased else term)
        cols = [func.coalesce(literal_column(f"{prefix}{c}"), "") for c in ("title", "text")]
        return or_(*(func.strpos(func.lower(c) if cased else c, t) > 0 for c in cols))

    def row(self, node: Any, prefix: str) -> Any:
        """'The row matches' for ``node``, tested on the row itself (no index)."""
        from sqlalchemy import and_, not_, or_

        if scripts(node) == {"words"}:
            return self.tsquery_match(node, prefix)
        if isinstance(node, Term):
            return self.contains(term_string(node.tokens), prefix)
        if isinstance(node, Or):
            return or_(*(self.row(i, prefix) for i in node.items))
        if isinstance(node, And):
            return and_(*(not_(self.row(i.item, prefix)) if isinstance(i, Not) else self.row(i, prefix)
                          for i in node.items))
        raise TypeError(node)

    def ids(self, node: Any, negated: tuple[Any, ...] = ()) -> Any:
        """The ids of the articles matching ``node`` and none of ``negated``: a SELECT of one column, ``id``. The
        negated parts are tested on the rows of each SELECT that reads the table (``a OR b NOT c`` is ``a NOT c``
        united with ``b NOT c``), so that a LIMIT over a UNION ALL stops early."""
        from sqlalchemy import cast, intersect, not_, select, union, union_all
        from sqlalchemy.dialects.postgresql import ARRAY, array
        from sqlalchemy.types import Text

        from newscrawl.store.schema import articles

        a = articles
        pred = literal_column(fts.pg_cjk_predicate_sql("articles."))
        def without(sel: Any) -> Any:  # the negated parts tested on the rows
            return sel.where(*(not_(self.row(n, "articles.")) for n in negated)) if negated else sel

        def ids_where(*conds: Any) -> Any:  # one index's SELECT, within the id range when one is given
            sel = select(a.c.id).where(*conds)
            return sel if self.above is None else sel.where(a.c.id > self.param(self.above))

        if scripts(node) == {"words"}:
            return without(ids_where(self.tsquery_match(node, "articles.")))
        if isinstance(node, Or):
            return (union_all if self.union_all else union)(*(self._flat(self.ids(i, negated)) for i in node.items))
        terms = [node] if isinstance(node, Term) else [i for i in node.items if not isinstance(i, Not)]
        negated = negated + (() if isinstance(node, Term) else tuple(i.item for i in node.items if isinstance(i, Not)))
        if len(terms) == 1 and not isinstance(terms[0], Term):  # one positive group: the negations go inside it
            return self.ids(terms[0], negated)
        keyed = [t for t in terms if isinstance(t, Term) and _bigrams(term_string(t.tokens))]
        parts = []
        words = [t for t in terms if scripts(t) == {"words"}]
        # one tsquery for the AND's word parts: beside the bigram key when there is one (the planner then reads the
        # bigram index, ANDed with the word index or testing the rows it gives: not every match of a common word)
        words_match = (self.tsquery_match(words[0] if len(words) == 1 else And(tuple(words)), "articles.")
                       if words else None)
        if keyed:
            grams = list(dict.fromkeys(g for t in keyed for g in _bigrams(term_string(t.tokens))))
            key = cast(array([self.param(g, type_=Text) for g in grams]), ARRAY(Text))
            conds = [pred, literal_column(fts.pg_bigrams_sql("articles.")).op("@>")(key)]
            conds += [self.contains(s, "articles.") for s in (term_string(t.tokens) for t in keyed)
                      if not (len(s) == 2 and len(_bigrams(s)) == 1)]  # two CJK characters: the key is exact
            if words_match is not None:
                conds.append(words_match)
                words_match = None
            parts.append(ids_where(*conds))
        if words_match is not None:
            parts.append(ids_where(words_match))
        for t in terms:
            if t in keyed or t in words:
                continue
            if isinstance(t, Term):
                s = term_string(t.tokens)
                if len(s) >= 3:  # pg_trgm
                    how = "ilike" if s.lower() != s.upper() else "like"
                    doc = literal_column(fts.pg_cjk_document_sql("articles."))
                    found = getattr(doc, how)(self.param(_like(s)), escape="\\")
                else:  # one character: every CJK article
                    found = self.contains(s, "articles.")
                parts.append(ids_where(pred, found))
            else:
                parts.append(self.ids(t))
        if len(parts) == 1:
            return without(parts[0])
        found = intersect(*(self._flat(p) for p in parts))
        return without(select(a.c.id).where(a.c.id.in_(found))) if negated else found

    @staticmethod
    def _flat(sel: Any) -> Any:
        from sqlalchemy import select

        if not hasattr(sel, "selects"):
            return sel
        sub = sel.subquery()
        return select(sub.c[0])


def pg_ids(node: Any, name: str = "cjk", union_all: bool = False, above: int | None = None) -> Any:
    """PostgreSQL: the ids of the articles matching a query holding CJK terms (mixed or not), as a SELECT of one
    column ``id``, from index scans (see above). ``union_all``: OR as UNION ALL, so that a LIMIT stops early
    (ids may repeat: for capped counts that only choose a plan). ``above``: only ids above it; each index's
    bitmap is then ANDed with the primary key's over that range, so only the rows in it are read and rechecked
    (the newest matches of a term too sparse for pg_walk: search._plan_cjk_pg)."""
    return _Pg(name, union_all, above).ids(node)


def pg_walk(node: Any, rows: int, at_most: int, below: Any = None, name: str = "cjk_walk",
            scored: bool = False) -> Any:
    """PostgreSQL: the ids of the matching articles among the ``rows`` most recently archived ones (with an id
    below ``below``, when given), newest first, at most ``at_most``: the primary key walked backwards, each row
    tested itself (:func:`pg_row`). For a query matching a good share of the archive this finds the newest matches
    reading a few thousand rows, where the indexes give every match (each read from the table). ``scored``: each
    id with its :func:`score`, computed on the row already read."""
    from sqlalchemy import select

    from newscrawl.store.schema import articles

    recent = pg_newest(node, select(articles.c.id, articles.c.title, articles.c.text,
                                    literal_column(fts.pg_document_sql("articles.")).label(fts.PG_COLUMN)), below)
    r = recent.limit(rows).subquery("r")
    cols = (r.c.id, score(node, r.c.title, r.c.text, f"{name}_score").label("score")) if scored else (r.c.id,)
    return select(*cols).where(pg_row(node, "r", name)).order_by(r.c.id.desc()).limit(at_most)


def pg_newest(node: Any, sel: Any, below: Any = None) -> Any:
    """``sel`` over the articles, newest first (ids below ``below``), among the CJK articles only when the query
    can match no other (their partial index ``ix_articles_cjk_ids`` walked backwards: a quarter of the rows in a
    mixed archive, and no English text searched for a Chinese term)."""
    from newscrawl.store.schema import articles

    if below is not None:
        sel = sel.where(articles.c.id < below)
    if only_cjk_rows(node):
        sel = sel.where(literal_column(fts.pg_cjk_predicate_sql("articles.")))
    return sel.order_by(articles.c.id.desc())


def pg_row(node: Any, alias: str, name: str = "cjk_row") -> Any:
    """PostgreSQL: 'row ``alias`` matches the query', tested on that row (for rows already at hand: the
    story-group probes, the date walk's candidates)."""
    return _Pg(f"{name}_{alias}").row(node, f"{alias}.")


def pg_match(node: Any, alias: str, name: str = "cjk") -> Any:
    """PostgreSQL: 'row ``alias`` matches', as membership of :func:`pg_ids` (a condition for whole-archive
    statements: the research views' counts)."""
    return literal_column(f"{alias}.id").in_(pg_ids(node, f"{name}_{alias}"))


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
        cased = term.lower() != term.upper()  # lower() copies every text: only for terms that have a case

        def occurrences(col: Any, t: Any = t, cased: bool = cased, term: str = term.casefold()) -> Any:
            return _Occurrences(func.lower(col) if cased else col, t, term)

        part = 5 * occurrences(title) + occurrences(text)
        total = part if total is None else total + part
    return total / (1.0 + func.length(text) / 1000.0)


class _Occurrences(FunctionElement):
    """How many times the term (``param``) occurs in ``col``: the length ``replace`` removes, over the term's
    length. In characters on SQLite; in bytes on PostgreSQL, where ``octet_length`` is read from the value's
    header and ``length`` counts a UTF-8 text's characters one by one (4 passes over every text a CJK search
    scores: ~60 % of its time). Both lengths of the term are parameters: the compiled SQL is cached."""

    type = Float()
    inherit_cache = True

    def __init__(self, col: Any, param: Any, term: str) -> None:
        super().__init__(col, param, literal(max(1, len(term))), literal(max(1, len(term.encode("utf-8")))))


@compiles(_Occurrences)
def _occurrences_chars(element: _Occurrences, compiler: Any, **kw: Any) -> str:
    col, param, chars, _ = (compiler.process(c, **kw) for c in element.clauses)
    return f"((length({col}) - length(replace({col}, {param}, ''))) * 1.0 / {chars})"


@compiles(_Occurrences, "postgresql")
def _occurrences_bytes(element: _Occurrences, compiler: Any, **kw: Any) -> str:
    col, param, _, size = (compiler.process(c, **kw) for c in element.clauses)
    return f"((octet_length({col}) - octet_length(replace({col}, {param}, ''))) * 1.0 / {size})"


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
