"""Near-duplicates and revisions on the real PostgreSQL at 127.0.0.1:5432 (database ``test``).

Every test of tests/test_neardup.py and tests/test_revisions.py that takes an archive runs again here with
``archive_url`` pointing at a fresh, uniquely named schema (dropped afterwards). Skips with the reason when the
server is unreachable, unless NEWSCRAWL_REQUIRE_SERVICES=1 (then fails).
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_URL = os.environ.get("NEWSCRAWL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _load(name: str) -> object:
    spec = importlib.util.spec_from_file_location(f"_pg_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


for _module in (_load("test_neardup"), _load("test_revisions")):
    globals().update({name: obj for name, obj in vars(_module).items()
                      if name == "open_archive"
                      or (name.startswith("test_") and callable(obj)
                          and "open_archive" in inspect.signature(obj).parameters)})


def _libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture(scope="module")
def pg_server() -> str:
    import psycopg

    try:
        with psycopg.connect(_libpq_url(PG_URL), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        reason = f"PostgreSQL not reachable at {PG_URL}: {str(exc).splitlines()[0]}"
        if os.environ.get("NEWSCRAWL_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        print(reason)
        pytest.skip(reason)
    return PG_URL


@pytest.fixture
def archive_url(pg_server: str) -> Iterator[str]:
    import psycopg

    schema = f"nc_neardup_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq_url(pg_server), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{pg_server}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(_libpq_url(pg_server), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_postgres_band_keys_round_trip_as_bigint(archive_url: str) -> None:
    from sqlalchemy import select

    from newscrawl.archive import Archive
    from newscrawl.schema import neardup_bands

    mod = _load("test_neardup")
    with Archive.open(archive_url) as arc:
        assert arc.engine.dialect.name == "postgresql"
        bp_id, _ = arc.store(mod.bernama_bp(), [mod.BP])
        keys = arc._read(lambda c: sorted(c.execute(select(neardup_bands.c.band_key)).scalars()))
        assert keys == arc.neardup.band_keys(arc.neardup.signature(mod.BARAM_BERNAMA))
        assert min(keys) < 0 < max(keys)  # full signed 64-bit range
