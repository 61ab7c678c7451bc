"""WARC capture end to end: the real spider crawls the replica (HTML sent gzip-encoded); the WARC files pass
``warcio check`` and ``warcio index``, hold the bytes exactly as the server sent them, rotate by size, and every
archived article points to its record."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newscrawl.warc.read import read_response
from tests.replica import ReplicaServer

from .archive_helpers import rows
from .crawl_helpers import ROOT, run_crawl

WARCIO = [sys.executable, "-m", "warcio.cli"]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """(server, archive path, WARC dir, completed process): one crawl, files rotated past 40 kB."""
    tmp = tmp_path_factory.mktemp("warc")
    path, warc_dir = tmp / "archive.sqlite3", tmp / "warc"
    with ReplicaServer(gzip_html=True, record_bodies=True) as server:
        result = run_crawl(f"sqlite:///{path}", "-a", "site=" + ",".join(server.roots.values()),
                           settings={"DOWNLOAD_MAXSIZE": "1000000", "WARC_DIR": str(warc_dir),
                                     "NEWSCRAWL_WARC_MAX_SIZE": "40000"})
        yield server, path, warc_dir, result


def _files(warc_dir: Path) -> list[Path]:
    return sorted(warc_dir.glob("*.warc.gz"))


def test_crawl_finishes_and_rotates_named_files(crawled):
    _, _, warc_dir, result = crawled
    assert result.returncode == 0, result.stderr[-3000:]
    files = _files(warc_dir)
    assert len(files) >= 3  # ~170 kB of records at 40 kB a file
    assert not list(warc_dir.glob("*.open"))  # every file renamed at rotation or close
    sequences = [int(f.name.removesuffix(".warc.gz").rsplit("-", 1)[1]) for f in files]
    assert sequences == list(range(len(files)))
    assert all(f.name.startswith("sarawak-") for f in files)


def test_warcio_check_and_index_accept_every_file(crawled):
    _, _, warc_dir, _ = crawled
    for file in _files(warc_dir):
        check = subprocess.run([*WARCIO, "check", str(file)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        index = subprocess.run([*WARCIO, "index", str(file)], capture_output=True, text=True)
        assert index.returncode == 0, index.stderr
        assert '"warc-type": "response"' in index.stdout


def test_each_file_opens_with_warcinfo_naming_software_and_settings(crawled):
    _, _, warc_dir, _ = crawled
    for file in _files(warc_dir):
        with open(file, "rb") as fh:
            first = next(iter(ArchiveIterator(fh)))
            assert first.rec_type == "warcinfo"
            info = first.content_stream().read().decode()
        assert "software: newscrawl/" in info and "warcio/" in info
        assert "NEWSCRAWL_WARC_CAPTURE" in info and "ROBOTSTXT_OBEY" in info


def test_every_article_points_to_a_record_holding_the_bytes_the_server_sent(crawled):
    server, path, warc_dir, _ = crawled
    pointed = rows(path, "SELECT a.url AS article, c.* FROM articles a JOIN captures c ON c.id = a.capture_id")
    assert len(pointed) == len(server.manifest.articles) == 28
    gzipped = 0
    for row in pointed:
        record = read_response(warc_dir, row["warc_file"], row["warc_offset"], row["record_id"])
        sent = server.sent_bodies[row["url"]]
        assert record.raw_body == sent, row["url"]  # byte for byte, still gzip-encoded
        digest = "sha1:" + base64.b32encode(hashlib.sha1(sent).digest()).decode()
        assert row["payload_digest"] == digest
        headers = {k.lower(): v for k, v in record.headers}
        if headers.get("content-encoding") == "gzip":
            gzipped += 1
            assert record.body == gzip.decompress(sent)
            assert b"<html" in record.body.lower()
    assert gzipped == len(pointed)  # the replica sent every article page gzip-encoded


def test_pointer_length_covers_exactly_one_gzip_member(crawled):
    _, path, warc_dir, _ = crawled
    for row in rows(path, "SELECT warc_file, warc_offset, warc_length FROM captures"):
        with open(warc_dir / row["warc_file"], "rb") as fh:
            fh.seek(row["warc_offset"])
            member = fh.read(row["warc_length"])
        inflater = zlib.decompressobj(31)
        record = inflater.decompress(member)
        assert inflater.eof and not inflater.unused_data  # one whole gzip member, nothing more
        head = record.split(b"\r\n\r\n", 1)[0]
        assert head.startswith(b"WARC/1.1\r\n") and b"\r\nWARC-Type: response\r\n" in head


def test_only_article_pages_are_captured_by_default(crawled):
    _, path, warc_dir, _ = crawled
    uris = []
    for file in _files(warc_dir):
        with open(file, "rb") as fh:
            uris += [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh) if r.rec_type == "response"]
    assert not [u for u in uris if u.endswith(("robots.txt", ".xml", "/feed/"))]
    assert len(uris) == len(rows(path, "SELECT id FROM captures"))


def test_cdxj_index_and_wacz_package_with_one_command_each(crawled, tmp_path):
    server, path, warc_dir, _ = crawled
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    index = subprocess.run([sys.executable, "-m", "newscrawl", "warc", "index", "--warc-dir", str(warc_dir),
                            "-o", str(tmp_path / "index.cdxj")], capture_output=True, text=True, env=env, cwd=ROOT)
    assert index.returncode == 0, index.stderr
    lines = (tmp_path / "index.cdxj").read_text().splitlines()
    assert lines == sorted(lines)  # CDXJ is sorted by SURT key and time
    indexed = {json.loads(line.split(" ", 2)[2])["url"] for line in lines}
    assert {a.url for a in server.manifest.articles} <= indexed
    wacz = tmp_path / "replica.wacz"
    made = subprocess.run([sys.executable, "-m", "newscrawl", "warc", "wacz", "--warc-dir", str(warc_dir),
                           "-o", str(wacz), "--archive", f"sqlite:///{path}"],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert made.returncode == 0, made.stderr[-2000:]
    assert "28 pages" in made.stdout
    with zipfile.ZipFile(wacz) as zf:
        names = set(zf.namelist())
        pages = [json.loads(line) for line in zf.read("pages/pages.jsonl").splitlines()[1:]]
    assert {"datapackage.json", "indexes/index.cdx.gz", "pages/pages.jsonl"} <= names
    assert len([n for n in names if n.startswith("archive/") and n.endswith(".warc.gz")]) == len(_files(warc_dir))
    # a page is the URL as fetched (what replay finds in the WARC): the article's own URL or, when a variant
    # (tracking parameter, shortlink...) happened to be fetched first, one of its aliases
    with sqlite3.connect(path) as db:
        article_of = dict(db.execute("SELECT u.url, a.url FROM article_urls u JOIN articles a ON a.id = u.article_id"))
    assert sorted(article_of.get(p["url"], p["url"]) for p in pages) == sorted(a.url for a in server.manifest.articles)
    from wacz.main import main as wacz_main

    assert wacz_main(["validate", "-f", str(wacz)]) == 0


@pytest.mark.slow  # a crawl of its own
def test_capture_all_writes_every_response(tmp_path):
    path, warc_dir = tmp_path / "archive.sqlite3", tmp_path / "warc"
    with ReplicaServer() as server:
        result = run_crawl(f"sqlite:///{path}", "-a", "site=" + next(iter(server.roots.values())),
                           settings={"WARC_DIR": str(warc_dir), "NEWSCRAWL_WARC_CAPTURE": "all"})
        requested = len(server.requests)
    assert result.returncode == 0, result.stderr[-3000:]
    uris = []
    for file in _files(warc_dir):
        with open(file, "rb") as fh:
            uris += [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh) if r.rec_type == "response"]
    assert any(u.endswith("/robots.txt") for u in uris) and any(".xml" in u for u in uris)
    # every response that reached the downloader middlewares (bodies over DOWNLOAD_MAXSIZE never do)
    assert requested - 2 <= len(uris) <= requested
    assert len(rows(path, "SELECT id FROM articles WHERE capture_id IS NOT NULL")) == len(rows(path, "SELECT id FROM articles"))


def test_an_unknown_capture_mode_is_a_setting_error():
    from scrapy.settings import Settings

    from newscrawl.settings_check import SettingError, check_settings

    with pytest.raises(SettingError, match="NEWSCRAWL_WARC_CAPTURE must be one of articles, all, off"):
        check_settings(Settings({"NEWSCRAWL_WARC_CAPTURE": "everything"}))
