"""Re-running extraction over stored pages, so a better profile improves the whole archive offline.

Pages are kept compressed in the archive; re-extraction reads them back, runs the same
``extract_article`` the crawl uses, and stores a new version only where the result changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime

from crawler.extraction import ExtractionError, extract_article
from crawler.outlet import all_outlets
from crawler.settings import NEWSCRAWL_MIN_WORDS
from storage import archive


def reextract(
    db, outlet: str | None = None, on_progress: Callable[[int, int], None] | None = None
) -> Counter:
    """Re-extract the latest stored page of every article (of ``outlet``); count the outcomes."""
    outlets = all_outlets()
    where, params = ("WHERE a.outlet = ?", [outlet]) if outlet else ("", [])
    rows = db.execute(
        "SELECT a.url, a.outlet, p.url FROM articles a JOIN pages p ON p.id = ("
        "  SELECT id FROM pages WHERE article_id = a.id ORDER BY fetched_at DESC LIMIT 1) "
        f"{where} ORDER BY a.id",
        params,
    ).fetchall()
    counts: Counter = Counter()
    for done, (article_url, article_outlet, page_url) in enumerate(rows, 1):
        page = archive.get_page(db, page_url)
        config = outlets.get(article_outlet)
        try:
            article = extract_article(
                page["body"] or b"",
                page_url,
                profile=config.profile if config else None,
                headers=page["headers"],
                fetched_at=datetime.fromisoformat(page["fetched_at"]),
            )
        except ExtractionError:
            counts["failed"] += 1
            continue
        if article.word_count < NEWSCRAWL_MIN_WORDS:
            counts["failed"] += 1
            continue
        article.url = article_url
        article.canonical_url = article_url
        article.outlet = article_outlet
        counts[archive.upsert_article(db, article, fetched_at=page["fetched_at"])] += 1
        if on_progress:
            on_progress(done, len(rows))
    return counts
