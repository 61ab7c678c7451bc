"""Serve the replica in the foreground: ``python -m tests.replica.serve [--n N] [--port-base 8801]``."""

from __future__ import annotations

import argparse
import sys
import time

from .server import ReplicaServer


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Serve the offline replica of Sarawak news outlets.")
    p.add_argument("--n", type=int, default=0, help="generated articles on top of the bundled ones")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--port-base", type=int, default=8801, help="outlet i listens on port-base + i (0: free ports)")
    p.add_argument("--manifest", help="also write the manifest as JSON to this file")
    args = p.parse_args(argv)
    server = ReplicaServer(n_articles=args.n, seed=args.seed, port_base=args.port_base or None).start()
    for key, root in server.roots.items():
        print(f"{key} {root}", flush=True)
    print("sites=" + ",".join(server.roots.values()), flush=True)
    if args.manifest:
        with open(args.manifest, "w", encoding="utf-8") as fh:
            fh.write(server.manifest.to_json())
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
