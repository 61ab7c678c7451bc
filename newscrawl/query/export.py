"""Streaming exports (CSV, JSON Lines, Parquet) of filtered articles, in constant memory.

Rows are read in chunks from a server-side / lazily stepped cursor and written as they come; the file is written
under a temporary name and renamed when complete, so an interrupted export never leaves a half file behind.
Every row is citation-ready: stable ``id``, canonical ``url``, ``fetched_at`` (UTC capture time) and any capture
reference column a later version adds to ``articles``.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine, Integer, inspect

from newscrawl.query.search import EXPORT_COLUMNS, JSON_LIST_COLUMNS, Filters, extra_columns, iter_rows

FORMATS = ("csv", "jsonl", "parquet")
INT_COLUMNS = ("id", "duplicate_of")
# Parquet carries these as timestamps (UTC instants); CSV and JSON Lines keep the ISO text with its offset.
TIME_COLUMNS = ("published_at", "modified_at", "fetched_at")


class MissingExtra(RuntimeError):
    """An optional dependency is not installed; the message names the extra to install."""


def export_columns(engine: Engine, *, with_text: bool = True) -> list[str]:
    return [c for c in EXPORT_COLUMNS if with_text or c != "text"] + extra_columns(engine)


def write_csv(rows: Iterable[dict[str, Any]], columns: list[str], fh: TextIO) -> int:
    writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: (json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v)
                         for k, v in row.items()})
        n += 1
    return n


def write_jsonl(rows: Iterable[dict[str, Any]], columns: list[str], fh: TextIO) -> int:
    n = 0
    for row in rows:
        fh.write(json.dumps({k: row.get(k) for k in columns}, ensure_ascii=False) + "\n")
        n += 1
    return n


def to_utc(value: Any) -> datetime | None:
    """An ISO 8601 timestamp as an aware UTC datetime (naive = UTC, as the date filters read it); None when it
    is empty, not a timestamp, or outside what a UTC datetime can hold (a year-1 date at +08:00)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None


def _to_int(value: Any) -> int | None:
    try:
        return None if value is None or value == "" else int(value)
    except (TypeError, ValueError):
        return None


def write_parquet(rows: Iterable[dict[str, Any]], columns: list[str], path: str, batch_rows: int = 5000,
                  int_columns: Iterable[str] = INT_COLUMNS) -> int:
    """Typed Parquet: ids (and any integer column) int64, timestamps ``timestamp[us, UTC]``, authors and tags
    lists of strings, the rest strings."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise MissingExtra("parquet export needs pyarrow: pip install -e '.[export]'") from exc

    ints = set(int_columns) | set(INT_COLUMNS)
    convert: dict[str, Callable[[Any], Any]] = {}
    fields = []
    for name in columns:
        if name in ints:
            fields.append((name, pa.int64()))
            convert[name] = _to_int
        elif name in TIME_COLUMNS:
            fields.append((name, pa.timestamp("us", tz="UTC")))
            convert[name] = to_utc
        elif name in JSON_LIST_COLUMNS:
            fields.append((name, pa.list_(pa.string())))
            convert[name] = lambda v: v
        else:
            fields.append((name, pa.string()))
            convert[name] = lambda v: None if v is None else str(v)
    schema = pa.schema(fields)
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append({c: convert[c](row.get(c)) for c in columns})
            if len(batch) >= batch_rows:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch:
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def _counting(rows: Iterable[dict[str, Any]], progress: Callable[[int], None] | None,
              every: int = 1000) -> Iterator[dict[str, Any]]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if progress and done % every == 0:
            progress(every)
    if progress and done % every:
        progress(done % every)


def _create_partial(target: Path) -> str:
    """A new, empty temporary file beside ``target``, created with the user's umask (like the file ``-o`` names
    would be: mkstemp's 0600 would survive the rename and hide the export from the user's group)."""
    while True:
        tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.partial"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return str(tmp)
        except FileExistsError:
            continue


def export(engine: Engine, flt: Filters, output: str, fmt: str, *, sort: str = "date", with_text: bool = True,
           limit: int | None = None, force: bool = False, progress: Callable[[int], None] | None = None) -> int:
    """Write the matching articles to ``output`` ('-' = stdout for csv/jsonl); returns the row count.

    Raises FileExistsError when ``output`` exists and not ``force``; MissingExtra when pyarrow is missing.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")
    if fmt == "parquet" and output == "-":
        raise ValueError("parquet cannot be written to stdout: give -o FILE.parquet")
    if output != "-" and os.path.exists(output) and not force:
        raise FileExistsError(f"{output} exists (use --force to overwrite)")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401  (fail before running the query)
        except ImportError as exc:
            raise MissingExtra("parquet export needs pyarrow: pip install -e '.[export]'") from exc
    columns = export_columns(engine, with_text=with_text)
    rows = _counting(iter_rows(engine, flt, columns=columns, sort=sort, limit=limit), progress)
    if output == "-":
        writer = write_csv if fmt == "csv" else write_jsonl
        return writer(rows, columns, sys.stdout)
    target = Path(output)
    tmp = _create_partial(target)
    try:
        if fmt == "parquet":
            ints = [c["name"] for c in inspect(engine).get_columns("articles") if isinstance(c["type"], Integer)]
            n = write_parquet(rows, columns, tmp, int_columns=ints)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                n = (write_csv if fmt == "csv" else write_jsonl)(rows, columns, fh)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n
