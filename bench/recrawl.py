"""How much a repeated crawl costs: the second run's requests and wall time as a fraction of the first's.

    .venv/bin/python bench/recrawl.py [--n 5000]

Serves a generated replica of N articles from a separate process, crawls it into a fresh archive (run 1), crawls
again with nothing changed (run 2), then edits 1 % of the articles and adds 1 % new ones (run 3). Politeness
delays are off. Aim (cron-grade issue): run 2 under 2 % of run 1's requests.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS=32",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "LOG_LEVEL=WARNING", "-s", "DOWNLOAD_MAXSIZE=1000000",
        "-s", "NEWSCRAWL_PAGINATION_DEPTH=1000"]


def serve(n: int) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.replica.bench_server", "--n", str(n)], cwd=ROOT,
                            stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    for line in proc.stdout:
        if line.startswith("sites="):
            return proc, line.strip().split("=", 1)[1]
    raise RuntimeError("replica server did not start")


def crawl(archive: Path, sites: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "scrapy", "crawl", "sarawak", "-a", f"site={sites}",
                    "-s", f"ARCHIVE_URL=sqlite:///{archive}", *FAST], cwd=ROOT, check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - start


def last_run(archive: Path) -> dict:
    with sqlite3.connect(archive) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
        return {"requests": row["requests"], "new": row["articles_new"], "updated": row["articles_updated"],
                "responses": json.loads(row["responses"])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="generated articles in the replica (default 5000)")
    args = parser.parse_args()
    proc, sites = serve(args.n)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "bench.sqlite3"
            wall1 = crawl(archive, sites)
            run1 = last_run(archive)
            wall2 = crawl(archive, sites)
            run2 = last_run(archive)
            changes = max(1, args.n // 100)
            proc.stdin.write(f"mutate {changes}\n")
            proc.stdin.flush()
            proc.stdout.readline()
            wall3 = crawl(archive, sites)
            run3 = last_run(archive)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    print(f"replica: {args.n} generated articles + the bundled ones, served from a separate process")
    print(f"{'run':<28}{'requests':>10}{'wall s':>9}{'new':>7}{'updated':>9}")
    for name, run, wall in (("1 first crawl", run1, wall1), ("2 nothing changed", run2, wall2),
                            (f"3 {changes} edited + {changes} new", run3, wall3)):
        print(f"{name:<28}{run['requests']:>10}{wall:>9.1f}{run['new']:>7}{run['updated']:>9}")
    ratio_requests = run2["requests"] / run1["requests"]
    ratio_wall = wall2 / wall1
    print(f"run 2 / run 1: requests {ratio_requests:.2%} (aim < 2 %), wall time {ratio_wall:.2%}")
    print(f"run 2 responses by status: {run2['responses']}")
    print(json.dumps({"n": args.n, "run1": run1, "run2": run2, "run3": run3, "wall": [wall1, wall2, wall3],
                      "ratio_requests": ratio_requests, "ratio_wall": ratio_wall}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
