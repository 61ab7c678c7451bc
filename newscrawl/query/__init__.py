"""The query wing: the query language (syntax), search, one article, export, statistics, audit, Datasette.

Reads only; depends on :mod:`newscrawl.store` for the tables, never the other way round.
"""

from typing import Any


def __getattr__(name: str) -> Any:  # `from newscrawl.query import Reader` without importing it for every command
    if name == "Reader":
        from newscrawl.query.reader import Reader

        return Reader
    raise AttributeError(name)
