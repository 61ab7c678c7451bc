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

from sqlalchemy import Connection

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
