"""`newscrawl export`: citation-ready rows in csv / jsonl / parquet, refuses to overwrite."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from newscrawl.cli import main
from tests.test_search_data import archive_url  # noqa: F401 (fixture)


def export(url: str, *args: str):
    return CliRunner().invoke(main, ["export", *args, "--archive", url])


def test_jsonl_one_row_per_story_with_citation_fields(archive_url: str, tmp_path) -> None:  # noqa: F811
    out = tmp_path / "baram.jsonl"
    res = export(archive_url, "-q", '"baram dam"', "--since", "2024", "--format", "jsonl", "-o", str(out))
    assert (res.exit_code, res.stderr) == (0, f"wrote 2 rows to {out}\n")
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [1, 3]
    assert list(rows[0]) == ["id", "url", "outlet", "title", "authors", "published_at", "modified_at", "section",
                             "tags", "language", "image_url", "duplicate_of", "fetched_at", "content_hash", "capture_id", "text"]
    assert rows[0]["url"] == "https://www.theborneopost.com/2024/02/10/baram-dam-plan-shelved/"
    assert rows[0]["fetched_at"] == "2024-04-02T01:00:00+00:00"
    assert rows[0]["authors"] == ["Reporter"]


def test_csv_with_duplicates_and_extra_capture_column(archive_url: str, tmp_path) -> None:  # noqa: F811
    import sqlalchemy as sa

    with sa.create_engine(archive_url).begin() as conn:  # a later version's capture reference travels along
        conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN warc_record_id TEXT")
        conn.exec_driver_sql("UPDATE articles SET warc_record_id = '<urn:uuid:abc>' WHERE id = 2")
    out = tmp_path / "all.csv"
    res = export(archive_url, "--include-duplicates", "--format", "csv", "-o", str(out), "--no-text")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open()))
    assert [r["id"] for r in rows] == ["5", "8", "1", "2", "7", "3", "4", "6"]  # date order
    assert rows[3]["warc_record_id"] == "<urn:uuid:abc>" and rows[3]["duplicate_of"] == "1"
    assert rows[0]["authors"] == '["Reporter"]' and "text" not in rows[0]


def test_parquet(archive_url: str, tmp_path) -> None:  # noqa: F811
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "a.parquet"
    assert export(archive_url, "--outlet", "borneopost", "--format", "parquet", "-o", str(out)).exit_code == 0
    table = pq.read_table(out)
    assert table.column("id").to_pylist() == [1, 7, 4]
    assert table.column("tags").to_pylist() == [["dam"], [], ["dam"]]
    assert str(table.schema.field("id").type) == "int64"


def test_existing_file_and_force(archive_url: str, tmp_path) -> None:  # noqa: F811
    out = tmp_path / "a.csv"
    out.write_text("keep me")
    res = export(archive_url, "--format", "csv", "-o", str(out))
    assert (res.exit_code, res.stderr) == (2, f"Error: {out} exists (use --force to overwrite)\n")
    assert out.read_text() == "keep me"
    assert export(archive_url, "--format", "csv", "-o", str(out), "--force").exit_code == 0
    assert out.read_text().startswith("id,url,outlet")
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []  # no temporary file left


def test_bad_query_in_export(archive_url: str, tmp_path) -> None:  # noqa: F811
    res = export(archive_url, "-q", "dam OR", "--format", "csv", "-o", str(tmp_path / "x.csv"))
    assert (res.exit_code, res.stderr) == (2, "Error: bad query 'dam OR': OR needs a term after it\n")
