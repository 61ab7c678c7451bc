"""Offline replica of Sarawak news outlets (WordPress look-alikes) for end-to-end tests, `make demo` and benchmarks.

    from tests.replica import build_replica, ReplicaServer
    with ReplicaServer(n_articles=0) as server:        # every outlet on its own 127.0.0.1 port
        server.roots                                     # {"borneopost": "http://127.0.0.1:PORT/", ...}
        server.manifest.articles[0].title                # expected outcome, computed from the rendered data
        server.replica.add_articles(3)                   # mutate while serving (incremental crawls)

Modules: content (articles and prose), themes (markup per WordPress theme), site (routes, sitemaps, feeds,
traps), manifest (expected outcomes), server (HTTP + request log), serve (CLI).
"""

from .content import Article
from .manifest import ExpectedArticle, Manifest, build_manifest
from .server import ReplicaServer, RequestRecord
from .site import OUTLET_KEYS, Replica, Response, Site, build_replica

__all__ = [
    "Article",
    "ExpectedArticle",
    "Manifest",
    "OUTLET_KEYS",
    "Replica",
    "ReplicaServer",
    "RequestRecord",
    "Response",
    "Site",
    "build_manifest",
    "build_replica",
]
