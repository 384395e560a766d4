"""The crawl frontier: URLs discovered from feeds, sitemaps and section pages.

It lives in the archive so a crawl interrupted today resumes tomorrow with
what it had discovered, and so sitemap ``lastmod`` changes re-queue articles
the outlet has edited.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from storage.clock import iso, to_utc_iso
from storage.db import row_dicts, transaction

FRONTIER_STATES = ("pending", "done", "error", "gone")
_COLUMNS = (
    "url",
    "outlet",
    "source",
    "discovered_at",
    "lastmod",
    "news_title",
    "news_publication_date",
    "sitemap_images",
)


def frontier_add(db: Database, rows: list[dict]) -> int:
    """Add discovered URLs; return how many were new.

    Known URLs are left alone, except that a newer ``lastmod`` is recorded
    and re-queues the URL (state back to 'pending', due now), and missing
    sitemap metadata is filled in.
    """
    now = iso()
    params = []
    for row in rows:
        if not row.get("url") or not row.get("outlet"):
            raise ValueError(f"frontier row needs 'url' and 'outlet': {row!r}")
        values = {name: row.get(name) for name in _COLUMNS}
        values["discovered_at"] = values["discovered_at"] or now
        images = values["sitemap_images"]
        if images is not None and not isinstance(images, str):
            values["sitemap_images"] = json.dumps(images, ensure_ascii=False)
        params.append([values[name] for name in _COLUMNS])
    newer = "(excluded.lastmod IS NOT NULL AND frontier.lastmod IS NOT NULL AND excluded.lastmod > frontier.lastmod)"
    sql = (
        f"INSERT INTO frontier ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)}) "
        "ON CONFLICT(url) DO UPDATE SET "
        f"state = CASE WHEN {newer} THEN 'pending' ELSE frontier.state END, "
        f"next_visit_at = CASE WHEN {newer} THEN NULL ELSE frontier.next_visit_at END, "
        f"lastmod = CASE WHEN {newer} OR frontier.lastmod IS NULL THEN excluded.lastmod ELSE frontier.lastmod END, "
        "news_title = COALESCE(frontier.news_title, excluded.news_title), "
        "news_publication_date = COALESCE(frontier.news_publication_date, excluded.news_publication_date), "
        "sitemap_images = COALESCE(frontier.sitemap_images, excluded.sitemap_images)"
    )
    urls = list({p[0] for p in params})
    with transaction(db):
        # count what is already known among these URLs (indexed), not the whole table
        known = sum(
            db.execute(
                f"SELECT count(*) FROM frontier WHERE url IN ({', '.join('?' for _ in chunk)})", chunk
            ).fetchone()[0]
            for chunk in (urls[i : i + 500] for i in range(0, len(urls), 500))
        )
        db.conn.executemany(sql, params)
    return len(urls) - known


def frontier_pending(db: Database, outlet: str, limit: int | None = None) -> list[dict]:
    """URLs of ``outlet`` due for a visit, newest first.

    Due means 'pending' (and ``next_visit_at`` unset or past), or 'done'/'error'
    with a ``next_visit_at`` that has passed; 'gone' URLs are never returned.
    """
    now = iso()
    sql = (
        "SELECT * FROM frontier WHERE outlet = ? AND ("
        "(state = 'pending' AND (next_visit_at IS NULL OR next_visit_at <= ?)) "
        "OR (state IN ('done', 'error') AND next_visit_at IS NOT NULL AND next_visit_at <= ?)) "
        "ORDER BY COALESCE(news_publication_date, lastmod, discovered_at) DESC, discovered_at, url"
    )
    params: list = [outlet, now, now]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    result = row_dicts(db.execute(sql, params))
    for item in result:
        item["sitemap_images"] = json.loads(item["sitemap_images"]) if item["sitemap_images"] else []
    return result


def frontier_mark(db: Database, url: str, state: str, next_visit_at: str | None = None) -> bool:
    """Set the state of a frontier URL; False if unknown.

    Only a successful visit ('done') counts as a rung of the revisit ladder: a failed fetch
    must not push the next revisit of an article further out.
    """
    if state not in FRONTIER_STATES:
        raise ValueError(f"unknown frontier state {state!r}; expected one of {', '.join(FRONTIER_STATES)}")
    visited = 1 if state == "done" else 0
    with transaction(db):
        cursor = db.execute(
            "UPDATE frontier SET state = ?, next_visit_at = ?, visits = visits + ? WHERE url = ?",
            [state, next_visit_at, visited, url],
        )
    return cursor.rowcount > 0


def frontier_counts(db: Database, outlet: str | None = None) -> dict[str, int]:
    """Number of frontier URLs per state (all states present, zero if none)."""
    sql = "SELECT state, count(*) FROM frontier"
    params: list = []
    if outlet is not None:
        sql += " WHERE outlet = ?"
        params.append(outlet)
    counts = dict.fromkeys(FRONTIER_STATES, 0)
    counts.update(dict(db.execute(sql + " GROUP BY state", params).fetchall()))
    return counts


def frontier_get(db: Database, url: str) -> dict | None:
    """The frontier row of ``url``, or None when it was never discovered."""
    rows = row_dicts(db.execute("SELECT * FROM frontier WHERE url = ?", [url]))
    return rows[0] if rows else None


def frontier_skip(db: Database, url: str, published_at: str | None) -> None:
    """Leave ``url`` pending with its publication date (sortable UTC), e.g. when older than ``--since``.

    A later crawl with the same cutoff then skips it without fetching, and one without a cutoff
    archives it.
    """
    with transaction(db):
        db.execute(
            "UPDATE frontier SET state = 'pending', news_publication_date = "
            "COALESCE(news_publication_date, ?) WHERE url = ?",
            [to_utc_iso(published_at), url],
        )
