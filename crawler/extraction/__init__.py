"""Article extraction: clean text, metadata and images from one HTML page.

``extract_article`` is the single entry point used by the spider, ``newscrawl fetch`` and
re-extraction; outlet specifics live in ``Profile`` objects registered by ``spiders/``.
"""

from crawler.extraction.article import extract_article
from crawler.extraction.dates import parse_date, to_iso
from crawler.extraction.errors import ExtractionError
from crawler.extraction.profile import (
    GENERIC_PROFILE,
    Profile,
)

__all__ = [
    "GENERIC_PROFILE",
    "ExtractionError",
    "Profile",
    "extract_article",
    "parse_date",
    "to_iso",
]
