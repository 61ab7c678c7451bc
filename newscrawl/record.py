"""The article record, declared once.

Every place that names an article's fields is derived from :data:`FIELDS`: the ``articles`` table
(:mod:`newscrawl.store.schema`), the fields extraction fills on the item (:class:`newscrawl.items.ArticleItem`,
``newscrawl.extract.KEYS``), what the store pipeline hands the archive, what an 'updated' store overwrites,
the export and search-result columns (:mod:`newscrawl.query.search`) and the Datasette view. A new metadata
field is one line here plus its migration (docs/schema.md#schema-changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, String, Text

# Where a field sits: the table keeps this order, exports another (the long text last, the story link beside
# the metadata), so a CSV row reads left to right.
TABLE_ORDER = ("key", "source", "meta", "text", "provenance", "story")
EXPORT_ORDER = ("key", "source", "meta", "story", "provenance", "text")


@dataclass(frozen=True)
class Field:
    name: str
    type: Any  # a SQLAlchemy type
    group: str  # one of TABLE_ORDER
    doc: str
    required: bool = False  # a store without it is refused (NOT NULL without a default)
    extracted: bool = False  # produced by extraction (newscrawl.extract), carried on the item
    content: bool = False  # part of the stored version: overwritten when the article changes
    json_list: bool = False  # a list, stored as a JSON array in text
    index: bool = False
    unique: bool = False
    not_null: bool = False  # NOT NULL although the caller may leave it out (the store fills it in)
    references: str | None = None  # a foreign key, "table.column"
    result: bool = False  # a column of search results (`newscrawl search --format csv`)
    browse: bool = False  # a column of the Datasette view


FIELDS: tuple[Field, ...] = (
    Field("id", Integer, "key", "stable integer id (cite it)", result=True, browse=True),
    Field("url", String(2048), "source", "canonical URL", required=True, unique=True, result=True, browse=True),
    Field("outlet", String(100), "source", "outlet key from outlets.json, or the host of an ad-hoc root",
          required=True, index=True, result=True, browse=True),
    Field("title", Text, "meta", "headline", required=True, extracted=True, content=True, result=True, browse=True),
    Field("authors", Text, "meta", "bylines", extracted=True, content=True, json_list=True),
    Field("published_at", String(40), "meta", "publication time, ISO 8601 with offset", extracted=True,
          content=True, index=True, result=True, browse=True),
    Field("modified_at", String(40), "meta", "last modification the page states", extracted=True, content=True),
    Field("section", Text, "meta", "the outlet's section", extracted=True, content=True, result=True, browse=True),
    Field("tags", Text, "meta", "the outlet's tags", extracted=True, content=True, json_list=True),
    Field("language", String(8), "meta", "ISO 639-1 code", extracted=True, content=True, result=True, browse=True),
    Field("image_url", Text, "meta", "lead image", extracted=True, content=True),
    Field("text", Text, "text", "one paragraph per line", required=True, extracted=True, content=True, browse=True),
    Field("fetched_at", String(40), "provenance", "UTC, last time the stored version was fetched", required=True,
          content=True, result=True, browse=True),
    Field("content_hash", String(64), "provenance", "sha256 of the normalised text", content=True, index=True,
          not_null=True),
    Field("capture_id", Integer, "provenance", "NULL, or the captures row (WARC record) this version was extracted "
          "from (docs/warc.md)", content=True, index=True),
    Field("duplicate_of", Integer, "story", "NULL, or the id of the story's earliest article", index=True,
          references="articles.id", result=True, browse=True),
)

BY_NAME = {f.name: f for f in FIELDS}


def _names(fields: Any) -> tuple[str, ...]:
    return tuple(f.name for f in fields)


def _ordered(order: tuple[str, ...], keep: Any = lambda f: True) -> tuple[str, ...]:
    return _names(sorted((f for f in FIELDS if keep(f)), key=lambda f: order.index(f.group)))


TABLE_COLUMNS = _ordered(TABLE_ORDER)
EXPORT_COLUMNS = _ordered(EXPORT_ORDER)
RESULT_COLUMNS = _ordered(EXPORT_ORDER, lambda f: f.result)
BROWSE_COLUMNS = _ordered(EXPORT_ORDER, lambda f: f.browse)
REQUIRED = _names(f for f in FIELDS if f.required)
EXTRACTED = _names(f for f in FIELDS if f.extracted)
CONTENT = _names(f for f in FIELDS if f.content)
JSON_LISTS = _names(f for f in FIELDS if f.json_list)
# what StorePipeline hands the archive: the item's fields the table stores (the id and story link are the store's)
STORED_FROM_ITEM = tuple(n for n in TABLE_COLUMNS if n not in ("id", "duplicate_of", "capture_id"))


def columns() -> list[Any]:
    """The ``articles`` table's columns, in table order (for :mod:`newscrawl.store.schema`)."""
    from sqlalchemy import Column, ForeignKey

    out = []
    for name in TABLE_COLUMNS:
        f = BY_NAME[name]
        if name == "id":
            out.append(Column("id", Integer, primary_key=True, autoincrement=True))
            continue
        args = [ForeignKey(f.references)] if f.references else []
        out.append(Column(name, f.type, *args, nullable=not (f.required or f.json_list or f.not_null),
                          unique=f.unique or None, index=f.index or None,
                          default="[]" if f.json_list else None, comment=None))
    return out

