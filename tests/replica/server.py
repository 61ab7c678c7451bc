"""HTTP server for the replica: every outlet on its own 127.0.0.1 port, with a thread-safe request log."""

from __future__ import annotations

import gzip
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .manifest import Manifest, build_manifest
from .site import OUTLET_KEYS, Replica


@dataclass(frozen=True)
class RequestRecord:
    method: str
    outlet: str
    path: str  # path including the query string, as requested
    status: int
    headers: dict[str, str] = field(default_factory=dict, compare=False)  # request headers


class _Handler(BaseHTTPRequestHandler):
    server_version = "nginx"
    sys_version = ""

    def version_string(self) -> str:
        return "nginx"
    protocol_version = "HTTP/1.1"

    def _serve(self, send_body: bool) -> None:
        srv: _OutletServer = self.server  # type: ignore[assignment]
        headers = {k: v for k, v in self.headers.items()}
        site = srv.replica.sites[srv.outlet]
        resp = site.handle(self.command, self.path, headers)
        srv.owner._log(RequestRecord(self.command, srv.outlet, self.path, resp.status, headers))
        body, extra = resp.body, []
        if srv.owner.gzip_html and "gzip" in headers.get("Accept-Encoding", "") and body and any(
                k.lower() == "content-type" and "html" in v for k, v in resp.headers):
            body, extra = gzip.compress(body, mtime=0), [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        srv.owner._sent(srv.outlet, self.path, body)
        self.send_response(resp.status)
        for k, v in [*resp.headers, *extra]:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # crawler gave up (e.g. DOWNLOAD_MAXSIZE)
                pass

    def do_GET(self) -> None:
        self._serve(True)

    def do_HEAD(self) -> None:
        self._serve(False)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet; the request log is the record
        pass


class _OutletServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, owner: ReplicaServer, outlet: str):
        super().__init__(addr, _Handler)
        self.owner, self.outlet = owner, outlet

    @property
    def replica(self) -> Replica:
        return self.owner.replica

    def handle_error(self, request, client_address) -> None:  # connection resets are normal here
        pass


class ReplicaServer:
    """Serve a ``Replica`` over HTTP: ``with ReplicaServer() as srv: srv.roots[...]``.

    ``port_base`` pins ports (outlet i on port_base + i); default picks free ports. ``host`` stays 127.0.0.1.
    ``gzip_html``: HTML is sent gzip-encoded to clients that accept it; ``record_bodies``: keep the last body
    bytes sent for each URL (``sent_bodies``), exactly as written to the socket.
    """

    def __init__(self, n_articles: int = 0, seed: int = 1, port_base: int | None = None,
                 per_page: int | None = None, host: str = "127.0.0.1", gzip_html: bool = False,
                 record_bodies: bool = False):
        self.gzip_html, self.record_bodies = gzip_html, record_bodies
        self.sent_bodies: dict[str, bytes] = {}
        self._servers: list[_OutletServer] = []
        self._threads: list[threading.Thread] = []
        self._log_lock = threading.Lock()
        self._records: list[RequestRecord] = []
        self._manifest: tuple[int, Manifest] | None = None
        roots = {}
        for i, key in enumerate(OUTLET_KEYS):
            port = port_base + i if port_base else 0
            srv = _OutletServer((host, port), self, key)
            self._servers.append(srv)
            roots[key] = f"http://{host}:{srv.server_address[1]}/"
        self.replica = Replica(roots, n_articles=n_articles, seed=seed, per_page=per_page)

    # ------------------------------------------------------------ lifecycle
    def start(self) -> ReplicaServer:
        for srv in self._servers:
            t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1},
                                 name=f"replica-{srv.outlet}", daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        for srv in self._servers:
            srv.shutdown()
            srv.server_close()
        for t in self._threads:
            t.join(timeout=5)

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ------------------------------------------------------------ views
    @property
    def roots(self) -> dict[str, str]:
        return dict(self.replica.roots)

    @property
    def manifest(self) -> Manifest:
        """Follows mutations (recomputed when the replica's revision changed)."""
        with self.replica.lock:
            if self._manifest is None or self._manifest[0] != self.replica.revision:
                self._manifest = (self.replica.revision, build_manifest(self.replica))
            return self._manifest[1]

    def _sent(self, outlet: str, path: str, body: bytes) -> None:
        if self.record_bodies:
            with self._log_lock:
                self.sent_bodies[self.replica.roots[outlet].rstrip("/") + path] = body

    def _log(self, rec: RequestRecord) -> None:
        with self._log_lock:
            self._records.append(rec)

    @property
    def requests(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._records)

    def requested_urls(self) -> list[str]:
        return [self.replica.roots[r.outlet].rstrip("/") + r.path for r in self.requests]

    def reset_log(self) -> None:
        with self._log_lock:
            self._records.clear()

    def reset(self) -> None:
        """Clear the request log and re-arm the one-shot 503/429 traps."""
        self.reset_log()
        self.replica.reset_state()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
