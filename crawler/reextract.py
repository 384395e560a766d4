"""Re-running extraction over stored pages, so a better profile improves the whole archive offline.

Pages are kept compressed in the archive; re-extraction reads them back, runs the same
``extract_article`` and the same acceptance rule the crawl uses, and stores a new version only
where a reader-visible field changed. Writes are group-committed like the crawl's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from crawler.acceptance import admit, page_encoding
from crawler.extraction import ExtractionError, extract_article
from crawler.outlet import all_outlets
from storage import archive
from storage.clock import parse_iso


@dataclass
class ReextractReport:
    """How many articles each outcome had, and how often each field changed."""

    counts: Counter = field(default_factory=Counter)
    fields: Counter = field(default_factory=Counter)


def reextract(
    db, outlet: str | None = None, on_progress: Callable[[int, int], None] | None = None
) -> ReextractReport:
    """Re-extract the latest stored page of every article (of ``outlet``); count outcomes and fields."""
    outlets = all_outlets()
    rows = archive.latest_pages(db, outlet)
    report = ReextractReport()
    with archive.Batch(db, every=200, seconds=1.0) as batch:
        for done, (article_url, article_outlet, page_url) in enumerate(rows, 1):
            page = archive.get_page(db, page_url)
            config = outlets.get(article_outlet)
            try:
                article = extract_article(
                    page["body"] or b"",
                    page_url,
                    profile=config.extraction_profile if config else None,
                    headers=page["headers"],
                    fetched_at=parse_iso(page["fetched_at"]),
                )
            except ExtractionError:
                report.counts["failed"] += 1
                continue
            refused = admit(
                article, outlet=config, requested_url=article_url, final_url=page_url, rekey=False
            )
            if refused is not None:
                report.counts["failed"] += 1
                continue
            article.url = article_url
            article.outlet = article_outlet
            stored = archive.store_article(db, article, fetched_at=page["fetched_at"])
            archive.set_page_encoding(
                db, page_url, page_encoding(article, page["body"] or b"", page["headers"])
            )
            report.counts[stored.outcome] += 1
            report.fields.update(stored.changed)
            batch.step()
            if on_progress:
                on_progress(done, len(rows))
    return report
