"""A replica server for benchmarks, driven over stdin: ``python -m tests.replica.bench_server --n N``.

Prints ``sites=...`` once serving; then each stdin line ``mutate K`` edits K articles and adds K new ones and
answers ``ok``. Serving from its own process keeps the replica's CPU off the crawler's measurements.
"""

from __future__ import annotations

import argparse
import sys

from .server import ReplicaServer


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with ReplicaServer(n_articles=args.n, seed=args.seed) as server:
        print("sites=" + ",".join(server.roots.values()), flush=True)
        for line in sys.stdin:
            command = line.split()
            if command[:1] == ["mutate"]:
                k = int(command[1])
                for article in server.manifest.articles[:k]:
                    server.replica.edit_article(article.url)
                server.replica.add_articles(k)
                print("ok", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
