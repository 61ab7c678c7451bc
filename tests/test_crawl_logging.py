"""What the operator reads: failed downloads are one line with the right reason (never a traceback), drops are
reason + URL, and progress lines come at INFO."""

from __future__ import annotations

import gzip
import logging
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from scrapy import exceptions as scrapy_errors
from twisted.internet import error as net

from newscrawl.errors import NetworkErrorFilter, exception_reason
from tests.replica import ReplicaServer

from .archive_helpers import rows
from .crawl_helpers import run_crawl

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)

ARTICLE_PATHS = {"/2024/01/01/slow-story/": "slow", "/2024/01/02/bomb-story/": "bomb"}


class _Hostile(BaseHTTPRequestHandler):
    """A homepage linking a page that answers too slowly and one that is a gzip bomb; robots.txt as asked."""

    slow_robots = False

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            if self.server.slow_robots:
                time.sleep(4)
            self._send(404, b"not here")
        elif self.path == "/":
            links = "".join(f'<a href="{p}">story</a>' for p in ARTICLE_PATHS)
            self._send(200, f"<html><body>{links}</body></html>".encode())
        elif ARTICLE_PATHS.get(self.path) == "slow":
            time.sleep(4)
            self._send(200, b"<html><body>late</body></html>")
        elif ARTICLE_PATHS.get(self.path) == "bomb":
            self._send(200, gzip.compress(b" " * 3_000_000), {"Content-Encoding": "gzip"})
        else:
            self._send(404, b"not here")

    def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the crawler gave up on us: that is the point
            pass

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def hostile():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.slow_robots = False
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


SETTINGS = {"DOWNLOAD_TIMEOUT": "1", "RETRY_TIMES": "0", "DOWNLOAD_MAXSIZE": "1000000",
            "NEWSCRAWL_WP_JSON": "0"}


def test_a_timeout_and_a_decompression_bomb_are_skipped_with_their_reasons(tmp_path, hostile):
    path = tmp_path / "a.sqlite3"
    root = f"http://127.0.0.1:{hostile.server_port}"
    result = run_crawl(f"sqlite:///{path}", "-a", f"site={root}/", settings=SETTINGS)
    assert "Traceback" not in result.stderr
    skips = {(r["url"], r["reason"]) for r in rows(path, "SELECT url, reason FROM skips")}
    assert (f"{root}/2024/01/01/slow-story/", "timeout") in skips
    assert (f"{root}/2024/01/02/bomb-story/", "too_large") in skips


def test_an_unreachable_robots_txt_is_one_line(tmp_path, hostile):
    hostile.slow_robots = True
    result = run_crawl(f"sqlite:///{tmp_path}/a.sqlite3", "-a", f"site=http://127.0.0.1:{hostile.server_port}/",
                       settings=SETTINGS)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    if lines and lines[-1].startswith("newscrawl: "):  # the run's one-line summary (exit 4) may name robots.txt
        lines = lines[:-1]
    # lines of Scrapy's closing stats dump (indented, quoted) may quote the cause too: they are one log record
    robots = [line for line in lines if ("robots.txt" in line or "robotstxt]" in line) and line[:1] not in " {'"]
    assert robots, result.stderr[-2000:]
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[", line) for line in robots)  # log lines, no more


def test_drops_are_one_line_and_progress_is_reported(tmp_path):
    with ReplicaServer() as server:
        slow = {"DOWNLOAD_DELAY": "0.1", "CONCURRENT_REQUESTS_PER_DOMAIN": "2", "NEWSCRAWL_PROGRESS_INTERVAL": "0.5"}
        result = run_crawl(f"sqlite:///{tmp_path}/a.sqlite3", "-a", "site=" + ",".join(server.roots.values()),
                           settings=slow)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stderr.splitlines()
    dropped = [i for i, line in enumerate(lines) if "Dropped: " in line]
    assert dropped
    for i in dropped:  # reason and URL on one line; the next line is another log line, not the item
        assert re.search(r"Dropped: http://127\.0\.0\.1:\d+/\S*: \w+$", lines[i]), lines[i]
        assert i + 1 == len(lines) or re.match(r"\d{4}-\d\d-\d\d ", lines[i + 1])
    progress = [line for line in lines if "INFO: progress: " in line]
    assert progress
    assert re.search(r"progress: \d+ articles stored, \d+ pages fetched, \d+ pending; 127\.0\.0\.1:\d+: \d+ stored, "
                     r"\d+ fetched, \d+ pending", progress[-1])


@pytest.mark.parametrize("exc, reason", [
    (scrapy_errors.CannotResolveHostError("x"), "dns_error"),
    (net.DNSLookupError("x"), "dns_error"),
    (scrapy_errors.DownloadTimeoutError("took longer than 1 seconds"), "timeout"),
    (net.TimeoutError(), "timeout"),
    (scrapy_errors.DownloadConnectionRefusedError(), "connection_refused"),
    (scrapy_errors.DownloadCancelledError("over DOWNLOAD_MAXSIZE"), "too_large"),
    (scrapy_errors.IgnoreRequest("Ignored response <200 x> because its body (9 B compressed, 9 B decompressed "
                                 "so far) exceeded DOWNLOAD_MAXSIZE (8 B) during decompression."), "too_large"),
    (scrapy_errors.IgnoreRequest("Forbidden by robots.txt"), "robots_disallowed"),
    (scrapy_errors.ResponseDataLossError(), "data_loss"),
    (ValueError("something else"), "error"),
])
def test_download_failures_map_to_their_reasons(exc, reason):
    assert exception_reason(exc) == reason


def test_network_failures_lose_their_traceback_and_error_level():
    log_filter = NetworkErrorFilter()
    try:
        raise scrapy_errors.CannotResolveHostError("DNS lookup failed") from net.DNSLookupError("x")
    except scrapy_errors.CannotResolveHostError:
        record = logging.LogRecord("scrapy.downloadermiddlewares.robotstxt", logging.ERROR, __file__, 1,
                                   "Error downloading %(request)s", ({"request": "<GET x>"},), sys.exc_info())
    assert log_filter.filter(record) and record.exc_info is None and record.levelname == "WARNING"
    gave_up = logging.LogRecord("scrapy.downloadermiddlewares.retry", logging.ERROR, __file__, 1, "Gave up: %(reason)s",
                                ({"reason": scrapy_errors.DownloadTimeoutError("slow")},), None)
    assert log_filter.filter(gave_up) and gave_up.levelname == "WARNING"
    server_error = logging.LogRecord("scrapy.downloadermiddlewares.retry", logging.ERROR, __file__, 1,
                                     "Gave up: %(reason)s", ({"reason": "500 Internal Server Error"},), None)
    assert log_filter.filter(server_error) and server_error.levelname == "ERROR"  # not a network failure
