"""Shared pytest fixtures. Keep each fixture small and documented; append new ones below their section."""

from __future__ import annotations

import os
import socket

import pytest

from tests.replica import ReplicaServer

# ---------------------------------------------------------------- external services
SERVICES = {"postgres": ("127.0.0.1", 5432), "redis": ("127.0.0.1", 6379)}


def service_or_skip(kind: str) -> tuple[str, int]:
    """(host, port) of a reachable service ('postgres' | 'redis'); skip the test with the reason otherwise.

    With NEWSCRAWL_REQUIRE_SERVICES=1 an unreachable service fails the test instead of skipping it.
    """
    host, port = SERVICES[kind]
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return host, port
    except OSError as exc:
        reason = f"{kind} not reachable at {host}:{port} ({exc})"
        print(reason)
        if os.environ.get("NEWSCRAWL_REQUIRE_SERVICES") == "1":
            pytest.fail(reason + " and NEWSCRAWL_REQUIRE_SERVICES=1")
        pytest.skip(reason)


@pytest.fixture
def require_service():
    """``require_service("postgres")`` inside a test: (host, port) or skip/fail as ``service_or_skip``."""
    return service_or_skip


# ---------------------------------------------------------------- replica outlets
@pytest.fixture(scope="session")
def replica():
    """The bundled replica served on free 127.0.0.1 ports for the whole session (do not mutate it).

    ``replica.roots`` {outlet: root URL}, ``replica.manifest`` (tests.replica.Manifest), ``replica.requests``
    (list[RequestRecord]), ``replica.requested_urls()``, ``replica.reset()``, ``replica.replica`` (the data).
    """
    server = ReplicaServer().start()
    yield server
    server.stop()


@pytest.fixture
def fresh_replica(replica):
    """The session replica with an empty request log and re-armed one-shot 503/429 traps."""
    replica.reset()
    return replica


@pytest.fixture
def mutable_replica():
    """A private replica server for tests that add or edit articles; stopped after the test."""
    server = ReplicaServer().start()
    yield server
    server.stop()


# ---------------------------------------------------------------- PostgreSQL archives
PG_URL = os.environ.get("NEWSCRAWL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def pg_url() -> str:
    """SQLAlchemy URL of the test PostgreSQL, or skip (fail with NEWSCRAWL_REQUIRE_SERVICES=1) when unreachable."""
    import psycopg

    try:
        with psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        reason = f"PostgreSQL not reachable at {PG_URL}: {str(exc).splitlines()[0]}"
        print(reason)
        if os.environ.get("NEWSCRAWL_REQUIRE_SERVICES") == "1":
            pytest.fail(reason + " and NEWSCRAWL_REQUIRE_SERVICES=1")
        pytest.skip(reason)
    return PG_URL


def fresh_pg_schema(pg_url: str):
    """An archive URL whose search_path is a fresh schema of its own, dropped when the generator closes."""
    import uuid

    import psycopg

    schema = f"nc_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{pg_url}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def pg_schema_url(pg_url):
    """An archive URL whose search_path is a fresh schema of its own (dropped afterwards)."""
    yield from fresh_pg_schema(pg_url)
