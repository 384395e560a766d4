"""Give up on an outlet at once when its host does not resolve or refuses connections.

Offline, or with a mistyped base URL, every discovery request of an outlet fails the same
way; retrying each one with backoff only delays the verdict (about 45 s per outlet before).
Until the outlet has answered anything in this run, a DNS failure or a refused connection is
taken as "unreachable": no retries, the outlet's crawl stops with one readable reason, and
the other outlets of the same crawl go on (each outlet has its own crawler, so its own copy
of this middleware). Once the outlet has answered, such errors are ordinary page failures.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import ConnectionRefusedError as TxConnectionRefused
from twisted.internet.error import DNSLookupError

logger = logging.getLogger(__name__)

_NO_HOST = (CannotResolveHostError, DNSLookupError)
_REFUSED = (DownloadConnectionRefusedError, TxConnectionRefused)


def unreachable_reason(exc: BaseException, host: str | None) -> str | None:
    """A one-line cause when ``exc`` says the host cannot be reached at all; else None."""
    if isinstance(exc, _NO_HOST):
        return f"the host name {host} does not resolve (DNS lookup failed; offline?)"
    if isinstance(exc, _REFUSED):
        return f"{host} refuses connections (nothing listening there)"
    return None


class UnreachableOutletMiddleware:
    """Downloader middleware placed between the downloader and the retry middleware."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.answered = False
        self.reason: str | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        self.answered = True
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        if self.answered:
            return None
        reason = unreachable_reason(exception, urlparse_cached(request).hostname)
        if reason is None:
            return None
        request.meta["dont_retry"] = True  # the retry middleware leaves it to the errback
        if self.reason is None:
            self.reason = reason
            spider = self.crawler.spider
            session = getattr(spider, "session", None)
            if session is not None:
                session.unreachable = reason
                session.paused = True
            logger.info("%s: unreachable: %s", getattr(spider, "name", "?"), reason)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="unreachable"))
        return None
