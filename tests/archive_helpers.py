"""Reading a crawled SQLite archive in tests (plain sqlite3: what a researcher would do)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime


def rows(path, sql: str, *params) -> list[sqlite3.Row]:
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return db.execute(sql, params).fetchall()


def articles_by_url(path) -> dict[str, dict]:
    out = {}
    for row in rows(path, "SELECT * FROM articles"):
        record = dict(row)
        record["authors"] = json.loads(record["authors"])
        record["tags"] = json.loads(record["tags"])
        out[record["url"]] = record
    return out


def same_instant(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a == b
    return datetime.fromisoformat(a) == datetime.fromisoformat(b)
