"""The archive on the real PostgreSQL at 127.0.0.1:5432 (database ``test``), through the same code as SQLite.

Every test of tests/test_archive_store.py runs again here with ``archive_url`` pointing at a fresh, uniquely
named schema (dropped afterwards), plus a few PostgreSQL-only checks. Skips with the reason when the server is
unreachable, unless NEWSCRAWL_REQUIRE_SERVICES=1 (then fails).
"""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path

import pytest

from newscrawl.store.archive import Archive

# Re-collect the store tests in this module so they run with the fixtures below. Loaded by path so this works
# whatever pytest import mode / package layout the suite uses.
_spec = importlib.util.spec_from_file_location("_archive_store_tests", Path(__file__).with_name("test_archive_store.py"))
_store_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_store_tests)
globals().update({name: obj for name, obj in vars(_store_tests).items()
                  if name in ("archive", "reopen")
                  or (name.startswith("test_") and "archive" in inspect.signature(obj).parameters)})
make_article = _store_tests.make_article
CANONICAL, UTM = _store_tests.CANONICAL, _store_tests.UTM


@pytest.fixture
def archive_url(pg_schema_url: str) -> str:
    """A fresh schema of its own on the test PostgreSQL (conftest: skips, or fails in CI, when unreachable)."""
    return pg_schema_url


def test_postgres_tables_live_in_the_test_schema(archive_url: str) -> None:
    with Archive.open(archive_url) as arc:
        assert arc.engine.dialect.name == "postgresql"
        arc.store(make_article(), [CANONICAL, UTM])
        arc.flush()
        with arc.engine.connect() as conn:
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
            assert schema.startswith("nc_test_")
            assert conn.exec_driver_sql("SELECT count(*) FROM article_urls").scalar_one() == 2


def test_postgres_batch_invisible_to_other_sessions_until_flush(archive_url: str) -> None:
    with Archive.open(archive_url, batch_size=10) as writer, Archive.open(archive_url) as reader:
        writer.store(make_article(), [CANONICAL])
        assert writer.count() == 1
        assert reader.count() == 0
        writer.flush()
        assert reader.count() == 1


def test_postgres_create_false_requires_tables(archive_url: str) -> None:
    from newscrawl.store.archive import ArchiveError

    with pytest.raises(ArchiveError, match="no 'articles' table"):
        Archive.open(archive_url, create=False)
