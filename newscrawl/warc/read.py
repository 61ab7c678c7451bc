"""Read one captured response back from its pointer (a seek, one gzip member): for re-extraction and citation."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from newscrawl.warc.writer import OPEN_SUFFIX


class CaptureError(Exception):
    """A pointer that does not lead to its record (file gone, offset wrong, record id different)."""


@dataclass
class CapturedResponse:
    url: str
    record_id: str
    status: int
    headers: list[tuple[str, str]]
    raw_body: bytes  # as sent: still content-encoded (gzip...)
    body: bytes  # content-decoded: what extraction reads
    charset: str | None  # from the Content-Type header


def warc_path(warc_dir: str | os.PathLike, warc_file: str) -> Path:
    """The file a pointer names; a file a killed crawl left unrenamed (``.open``) is found too."""
    path = Path(warc_dir) / warc_file
    if not path.exists() and (Path(str(path) + OPEN_SUFFIX)).exists():
        return Path(str(path) + OPEN_SUFFIX)
    return path


def read_response(warc_dir: str | os.PathLike, warc_file: str, offset: int,
                  record_id: str | None = None) -> CapturedResponse:
    path = warc_path(warc_dir, warc_file)
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)), None)
            if record is None or record.rec_type != "response":
                raise CaptureError(f"{warc_file}@{offset}: no response record there")
            found = record.rec_headers.get_header("WARC-Record-ID")
            if record_id and found != record_id:
                raise CaptureError(f"{warc_file}@{offset}: record {found}, expected {record_id}")
            return _response(record)
    except OSError as exc:
        raise CaptureError(f"{warc_file}: {exc.strerror or exc}") from exc
    except CaptureError:
        raise
    except Exception as exc:  # a torn or foreign file: warcio's own message
        raise CaptureError(f"{warc_file}@{offset}: {type(exc).__name__}: {exc}") from exc


def _response(record: Any) -> CapturedResponse:
    """The parts of a response record extraction needs; decoding the body reads the record's stream."""
    http = record.http_headers
    raw = record.raw_stream.read()
    body = decode_body(raw, http.get_header("Content-Encoding"))
    return CapturedResponse(url=record.rec_headers.get_header("WARC-Target-URI"),
                            record_id=record.rec_headers.get_header("WARC-Record-ID"),
                            status=int(http.get_statuscode() or 0), headers=list(http.headers), raw_body=raw,
                            body=body, charset=charset_of(http.get_header("Content-Type")))


def decode_body(raw: bytes, content_encoding: str | None) -> bytes:
    """Undo Content-Encoding (gzip, deflate, br when brotli is installed); unknown codings are left as is."""
    from warcio.bufferedreaders import BufferedReader

    coding = (content_encoding or "").strip().lower()
    if not coding or coding == "identity":
        return raw
    import io

    try:
        return BufferedReader(io.BytesIO(raw), decomp_type=coding).read()
    except Exception:  # noqa: BLE001 - unsupported or broken coding: extraction sees the raw bytes and rejects them
        return raw


def charset_of(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip("\"' ") or None
    return None
