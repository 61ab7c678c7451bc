"""``make demo``: the whole job offline. Serve the bundled replica on 127.0.0.1, crawl it with the real spider
into ``archive/demo.sqlite3`` (kept; the next demo replaces it), and show what was archived.

``python -m tests.replica.demo [--archive PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

from .server import ReplicaServer
from .site import OUTLETS

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ARCHIVE = Path("archive") / "demo.sqlite3"


def _crawl(archive: Path, roots: list[str]) -> int:
    command = [sys.executable, "-m", "scrapy", "crawl", "sarawak", "-a", "site=" + ",".join(roots),
               "-s", f"ARCHIVE_URL=sqlite:///{archive}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
               "-s", "DOWNLOAD_MAXSIZE=1000000", "-s", "LOG_LEVEL=WARNING"]
    print("$ scrapy crawl sarawak -a site=" + ",".join(roots) + f" -s ARCHIVE_URL=sqlite:///{archive}", flush=True)
    return subprocess.call(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _name_outlets(archive: Path, keys: dict[str, str]) -> None:
    """File the rows under the outlet keys the replica imitates (borneopost, ...), so ``--outlet`` takes the
    outlets' keys and names. The replica's outlets all live on 127.0.0.1, so they are crawled as ``-a site=``
    roots, whose scope is their exact origin (host and port) and whose key is ``host:port``."""
    with sqlite3.connect(archive) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                  if any(col[1] == "outlet" for col in db.execute(f'PRAGMA table_info("{name}")'))]
        for table in tables:
            db.executemany(f'UPDATE "{table}" SET outlet = ? WHERE outlet = ?',
                           [(key, host) for host, key in keys.items()])


def _show(archive: Path) -> None:
    db = sqlite3.connect(archive)
    print("\nArticles per outlet (rows; stories = rows not marked duplicate_of):")
    for outlet, rows, stories in db.execute(
            "SELECT outlet, count(*), sum(duplicate_of IS NULL) FROM articles GROUP BY outlet ORDER BY outlet"):
        print(f"  {OUTLETS[outlet]['name']:<18} ({outlet:<12}) {rows:>3} rows  {stories:>3} stories")
    print("\nNewest articles:")
    for published, outlet, title in db.execute(
            "SELECT published_at, outlet, title FROM articles ORDER BY published_at DESC LIMIT 6"):
        print(f"  {published}  {outlet:<13}  {title[:70]}")
    print("\nURL aliases filed (tracking variants, AMP, shortlinks, slash twins, alternate paths):",
          db.execute("SELECT count(*) FROM article_urls WHERE kind != 'canonical'").fetchone()[0])
    (stats,) = db.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    dropped = {k.split("/", 2)[2]: v for k, v in json.loads(stats).items() if k.startswith("newscrawl/dropped/")}
    print("Pages dropped, by reason:", ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())))
    pairs = db.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]
    print("Syndicated near-copies linked to their story:", pairs)
    db.close()


def _fresh(archive: Path) -> None:
    archive.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{archive}{suffix}").unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Crawl the offline replica and show the result.")
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE,
                        help=f"archive file to (re)create (default {DEFAULT_ARCHIVE}, relative to the project)")
    args = parser.parse_args(argv)
    archive = args.archive if args.archive.is_absolute() else ROOT / args.archive
    shown = args.archive if not args.archive.is_absolute() else archive  # as the user can type it from ROOT
    _fresh(archive)
    with ReplicaServer() as server:
        keys = {root.split("//")[1].rstrip("/"): key for key, root in server.roots.items()}
        print("Replica outlets on 127.0.0.1:")
        for key, root in server.roots.items():
            print(f"  {key:<14} {root}")
        status = _crawl(archive, list(server.roots.values()))
        if status != 0:
            print(f"crawl failed with exit status {status}")
            return status
        print("\nA second run is incremental: nothing changed, so no article page is fetched.")
        server.reset_log()
        status = _crawl(archive, list(server.roots.values()))
        if status != 0:
            print(f"second crawl failed with exit status {status}")
            return status
        article_paths = {(a.outlet, a.url.split("/", 3)[3]) for a in server.manifest.articles}
        pages = sum((r.outlet, r.path.lstrip("/")) in article_paths for r in server.requests)
        not_modified = sum(r.status == 304 for r in server.requests)
        print(f"  second run: {len(server.requests)} requests, {not_modified} answered 304 Not Modified, "
              f"{pages} article pages fetched")
    _name_outlets(archive, keys)
    _show(archive)
    search = ["search", "flood OR banjir", "--outlet", "The Borneo Post", "--outlet", "utusanborneo",
              "--archive", f"sqlite:///{shown}", "--limit", "5"]
    print(f"\nThe archive is kept in {shown}. Search it:")
    print("$ .venv/bin/newscrawl " + shlex.join(search), flush=True)
    status = subprocess.call([sys.executable, "-m", "newscrawl", *search], cwd=ROOT)
    print(f"\nBrowse it: make browse ARCHIVE={shlex.quote(str(shown))}")
    return status


if __name__ == "__main__":
    sys.exit(main())
