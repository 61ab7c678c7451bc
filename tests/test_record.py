"""The article record is declared once (newscrawl/record.py): every other shape is derived from it."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from newscrawl import extract, record
from newscrawl.items import ArticleItem, ArticleRecord
from newscrawl.query import search
from newscrawl.store.archive import CONTENT_FIELDS, REQUIRED_FIELDS, Archive
from newscrawl.store.schema import articles

DOCS = Path(__file__).resolve().parent.parent / "docs" / "schema.md"


def test_table_item_export_and_store_shapes_come_from_the_record() -> None:
    assert tuple(articles.c.keys()) == record.TABLE_COLUMNS
    assert set(record.EXTRACTED) <= set(ArticleItem.fields)
    assert extract.KEYS[-len(record.EXTRACTED):] == record.EXTRACTED
    assert set(ArticleRecord.fields) == set(record.TABLE_COLUMNS)
    assert set(search.EXPORT_COLUMNS) == set(record.TABLE_COLUMNS) and search.EXPORT_COLUMNS[-1] == "text"
    assert set(search.RESULT_COLUMNS) <= set(search.EXPORT_COLUMNS)
    assert (REQUIRED_FIELDS, CONTENT_FIELDS) == (record.REQUIRED, record.CONTENT)
    assert {c.name for c in articles.columns if not c.nullable} == {
        "id", *record.REQUIRED, *record.JSON_LISTS, "content_hash"}


def test_the_datasette_view_shows_the_browse_columns(tmp_path: Path) -> None:
    Archive.open(f"sqlite:///{tmp_path}/a.sqlite3").close()
    with sqlite3.connect(tmp_path / "a.sqlite3") as db:
        cols = [r[1] for r in db.execute("PRAGMA table_info(articles_browse)")]
    assert [c for c in cols if c != "month"] == list(record.BROWSE_COLUMNS)
    assert cols[cols.index("published_at") + 1] == "month"


def test_every_column_is_documented_in_schema_md() -> None:
    text = DOCS.read_text()
    section = text[text.index("**`articles`**"):]
    section = section[:section.index("\n\n**", 10)] if "\n\n**" in section[10:] else section
    documented = {name for row in re.findall(r"^\| (`[^|]+) \|", section, re.M)
                  for name in re.findall(r"`(\w+)`", row)}
    assert set(record.TABLE_COLUMNS) <= documented, set(record.TABLE_COLUMNS) - documented
