"""`scrapy crawl sarawak -O items.jsonl` (or .csv) writes the archived article records, alongside the archive."""

from __future__ import annotations

import csv
import json

import pytest

from newscrawl.store.schema import articles
from tests.replica import ReplicaServer

from .archive_helpers import rows
from .crawl_helpers import run_crawl

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

COLUMNS = [column.name for column in articles.columns]


def test_feed_exports_carry_the_archived_records(tmp_path):
    path = tmp_path / "a.sqlite3"
    jsonl, table = tmp_path / "items.jsonl", tmp_path / "items.csv"
    with ReplicaServer() as server:
        root = next(iter(server.roots.values()))
        result = run_crawl(f"sqlite:///{path}", "-a", f"site={root}", "-O", str(jsonl), "-O", str(table))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    # the record's columns (SELECT * would add the period columns SQLite computes for the research views)
    archived = {r["id"]: dict(r) for r in rows(path, f"SELECT {', '.join(COLUMNS)} FROM articles")}
    assert len(archived) > 5

    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in records) == sorted(archived)  # each article once, nothing internal
    for record in records:
        assert list(record) == COLUMNS
        row = archived[record["id"]]
        assert record["authors"] == json.loads(row["authors"]) and record["tags"] == json.loads(row["tags"])
        assert {k: v for k, v in record.items() if k not in ("authors", "tags")} == \
            {k: v for k, v in row.items() if k not in ("authors", "tags")}

    with table.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS  # no minhash, hints, body, store_status...
        assert sorted(int(r["id"]) for r in reader) == sorted(archived)

