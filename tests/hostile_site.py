"""A hostile outlet on 127.0.0.1 for end-to-end tests: each test writes the routes (traps, bombs, slow answers).

    site = HostileSite({"/": Reply(body=page), "/robots.txt": Reply(status=503)})
    with site:
        run_crawl(url, "-a", f"site={site.root}")
        site.paths()                     # every path requested, query string included, in order

A route is a path (no query string) mapped to a :class:`Reply` or to a function of the full request path (query
included) giving one. Unrouted paths go to ``fallback``, else answer 404. Article pages come from :func:`article_page`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import urlsplit

HTML = "text/html; charset=utf-8"
XML = "application/xml"

# Enough distinct prose for trafilatura and the min-length check; {n} keeps each article's text distinct.
_PROSE = ("The state assembly met on {n} occasions this year to debate the river basin plan, and members from "
          "both sides asked the ministry to publish the survey of longhouse communities along the upper reaches "
          "before the monsoon. Officials said the report number {n} would be tabled after consultation with the "
          "district offices, the timber licence holders and the village committees who depend on the river. ")


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = HTML
    headers: tuple[tuple[str, str], ...] = ()
    drip: float = 0.0  # > 0: send the body one byte every `drip` seconds (a server that never quite answers)


def article_page(n: int, title: str | None = None) -> bytes:
    """A plain news article (og:type article, JSON-LD NewsArticle, five paragraphs) unique to ``n``."""
    title = title or f"River basin plan report {n} tabled"
    paragraphs = "".join(f"<p>{_PROSE.format(n=n * 10 + i)}</p>" for i in range(5))
    return (f"<!doctype html><html><head><title>{title}</title>"
            f"<meta property=\"og:type\" content=\"article\">"
            f"<script type=\"application/ld+json\">{{\"@type\": \"NewsArticle\", \"headline\": \"{title}\","
            f" \"datePublished\": \"2024-03-0{1 + n % 9}T08:00:00+08:00\"}}</script></head>"
            f"<body class=\"single single-post\"><article><h1>{title}</h1>{paragraphs}</article></body></html>"
            ).encode()


def listing_page(links: list[str], extra: str = "") -> bytes:
    items = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return f"<!doctype html><html><head><title>News</title></head><body><ul>{items}</ul>{extra}</body></html>".encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        site: HostileSite = self.server.site  # type: ignore[attr-defined]
        site._log(self.path)
        route = site.routes.get(urlsplit(self.path).path, site.fallback)
        reply = (route(self.path) if callable(route) else route) if route is not None else Reply(404, b"not found")
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        try:
            if reply.drip:
                for i in range(len(reply.body)):
                    if site.stopping.is_set():
                        return
                    self.wfile.write(reply.body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(reply.drip)
            else:
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):  # the crawler gave up on it: that is the point
            pass

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the request log is the record
        pass


class HostileSite:
    def __init__(self, routes: dict[str, Reply | Callable[[str], Reply]] | None = None,
                 fallback: Reply | Callable[[str], Reply] | None = None) -> None:
        self.routes = dict(routes or {})
        self.fallback = fallback  # for every unrouted path (None: 404)
        self.stopping = threading.Event()
        self._requests: list[str] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.site = self  # type: ignore[attr-defined]
        self._server.handle_error = lambda *a: None  # type: ignore[method-assign] - resets are normal here
        self.root = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self.outlet = self.root.split("//")[1].rstrip("/")  # the outlet key of an ad-hoc root
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)

    def __enter__(self) -> HostileSite:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return self.root.rstrip("/") + path

    def _log(self, path: str) -> None:
        with self._lock:
            self._requests.append(path)

    def paths(self) -> list[str]:
        with self._lock:
            return list(self._requests)
