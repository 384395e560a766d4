"""Image bytes in the archive: thumbnails (and, on request, originals) keyed by content hash.

The ``images`` table says which picture sits where in an article; this module keeps the
picture itself, so the archive still shows it once the outlet has renamed, deleted or
stopped serving it. One row per distinct content (``image_files``) and one per address it
was fetched from (``image_urls``), so a logo or a stock photo used by a thousand articles
is stored once and fetched once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlite_utils import Database

from storage.clock import iso
from storage.db import transaction


@dataclass
class StoredImage:
    """What one fetched picture became: its hash and the thumbnail made from it."""

    url: str
    hash: str
    mime_type: str | None
    width: int
    height: int
    bytes: int
    thumbnail: bytes
    thumb_width: int
    thumb_height: int
    original: bytes | None = None


def content_key(body: bytes) -> str:
    """SHA-256 of the original bytes: the same picture under two URLs gets one row."""
    return hashlib.sha256(body).hexdigest()


def known_image(db: Database, url: str) -> str | None:
    """The content hash stored for ``url``, or None when it was never fetched successfully."""
    row = db.execute("SELECT hash FROM image_urls WHERE url = ?", [url]).fetchone()
    return row[0] if row else None


def store_image(db: Database, image: StoredImage) -> None:
    """Keep ``image`` and map its URL to it, in one transaction.

    A picture already stored under another URL only gains the mapping; an original kept
    by a later ``--full-images`` crawl is added to a row that had only the thumbnail.
    """
    now = iso()
    with transaction(db):
        db.execute(
            "INSERT INTO image_files (hash, url, mime_type, width, height, bytes, thumb_width, thumb_height, "
            "thumbnail, original, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(hash) DO UPDATE SET original = COALESCE(image_files.original, excluded.original)",
            [
                image.hash,
                image.url,
                image.mime_type,
                image.width,
                image.height,
                image.bytes,
                image.thumb_width,
                image.thumb_height,
                image.thumbnail,
                image.original,
                now,
            ],
        )
        db.execute(
            "INSERT INTO image_urls (url, hash, fetched_at) VALUES (?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET hash = excluded.hash, fetched_at = excluded.fetched_at",
            [image.url, image.hash, now],
        )


def image_counts(db: Database) -> dict[str, int]:
    """Distinct pictures kept, addresses mapped to them, and article images still without one."""
    files = db.execute("SELECT count(*) FROM image_files").fetchone()[0]
    urls = db.execute("SELECT count(*) FROM image_urls").fetchone()[0]
    missing = db.execute(
        "SELECT count(*) FROM images WHERE url NOT IN (SELECT url FROM image_urls)"
    ).fetchone()[0]
    return {"files": files, "urls": urls, "missing": missing}
