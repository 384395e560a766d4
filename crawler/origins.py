"""Every request a crawl sends stays on its outlet's declared http(s) origins.

A sitemap, a feed or a redirect is written by the outlet, so it can point anywhere: at
``file:///etc/passwd``, at an FTP server, at another port of the same host, or at
``http://127.0.0.1:9400/admin``. Scrapy's offsite check compares host names only and is
switched off by ``dont_filter``, so it lets all of these through. This middleware runs first
for every request the engine hands to the downloader, including each redirect hop (the
redirect middleware schedules the next hop as a new request) and robots.txt fetches, and
refuses anything off the outlet before a connection is made. The refusal reaches the
request's errback as ``IgnoreRequest`` with the reason, which the spider records in
``fetch_errors``.
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request


class OffOutletRequest(IgnoreRequest):
    """A request refused because it leaves the outlet's declared origins."""


def refusal_reason(outlet, request: Request) -> str | None:
    """The refusal for ``request`` under ``outlet``'s origins, naming the redirect that led there."""
    reason = outlet.refusal(request.url)
    if reason is None:
        return None
    chain = request.meta.get("redirect_urls") or []
    if chain:
        return f"refused redirect to {request.url} ({reason.removeprefix('refused: ')})"
    return reason


class OutletOriginsMiddleware:
    """Refuse, before it is sent, any request whose origin is not one of the outlet's."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        spider = spider or self.crawler.spider
        outlet = getattr(spider, "outlet", None)
        if outlet is None:  # not an outlet spider (benchmarks): nothing declared to enforce
            return None
        reason = refusal_reason(outlet, request)
        if reason is not None:
            raise OffOutletRequest(reason)
        return None
