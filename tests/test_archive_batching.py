"""Writes are committed per batch (every batch_size stores, on flush, on close), never per item; SQLite is in WAL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newscrawl.store.archive import Archive, content_hash


def article(n: int) -> tuple[dict, list[str]]:
    url = f"https://dayakdaily.com/2024/03/story-{n}/"
    text = f"Story {n} about Sarawak."
    return (
        {"url": url, "outlet": "dayakdaily", "title": f"Story {n}", "authors": [], "tags": [], "text": text,
         "fetched_at": "2024-03-06T01:00:00+00:00", "content_hash": content_hash(text)},
        [url, url + "?utm_source=twitter"],
    )


def committed(db: Path, table: str = "articles") -> int:
    """Row count as another process would see it (a separate sqlite3 connection)."""
    with sqlite3.connect(db) as other:
        return other.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "batch.db"


def test_commits_every_batch_size_stores(db: Path) -> None:
    with Archive.open(f"sqlite:///{db}", batch_size=3) as arc:
        arc.store(*article(1))
        arc.store(*article(2))
        assert arc.count() == 2  # the writer sees its own batch...
        assert committed(db) == 0  # ...nobody else does yet
        arc.store(*article(3))
        assert committed(db) == 3
        assert committed(db, "article_urls") == 6  # articles and their URLs land together
        arc.store(*article(4))
        assert committed(db) == 3
        assert arc.pending == 1


def test_flush_and_close_commit_the_partial_batch(db: Path) -> None:
    arc = Archive.open(f"sqlite:///{db}", batch_size=200)
    arc.store(*article(1))
    assert committed(db) == 0
    arc.flush()
    assert committed(db) == 1
    arc.store(*article(2))
    arc.close()
    assert committed(db) == 2
    arc.close()  # idempotent


def test_unchanged_stores_count_towards_the_batch(db: Path) -> None:
    with Archive.open(f"sqlite:///{db}", batch_size=2) as arc:
        arc.store(*article(1))
        arc.store(*article(1))  # unchanged, but new alias work may be pending: still one batch item
        assert arc.pending == 0
        assert committed(db) == 1


def test_default_batch_size_is_200(db: Path) -> None:
    with Archive.open(f"sqlite:///{db}") as arc:
        assert arc.batch_size == 200
        for n in range(199):
            arc.store(*article(n))
        assert committed(db) == 0
        arc.store(*article(199))
        assert committed(db) == 200


def test_sqlite_pragmas(db: Path) -> None:
    with Archive.open(f"sqlite:///{db}") as arc:
        with arc.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 1  # NORMAL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 5000
    with sqlite3.connect(db) as other:  # WAL is persistent: a plain client sees it too
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_readers_are_not_blocked_by_an_open_batch(db: Path) -> None:
    with Archive.open(f"sqlite:///{db}", batch_size=2) as arc:
        arc.store(*article(1))
        arc.store(*article(2))
        arc.store(*article(3))  # the write lock is held by this open batch
        with Archive.open(f"sqlite:///{db}") as reader:  # e.g. `newscrawl stats` during a crawl
            assert reader.count() == 2
            assert reader.article_id_for_url(article(1)[0]["url"]) is not None
            assert reader.article_id_for_url(article(3)[0]["url"]) is None
