"""Articles, their images, their old versions and the raw pages behind them.

One row per canonical URL: re-crawling an article either only touches
``last_fetched_at`` (same content hash) or archives the previous title, lede
and text in ``article_versions`` before overwriting, so edits by the outlet
stay visible.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import re
from typing import Any, Literal
from urllib.parse import urlsplit

from sqlite_utils import Database

from crawler.items import Article, ImageRef
from storage.db import row_dicts, transaction, utcnow
from storage.textnorm import fold

UpsertResult = Literal["new", "updated", "unchanged"]

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def content_hash(article: Article) -> str:
    """Hash of what a reader sees; used when the extractor supplied none."""
    payload = "\x1f".join([article.title or "", article.lede or "", article.text or ""])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def ensure_outlet(db: Database, name: str | None, base_url: str | None = None) -> None:
    """Register an outlet the first time anything is stored for it."""
    if not name:
        return
    # The WHERE makes the common case (outlet known, base_url set) a read, not a row rewrite.
    db.execute(
        "INSERT INTO outlets (name, base_url, added_at) VALUES (?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET base_url = excluded.base_url "
        "WHERE outlets.base_url IS NULL AND excluded.base_url IS NOT NULL",
        [name, base_url, utcnow()],
    )


def _base_url(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else None


def _content_columns(article: Article) -> dict[str, Any]:
    published = article.published_at or ""
    day = _DAY.match(published)
    return {
        "canonical_url": article.canonical_url,
        "outlet": article.outlet,
        "title": article.title,
        "lede": article.lede,
        "section": article.section,
        "tags": json.dumps(list(article.tags), ensure_ascii=False),
        "authors": json.dumps(list(article.authors), ensure_ascii=False),
        "published_at": article.published_at,
        "modified_at": article.modified_at,
        "language": article.language,
        "text": article.text or "",
        "word_count": article.word_count or len((article.text or "").split()),
        "content_hash": article.content_hash or content_hash(article),
        "provenance": json.dumps(article.provenance, ensure_ascii=False),
        "day": day.group(0) if day else None,
        "title_norm": fold(article.title),
        "lede_norm": fold(article.lede),
        "text_norm": fold(article.text),
    }


@functools.cache
def _insert_sql(names: tuple[str, ...]) -> str:
    """The same text every time, so sqlite3's statement cache reuses the prepared statement."""
    marks = ", ".join("?" for _ in names)
    return (
        f"INSERT INTO articles ({', '.join(names)}) VALUES ({marks}) ON CONFLICT(url) DO NOTHING RETURNING id"
    )


def _replace_images(db: Database, article_id: int, images: list[ImageRef]) -> None:
    db.execute("DELETE FROM images WHERE article_id = ?", [article_id])
    if not images:
        return
    db.conn.executemany(
        "INSERT INTO images (article_id, url, caption, alt, position) VALUES (?, ?, ?, ?, ?)",
        [(article_id, img.url, img.caption, img.alt, img.position) for img in images],
    )


def upsert_article(
    db: Database, article: Article, *, page: dict | None = None, fetched_at: str | None = None
) -> UpsertResult:
    """Store ``article`` (and its raw ``page``); say whether it was new, updated or unchanged.

    ``page`` has the keys of :func:`record_page` (``url``, ``status``,
    ``headers``, ``body`` bytes, ``encoding``, ``etag``, ``last_modified``).
    """
    key = article.canonical_url or article.url
    if not key:
        raise ValueError("article has no url")
    now = fetched_at or utcnow()
    values = _content_columns(article)
    with transaction(db):
        ensure_outlet(db, article.outlet, _base_url(key))
        # A new URL (the common case in a crawl) costs one statement: the insert
        # does nothing for a known URL, which then takes the SELECT below.
        columns = {"url": key, **values, "first_seen_at": now, "last_fetched_at": now, "version": 1}
        inserted = db.execute(_insert_sql(tuple(columns)), list(columns.values())).fetchall()
        row = None
        if not inserted:
            row = db.execute(
                "SELECT id, content_hash, version, title, lede, text, modified_at FROM articles WHERE url = ?",
                [key],
            ).fetchone()
        if row is None:
            article_id = inserted[0][0]
            _replace_images(db, article_id, article.images)
            result: UpsertResult = "new"
        else:
            article_id, old_hash, version, title, lede, text, modified_at = row
            if old_hash == values["content_hash"]:
                db.execute("UPDATE articles SET last_fetched_at = ? WHERE id = ?", [now, article_id])
                result = "unchanged"
            else:
                db.execute(
                    "INSERT INTO article_versions (article_id, version, title, lede, text, content_hash, "
                    "modified_at, replaced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [article_id, version, title, lede, text, old_hash, modified_at, now],
                )
                assignments = ", ".join(f"{name} = ?" for name in values)
                db.execute(
                    f"UPDATE articles SET {assignments}, last_fetched_at = ?, version = ? WHERE id = ?",
                    [*values.values(), now, version + 1, article_id],
                )
                _replace_images(db, article_id, article.images)
                result = "updated"
        if page is not None:
            record_page(db, outlet=article.outlet, article_id=article_id, fetched_at=now, **page)
    return result


def record_page(
    db: Database,
    url: str,
    *,
    outlet: str | None = None,
    status: int | None = None,
    headers: dict | None = None,
    body: bytes | None = None,
    encoding: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    article_id: int | None = None,
    fetched_at: str | None = None,
) -> int:
    """Store the raw fetched page (gzip-compressed) keyed by the fetched URL; return its id.

    Keeping the bytes lets articles be re-extracted later without refetching,
    and ``etag``/``last_modified`` allow conditional requests on the next crawl.
    """
    if isinstance(body, str):
        body = body.encode(encoding or "utf-8")
    compressed = gzip.compress(body, compresslevel=6, mtime=0) if body is not None else None
    with transaction(db):
        ensure_outlet(db, outlet, _base_url(url))
        row = db.execute(
            "INSERT INTO pages (url, outlet, article_id, status, headers, fetched_at, etag, last_modified, "
            "encoding, html_gz) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET outlet = COALESCE(excluded.outlet, pages.outlet), "
            "article_id = COALESCE(excluded.article_id, pages.article_id), status = excluded.status, "
            "headers = excluded.headers, fetched_at = excluded.fetched_at, etag = excluded.etag, "
            "last_modified = excluded.last_modified, encoding = excluded.encoding, "
            "html_gz = COALESCE(excluded.html_gz, pages.html_gz) RETURNING id",
            [
                url,
                outlet,
                article_id,
                status,
                json.dumps(headers or {}, ensure_ascii=False),
                fetched_at or utcnow(),
                etag,
                last_modified,
                encoding,
                compressed,
            ],
        ).fetchall()[0]
    return row[0]


def get_page(db: Database, url: str) -> dict | None:
    """The stored page for a fetched URL, with ``body`` decompressed back to bytes."""
    rows = row_dicts(db.execute("SELECT * FROM pages WHERE url = ?", [url]))
    if not rows:
        return None
    page = rows[0]
    blob = page.pop("html_gz")
    page["body"] = gzip.decompress(blob) if blob is not None else None
    page["headers"] = json.loads(page["headers"]) if page["headers"] else {}
    return page


def _find_article_id(db: Database, url: str) -> int | None:
    row = db.execute(
        "SELECT id FROM articles WHERE url = ? "
        "UNION ALL SELECT article_id FROM pages WHERE url = ? AND article_id IS NOT NULL LIMIT 1",
        [url, url],
    ).fetchone()
    return row[0] if row else None


def touch_article(db: Database, url: str, fetched_at: str | None = None) -> bool:
    """Record that ``url`` was checked and had not changed (a 304); False if it is unknown."""
    article_id = _find_article_id(db, url)
    if article_id is None:
        return False
    with transaction(db):
        db.execute(
            "UPDATE articles SET last_fetched_at = ? WHERE id = ?", [fetched_at or utcnow(), article_id]
        )
    return True


def known_article(db: Database, url: str) -> dict | None:
    """What the archive knows about ``url`` (canonical or fetched) to decide whether to refetch.

    Keys: ``id``, ``url``, ``published_at``, ``modified_at``, ``last_fetched_at``,
    ``content_hash``, ``version``, ``etag``, ``last_modified`` (the last two from
    the page fetched at ``url`` if there is one, else from its latest page).
    """
    article_id = _find_article_id(db, url)
    if article_id is None:
        return None
    (info,) = row_dicts(
        db.execute(
            "SELECT id, url, published_at, modified_at, last_fetched_at, content_hash, version "
            "FROM articles WHERE id = ?",
            [article_id],
        )
    )
    page = db.execute(
        "SELECT etag, last_modified FROM pages WHERE article_id = ? "
        "ORDER BY url = ? DESC, fetched_at DESC LIMIT 1",
        [article_id, url],
    ).fetchone()
    info["etag"], info["last_modified"] = page if page else (None, None)
    return info


def get_article(db: Database, url: str) -> Article | None:
    """Rebuild the stored :class:`Article` (with images) for a canonical or fetched URL."""
    article_id = _find_article_id(db, url)
    if article_id is None:
        return None
    (data,) = row_dicts(db.execute("SELECT * FROM articles WHERE id = ?", [article_id]))
    for name in ("tags", "authors"):
        data[name] = json.loads(data[name]) if data[name] else []
    data["provenance"] = json.loads(data["provenance"]) if data["provenance"] else {}
    data["text"] = data["text"] or ""
    data["images"] = [
        ImageRef(url=u, caption=c, alt=a, position=p)
        for u, c, a, p in db.execute(
            "SELECT url, caption, alt, position FROM images WHERE article_id = ? ORDER BY position, id",
            [article_id],
        )
    ]
    return Article.from_dict(data)
