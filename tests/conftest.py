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
