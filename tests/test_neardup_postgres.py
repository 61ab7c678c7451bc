"""Near-duplicates, story corrections and revisions on the real PostgreSQL at 127.0.0.1:5432 (database ``test``).

Every test of tests/test_neardup.py, tests/test_story_corrections.py and tests/test_revisions.py that takes an
archive runs again here with
``archive_url`` pointing at a fresh, uniquely named schema (dropped afterwards). Skips with the reason when the
server is unreachable, unless NEWSCRAWL_REQUIRE_SERVICES=1 (then fails).
"""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path

import pytest


def _load(name: str) -> object:
    spec = importlib.util.spec_from_file_location(f"_pg_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


for _module in (_load("test_neardup"), _load("test_story_corrections"), _load("test_revisions")):
    globals().update({name: obj for name, obj in vars(_module).items()
                      if name == "open_archive"
                      or (name.startswith("test_") and callable(obj)
                          and "open_archive" in inspect.signature(obj).parameters)})


@pytest.fixture
def archive_url(pg_schema_url: str) -> str:
    """A fresh schema of its own on the test PostgreSQL (conftest: skips, or fails in CI, when unreachable)."""
    return pg_schema_url


def test_postgres_band_keys_round_trip_as_bigint(archive_url: str) -> None:
    from sqlalchemy import select

    from newscrawl.store.archive import Archive
    from newscrawl.store.schema import neardup_bands

    mod = _load("test_neardup")
    with Archive.open(archive_url) as arc:
        assert arc.engine.dialect.name == "postgresql"
        bp_id, _ = arc.store(mod.bernama_bp(), [mod.BP])
        keys = arc._read(lambda c: sorted(c.execute(select(neardup_bands.c.band_key)).scalars()))
        assert keys == arc.neardup.band_keys(arc.neardup.signature(mod.BARAM_BERNAMA))
        assert min(keys) < 0 < max(keys)  # full signed 64-bit range
