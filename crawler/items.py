"""The article records, re-exported from :mod:`storage.records` where they live.

Storage must not import the crawler, so the records moved below both; this module keeps
``from crawler.items import Article`` working for the crawler side.
"""

from storage.records import VERSIONED_FIELDS, Article, ImageRef, content_hash

__all__ = ["VERSIONED_FIELDS", "Article", "ImageRef", "content_hash"]
