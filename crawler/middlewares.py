"""Retries that back off instead of hammering an outlet that is struggling.

Scrapy's own RetryMiddleware re-queues at once and ignores ``Retry-After``; a crawler that runs
for months against small regional servers should wait as it is asked to, and wait longer each
time a server keeps failing.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from urllib.parse import urljoin

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet.defer import Deferred


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class PoliteRetryMiddleware(RetryMiddleware):
    """Retry 5xx/429 and network errors with exponential backoff, honouring ``Retry-After``.

    A 429 or 503 with ``Retry-After`` is the server asking the whole site to slow down, not one
    URL: every request to that outlet's download slot then waits until the time asked for has
    passed (capped by ``RETRY_BACKOFF_MAX``), before it is handed to the downloader.
    """

    OUTLET_WIDE_STATUSES = (429, 503)

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.paused_until: dict[str, float] = {}  # download slot -> time.monotonic() to wait for

    @staticmethod
    def _slot(request: Request) -> str:
        return request.meta.get("download_slot") or urlparse_cached(request).hostname or ""

    def _pause_outlet(self, request: Request, response: Response) -> None:
        if response.status not in self.OUTLET_WIDE_STATUSES:
            return
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is None:
            return
        until = time.monotonic() + min(asked, self.backoff_max)
        slot = self._slot(request)
        self.paused_until[slot] = max(self.paused_until.get(slot, 0.0), until)

    async def process_request(self, request: Request, spider=None):
        wait = self.paused_until.get(self._slot(request), 0.0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        return None

    def _delay_for(self, request: Request, response: Response | None) -> float:
        tries = request.meta.get("retry_times", 0)
        delay = self.backoff_base * (2**tries)
        if response is not None:
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if asked is not None:
                delay = asked
        return min(delay, self.backoff_max)

    async def process_response(self, request: Request, response: Response, spider=None):
        self._pause_outlet(request, response)
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await asyncio.sleep(self._delay_for(request, response))
        return retry

    async def process_exception(self, request: Request, exception: Exception, spider=None):
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await asyncio.sleep(self._delay_for(request, None))
        return retry


class RedirectLoopMiddleware:
    """Stop a redirect that comes back to a URL already visited in the same chain, saying so.

    Scrapy would follow the loop until ``REDIRECT_MAX_TIMES``; the error recorded for the URL
    should name the real cause.
    """

    def process_response(self, request: Request, response: Response):
        location = response.headers.get("Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        target = urljoin(response.url, location.decode("latin-1"))
        visited = {*request.meta.get("redirect_urls", []), request.url}
        if target in visited:
            raise IgnoreRequest(f"redirect loop (via {request.url})")
        return response


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt check, with every request that waited for robots.txt actually checked.

    Scrapy 2.19 awaits the pending robots.txt Deferred once per waiting request, and only the
    first waiter receives the parser: the others get None and are let through. A resumed crawl
    whose leftover frontier holds disallowed URLs would fetch them. Once robots.txt is settled
    the middleware's own cache holds the real answer, so read it from there.
    """

    async def robot_parser(self, request: Request):
        parser = await super().robot_parser(request)
        settled = self._parsers.get(urlparse_cached(request).netloc, parser)
        return parser if isinstance(settled, Deferred) else settled
