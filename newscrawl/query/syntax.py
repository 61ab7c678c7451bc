"""The query language of ``newscrawl search`` and every ``--query`` option, parsed once and rendered for the
full-text index of each database: FTS5 MATCH on SQLite, ``to_tsquery`` on PostgreSQL. User input only ever
reaches SQL as a bound parameter: the parsed query is re-rendered fully quoted.

Query syntax (documented in docs/querying.md)::

    baram dam            both words, anywhere in title or text (AND is implicit; AND may be written)
    "baram dam"          the phrase
    baram OR bakun       either word (OR binds tighter than the implicit AND: ``dam baram OR bakun`` is
                         ``dam AND (baram OR bakun)``)
    dam NOT bakun        NOT excludes the next term or group; a query needs at least one positive term
    dam -bakun           the same (also -"a phrase", -(a group))
    hydro*               prefix: hydro, hydroelectric, ...
    (baram OR bakun) dam parentheses group
Matching is case- and accent-insensitive, without stemming (``dams`` does not match ``dam``: use ``dam*``).
Syntax of other search engines that would silently match nothing here is refused with a message: field searches
(``title:flood``: a query matches title and text together) and ``NEAR(...)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class QueryError(ValueError):
    """Malformed query syntax or filter value; the message is shown to the user as is."""


# --------------------------------------------------------------------------- query syntax


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    prefix: bool = False

    @property
    def tokens(self) -> list[str]:
        return re.findall(r"\w+", self.text.casefold())


@dataclass(frozen=True)
class And:
    items: tuple[Any, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Any, ...]


@dataclass(frozen=True)
class Not:
    item: Any


_TOKEN = re.compile(r'\s+|(?P<quote>"[^"]*"\*?)|(?P<open>\()|(?P<close>\))|(?P<neg>-(?=["(]))|(?P<word>[^\s"()]+)'
                    r'|(?P<bad>")')
# `title:flood`, `site:x`: a field prefix (not a URL's scheme: http://...)
_FIELD = re.compile(r"[^\W\d]\w*:(?!//)")


def _lex(query: str) -> list[tuple[str, str]]:
    tokens = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind is None:
            continue
        if kind == "bad":
            raise QueryError(f"unbalanced quote in query {query!r}: close the phrase with \"")
        tokens.append((kind, m.group()))
    return tokens


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _lex(query)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def error(self, why: str) -> QueryError:
        return QueryError(f"bad query {self.query!r}: {why}")

    def parse(self) -> Any:
        if not self.tokens:
            raise QueryError("empty query: give at least one word")
        node = self.and_expr()
        if self.peek() is not None:
            raise self.error("unbalanced ')'")
        _check_positive(node, self)
        return node

    def and_expr(self) -> Any:
        items = []
        while (tok := self.peek()) is not None and tok[0] != "close":
            if tok == ("word", "AND"):
                self.take()
                if not items:
                    raise self.error("AND needs a term before it")
                if self.peek() is None or self.peek()[0] == "close":
                    raise self.error("AND needs a term after it")
                continue
            items.append(self.or_expr())
        if not items:
            raise self.error("empty parentheses")
        return items[0] if len(items) == 1 else And(tuple(items))

    def or_expr(self) -> Any:
        items = [self.unary()]
        while self.peek() == ("word", "OR"):
            self.take()
            if self.peek() is None or self.peek()[0] == "close":
                raise self.error("OR needs a term after it")
            items.append(self.unary())
        if len(items) > 1 and any(isinstance(i, Not) for i in items):
            raise self.error("NOT cannot be used inside OR")
        return items[0] if len(items) == 1 else Or(tuple(items))

    def unary(self) -> Any:
        kind, value = self.take()
        if kind == "word" and len(value) > 1 and value[0] == "-" and value[1] != "-":
            self.tokens.insert(self.pos, ("word", value[1:]))  # -word: NOT word
            kind = "neg"
        if kind == "neg":
            if self.peek() is None or self.peek()[0] == "close":
                raise self.error("'-' needs a term after it")
            return Not(self.unary())
        if kind == "word" and _FIELD.match(value):
            field_name = value.split(":", 1)[0]
            raise self.error(f"field searches ({field_name}:...) are not supported: a query matches title and "
                             "text together; narrow it with --outlet, --section, --language or dates")
        if (kind, value) == ("word", "NEAR") and self.peek() == ("open", "("):
            raise self.error('NEAR(...) is not supported: use a "phrase" for words side by side')
        if (kind, value) == ("word", "NOT"):
            if self.peek() is None or self.peek()[0] == "close" or self.peek()[1] in ("OR", "AND", "NOT"):
                raise self.error("NOT needs a term after it")
            return Not(self.unary())
        if kind == "word" and value in ("OR", "AND"):
            raise self.error(f"{value} needs a term before it")
        if kind == "open":
            node = self.and_expr()
            if self.peek() is None:
                raise self.error("unbalanced '('")
            self.take()
            return node
        if kind == "close":
            raise self.error("unbalanced ')'")
        if kind == "quote":
            prefix = value.endswith("*")
            term = Term(value.rstrip("*")[1:-1], phrase=True, prefix=prefix)
            if not term.tokens:
                raise self.error(f"phrase {value} has no letters or digits")
            return term
        prefix = value.endswith("*")
        word = value.rstrip("*") if prefix else value
        if "*" in word:
            raise self.error(f"'*' is only allowed at the end of a word ({value!r})")
        term = Term(word, prefix=prefix)
        if not term.tokens:
            raise self.error(f"{value!r} has no letters or digits to search for")
        return term


def _check_positive(node: Any, parser: _Parser) -> None:
    """Every AND group (and the query) needs a term that is not negated: 'NOT x' alone matches everything."""
    if isinstance(node, Not):
        raise parser.error("a query needs a term that is not negated by NOT or -")
    if isinstance(node, And):
        if all(isinstance(i, Not) for i in node.items):
            raise parser.error("a query needs a term that is not negated by NOT or -")
        for item in node.items:
            _check_positive(item.item if isinstance(item, Not) else item, parser)
    if isinstance(node, Or):
        for item in node.items:
            _check_positive(item, parser)


def lowercase_operator_hint(query: str) -> str | None:
    """For a search that found nothing: a note when the query holds a lower-case 'or'/'and'/'not', which are
    searched as words (operators are upper case), so a silent 0 has its likely reason beside it."""
    words = [w for kind, w in _lex(query) if kind == "word"]
    found = [w for w in words if w in ("or", "and", "not")]
    if not found:
        return None
    return (f"note: operators are upper case: {', '.join(repr(w) for w in dict.fromkeys(found))} "
            f"{'was' if len(set(found)) == 1 else 'were'} searched as {'a word' if len(set(found)) == 1 else 'words'}"
            f" (write {', '.join(w.upper() for w in dict.fromkeys(found))})")


def parse_query(query: str) -> Any:
    """Parse the user query syntax into a tree; raises QueryError with a one-line reason."""
    return _Parser(query).parse()


def to_fts5(node: Any) -> str:
    """A fully parenthesised FTS5 MATCH expression in which every user term is a quoted string."""
    if isinstance(node, Term):
        quoted = '"' + " ".join(node.tokens) + '"'
        return quoted + ("*" if node.prefix else "")
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5(i) for i in node.items) + ")"
    if isinstance(node, And):
        positives = [to_fts5(i) for i in node.items if not isinstance(i, Not)]
        expr = "(" + " AND ".join(positives) + ")"
        for neg in (i for i in node.items if isinstance(i, Not)):
            expr = f"({expr} NOT {to_fts5(neg.item)})"  # FTS5's NOT is binary: a NOT b
        return expr
    raise TypeError(node)  # a bare Not is rejected by the parser


def to_tsquery(node: Any) -> str:
    """The same tree as a PostgreSQL ``to_tsquery`` string (phrases with <->, prefixes with :*)."""
    if isinstance(node, Term):
        toks = [f"'{t}'" for t in node.tokens]  # \w+ tokens never contain quotes or operators
        if node.prefix:
            toks[-1] += ":*"
        return "(" + " <-> ".join(toks) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(to_tsquery(i) for i in node.items) + ")"
    if isinstance(node, And):
        return "(" + " & ".join(("!" + to_tsquery(i.item)) if isinstance(i, Not) else to_tsquery(i)
                                for i in node.items) + ")"
    raise TypeError(node)
