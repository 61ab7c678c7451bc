"""Versioned schema: an archive made before migrations (a fixture made by main at 884c56d: a demo crawl, one
story correction) opens and upgrades in place, keeps every row, and ends with exactly the declared schema."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import create_engine

from newscrawl.cli import main
from newscrawl.query import Reader
from newscrawl.store import migrate
from newscrawl.store.archive import Archive
from newscrawl.store.engine import ArchiveError
from newscrawl.store.schema import metadata

FIXTURE = Path(__file__).parent / "fixtures" / "archive-884c56d.sqlite3"


def table_rows(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "AND name NOT LIKE 'articles_fts%' AND name != 'alembic_version'")]
        return {n: db.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def schema_drift(url: str) -> list:
    """What Alembic's autogenerate would still change: nothing, if migrations and schema.py agree."""
    engine = create_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": migrate.declared})
        return compare_metadata(context, metadata)


@pytest.fixture
def old_archive(tmp_path: Path) -> Path:
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE, path)
    return path


def test_an_archive_from_before_migrations_upgrades_in_place(old_archive: Path) -> None:
    url = f"sqlite:///{old_archive}"
    before = table_rows(old_archive)
    with sqlite3.connect(old_archive) as db:
        assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone()
        titles = db.execute("SELECT id, title, duplicate_of FROM articles ORDER BY id").fetchall()
    res = CliRunner().invoke(main, ["db", "upgrade", "--archive", url])
    assert res.exit_code == 0, res.output
    assert migrate.current(create_engine(url)) == migrate.head()
    after = table_rows(old_archive)
    assert {t: after[t] for t in before} == before  # every row kept
    assert schema_drift(url) == []  # and the schema is exactly today's declarations
    with sqlite3.connect(old_archive) as db:
        assert db.execute("SELECT id, title, duplicate_of FROM articles ORDER BY id").fetchall() == titles
        assert db.execute("SELECT action, article_id, other_id FROM story_corrections").fetchall() == [
            ("link", 24, 5)]
    with Reader(url) as archive:  # searchable as before, one row per story
        hits = list(archive.search("flood", include_duplicates=True, limit=None))
        assert hits and {h["id"] for h in hits} <= {t[0] for t in titles}
    with Archive.open(url) as archive:  # and writable: a new article lands with its aliases
        article = {"url": "https://example.com/2026/12/01/new/", "outlet": "borneopost", "title": "A new one",
                   "text": "A new article stored after the upgrade. " * 20, "fetched_at": "2026-12-01T00:00:00+00:00"}
        assert archive.store(article, [article["url"]])[1] == "new"
    assert table_rows(old_archive)["articles"] == before["articles"] + 1


def test_a_fresh_archive_is_stamped_with_the_head_and_matches_the_declarations(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/new.sqlite3"
    Archive.open(url).close()
    assert migrate.current(create_engine(url)) == migrate.head()
    assert schema_drift(url) == []


def test_upgrading_twice_changes_nothing(old_archive: Path) -> None:
    url = f"sqlite:///{old_archive}"
    first = CliRunner().invoke(main, ["db", "upgrade", "--archive", url])
    second = CliRunner().invoke(main, ["db", "upgrade", "--archive", url])
    assert first.exit_code == second.exit_code == 0
    assert second.stdout == f"archive schema is current (revision {migrate.head()})\n"


def test_an_archive_from_a_newer_newscrawl_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/a.sqlite3"
    Archive.open(url).close()
    with sqlite3.connect(tmp_path / "a.sqlite3") as db:
        db.execute("UPDATE alembic_version SET version_num = 'f00dcafe'")
    with pytest.raises(ArchiveError, match="revision f00dcafe, newer than this newscrawl"):
        Archive.open(url)
    res = CliRunner().invoke(main, ["search", "flood", "--archive", url])
    assert res.exit_code == 2 and "newer than this newscrawl" in res.stderr
    res = CliRunner().invoke(main, ["db", "version", "--archive", url])
    assert res.stdout.startswith("archive revision f00dcafe, newscrawl ")


def test_db_upgrade_never_creates_an_archive(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["db", "upgrade", "--archive", f"sqlite:///{tmp_path}/none.sqlite3"])
    assert res.exit_code == 2 and "does not exist" in res.stderr
    assert not (tmp_path / "none.sqlite3").exists()


def test_the_migration_chain_has_one_head_and_migrate_head_names_it() -> None:
    # two revisions on one parent (an unchained merge), or a new revision without migrate.HEAD updated
    assert migrate.script_heads() == [migrate.HEAD] == [migrate.head()]


def test_two_stamped_revisions_are_a_one_line_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/a.sqlite3"
    Archive.open(url).close()
    with sqlite3.connect(tmp_path / "a.sqlite3") as db:
        db.execute("INSERT INTO alembic_version VALUES ('0003')")
    res = CliRunner().invoke(main, ["search", "flood", "--archive", url])
    assert res.exit_code == 2 and "2 revisions stamped" in res.stderr and "Traceback" not in res.output
