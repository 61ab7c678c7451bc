"""Machine-readable dates (sitemaps, feeds, arguments) to ISO 8601 with an offset."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from dateutil import parser as dateutil_parser

SARAWAK_TZ = timezone(timedelta(hours=8))  # Malaysia Time: no daylight saving


def parse_datetime(value: str | None, default_tz: timezone = SARAWAK_TZ) -> datetime | None:
    """A timezone-aware datetime from an ISO 8601 / RFC 822-ish string; naive values get ``default_tz``."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = dateutil_parser.parse(text)
        except (ValueError, OverflowError):
            return None
    if parsed.tzinfo is None and default_tz is not None:
        parsed = parsed.replace(tzinfo=default_tz)
    return parsed


def stated_offset(value: str | None) -> str | None:
    """The UTC offset a machine-readable time is written with ("+08:00" for "...T14:20:00+08:00" or "... +0800"),
    or None when it has none. "Z"/"GMT" are not evidence of a site's local zone (only of UTC serialisation)."""
    if not value or not value.strip() or re.search(r"(Z|GMT|UTC|UT)\s*$", value.strip()):
        return None
    parsed = parse_datetime(value, default_tz=None)  # type: ignore[arg-type]
    if parsed is None or parsed.tzinfo is None:
        return None
    delta = parsed.utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta is not None else 0
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def to_iso(value: str | None, default_tz: timezone = SARAWAK_TZ) -> str | None:
    parsed = parse_datetime(value, default_tz)
    return parsed.isoformat() if parsed else None


def parse_since(value: str) -> datetime:
    """``-a since=YYYY-MM-DD``: midnight of that day in Sarawak time. Raises ValueError with a user message."""
    try:
        day = date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise ValueError(f"since: {value!r} is not a date in the form YYYY-MM-DD") from None
    return datetime.combine(day, time(0), tzinfo=SARAWAK_TZ)


def is_before(iso_value: str | None, since: datetime | None) -> bool:
    """Whether an ISO timestamp is known to be earlier than ``since`` (unknown dates are never 'before')."""
    if since is None or not iso_value:
        return False
    parsed = parse_datetime(iso_value)
    return parsed is not None and parsed < since


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
