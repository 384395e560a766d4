"""Item pipelines: one job each. Extraction turns a fetched page into an Article; archiving stores it.

A page that yields no article is not silently dropped: it lands in ``fetch_errors`` with the
reason, so a user can see why a URL is missing from the archive.
"""

from __future__ import annotations

from datetime import datetime

from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.extraction import ExtractionError, extract_article
from crawler.urls import canonical_url
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
    """Run the extraction cascade with the outlet's profile on each fetched article page."""

    async def process_item(self, item: dict) -> dict:
        """Extract the page (in a worker thread with NEWSCRAWL_EXTRACT_IN_THREAD).

        The archive connection belongs to the reactor thread: everything after extraction
        (recording failures, deciding the key) happens here.
        """
        spider = self.spider
        session = spider.session
        profile = spider.outlet.profile
        kwargs = {
            "profile": profile,
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
        if article.word_count < self.crawler.settings.getint("NEWSCRAWL_MIN_WORDS", 15):
            session.failed(item["archive_url"], item["status"], "no article text found on the page")
            raise DropItem(f"{item['archive_url']}: no article text")
        if session.too_old(article.published_at):
            # --since: found through an undated link, older than asked for; not archived, not an error
            session.skipped(item["archive_url"], article.published_at)
            raise DropItem(f"{item['archive_url']}: published before --since")
        final = canonical_url(item["url"])
        if final != item["archive_url"] and not spider.outlet.is_article(final):
            # a removed article redirecting to the home or a section page: not a new version of it
            session.failed(
                item["archive_url"],
                item["status"],
                f"redirected to a page that is not an article: {item['url']}",
            )
            raise DropItem(f"{item['archive_url']}: redirected to {item['url']}")
        article.outlet = spider.outlet.name
        article.url = self.archive_key(spider, item, article)
        # the archive keys on the canonical URL; a page's own canonical link is kept only when trusted
        article.canonical_url = article.url
        item["article"] = article
        return item

    @staticmethod
    def archive_key(spider, item: dict, article) -> str:
        """The page's own canonical link wins only when it points to an article of the same outlet."""
        declared = article.canonical_url
        if declared and spider.outlet.is_article(declared):
            return canonical_url(declared)
        return canonical_url(item["url"]) if spider.outlet.is_article(item["url"]) else item["archive_url"]


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
