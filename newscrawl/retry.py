"""Retries that honour ``Retry-After`` (RFC 9110 10.2.3) on 429 and 503 answers.

Scrapy's RetryMiddleware retries at once; a server that says "come back in N seconds" gets exactly that wait
(capped by ``NEWSCRAWL_RETRY_AFTER_MAX``; a longer wait gives the page up for this run, counted).
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet import reactor
from twisted.internet.task import deferLater


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None if absent/unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX", 120)

    async def process_response(self, request: Request, response: Response, spider=None) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        delay = retry_after_seconds(response.headers.get("Retry-After"))
        if delay is not None:
            if delay > self.max_wait:
                self.crawler.stats.inc_value("newscrawl/retry_after_too_long")
                return response
            self.crawler.stats.inc_value("newscrawl/retry_after_waits")
            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        return self._retry(request, response_status_message(response.status)) or response
