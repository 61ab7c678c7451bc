"""The archive's own failure modes: another application's database, a read-only file, rows deleted by hand,
a proper removal (`newscrawl remove`), a check (`newscrawl db check`)."""

from __future__ import annotations

import os
import sqlite3

import pytest
from click.testing import CliRunner

from newscrawl.cli import main as cli
from newscrawl.store.archive import Archive, ArchiveError
from tests.replica import ReplicaServer

from .archive_helpers import rows
from .crawl_helpers import run_crawl

TEXT = " ".join(f"word{i}" for i in range(300))


def _article(n: int, text: str = TEXT, **extra) -> dict:
    return {"url": f"https://example.com/2024/01/{n:02d}/story-{n}/", "outlet": "ex", "title": f"Story {n}",
            "text": f"{text} story {n}", "fetched_at": "2024-01-02T00:00:00+00:00",
            "published_at": f"2024-01-{n:02d}T08:00:00+08:00", **extra}


def _store(url: str, *articles: dict) -> list[int]:
    with Archive.open(url) as archive:
        return [archive.store(a, [a["url"], a["url"] + "?amp=1"])[0] for a in articles]


# --------------------------------------------------------------------------- whose database


def test_another_applications_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    with pytest.raises(ArchiveError, match="not a newscrawl archive: it holds another application's tables "
                                           r"\(invoices\)"):
        Archive.open(f"sqlite:///{path}")
    result = run_crawl(f"sqlite:///{path}", "-a", "site=http://127.0.0.1:9/")
    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        f"newscrawl: error: cannot open archive sqlite:///{path}: not a newscrawl archive: it holds another "
        "application's tables (invoices) and no newscrawl marker"]
    assert [r[0] for r in rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")] == ["invoices"]


def test_a_new_archive_is_marked_and_an_older_one_gets_the_marker(tmp_path):
    path = tmp_path / "a.sqlite3"
    _store(f"sqlite:///{path}", _article(1))
    assert rows(path, "SELECT value FROM archive_meta WHERE name = 'application'")[0][0] == "newscrawl"
    with sqlite3.connect(path) as db:  # an archive made before the marker existed
        db.execute("DROP TABLE archive_meta")
        db.execute("DROP TABLE alembic_version")  # (it also predates migrations)
    with Archive.open(f"sqlite:///{path}") as archive:
        assert archive.count() == 1
    assert rows(path, "SELECT value FROM archive_meta WHERE name = 'application'")[0][0] == "newscrawl"


def test_a_database_marked_by_another_application_is_refused(tmp_path):
    path = tmp_path / "a.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE archive_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO archive_meta VALUES ('application', 'otherapp')")
    with pytest.raises(ArchiveError, match="belongs to 'otherapp'"):
        Archive.open(f"sqlite:///{path}")


# --------------------------------------------------------------------------- write access


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_archive_fails_before_any_request(tmp_path):
    path = tmp_path / "a.sqlite3"
    _store(f"sqlite:///{path}", _article(1))
    path.chmod(0o444)
    with ReplicaServer() as server:
        root = next(iter(server.roots.values()))
        result = run_crawl(f"sqlite:///{path}", "-a", f"site={root}")
        requests = len(server.requests)
    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"newscrawl: error: archive sqlite:///{path} is not writable: ")
    assert requests == 0


def test_an_archive_opened_read_only_fails_before_any_request(tmp_path):
    """The same as a read-only file, for a user that can write anything (root): SQLite's own read-only mode."""
    path = tmp_path / "a.sqlite3"
    _store(f"sqlite:///{path}", _article(1))
    with ReplicaServer() as server:
        root = next(iter(server.roots.values()))
        result = run_crawl(f"sqlite:///file:{path}?mode=ro&uri=true", "-a", f"site={root}")
        requests = len(server.requests)
    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("newscrawl: error: archive sqlite:///file")
    assert lines[0].endswith("a.sqlite3?mode=ro&uri=true is not writable: attempt to write a readonly database")
    assert requests == 0


def test_the_write_check_reports_the_databases_own_error(tmp_path):
    path = tmp_path / "a.sqlite3"
    _store(f"sqlite:///{path}", _article(1))
    with Archive.open(f"sqlite:///{path}") as archive:
        archive.check(write=True)  # writable: passes, and leaves nothing behind
    assert [r[0] for r in rows(path, "SELECT name FROM archive_meta")] == ["application", "created_at"]
    with Archive.open(f"sqlite:///file:{path}?mode=ro&uri=true", create=False) as archive:
        with pytest.raises(ArchiveError, match="is not writable: attempt to write a readonly database"):
            archive.check(write=True)


# --------------------------------------------------------------------------- rows deleted by hand


def _delete_by_hand(path, sql: str) -> None:
    """What an operator does in the sqlite3 shell: foreign keys are off there."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute(sql)


def test_an_article_deleted_by_hand_is_archived_again(tmp_path):
    path = tmp_path / "a.sqlite3"
    url = f"sqlite:///{path}"
    first, _ = _store(url, _article(1), _article(2))
    _delete_by_hand(path, f"DELETE FROM articles WHERE id = {first}")
    with Archive.open(url) as archive:  # before the repair, this URL's alias pointed at a missing row
        with pytest.raises(ArchiveError, match="No row was found"):
            archive.store(_article(1), [_article(1)["url"]])
    result = CliRunner().invoke(cli, ["db", "check", "--archive", url])
    assert result.exit_code == 1
    assert "article_urls: 2 row(s) point at missing articles" in result.output
    assert "neardup_bands" in result.output
    result = CliRunner().invoke(cli, ["db", "check", "--repair", "--archive", url])
    assert result.exit_code == 0, result.output
    with Archive.open(url) as archive:
        new_id, status = archive.store(_article(1), [_article(1)["url"]])
    assert status == "new" and new_id != first
    result = CliRunner().invoke(cli, ["db", "check", "--archive", url])
    assert result.exit_code == 0 and "archive consistent" in result.output


@pytest.mark.slow
def test_a_crawl_repairs_what_was_deleted_by_hand(tmp_path):
    """`DROP TABLE articles` in the shell: the next crawl archives the outlet again instead of nothing forever."""
    path = tmp_path / "a.sqlite3"
    with ReplicaServer() as server:
        root = next(iter(server.roots.values()))
        first = run_crawl(f"sqlite:///{path}", "-a", f"site={root}")
        assert first.returncode == 0, first.stderr[-2000:]
        archived = rows(path, "SELECT count(*) FROM articles")[0][0]
        assert archived > 5
        _delete_by_hand(path, "DROP TABLE articles")
        second = run_crawl(f"sqlite:///{path}", "-a", f"site={root}")
    assert second.returncode == 0, second.stderr[-2000:]
    assert "repaired rows pointing at deleted articles" in second.stderr
    assert "No row was found" not in second.stderr
    assert rows(path, "SELECT count(*) FROM articles")[0][0] == archived
    hits = rows(path, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'the'")[0][0]
    assert 0 < hits <= archived


# --------------------------------------------------------------------------- removal


def test_remove_takes_an_article_out_with_its_traces_and_records_it(tmp_path):
    path = tmp_path / "a.sqlite3"
    url = f"sqlite:///{path}"
    with Archive.open(url) as archive:  # a story of three copies: removing its root regroups the others
        root, _ = archive.store(_article(1), [])
        copy1, s1 = archive.store(_article(2), [])
        copy2, s2 = archive.store(_article(3), [])
        archive.store({**_article(1), "title": "Story 1 edited"}, [])  # a revision
    assert (s1, s2) == ("near_duplicate", "near_duplicate")
    result = CliRunner().invoke(cli, ["remove", str(root), "--archive", url, "--note", "takedown request"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"removed article {root}: Story 1 edited")
    assert [tuple(r) for r in rows(path, "SELECT id, duplicate_of FROM articles ORDER BY id")] == [
        (copy1, None), (copy2, copy1)]
    for table in ("article_urls", "revisions", "neardup_signatures", "neardup_bands"):
        assert rows(path, f"SELECT count(*) FROM {table} WHERE article_id = ?", root)[0][0] == 0
    assert [tuple(r) for r in rows(path, "SELECT article_id, event, location FROM article_events")] == [
        (root, "removed", "takedown request")]
    assert CliRunner().invoke(cli, ["db", "check", "--archive", url]).exit_code == 0
    again = CliRunner().invoke(cli, ["remove", str(root), "--archive", url])
    assert again.exit_code == 2 and f"no article with id {root}" in again.output


def test_a_postgresql_schema_of_another_application_is_refused(pg_schema_url):
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(pg_schema_url)
    schema = url.query["options"].split("=", 1)[1]
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname=url.database,
                         autocommit=True) as conn:
        conn.execute(f'CREATE TABLE "{schema}".orders (id integer primary key)')
    with pytest.raises(ArchiveError, match=r"not a newscrawl archive: it holds another application's tables \(orders\)"):
        Archive.open(pg_schema_url)
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname=url.database) as conn:
        tables = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                              (schema,)).fetchall()
    assert tables == [("orders",)]
