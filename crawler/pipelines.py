"""Item pipelines, one job each: extraction makes an Article, acceptance decides whether and under which
key it is archived, archiving stores it.

A page that yields no article is not silently dropped: it lands in ``fetch_errors`` with the
reason, so a user can see why a URL is missing from the archive.
"""

from __future__ import annotations

from datetime import datetime

from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.acceptance import admit, page_encoding
from crawler.extraction import ExtractionError, extract_article
from storage import archive


class _CrawlerAware:
    """Scrapy 2.19 no longer passes the spider to pipelines; reach it through the crawler."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def spider(self):
        return self.crawler.spider


class ExtractPipeline(_CrawlerAware):
    """Turn a fetched article page into an Article with the outlet's extraction profile."""

    async def process_item(self, item: dict) -> dict:
        """Extract the page (in a worker thread with NEWSCRAWL_EXTRACT_IN_THREAD).

        The archive connection belongs to the reactor thread, so a failure is recorded here.
        """
        session = self.spider.session
        kwargs = {
            "profile": self.spider.outlet.extraction_profile,
            "headers": item["headers"],
            "fetched_at": datetime.fromisoformat(item["fetched_at"]),
        }
        try:
            if self.crawler.settings.getbool("NEWSCRAWL_EXTRACT_IN_THREAD", False):
                article = await maybe_deferred_to_future(
                    deferToThread(extract_article, item["body"], item["url"], **kwargs)
                )
            else:
                article = extract_article(item["body"], item["url"], **kwargs)
        except ExtractionError as exc:
            session.failed(item["archive_url"], item["status"], f"extraction: {exc}")
            raise DropItem(f"{item['archive_url']}: {exc}") from None
        item["article"] = article
        return item


class AcceptPipeline(_CrawlerAware):
    """Apply the archive's acceptance rule (``crawler.acceptance``) and key the article."""

    def process_item(self, item: dict) -> dict:
        spider = self.spider
        session = spider.session
        article = item["article"]
        refused = admit(
            article,
            outlet=spider.outlet,
            requested_url=item["archive_url"],
            final_url=item["url"],
            since=session.since,
            min_words=self.crawler.settings.getint("NEWSCRAWL_MIN_WORDS", 15),
        )
        if refused is None:
            return item
        if refused.too_old:
            # found through an undated link, older than asked for; not archived, not an error
            session.skipped(item["archive_url"], article.published_at)
        else:
            session.failed(item["archive_url"], item["status"], refused.reason)
        raise DropItem(f"{item['archive_url']}: {refused.reason}")


class ArchivePipeline(_CrawlerAware):
    """Store the article, its images and the raw page in one transaction."""

    def process_item(self, item: dict) -> dict:
        spider = self.spider
        session = spider.session
        article = item["article"]
        page = {
            "url": item["url"],
            "status": item["status"],
            "headers": item["headers"],
            "body": item["body"],
            "etag": item["headers"].get("Etag") or item["headers"].get("ETag"),
            "last_modified": item["headers"].get("Last-Modified"),
            "encoding": page_encoding(article, item["body"], item["headers"]),
        }
        outcome = session.write(
            archive.upsert_article, session.db, article, page=page, fetched_at=item["fetched_at"]
        )
        if outcome is None:
            raise DropItem(f"{item['archive_url']}: not stored: {session.archive_error}")
        session.stored(item["archive_url"], outcome, article.published_at)
        if article.url != item["archive_url"]:
            session.write(archive.frontier_mark, session.db, article.url, "done")
        item["outcome"] = outcome
        item.pop("body", None)
        return item
