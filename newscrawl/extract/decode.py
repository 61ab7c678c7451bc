"""Bytes -> text: trust the declared encoding unless the result shows it was wrong."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# Signs that bytes were decoded with the wrong codec: UTF-8 read as cp1252/latin-1 ("â€™", "Ã©", "Â ").
_MOJIBAKE_RE = re.compile("[\u00c2\u00c3][\u0080-\u00bf]|\u00e2\u20ac[\u0080-\u00bf\u2018-\u201e\u2122\u0153\u0161]")
# Browsers (WHATWG) treat these labels as windows-1252; so do we, so 0x80-0x9f become curly quotes, not C1 codes.
_AS_CP1252 = {"ascii", "latin-1", "latin1", "iso-8859-1", "iso8859-1", "us-ascii", "cp819", "l1"}
_WESTERN = {"latin_1", "cp1252", "cp1250", "cp1254", "cp1257", "iso8859_15", "iso8859_2", "iso8859_9", "mac_roman",
            "cp1253", "iso8859_7"}
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"RIFF", b"OggS",
                 b"ID3", b"\x00\x00\x01\x00", b"wOFF", b"wOF2")


class BinaryContent(ValueError):
    """The body is not text (NUL bytes or a known binary signature)."""


_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")  # not tab/newline/CR/form feed/ESC
BINARY_CONTROL_SHARE = 0.1  # binary formats are full of control bytes; a stray NUL or BEL in a <title> is not binary


def is_binary(body: bytes) -> bool:
    head = body[:1024]
    if head.lstrip().startswith(_BINARY_MAGIC):
        return True
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # UTF-16 text has NULs; a BOM says it's text
        return False
    return len(_CONTROL_BYTES.findall(head)) > BINARY_CONTROL_SHARE * max(1, len(head))


def _mostly_utf8(body: bytes) -> str | None:
    """UTF-8 with a few bad bytes (a truncated character, a pasted cp1252 quote): keep UTF-8 and replace only those,
    when the rest shows real UTF-8 (multi-byte characters decode) and the bad bytes are rare."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return text if good > 0 and bad <= max(3, good // 20) else None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        canonical = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return "cp1252" if canonical in _AS_CP1252 or name.strip().lower() in _AS_CP1252 else canonical


def _clean(text: str) -> bool:
    if "\ufffd" in text:
        return False
    # cheap membership tests first: the regex only runs when a mojibake lead character is present at all
    return not (("\u00c2" in text or "\u00c3" in text or "\u00e2\u20ac" in text) and _MOJIBAKE_RE.search(text))


def decode_body(body: bytes | str, encoding: str | None = None) -> str:
    """Decode `body` with `encoding` (Scrapy's decision); fall back when that yields U+FFFD or mojibake.

    Order: BOM > declared encoding (strict) > UTF-8 (strict) > charset-normalizer's best guess.
    Raises BinaryContent for binary bodies and UnicodeDecodeError when nothing decodes.
    """
    if isinstance(body, str):
        return body
    if is_binary(body):
        raise BinaryContent("binary content")
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode("utf-8-sig" if name == "utf-8" else name, errors="replace")
    tried = []
    for name in (_codec(encoding), "utf-8"):
        if not name or name in tried:
            continue
        tried.append(name)
        try:
            text = body.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        if _clean(text):
            return text
    text = _mostly_utf8(body)
    if text is not None:
        return text
    best = charset_normalizer.from_bytes(body).best()
    if best is not None:
        # short Western pages are often guessed as latin-1/cp1250/...: prefer cp1252 when it decodes cleanly
        if best.encoding in _WESTERN:
            try:
                return body.decode("cp1252")
            except UnicodeDecodeError:
                pass
        return str(best)
    raise UnicodeDecodeError("unknown", body[:1], 0, 1, "no encoding decodes this body")
