"""Exit statuses of `scrapy crawl sarawak` (documented in the README) and their one-line messages."""

import socket

from newscrawl.runlock import RunLock

from .crawl_helpers import run_crawl


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
    errors = [line for line in result.stderr.splitlines() if line.startswith("newscrawl: error:")]
    assert len(errors) == 1 and "cannot open archive" in errors[0]
    assert "Spider opened" not in result.stderr


def test_bad_archive_url_is_one_line(tmp_path):
    result = run_crawl("no-such-scheme://x", "-a", "site=http://127.0.0.1:9/")
    assert result.returncode == 3
    assert "newscrawl: error: cannot open archive" in result.stderr


def test_second_crawl_on_a_locked_archive_exits_75(tmp_path):
    url = f"sqlite:///{tmp_path}/a.sqlite3"
    with RunLock(url):
        result = run_crawl(url, "-a", f"site=http://127.0.0.1:{_closed_port()}/")
    assert result.returncode == 75
    assert "another crawl is writing to" in result.stderr
    assert "Spider opened" not in result.stderr


def test_no_outlet_answering_is_a_failed_run(tmp_path):
    url = f"sqlite:///{tmp_path}/a.sqlite3"
    result = run_crawl(url, "-a", f"site=http://127.0.0.1:{_closed_port()}/", settings={"RETRY_TIMES": "0"})
    assert result.returncode == 4, result.stderr[-2000:]
    import sqlite3

    with sqlite3.connect(f"{tmp_path}/a.sqlite3") as db:
        assert db.execute("SELECT status FROM crawl_runs").fetchall() == [("failed",)]
