"""`make demo` keeps the archive it names, with the outlets' keys, and the search it prints works as printed."""

from __future__ import annotations

import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

ROOT = Path(__file__).resolve().parent.parent


def test_demo_archive_is_kept_and_its_printed_search_works(tmp_path) -> None:
    archive = tmp_path / "demo.sqlite3"
    res = subprocess.run([sys.executable, "-m", "tests.replica.demo", "--archive", str(archive)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert archive.exists()  # still there after the demo ends
    with sqlite3.connect(archive) as db:
        outlets = {o for (o,) in db.execute("SELECT DISTINCT outlet FROM articles")}
        listed = {o for (o,) in db.execute("SELECT DISTINCT outlet FROM listings")}
    assert outlets == listed == {"borneopost", "dayakdaily", "utusanborneo"}
    lines = res.stdout.splitlines()
    assert f"The archive is kept in {archive}. Search it:" in lines
    printed = next(line for line in lines if line.startswith("$ .venv/bin/newscrawl search "))
    args = shlex.split(printed)[2:]
    assert args[args.index("--archive") + 1] == f"sqlite:///{archive}"
    assert "The Borneo Post" in args  # an outlet by its name
    again = subprocess.run([sys.executable, "-m", "newscrawl", *args], cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert again.stderr == "5 stories (limit 5)\n"
    shown_outlets = {line.split("] ", 1)[1].split()[1].rstrip(":") for line in again.stdout.splitlines()
                     if line[:5].strip().endswith(".")}
    assert shown_outlets <= {"borneopost", "utusanborneo"} and shown_outlets
