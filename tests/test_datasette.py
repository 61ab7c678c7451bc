"""`newscrawl browse` (`make browse`) serves a useful, searchable Datasette site, whatever the file is called."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_search_data import build

ROOT = Path(__file__).resolve().parent.parent
DATASETTE = Path(sys.executable).with_name("datasette")
DB = "sarawak-2024"  # not "newscrawl": the packaged metadata is re-keyed to the file's name


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(base: str, path: str) -> object:
    with urllib.request.urlopen(base + path, timeout=10) as resp:
        return json.loads(resp.read())


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    # datasette is a test dependency ([test] extra): missing, the test must fail, not skip
    assert DATASETTE.exists() or shutil.which("datasette"), "datasette is not installed: pip install -e '.[test]'"
    db = tmp_path_factory.mktemp("browse") / f"{DB}.sqlite3"
    build(f"sqlite:///{db}")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newscrawl", "browse", "--archive", f"sqlite:///{db}", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                _get(base, "/-/versions.json")
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"datasette exited: {proc.stderr.read().decode()[-500:]}")
                time.sleep(0.05)
        else:
            pytest.fail("datasette did not start within 10 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_search_box_uses_the_fts_index(site: str) -> None:
    rows = _get(site, f'/{DB}/articles.json?_search=%22baram+dam%22&_shape=array&_sort=id'
                      '&_col=title&_col=outlet')
    assert [(r["id"], r["outlet"], r["title"]) for r in rows] == [
        (1, "borneopost", "Baram dam plan shelved"),
        (2, "dayakdaily", "Baram dam plan shelved"),
        (3, "dayakdaily", "Residents celebrate as Baram dam cancelled"),
        (5, "sarawaktribune", "Baram dam debate returns"),
    ]


def test_search_one_row_per_story_with_outlet_filter(site: str) -> None:
    rows = _get(site, f"/{DB}/articles.json?_search=baram+OR+bakun&duplicate_of__isnull=1"
                      "&outlet=borneopost&_shape=array&_sort=id")
    assert [r["id"] for r in rows] == [1, 4]


def test_facets_by_outlet_section_language_and_month(site: str) -> None:
    data = _get(site, f"/{DB}/articles_browse.json?_search=dam")
    facets = data["facet_results"]
    facets = facets.get("results", facets)  # datasette 1.0 nests them
    assert set(facets) == {"outlet", "section", "language", "month"}
    months = {f["value"]: f["count"] for f in facets["month"]["results"]}
    assert months == {"2024-02": 2, "2024-03": 2, "2023-12": 1, "2024-01": 1}


def test_canned_queries(site: str) -> None:
    groups = _get(site, f"/{DB}/story_groups.json?q=&_shape=array")
    assert groups == [{"story_id": 1, "title": "Baram dam plan shelved", "first_published": "2024-02-10T09:00:00+08:00",
                       "copies": 2, "outlets": "borneopost, dayakdaily"}]
    coverage = _get(site, f"/{DB}/coverage_per_outlet.json?_shape=array")
    assert {"outlet": "dayakdaily", "month": "2024-02", "articles": 1, "days_with_articles": 1,
            "originals": 0} in coverage
    found = _get(site, f"/{DB}/search_stories.json?q=kuching&_shape=array")
    assert [(r["id"], r["snippet"]) for r in found] == [
        (7, "Floodwaters in **Kuching** receded on Tuesday.\nRelief centres closed by evening.")]


def test_canned_search_with_an_empty_query_shows_the_form(site: str) -> None:
    for q in ("", "+++"):  # nothing typed yet, or only blanks
        assert _get(site, f"/{DB}/search_stories.json?q={q}&_shape=array") == []
        with urllib.request.urlopen(f"{site}/{DB}/search_stories?q={q}", timeout=10) as resp:
            page = resp.read().decode()
        assert '<form class="sql"' in page and 'name="q"' in page
        assert "syntax error" not in page


def test_browse_refuses_what_datasette_cannot_serve(tmp_path) -> None:
    res = subprocess.run([sys.executable, "-m", "newscrawl", "browse", "--archive",
                          "postgresql+psycopg://user@127.0.0.1/db"], capture_output=True, text=True, cwd=ROOT)
    assert (res.returncode, res.stderr) == (
        2, "Error: browse needs a SQLite archive file (Datasette reads SQLite): --archive sqlite:///PATH\n")
    res = subprocess.run([sys.executable, "-m", "newscrawl", "browse", "--archive", f"sqlite:///{tmp_path}/none.db"],
                         capture_output=True, text=True, cwd=ROOT)
    assert (res.returncode, res.stderr) == (
        2, f"Error: cannot open archive sqlite:///{tmp_path}/none.db: {tmp_path}/none.db does not exist\n")


def test_make_browse_takes_archive_and_port() -> None:
    res = subprocess.run(["make", "-n", "-s", "browse", "ARCHIVE=/srv/cron user/archive/news.db", "PORT=8123"],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[-1].endswith(
        "newscrawl browse --archive 'sqlite:////srv/cron user/archive/news.db' --port 8123")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_browse_stops_datasette(tmp_path, sig) -> None:
    """kill/systemd (SIGTERM) or Ctrl-C sent to `newscrawl browse` must not leave Datasette serving alone."""
    db = tmp_path / "stop.sqlite3"
    build(f"sqlite:///{db}")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "newscrawl", "browse", "--archive", f"sqlite:///{db}",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                _get(base, "/-/versions.json")
                break
            except OSError:
                time.sleep(0.05)
        proc.send_signal(sig)
        proc.wait(timeout=30)
        with pytest.raises(OSError):  # the port is free again: Datasette went with it
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                pass
    finally:
        if proc.poll() is None:
            proc.kill()
