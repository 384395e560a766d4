"""Articles, their images, their old versions and the raw pages behind them.

One row per archive key (the article's canonical URL): re-crawling an article either only
touches ``last_fetched_at`` and the page's bookkeeping (same version hash) or archives the
previous reader-visible fields in ``article_versions``, naming which changed, before
overwriting, so every edit by the outlet stays visible. The version hash is
:func:`storage.records.content_hash` over ``VERSIONED_FIELDS``.
"""

from __future__ import annotations

import functools
import gzip
import json
from typing import Any, Literal, NamedTuple
from urllib.parse import urlsplit

from sqlite_utils import Database

from storage.clock import iso, to_utc_iso
from storage.db import row_dicts, transaction
from storage.records import VERSIONED_FIELDS, Article, ImageRef, content_hash, versioned_values
from storage.searchindex import folded, index_article, reindex_article

UpsertResult = Literal["new", "updated", "unchanged"]

# Columns describing the page rather than what a reader sees: refreshed on every store, never versioned.
_BOOKKEEPING = ("canonical_url", "outlet", "language", "word_count", "provenance")


class Stored(NamedTuple):
    """What storing an article did: ``outcome`` and, for an update, the fields that changed."""

    outcome: UpsertResult
    changed: tuple[str, ...] = ()


def ensure_outlet(db: Database, name: str | None, base_url: str | None = None, *, page_url: str = "") -> None:
    """Register an outlet the first time anything is stored for it.

    ``page_url``: a page of the outlet, whose base URL is taken only when the outlet is not
    known yet (parsing a URL per stored article was a measurable share of storing it).
    """
    if not name:
        return
    known = db.__dict__.setdefault("_newscrawl_outlets", set())
    if name in known:  # registered with its base URL by this connection already
        return
    base_url = base_url or _base_url(page_url)
    # The WHERE makes the common case (outlet known, base_url set) a read, not a row rewrite.
    db.execute(
        "INSERT INTO outlets (name, base_url, added_at) VALUES (?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET base_url = excluded.base_url "
        "WHERE outlets.base_url IS NULL AND excluded.base_url IS NOT NULL",
        [name, base_url, iso()],
    )
    if base_url:
        known.add(name)


def _base_url(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else None


def _content_columns(article: Article) -> dict[str, Any]:
    published_utc = to_utc_iso(article.published_at)
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
        "content_hash": content_hash(article),
        "provenance": json.dumps(article.provenance, ensure_ascii=False),
        "published_utc": published_utc,
        "day": published_utc[:10] if published_utc else None,
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
    _insert_images(db, article_id, images)


def _insert_images(db: Database, article_id: int, images: list[ImageRef]) -> None:
    if not images:
        return
    db.conn.executemany(
        "INSERT INTO images (article_id, url, caption, alt, position) VALUES (?, ?, ?, ?, ?)",
        [(article_id, img.url, img.caption, img.alt, img.position) for img in images],
    )


def upsert_article(
    db: Database, article: Article, *, page: dict | None = None, fetched_at: str | None = None
) -> UpsertResult:
    """Store ``article`` (and its raw ``page``); say whether it was new, updated or unchanged."""
    return store_article(db, article, page=page, fetched_at=fetched_at).outcome


def store_article(
    db: Database, article: Article, *, page: dict | None = None, fetched_at: str | None = None
) -> Stored:
    """Store ``article`` (and its raw ``page``); return the outcome and which fields changed.

    ``article.url`` is the archive key. ``page`` has the keys of :func:`record_page`
    (``url``, ``status``, ``headers``, ``body`` bytes, ``encoding``, ``etag``,
    ``last_modified``); its encoding defaults to ``article.encoding``.
    """
    key = article.url
    if not key:
        raise ValueError("article has no url")
    now = fetched_at or iso()
    values = _content_columns(article)
    article.content_hash = values["content_hash"]  # the record carries the hash the archive keeps
    with transaction(db):
        ensure_outlet(db, article.outlet, page_url=key)
        # A new URL (the common case in a crawl) costs one statement: the insert
        # does nothing for a known URL, which then takes the SELECT below.
        columns = {"url": key, **values, "first_seen_at": now, "last_fetched_at": now, "version": 1}
        inserted = db.execute(_insert_sql(tuple(columns)), list(columns.values())).fetchall()
        if inserted:
            article_id = inserted[0][0]
            index_article(db, article_id, folded(article.title, article.lede, article.text))
            _insert_images(db, article_id, article.images)
            result = Stored("new")
        else:
            article_id, result = _update_existing(db, key, article, values, now)
        if page is not None:
            page = {**page, "encoding": page.get("encoding") or article.encoding}
            record_page(db, outlet=article.outlet, article_id=article_id, fetched_at=now, **page)
    return result


def _update_existing(
    db: Database, key: str, article: Article, values: dict[str, Any], now: str
) -> tuple[int, Stored]:
    """Refresh a known article; archive its previous version first when a reader-visible field changed."""
    old = get_article(db, key)
    (article_id, old_hash, version) = db.execute(
        "SELECT id, content_hash, version FROM articles WHERE url = ?", [key]
    ).fetchone()
    if old_hash == values["content_hash"]:
        keep = {name: values[name] for name in _BOOKKEEPING}
        assignments = ", ".join(f"{name} = ?" for name in keep)
        db.execute(
            f"UPDATE articles SET {assignments}, last_fetched_at = ? WHERE id = ?",
            [*keep.values(), now, article_id],
        )
        return article_id, Stored("unchanged")
    before, after = versioned_values(old), versioned_values(article)
    changed = tuple(name for name in VERSIONED_FIELDS if before[name] != after[name])
    db.execute(
        "INSERT INTO article_versions (article_id, version, title, lede, text, section, tags, authors, "
        "published_at, modified_at, images, content_hash, changed, replaced_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            article_id,
            version,
            old.title,
            old.lede,
            old.text,
            old.section,
            json.dumps(before["tags"], ensure_ascii=False),
            json.dumps(before["authors"], ensure_ascii=False),
            old.published_at,
            old.modified_at,
            json.dumps(before["images"], ensure_ascii=False),
            old_hash,
            json.dumps(list(changed)),
            now,
        ],
    )
    assignments = ", ".join(f"{name} = ?" for name in values)
    db.execute(
        f"UPDATE articles SET {assignments}, last_fetched_at = ?, version = ? WHERE id = ?",
        [*values.values(), now, version + 1, article_id],
    )
    reindex_article(db, article_id, old, folded(article.title, article.lede, article.text))
    _replace_images(db, article_id, article.images)
    return article_id, Stored("updated", changed)


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
        ensure_outlet(db, outlet, page_url=url)
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
                fetched_at or iso(),
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
        db.execute("UPDATE articles SET last_fetched_at = ? WHERE id = ?", [fetched_at or iso(), article_id])
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
    """Rebuild the stored :class:`Article` (with images) for an archive key or fetched URL."""
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


def latest_pages(db: Database, outlet: str | None = None) -> list[tuple[str, str | None, str]]:
    """``(archive key, outlet, page url)`` of every article with its most recently fetched page."""
    where, params = ("WHERE a.outlet = ?", [outlet]) if outlet else ("", [])
    return db.execute(
        "SELECT a.url, a.outlet, p.url FROM articles a JOIN pages p ON p.id = ("
        "  SELECT id FROM pages WHERE article_id = a.id ORDER BY fetched_at DESC LIMIT 1) "
        f"{where} ORDER BY a.id",
        params,
    ).fetchall()


def set_page_encoding(db: Database, url: str, encoding: str | None) -> None:
    """Record the charset a stored page decodes with (re-extraction may decide it better)."""
    if encoding:
        with transaction(db):
            db.execute("UPDATE pages SET encoding = ? WHERE url = ?", [encoding, url])
