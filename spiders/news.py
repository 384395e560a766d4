"""The generic news spider that every outlet file configures with data.

Discovery (feeds, sitemaps with their news metadata, home and section pages with pagination)
only yields article URLs; each is canonicalised and checked against the archive before a
request is made, so a scheduled crawl fetches what is new or due and nothing else.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.error import ConnectionRefusedError as TxConnectionRefused
from twisted.internet.error import DNSLookupError, TCPTimedOutError
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.python.failure import Failure

from crawler.discovery import parse_feed, parse_sitemap, robots_sitemaps, sitemap_body
from crawler.origins import OffOutletRequest
from crawler.outlet import Outlet
from crawler.session import CrawlSession
from crawler.urls import canonical_url
from storage import archive
from storage.clock import iso

_PAGINATION = re.compile(r"([?&]page=\d+|/page/\d+/?$)")
# What a sitemap index entry must look like to be fetched as a sitemap: an index is outlet
# input, and without this any path of the outlet would be requested as a "sitemap".
SITEMAP_PATH = re.compile(r"sitemap|\.xml(\.gz)?$", re.IGNORECASE)


def describe_failure(failure: Failure) -> tuple[int | None, str]:
    """An HTTP status (when there was one) and a one-line reason a user understands."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        return status, f"HTTP {status}"
    if isinstance(exc, (TxTimeoutError, TCPTimedOutError)) or "Timeout" in type(exc).__name__:
        return None, "timeout: no answer in time"
    name = type(exc).__name__
    if isinstance(exc, (DNSLookupError, CannotResolveHostError)) or "DNSLookup" in name:
        return None, "DNS lookup failed"
    if isinstance(exc, (TxConnectionRefused, DownloadConnectionRefusedError)) or "ConnectionRefused" in name:
        return None, "connection refused"
    if isinstance(exc, IgnoreRequest):
        return None, str(exc) or "request ignored"
    # a reason for a reader: the exception's own message, never its class name
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return None, f"download failed: {text}"[:300] if text else "download failed"


class NewsSpider(scrapy.Spider):
    """Crawl one outlet described by ``outlet``; subclasses only set ``name`` and ``outlet``."""

    name = ""  # not a spider of its own: `scrapy list` shows only outlets
    outlet: Outlet | None = None

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        if cls.outlet is not None:
            settings.setdict(cls.outlet.settings, priority="spider")

    def __init__(
        self,
        db: str | None = None,
        max_pages: int | str | None = None,
        since: datetime | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if self.outlet is None:
            raise ValueError("NewsSpider needs an outlet: subclass it in an outlet file")
        self.db_path = db
        self.max_pages = int(max_pages) if max_pages not in (None, "") else None
        self.since = datetime.fromisoformat(since) if isinstance(since, str) else since
        self.seen: set[str] = set()  # discovered this run
        self.requested: set[str] = set()  # requested this run
        self.sitemaps_seen: set[str] = set()
        self.allowed_domains = [self.outlet.domain]

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        db_path = spider.db_path or crawler.settings.get("NEWSCRAWL_DB", "news.db")
        spider.session = CrawlSession(
            spider.outlet,
            db_path,
            max_pages=spider.max_pages,
            since=spider.since,
            commit_articles=crawler.settings.getint("NEWSCRAWL_COMMIT_ARTICLES", 100),
            commit_seconds=crawler.settings.getfloat("NEWSCRAWL_COMMIT_SECONDS", 1.0),
        )
        spider.session.on_archive_error = spider.stop_for_archive
        settings = crawler.settings
        max_discovery = settings.getint("NEWSCRAWL_MAX_DISCOVERY", 1000)
        spider.session.max_discovery = max_discovery if max_discovery > 0 else None
        spider.session.max_refusals_recorded = settings.getint("NEWSCRAWL_MAX_REFUSALS_RECORDED", 2000)
        spider.max_sitemap_depth = settings.getint("NEWSCRAWL_MAX_SITEMAP_DEPTH", 2)
        spider.max_errors = crawler.settings.getint("OUTLET_MAX_CONSECUTIVE_ERRORS", 25)
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        return spider

    # -- start ---------------------------------------------------------------------------
    async def start(self):
        outlet = self.outlet
        self.session.start_ticker()
        for row in self.session.leftovers():
            headers = self.session.fetch_decision(row["url"])
            request = (
                None if headers is None else self.article_request(row["url"], headers, source="frontier")
            )
            if request is not None:
                yield request
        starts = [(path, self.parse_feed, 0) for path in outlet.feeds]
        starts += [(path, self.parse_sitemap, 0) for path in outlet.sitemaps]
        # sitemaps the outlet lists in robots.txt but its declaration does not
        starts += [("/robots.txt", self.parse_robots, 0)]
        starts += [(path, self.parse_listing, 1) for path in (*outlet.start_paths, *outlet.section_paths)]
        for path, callback, depth in starts:
            url = outlet.absolute(path)
            if callback == self.parse_sitemap:
                self.sitemaps_seen.add(canonical_url(url))
            request = self.discovery_request(url, callback, depth=depth)
            if request is not None:
                yield request

    def discovery_request(self, url: str, callback, depth: int = 0, **meta: Any) -> Request | None:
        """A sitemap, feed or listing request, or None once the run's discovery budget is spent."""
        if not self.session.discovery_allowed():
            return None
        return Request(
            url,
            callback=callback,
            errback=self.on_discovery_error,
            dont_filter=True,
            priority=10,
            meta={"depth_page": depth, **meta},
        )

    def refuse(self, url: str, reason: str | None = None) -> None:
        """An outlet file pointed at ``url`` but it is not the outlet's: recorded, never requested."""
        self.session.refused(url, reason or self.outlet.refusal(url) or "refused")

    # -- discovery -----------------------------------------------------------------------
    def discovered(self, response: Response) -> None:
        """A discovery page answered: count it, and forget its failures from earlier runs."""
        self.session.fetched()
        self.session.write(archive.clear_error, self.session.db, response.url)

    def parse_feed(self, response: Response):
        self.discovered(response)
        for item in parse_feed(response.body):
            url = urljoin(response.url, item["link"])
            if not self.outlet.owns(url):
                self.refuse(url)
                continue
            yield from self.consider(url, "feed", news_publication_date=item["published"])

    def parse_robots(self, response: Response):
        """``Sitemap:`` lines of robots.txt on the outlet's own origins (others are not its to crawl)."""
        self.discovered(response)
        for url in robots_sitemaps(response.body):
            url = urljoin(response.url, url)
            key = canonical_url(url)
            if key in self.sitemaps_seen or not self.outlet.owns(url):
                continue
            self.sitemaps_seen.add(key)
            request = self.discovery_request(url, self.parse_sitemap)
            if request is not None:
                yield request

    def parse_sitemap(self, response: Response) -> list:
        """Everything a sitemap yields, gathered at once.

        A callback that is a generator stays suspended while the engine drains it, keeping the
        response and every parsed entry alive; a hostile index of 100,000 entries would then hold
        its whole parse in memory for as long as a busy crawl takes to accept the requests (which
        the discovery budget keeps to a few).
        """
        return list(self._sitemap_outputs(response))

    def _sitemap_outputs(self, response: Response):
        self.discovered(response)
        max_size = response.meta.get("download_maxsize", self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        kind, entries = parse_sitemap(sitemap_body(response, max_size=max_size))
        depth = response.meta.get("sitemap_depth", 0)
        for entry in entries:
            url = urljoin(response.url, entry["loc"])
            if not self.outlet.owns(url):
                self.refuse(url)
                continue
            if kind == "index":
                request = self.sitemap_request(url, entry["lastmod"], depth + 1)
                if request is not None:
                    yield request
                continue
            meta = {
                "lastmod": entry["lastmod"],
                "news_title": entry["news_title"],
                "news_publication_date": entry["news_publication_date"],
                "sitemap_images": entry["images"] or None,
            }
            yield from self.consider(url, "sitemap", **meta)

    def sitemap_request(self, url: str, lastmod: str | None, depth: int) -> Request | None:
        """A sitemap listed by an index: on the outlet, named like a sitemap, not too deep, new."""
        path = urlsplit(url).path
        if not SITEMAP_PATH.search(path) or any(re.search(p, path) for p in self.outlet.deny_patterns):
            self.refuse(url, "refused: a sitemap index entry that is not a sitemap URL")
            return None
        if depth > self.max_sitemap_depth:
            if "sitemap_depth" not in self.session.limits:
                self.session.limit_hit(
                    "sitemap_depth",
                    f"sitemap index nesting deeper than {self.max_sitemap_depth} levels ignored (first at {url})",
                )
            return None
        if self.session.discovery_spent():  # counted as not fetched, without remembering each URL
            self.session.discovery_allowed()
            return None
        key = canonical_url(url)  # an index listing itself (or two listing each other) must not loop
        if key in self.sitemaps_seen or self.session.too_old(lastmod):
            return None
        self.sitemaps_seen.add(key)
        return self.discovery_request(url, self.parse_sitemap, sitemap_depth=depth)

    def parse_listing(self, response: Response):
        self.discovered(response)
        if not hasattr(response, "css"):
            return
        depth = response.meta.get("depth_page", 1)
        base_path = urlsplit(response.url).path
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href.strip())
            if self.outlet.is_article(canonical_url(url)):
                yield from self.consider(url, "listing")
            elif (
                depth < self.outlet.pagination_depth
                and _PAGINATION.search(url)
                and urlsplit(url).path.startswith(base_path.rstrip("/").rsplit("/page/", 1)[0])
                and self.outlet.owns(url)
            ):
                key = canonical_url(url)
                if key not in self.seen:
                    self.seen.add(key)
                    request = self.discovery_request(url, self.parse_listing, depth=depth + 1)
                    if request is not None:
                        yield request

    def consider(self, url: str, source: str, lastmod: str | None = None, **meta: Any):
        """Queue ``url`` if it is an article of this outlet that is new or due for a revisit.

        A URL seen earlier in this run without being fetched is looked at again: a sitemap entry
        with a newer ``lastmod`` may come after the section page that listed it.
        """
        key = canonical_url(url)
        if not self.outlet.is_article(key):
            return
        if key in self.requested:
            if lastmod is not None:  # keep the sitemap's metadata of the version being fetched
                self.session.remember([{"url": key, "source": source, "lastmod": lastmod, **meta}])
            return
        if self.session.too_old(lastmod or meta.get("news_publication_date")):
            return
        if key in self.seen and lastmod is None:
            return
        self.seen.add(key)
        self.session.remember([{"url": key, "source": source, "lastmod": lastmod, **meta}])
        headers = self.session.fetch_decision(key)
        if headers is None:
            return
        request = self.article_request(key, headers, source=source)
        if request is not None:
            yield request

    def article_request(self, url: str, headers: dict[str, str], source: str) -> Request | None:
        if self.session.paused or not self.session.budget_left():
            return None
        self.requested.add(url)
        self.session.requested_articles += 1
        return Request(
            url,
            headers=headers or None,
            callback=self.parse_article,
            errback=self.on_article_error,
            dont_filter=True,  # deduplicated by canonical URL above; redirects must not be filtered
            meta={"archive_url": url, "source": source, "handle_httpstatus_list": [304]},
        )

    # -- articles ------------------------------------------------------------------------
    def parse_article(self, response: Response):
        self.session.fetched()
        url = response.meta["archive_url"]
        if response.status == 304:
            self.session.unchanged(url)
            return
        yield {
            "archive_url": url,
            "url": response.url,
            "status": response.status,
            "headers": {
                k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()
            },
            "body": response.body,
            "fetched_at": iso(),
        }

    # -- failures ------------------------------------------------------------------------
    def on_article_error(self, failure: Failure):
        self._record_failure(failure, article=True)

    def on_discovery_error(self, failure: Failure):
        self._record_failure(failure, article=False)

    def _record_failure(self, failure: Failure, article: bool) -> None:
        request = failure.request
        if isinstance(failure.value, OffOutletRequest):
            # a redirect (or a URL from an earlier run) leading off the outlet: never sent
            first = (request.meta.get("redirect_urls") or [request.url])[0]
            url = request.meta.get("archive_url", first)
            self.session.refused(url, str(failure.value), article=article)
            self.logger.info("refused %s: %s", url, failure.value)
            return
        status, reason = describe_failure(failure)
        if "robots.txt" in reason:
            self.logger.info("skipped (robots.txt): %s", request.url)
            if article:
                url = request.meta.get("archive_url", request.url)
                self.session.write(archive.frontier_mark, self.session.db, url, "gone")
            return
        url = request.meta.get("archive_url", request.url)
        if status is not None:
            self.session.fetched()
        self.session.failed(url, status, reason, article=article)
        self.logger.info("failed %s: %s", url, reason)
        if self.session.consecutive_errors >= self.max_errors and not self.session.paused:
            self.session.paused = True
            self.logger.error(
                "%s: %d failures in a row; pausing this outlet for the rest of the run",
                self.outlet.name,
                self.session.consecutive_errors,
            )
            # closed from outside the errback: raising CloseSpider here would also log the
            # download error with a traceback
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="outlet_failing"))

    def stop_for_archive(self) -> None:
        """The archive refuses writes: stop fetching pages that could not be stored."""
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_error"))

    def on_closed(self, spider, reason: str) -> None:
        if spider is not self:
            return
        status = self.session.finish(reason)
        self.logger.info("%s run %s finished: %s (%s)", self.outlet.name, self.session.run_id, status, reason)
