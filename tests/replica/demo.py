"""``make demo``: the whole job offline. Serve the bundled replica on 127.0.0.1, crawl it with the real spider
into a throwaway archive, and show what was archived."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from .server import ReplicaServer

ROOT = Path(__file__).resolve().parents[2]


def _crawl(archive: Path, roots: list[str]) -> int:
    command = [sys.executable, "-m", "scrapy", "crawl", "sarawak", "-a", "site=" + ",".join(roots),
               "-s", f"ARCHIVE_URL=sqlite:///{archive}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
               "-s", "DOWNLOAD_MAXSIZE=1000000", "-s", "LOG_LEVEL=WARNING"]
    print("$ scrapy crawl sarawak -a site=" + ",".join(roots) + f" -s ARCHIVE_URL=sqlite:///{archive}", flush=True)
    return subprocess.call(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _show(archive: Path, names: dict[str, str]) -> None:
    db = sqlite3.connect(archive)
    print("\nArticles per outlet (rows; stories = rows not marked duplicate_of):")
    for outlet, rows, stories in db.execute(
            "SELECT outlet, count(*), sum(duplicate_of IS NULL) FROM articles GROUP BY outlet ORDER BY outlet"):
        print(f"  {names.get(outlet, outlet):<34} {rows:>3} rows  {stories:>3} stories")
    print("\nNewest articles:")
    for published, outlet, title in db.execute(
            "SELECT published_at, outlet, title FROM articles ORDER BY published_at DESC LIMIT 6"):
        print(f"  {published}  {names.get(outlet, outlet)[:16]:<16}  {title[:70]}")
    print("\nURL aliases filed (tracking variants, AMP, shortlinks, slash twins, alternate paths):",
          db.execute("SELECT count(*) FROM article_urls WHERE kind != 'canonical'").fetchone()[0])
    (stats,) = db.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    dropped = {k.split("/", 2)[2]: v for k, v in json.loads(stats).items() if k.startswith("newscrawl/dropped/")}
    print("Pages dropped, by reason:", ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())))
    pairs = db.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]
    print("Syndicated near-copies linked to their story:", pairs)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="newscrawl-demo-") as tmp, ReplicaServer() as server:
        names = {root.split("//")[1].rstrip("/"): key for key, root in server.roots.items()}
        print("Replica outlets on 127.0.0.1:")
        for key, root in server.roots.items():
            print(f"  {key:<14} {root}")
        archive = Path(tmp) / "demo.sqlite3"
        status = _crawl(archive, list(server.roots.values()))
        if status != 0:
            print(f"crawl failed with exit status {status}")
            return status
        _show(archive, names)
        print("\nA second run is incremental: nothing changed, so no article page is fetched.")
        server.reset_log()
        _crawl(archive, list(server.roots.values()))
        article_paths = {(a.outlet, a.url.split("/", 3)[3]) for a in server.manifest.articles}
        pages = sum((r.outlet, r.path.lstrip("/")) in article_paths for r in server.requests)
        not_modified = sum(r.status == 304 for r in server.requests)
        print(f"  second run: {len(server.requests)} requests, {not_modified} answered 304 Not Modified, "
              f"{pages} article pages fetched")
        print("\nSearch it: newscrawl search 'flood OR banjir' --archive sqlite:///" + str(archive))
        subprocess.call([sys.executable, "-m", "newscrawl", "search", "flood OR banjir", "--archive",
                         f"sqlite:///{archive}", "--limit", "5"], cwd=ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
