"""Peak memory of the crawl process while it takes in a 1,000,000-URL sitemap, with and without the frontier.

    .venv/bin/python bench/frontier.py [--urls 1000000] [--seconds 150]

A server in a separate process serves a sitemap index of N/50,000 child sitemaps of 50,000 article URLs each
(the protocol's maximum) and a small article for every URL. Each crawl runs for ``--seconds`` (CLOSESPIDER_TIMEOUT)
and its peak RSS (VmHWM of the crawl process; extraction workers are separate processes) is read from /proc.
Runs, all in this one invocation:

1. baseline: a 1,000-URL sitemap, frontier on (the default NEWSCRAWL_FRONTIER_SIZE);
2. the N-URL sitemap, frontier on;
3. the old behaviour: frontier off (NEWSCRAWL_FRONTIER_SIZE=0, every request queued in Scrapy's memory
   scheduler) on a 200,000-URL sitemap, the issue's case (N would need ~4 GB).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PER_SITEMAP = 50_000
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS=32",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "LOG_LEVEL=INFO", "-s", "NEWSCRAWL_WP_JSON=0"]


def serve(port_file: str) -> None:
    """The sitemap server (runs in its own process): /robots.txt, /sitemap_index.xml?n=N, /s{i}.xml?n=N."""
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    cache: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            host = f"http://{self.headers['Host']}"
            path, _, query = self.path.partition("?")
            n = int(query.partition("n=")[2] or 0)
            kind, body = "text/html", b"not found"
            status = 404
            if path == "/robots.txt":
                status, kind, body = 200, "text/plain", b""
            elif path == "/sitemap_index.xml":
                children = "".join(f"<sitemap><loc>{host}/s{i}.xml?n={n}</loc></sitemap>"
                                   for i in range(max(1, n // PER_SITEMAP)))
                status, kind = 200, "application/xml"
                body = f"<sitemapindex {ns}>{children}</sitemapindex>".encode()
            elif re.fullmatch(r"/s\d+\.xml", path):
                i = int(path[2:-4])
                if self.path not in cache:
                    count = min(n, PER_SITEMAP)
                    urls = "".join(f"<url><loc>{host}/2024/03/story-{i * PER_SITEMAP + k}/</loc></url>"
                                   for k in range(count))
                    cache[self.path] = f"<urlset {ns}>{urls}</urlset>".encode()
                status, kind, body = 200, "application/xml", cache[self.path]
            elif path.startswith("/2024/03/story-"):
                n = path.split("-")[-1].strip("/")
                title = f"Story {n} of the river basin plan"
                text = "<p>" + (f"The state assembly debated the river basin plan for the {n}th time. " * 8) + "</p>"
                status = 200
                body = (f"<html><head><title>{title}</title><meta property='og:type' content='article'></head>"
                        f"<body><article><h1>{title}</h1>{text * 3}</article></body></html>").encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    Path(port_file).write_text(str(server.server_address[1]))
    server.serve_forever()


def crawl(port: int, urls: int, frontier: str, seconds: int, tmp: str) -> dict:
    site = f"http://127.0.0.1:{port}/"
    outlets = Path(tmp) / f"outlets-{urls}.json"  # the sitemap index is the outlet's listed sitemap
    outlets.write_text(json.dumps({"outlets": [{"key": "bench", "name": "Bench", "homepage": site,
                                                "sitemaps": [f"{site}sitemap_index.xml?n={urls}"]}]}))
    archive = Path(tmp) / f"bench-{urls}-{frontier}.sqlite3"
    command = [sys.executable, "-m", "scrapy", "crawl", "sarawak", "-a", f"outlets_file={outlets}",
               "-s", f"ARCHIVE_URL=sqlite:///{archive}", "-s", f"CLOSESPIDER_TIMEOUT={seconds}",
               "-s", f"NEWSCRAWL_FRONTIER_SIZE={frontier}", *FAST]
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                stdout=subprocess.DEVNULL, stderr=log, text=True)
        peak = 0
        stop_at = time.monotonic() + seconds + 900  # it ends once every sitemap entry is decided; else here
        while proc.poll() is None:
            if time.monotonic() > stop_at:
                proc.kill()
            try:
                status = Path(f"/proc/{proc.pid}/status").read_text()
                peak = max(peak, int(re.search(r"VmHWM:\s+(\d+)", status).group(1)))
            except (OSError, AttributeError):
                pass
            time.sleep(0.5)
        log.seek(0)
        stderr = log.read()

    def stat(key: str) -> int:
        found = re.search(rf"'{re.escape(key)}': (\d+)", stderr)
        return int(found.group(1)) if found else 0

    return {"urls": urls, "frontier": frontier, "peak_mb": peak / 1024, "exit": proc.returncode,
            "in_frontier": stat("newscrawl/frontier/queued"), "scheduled": stat("scheduler/enqueued"),
            "articles": stat("newscrawl/articles_stored")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=150)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(port_file)])
        try:
            while not port_file.exists() or not port_file.read_text():
                time.sleep(0.1)
            port = int(port_file.read_text())
            runs = [crawl(port, 1_000, "2000", args.seconds, tmp),
                    crawl(port, args.urls, "2000", args.seconds, tmp),
                    crawl(port, 200_000, "0", args.seconds, tmp)]
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"each crawl ran {args.seconds} s (CLOSESPIDER_TIMEOUT); peak RSS of the crawl process (VmHWM)")
    print(f"{'sitemap URLs':>13}{'FRONTIER_SIZE':>14}{'to frontier':>12}{'scheduled':>10}{'stored':>8}"
          f"{'peak MB':>9}{'exit':>5}")
    for r in runs:
        print(f"{r['urls']:>13,}{r['frontier']:>14}{r['in_frontier']:>12,}{r['scheduled']:>10,}{r['articles']:>8}"
              f"{r['peak_mb']:>9.0f}{r['exit']:>5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
