"""What Scrapy's feed exports see: the flat article records ``newscrawl export`` writes.

Without this, ``scrapy crawl OUTLET -O file.jsonl`` would write the pipeline's internal
wrapper (raw page bytes, headers, an ``Article`` object). The last pipeline turns each stored
article into the exported shape, with its archive ``id`` and ``first_seen_at``.
"""

from __future__ import annotations

from typing import Any

from storage.export import flat_record


class FlatItemPipeline:
    """Replace the internal item by the flat export record of the article it stored."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        article = item.get("article") if isinstance(item, dict) else None
        if article is None:
            return item
        session = self.crawler.spider.session
        row = session.db.execute(
            "SELECT id, first_seen_at FROM articles WHERE url = ?", [article.url]
        ).fetchone()
        id_, first_seen_at = row if row else (None, None)
        return flat_record(article.to_dict(), id_, first_seen_at)
