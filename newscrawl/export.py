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
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine

from newscrawl.search import EXPORT_COLUMNS, JSON_LIST_COLUMNS, Filters, extra_columns, iter_rows

FORMATS = ("csv", "jsonl", "parquet")
INT_COLUMNS = ("id", "duplicate_of")


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


def write_parquet(rows: Iterable[dict[str, Any]], columns: list[str], path: str, batch_rows: int = 5000) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise MissingExtra("parquet export needs pyarrow: pip install -e '.[export]'") from exc

    def arrow_type(name: str) -> Any:
        if name in INT_COLUMNS:
            return pa.int64()
        if name in JSON_LIST_COLUMNS:
            return pa.list_(pa.string())
        return pa.string()  # timestamps stay ISO 8601 strings: they keep their UTC offset

    schema = pa.schema([(c, arrow_type(c)) for c in columns])
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append({c: (row.get(c) if c in INT_COLUMNS or c in JSON_LIST_COLUMNS or row.get(c) is None
                              else str(row.get(c))) for c in columns})
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
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent or ".")
    os.close(fd)
    try:
        if fmt == "parquet":
            n = write_parquet(rows, columns, tmp)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                n = (write_csv if fmt == "csv" else write_jsonl)(rows, columns, fh)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n
