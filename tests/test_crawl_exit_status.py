"""Exit statuses of `scrapy crawl sarawak` (docs/operations.md) and their one-line messages."""

import signal
import socket
import sqlite3
import subprocess
import time

import pytest

from newscrawl.store.archive import Archive
from newscrawl.store.runlock import RunLock
from tests.replica import ReplicaServer

from .crawl_helpers import ROOT, run_crawl

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_bad_site_is_a_usage_error_before_any_request(tmp_path):
    result = run_crawl(f"sqlite:///{tmp_path}/a.sqlite3", "-a", "site=ftp://example.com/")
    assert result.returncode == 2
    assert "newscrawl: error: site: 'ftp://example.com/' is not an http(s) URL" in result.stderr
    assert "Spider opened" not in result.stderr


def test_bad_since_is_a_usage_error(tmp_path):
    result = run_crawl(f"sqlite:///{tmp_path}/a.sqlite3", "-a", "site=http://127.0.0.1:9/", "-a", "since=2024-02-30")
    assert result.returncode == 2
    assert "newscrawl: error: since: '2024-02-30' is not a date in the form YYYY-MM-DD" in result.stderr


def test_bad_setting_is_a_usage_error(tmp_path):
    result = run_crawl(f"sqlite:///{tmp_path}/a.sqlite3", "-a", "site=http://127.0.0.1:9/",
                       settings={"NEWSCRAWL_PAGINATION_DEPTH": "many"})
    assert result.returncode == 2
    assert result.stderr == "newscrawl: error: setting NEWSCRAWL_PAGINATION_DEPTH must be an integer >= 0, got 'many'\n"


def test_unreachable_archive_stops_before_any_request(tmp_path):
    result = run_crawl(f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/test", "-a",
                       "site=http://127.0.0.1:9/")
    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("newscrawl: error: cannot open archive")  # no banner


def test_bad_archive_url_is_one_line(tmp_path):
    result = run_crawl("no-such-scheme://x", "-a", "site=http://127.0.0.1:9/")
    assert result.returncode == 3
    assert "newscrawl: error: cannot open archive" in result.stderr


def test_second_crawl_on_a_locked_archive_exits_75(tmp_path):
    url = f"sqlite:///{tmp_path}/a.sqlite3"
    with RunLock(url):
        result = run_crawl(url, "-a", f"site=http://127.0.0.1:{_closed_port()}/")
    assert result.returncode == 75
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "another crawl is writing to" in lines[0]  # no banner before it


def test_no_outlet_answering_is_a_failed_run(tmp_path):
    url = f"sqlite:///{tmp_path}/a.sqlite3"
    result = run_crawl(url, "-a", f"site=http://127.0.0.1:{_closed_port()}/", settings={"RETRY_TIMES": "0"})
    assert result.returncode == 4, result.stderr[-2000:]
    assert result.stderr.splitlines()[-1] == \
        "newscrawl: error: no outlet answered: 1 of 1 unreachable (connection refused)"
    assert "Traceback" not in result.stderr  # the unreachable robots.txt is one line, not a traceback
    with sqlite3.connect(f"{tmp_path}/a.sqlite3") as db:
        assert db.execute("SELECT status FROM crawl_runs").fetchall() == [("failed",)]


def test_nothing_stored_because_of_errors_is_a_failed_run(tmp_path):
    """The outlet answers, but the database refuses every article: the run did nothing and must say so."""
    path = tmp_path / "a.sqlite3"
    Archive.open(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON articles BEGIN SELECT RAISE(ABORT, 'refused'); END")
    with ReplicaServer() as server:
        root = next(iter(server.roots.values()))
        result = run_crawl(f"sqlite:///{path}", "-a", f"site={root}")
    assert result.returncode == 4, result.stderr[-3000:]
    last = result.stderr.splitlines()[-1]
    assert last.startswith("newscrawl: error: nothing stored because of errors: ") and "store_error" in last
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT status, articles_new FROM crawl_runs").fetchall() == [("failed", 0)]


def _interrupted_crawl(tmp_path, signum):
    with ReplicaServer() as server:
        slow = {"DOWNLOAD_DELAY": "0.2", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
        crawl = run_crawl(f"sqlite:///{tmp_path}/a.sqlite3", "-a", "site=" + ",".join(server.roots.values()),
                          settings=slow, wait=False)
        deadline = time.monotonic() + 60
        while len(server.requests) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        crawl.send_signal(signum)
        _, stderr = crawl.communicate(timeout=120)
    with sqlite3.connect(f"{tmp_path}/a.sqlite3") as db:
        statuses = db.execute("SELECT status FROM crawl_runs").fetchall()
    return crawl.returncode, statuses, stderr


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_and_sigterm_exit_with_the_signal_status(tmp_path, signum, status):
    returncode, statuses, stderr = _interrupted_crawl(tmp_path, signum)
    assert returncode == status, stderr[-2000:]
    assert statuses == [("interrupted",)]


def test_make_crawl_passes_the_crawl_status_through(tmp_path):
    """make itself can only exit 0 or 2: `make crawl` ends with the crawl's own status in a line that says so,
    and `bin/crawl` (what cron should run) exits with it."""
    url = f"sqlite:///{tmp_path}/a.sqlite3"
    args = f"ARGS=-s ARCHIVE_URL={url} -s NEWSCRAWL_BATCH_SIZE=0"
    made = subprocess.run(["make", "-s", "crawl", args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert made.returncode == 2
    assert "crawl exited with status 2" in made.stderr
    with RunLock(url):
        script = subprocess.run([str(ROOT / "bin" / "crawl"), "-s", f"ARCHIVE_URL={url}"], cwd=ROOT,
                                capture_output=True, text=True, timeout=120)
    assert script.returncode == 75


def test_every_exit_status_is_documented():
    from newscrawl.commands import crawl as command

    doc = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    table = doc.split("## Exit statuses", 1)[1].split("\n## ", 1)[0]
    codes = {getattr(command, n) for n in dir(command) if n.startswith("EXIT_") and n != "EXIT_SIGNAL_BASE"}
    codes |= {command.EXIT_SIGNAL_BASE + signal.SIGINT, command.EXIT_SIGNAL_BASE + signal.SIGTERM, 1}
    assert {code for code in codes if f"`{code}`" not in table} == set()
