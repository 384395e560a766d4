"""The archive API in one import: ``from storage.archive import open_archive, upsert_article, ...``.

The work is split by concern (opening and transactions, articles and pages,
runs and errors, frontier, search); this module only gathers the public names
so callers need not know that layout.
"""

from storage.articles import (
    Stored,
    UpsertResult,
    ensure_outlet,
    get_article,
    get_page,
    known_article,
    latest_pages,
    record_page,
    set_page_encoding,
    store_article,
    touch_article,
    upsert_article,
)
from storage.clock import iso, parse_iso, to_utc_iso, utcnow
from storage.crawllog import (
    RUN_COUNTS,
    RUN_STATUSES,
    abort_stale_runs,
    clear_error,
    finish_run,
    record_error,
    start_run,
)
from storage.db import ArchiveError, Batch, check_writable, describe_error, open_archive, transaction
from storage.frontier import (
    FRONTIER_STATES,
    frontier_add,
    frontier_counts,
    frontier_get,
    frontier_mark,
    frontier_pending,
    frontier_skip,
)
from storage.records import Article, ImageRef, content_hash
from storage.search import search

__all__ = [
    "FRONTIER_STATES",
    "RUN_COUNTS",
    "RUN_STATUSES",
    "ArchiveError",
    "Batch",
    "UpsertResult",
    "abort_stale_runs",
    "check_writable",
    "clear_error",
    "content_hash",
    "describe_error",
    "ensure_outlet",
    "finish_run",
    "frontier_add",
    "frontier_counts",
    "frontier_get",
    "frontier_mark",
    "frontier_pending",
    "frontier_skip",
    "get_article",
    "get_page",
    "known_article",
    "latest_pages",
    "set_page_encoding",
    "open_archive",
    "record_error",
    "record_page",
    "search",
    "start_run",
    "touch_article",
    "transaction",
    "upsert_article",
    "utcnow",
    "iso",
    "parse_iso",
    "to_utc_iso",
    "Article",
    "ImageRef",
    "Stored",
    "store_article",
]
