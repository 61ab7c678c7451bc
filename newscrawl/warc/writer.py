"""Rotating WARC/1.1 files written by one background thread (docs/warc.md).

The reactor thread hands each exchange (request + response as received) to :meth:`WarcWriter.submit` and gets a
``concurrent.futures.Future`` of its :class:`~newscrawl.store.captures.Capture` pointer. A writer thread builds the
records with warcio (digests, gzip: the CPU part) and appends them, draining the queue in batches; one flush per
batch, then the batch's futures resolve. So a pointer exists only for bytes the OS already holds.

Files are named ``{prefix}-{UTC start}-{pid}-{sequence:05d}.warc.gz`` and written as ``....warc.gz.open``; a file is
renamed to its final name when it reaches ``max_size`` bytes or the writer closes. A crawl killed mid-write
leaves one ``.open`` file whose last gzip member may be torn: :func:`recover` (run when the next writer starts,
or by ``newscrawl warc recover``) cuts it after its last complete record and gives it its final name. Every
record is one gzip member, so everything before the tear is intact and readable.
"""

from __future__ import annotations

import fcntl
import logging
import os
import queue
import threading
import zlib
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.client import responses as REASONS
from io import BytesIO
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawl.store.captures import Capture

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"
BATCH = 64  # exchanges written between two flushes at most
# Hop-by-hop framing the HTTP client already undid: the body in the record is de-chunked, so a replay tool must not
# try to de-chunk it again. Kept under the name pywb and warcio also use for original headers they rewrite.
_FRAMING_HEADERS = {"transfer-encoding"}


@dataclass
class Exchange:
    """One request and its response, as sent and received (body still content-encoded)."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    protocol: str = "HTTP/1.1"
    ip_address: str | None = None
    captured_at: str = field(default_factory=lambda: warc_date())


def warc_date(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class WarcWriter:
    """Append exchanges to rotating gzip-per-record WARC/1.1 files in ``directory`` from a background thread."""

    def __init__(self, directory: str | os.PathLike, prefix: str, *, max_size: int = 1_000_000_000,
                 info: dict[str, Any] | None = None, queue_size: int = 256) -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_size = max_size
        self.info = dict(info or {})
        self.started = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        self.sequence = 0
        self.files: list[str] = []  # final names of the files this writer made
        self.counts = {"records": 0, "bytes": 0, "failed": 0}
        self.failure: str | None = None
        self._queue: queue.Queue = queue.Queue(maxsize=queue_size)
        self._thread: threading.Thread | None = None
        self._fh: Any = None
        self._warc: WARCWriter | None = None
        self._name: str | None = None

    # -- life cycle ---------------------------------------------------------------------------------------------

    def start(self) -> WarcWriter:
        self.directory.mkdir(parents=True, exist_ok=True)
        for leftover in sorted(self.directory.glob(f"*.warc.gz{OPEN_SUFFIX}")):
            recover(leftover)  # skips files another live writer holds
        self._thread = threading.Thread(target=self._run, name="warc-writer", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Write everything queued, close and rename the current file."""
        if self._thread is None:
            return
        self._queue.put(None)
        self._thread.join()
        self._thread = None

    def submit(self, exchange: Exchange) -> Future:
        """Queue one exchange (blocks while ``queue_size`` are waiting: the crawl never outruns the disk)."""
        future: Future = Future()
        if self.failure or self._thread is None:
            future.set_exception(OSError(self.failure or "WARC writer is not running"))
        else:
            self._queue.put((exchange, future))
        return future

    # -- the writer thread --------------------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < BATCH and batch[-1] is not None:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = batch[-1] is None
            work = [entry for entry in batch if entry is not None]
            self._write_batch(work)
            if stop:
                self._finish_file()
                return

    def _write_batch(self, work: list[tuple[Exchange, Future]]) -> None:
        done: list[tuple[Future, Capture]] = []
        try:
            for exchange, future in work:
                if self.failure:
                    raise OSError(self.failure)
                done.append((future, self._write_exchange(exchange)))
            if self._fh is not None:
                self._fh.flush()
        except Exception as exc:  # noqa: BLE001 - disk full, permissions...: pointers are withheld, the crawl goes on
            if self.failure is None:
                self.failure = f"cannot write WARC file in {self.directory}: {exc}"
                logger.error("%s; later pages are archived without capture", self.failure)
            self.counts["failed"] += len(work)
            for _, future in work:
                if not future.done():
                    future.set_exception(OSError(self.failure))
            return
        for future, capture in done:
            future.set_result(capture)

    def _write_exchange(self, exchange: Exchange) -> Capture:
        if self._fh is None:
            self._open_file()
        assert self._warc is not None and self._name is not None
        response, request = build_records(self._warc, exchange)
        offset = self._fh.tell()
        self._warc.write_record(response)
        length = self._fh.tell() - offset
        self._warc.write_record(request)
        self.counts["records"] += 2
        capture = Capture(url=exchange.url, warc_file=self._name, warc_offset=offset, warc_length=length,
                          record_id=response.rec_headers.get_header("WARC-Record-ID"),
                          payload_digest=response.rec_headers.get_header("WARC-Payload-Digest"),
                          captured_at=exchange.captured_at)
        if self._fh.tell() >= self.max_size:
            self._finish_file()
        return capture

    def _open_file(self) -> None:
        # the pid keeps two crawls that share WARC_DIR and start in the same second apart
        self._name = f"{self.prefix}-{self.started}-{os.getpid()}-{self.sequence:05d}.warc.gz"
        self.sequence += 1
        self._fh = open(self.directory / (self._name + OPEN_SUFFIX), "xb")  # noqa: SIM115 - open across batches, closed by _finish_file
        fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held while open: recover() leaves it alone
        self._warc = WARCWriter(self._fh, gzip=True, warc_version="1.1")
        self._warc.write_record(self._warc.create_warcinfo_record(self._name, self.info))

    def _finish_file(self) -> None:
        if self._fh is None:
            return
        self.counts["bytes"] += self._fh.tell()
        self._fh.close()
        os.replace(self.directory / (self._name + OPEN_SUFFIX), self.directory / self._name)
        self.files.append(self._name)
        self._fh = self._warc = self._name = None


def build_records(warc: WARCWriter, exchange: Exchange) -> tuple[Any, Any]:
    """The response and request records of one exchange (the response's digests computed here)."""
    target = exchange.url
    reason = REASONS.get(exchange.status, "")
    response_headers = [(f"X-Archive-Orig-{name}" if name.lower() in _FRAMING_HEADERS else name, value)
                        for name, value in exchange.response_headers]
    http = StatusAndHeaders(f"{exchange.status} {reason}".strip(), response_headers, protocol=exchange.protocol)
    warc_headers = {"WARC-Date": exchange.captured_at}
    if exchange.ip_address:
        warc_headers["WARC-IP-Address"] = exchange.ip_address
    response = warc.create_warc_record(target, "response", payload=BytesIO(exchange.body),
                                       length=len(exchange.body), http_headers=http,
                                       warc_headers_dict=warc_headers)
    parts = _request_target(target)
    request_http = StatusAndHeaders(f"{exchange.method} {parts} {exchange.protocol}", exchange.request_headers,
                                    is_http_request=True)
    request = warc.create_warc_record(target, "request", payload=BytesIO(exchange.request_body),
                                      length=len(exchange.request_body), http_headers=request_http,
                                      warc_headers_dict={"WARC-Date": exchange.captured_at,
                                                         "WARC-Concurrent-To":
                                                             response.rec_headers.get_header("WARC-Record-ID")})
    return response, request


def _request_target(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def complete_length(path: str | os.PathLike, chunk: int = 1 << 20) -> int:
    """Bytes of ``path`` that are whole gzip members (whole records); reads the file as a stream."""
    good = position = 0
    inflater: Any = None
    with open(path, "rb") as fh:
        while data := fh.read(chunk):
            while data:
                if inflater is None:
                    inflater = zlib.decompressobj(31)
                try:
                    inflater.decompress(data)
                except zlib.error:
                    return good
                if inflater.eof:
                    used = len(data) - len(inflater.unused_data)
                    position += used
                    good = position
                    data = inflater.unused_data
                    inflater = None
                else:
                    position += len(data)
                    data = b""
    return good


def recover(path: str | os.PathLike) -> tuple[Path, int] | None:
    """Cut a ``.warc.gz.open`` file left by a killed crawl after its last complete record and give it its final
    name; returns (final path, bytes cut off), or None when a running writer still holds the file."""
    path = Path(path)
    with open(path, "rb") as probe:
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        return _recover(path)


def _recover(path: Path) -> tuple[Path, int]:
    size = path.stat().st_size
    good = complete_length(path)
    final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
    if good == 0:  # killed before its warcinfo record was whole: nothing to keep
        path.unlink()
        return final, size
    if good < size:
        with open(path, "r+b") as fh:
            fh.truncate(good)
    os.replace(path, final)
    logger.warning("recovered %s: %d complete bytes kept, %d torn bytes cut", final.name, good, size - good)
    return final, size - good
