"""``newscrawl browse``: the archive in Datasette, with our facets and canned queries whatever the file is called.

Datasette keys per-database metadata (table facets, full-text settings, canned queries) by the database's name,
which is the file's stem: the packaged ``datasette.yml`` is written for ``newscrawl``, so it is re-keyed to the
real stem before Datasette starts. A file the user may not write (the cron user's archive) is served immutable:
a WAL database opened read-only would otherwise need to create its -shm file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

METADATA = "datasette.yml"
PACKAGED_NAME = "newscrawl"  # the database key datasette.yml is written for


def database_name(path: Path) -> str:
    """The name Datasette gives a database file (its stem)."""
    return path.stem


def metadata_for(path: Path) -> dict[str, Any]:
    """The packaged Datasette metadata with its database section keyed by ``path``'s database name."""
    import yaml  # installed with datasette (the [browse] extra)

    meta = yaml.safe_load(resources.files("newscrawl").joinpath(METADATA).read_text("utf-8"))
    databases = meta.get("databases", {})
    if PACKAGED_NAME in databases:
        databases[database_name(path)] = databases.pop(PACKAGED_NAME)
    for dashboard in meta.get("plugins", {}).get("datasette-dashboards", {}).values():
        for part in (*dashboard.get("charts", {}).values(), *dashboard.get("filters", {}).values()):
            if part.get("db") == PACKAGED_NAME:  # charts name the database they query
                part["db"] = database_name(path)
    return meta


def datasette_command(path: Path, metadata_file: Path, *, host: str, port: int) -> list[str]:
    """The Datasette command line serving ``path`` (immutable when this user may not write it)."""
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    return [sys.executable, "-m", "datasette", "serve", *([str(path)] if writable else ["-i", str(path)]),
            "--metadata", str(metadata_file), "--host", host, "--port", str(port)]


def write_metadata(path: Path, target: Path) -> None:
    target.write_text(json.dumps(metadata_for(path), ensure_ascii=False, indent=1), encoding="utf-8")


def wait_forwarding_signals(proc: subprocess.Popen) -> int:
    """Wait for Datasette, passing it the signals that stop us (kill, systemd, a closed terminal, Ctrl-C): without
    this a SIGTERM ends ``newscrawl browse`` and leaves Datasette serving on its own."""
    previous = {sig: signal.signal(sig, lambda signum, _frame: proc.send_signal(signum)) for sig in FORWARDED}
    try:
        return proc.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
