"""What went wrong with a download, as a short reason and a one-line log message.

Scrapy 2.13+ wraps Twisted's network errors in its own exceptions (``CannotResolveHostError``,
``DownloadTimeoutError``...); older code paths and other download handlers still raise Twisted's. Both map to the
same reasons, which are counted (``newscrawl/dropped/<reason>``, ``newscrawl/unavailable/<kind>/<reason>``),
recorded in ``skips`` and named in the exit summary. ``NetworkErrorFilter`` turns Scrapy's tracebacks for such
ordinary failures (an unreachable robots.txt) into one log line.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import exceptions as scrapy_errors
from twisted.internet import error as net
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

# reason -> exception classes, first match wins
_REASONS: tuple[tuple[str, tuple[type[BaseException], ...]], ...] = (
    ("dns_error", (scrapy_errors.CannotResolveHostError, net.DNSLookupError)),
    ("timeout", (scrapy_errors.DownloadTimeoutError, net.TimeoutError, net.TCPTimedOutError)),
    ("connection_refused", (scrapy_errors.DownloadConnectionRefusedError, net.ConnectionRefusedError)),
    ("too_large", (scrapy_errors.DownloadCancelledError,)),  # over DOWNLOAD_MAXSIZE while downloading
    ("data_loss", (scrapy_errors.ResponseDataLossError,)),
    ("connection_failed", (scrapy_errors.DownloadFailedError, net.ConnectError, net.ConnectionLost,
                           net.ConnectionDone, ResponseFailed, ResponseNeverReceived)),
)

# For people: the exit summary names the cause in words.
REASON_WORDS = {
    "dns_error": "DNS lookup failed",
    "timeout": "timed out",
    "connection_refused": "connection refused",
    "connection_failed": "connection failed",
    "data_loss": "connection cut mid-response",
    "too_large": "too large",
    "robots_disallowed": "disallowed by robots.txt",
}
NETWORK_REASONS = frozenset(("dns_error", "timeout", "connection_refused", "connection_failed", "data_loss"))


def exception_reason(exc: BaseException | None) -> str:
    """The reason for an exception (its ``__cause__`` chain included), or 'error' when it is none we know."""
    seen = 0
    while exc is not None and seen < 5:
        for reason, classes in _REASONS:
            if isinstance(exc, classes):
                return reason
        message = str(exc).lower()
        if isinstance(exc, scrapy_errors.IgnoreRequest):
            if "robots.txt" in message:
                return "robots_disallowed"
            if "download_maxsize" in message or "download max size" in message:  # over the cap when decompressed
                return "too_large"
        if "max redirections" in message:
            return "redirect_loop"
        exc, seen = exc.__cause__, seen + 1
    return "error"


def failure_reason(failure: Any) -> str:
    """The reason for a Twisted ``Failure`` of a request."""
    return exception_reason(failure.value)


class NetworkErrorFilter(logging.Filter):
    """Scrapy logs an unreachable robots.txt (and downloads failing without an errback) with a full traceback,
    and a request that failed its retries on a network error as an ERROR. An unreachable host is an ordinary
    event for a crawler: keep the one-line message, drop the traceback, and log it as a WARNING (it is counted,
    and shown in the exit summary when no outlet answered)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _network_error(record):
            record.exc_info = None
            record.exc_text = None
            if record.levelno > logging.WARNING:
                record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def _network_error(record: logging.LogRecord) -> bool:
    """Whether the record is about a network failure: its traceback's exception, or one of its arguments (the
    retry middleware's "Gave up retrying ...: %(reason)s")."""
    if record.exc_info and record.exc_info[1] is not None:
        return exception_reason(record.exc_info[1]) in NETWORK_REASONS
    args = record.args.values() if isinstance(record.args, dict) else record.args or ()
    return any(isinstance(a, BaseException) and exception_reason(a) in NETWORK_REASONS for a in args)


# Scrapy loggers that log ordinary download failures with a traceback.
NOISY_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt", "scrapy.downloadermiddlewares.retry", "scrapy.core.scraper",
                 "scrapy.core.engine")


def install_log_filter() -> None:
    """Attach the filter once (idempotent: the crawl may create several crawlers in one process)."""
    for name in NOISY_LOGGERS:
        log = logging.getLogger(name)
        if not any(isinstance(f, NetworkErrorFilter) for f in log.filters):
            log.addFilter(NetworkErrorFilter())
