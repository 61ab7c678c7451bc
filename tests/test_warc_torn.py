"""Torn-file safety: a crawl killed (SIGKILL) while writing WARC files leaves every finished file readable and
every committed pointer valid; the torn file is cut after its last whole record and renamed on the next start."""

from __future__ import annotations

import gzip
import signal
import subprocess
import sys
import time
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from newscrawl.warc.read import read_response, warc_path
from newscrawl.warc.writer import Exchange, WarcWriter, recover
from tests.replica import ReplicaServer

from .archive_helpers import rows
from .crawl_helpers import run_crawl

WARCIO = [sys.executable, "-m", "warcio.cli"]


def _check(file: Path) -> None:
    result = subprocess.run([*WARCIO, "check", str(file)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_killed_crawl_leaves_readable_files_and_valid_pointers(tmp_path):
    path, warc_dir = tmp_path / "archive.sqlite3", tmp_path / "warc"
    with ReplicaServer() as server:
        # slow and tiny: one exchange per file, one article per commit, so the kill lands among writes
        proc = run_crawl(f"sqlite:///{path}", "-a", "site=" + ",".join(server.roots.values()), wait=False,
                         settings={"DOWNLOAD_MAXSIZE": "1000000", "WARC_DIR": str(warc_dir),
                                   "NEWSCRAWL_WARC_MAX_SIZE": "1000", "NEWSCRAWL_BATCH_SIZE": "1",
                                   "DOWNLOAD_DELAY": "0.2", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"})
        deadline = time.monotonic() + 120
        while len(list(warc_dir.glob("*.warc.gz"))) < 6 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    finished = sorted(warc_dir.glob("*.warc.gz"))
    assert len(finished) >= 6
    for file in finished:  # earlier files: complete and valid as they are
        _check(file)
    pointers = rows(path, "SELECT c.* FROM articles a JOIN captures c ON c.id = a.capture_id")
    assert pointers  # some articles were committed before the kill
    for row in pointers:  # before any recovery, each committed pointer leads to its record
        assert read_response(warc_dir, row["warc_file"], row["warc_offset"], row["record_id"]).status == 200
    for leftover in warc_dir.glob("*.open"):
        recover(leftover)
    assert not list(warc_dir.glob("*.open"))
    for file in sorted(warc_dir.glob("*.warc.gz")):
        _check(file)
    for row in pointers:  # and after it, under the final names
        assert warc_path(warc_dir, row["warc_file"]).name == row["warc_file"]
        read_response(warc_dir, row["warc_file"], row["warc_offset"], row["record_id"])


def _exchange(i: int) -> Exchange:
    return Exchange(url=f"http://example.org/{i}", method="GET", request_headers=[("Host", "example.org")],
                    request_body=b"", status=200, response_headers=[("Content-Type", "text/html")],
                    body=(f"<html><body>page {i}</body></html>" * 50).encode())


def test_recover_cuts_a_torn_last_record_and_keeps_the_rest(tmp_path):
    writer = WarcWriter(tmp_path, "unit", max_size=10**9).start()
    pointers = [writer.submit(_exchange(i)).result(timeout=10) for i in range(5)]
    writer.close()
    [final] = writer.files
    whole = (tmp_path / final).read_bytes()
    torn = tmp_path / (final + ".open")
    # a kill in the middle of the last write: the file ends halfway through the last record's gzip member
    cut_at = pointers[-1].warc_offset + pointers[-1].warc_length // 2
    torn.write_bytes(whole[:cut_at])
    (tmp_path / final).unlink()
    fixed, cut = recover(torn)
    assert fixed.name == final and cut == cut_at - pointers[-1].warc_offset
    _check(fixed)
    with open(fixed, "rb") as fh:
        uris = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh) if r.rec_type == "response"]
    assert uris == [f"http://example.org/{i}" for i in range(4)]
    for pointer in pointers[:4]:
        assert read_response(tmp_path, final, pointer.warc_offset, pointer.record_id).body == _exchange(
            int(pointer.url.rsplit("/", 1)[1])).body


def test_recover_leaves_a_file_a_live_writer_holds(tmp_path):
    writer = WarcWriter(tmp_path, "live").start()
    writer.submit(_exchange(0)).result(timeout=10)
    [held] = tmp_path.glob("*.open")
    assert recover(held) is None and held.exists()
    writer.close()
    [final] = tmp_path.glob("*.warc.gz")
    assert gzip.decompress(final.read_bytes()).count(b"WARC-Type: response") == 1
