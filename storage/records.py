"""The records the whole pipeline passes around, and the hash that versions them.

One dataclass for an article and one for an image reference, so the spider,
``newscrawl fetch``, re-extraction and the archive all speak the same shape;
``newscrawl extract`` prints exactly these fields as JSON keys. They live in ``storage`` so
the archive needs nothing from the crawler (``crawler.items`` re-exports them).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ImageRef:
    """An image inside the article body.

    ``position`` is the index of the body paragraph the image follows
    (0 = before the first paragraph), so a reader can put it back in place.
    """

    url: str
    caption: str | None = None
    alt: str | None = None
    position: int = 0


@dataclass
class Article:
    """A cleaned article with its metadata.

    ``published_at``/``modified_at`` are ISO 8601 text as the page gave them (its own
    offset, or a date alone); the archive adds a sortable UTC copy. ``url`` is the archive
    key, ``canonical_url`` the canonical link the page declared (None when it declared
    none), ``encoding`` the charset the page was decoded with. ``provenance`` maps a field name to
    where its value came from (``outlet``, ``json-ld``, ``meta``,
    ``trafilatura``, ``visible``, ``url``...), so a wrong value can be traced.
    """

    url: str
    canonical_url: str | None = None
    outlet: str | None = None
    title: str | None = None
    lede: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    modified_at: str | None = None
    language: str | None = None
    text: str = ""
    images: list[ImageRef] = field(default_factory=list)
    word_count: int = 0
    content_hash: str = ""
    provenance: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        values["images"] = [
            img if isinstance(img, ImageRef) else ImageRef(**img) for img in values.get("images") or []
        ]
        return cls(**values)


# What a reader sees of an article: a change to any of these is a new version.
VERSIONED_FIELDS = (
    "title",
    "lede",
    "text",
    "section",
    "tags",
    "authors",
    "published_at",
    "modified_at",
    "images",
)


def versioned_values(article: Article) -> dict[str, Any]:
    """The reader-visible fields of ``article`` in a form that compares and hashes stably."""
    return {
        "title": article.title or None,
        "lede": article.lede or None,
        "text": article.text or "",
        "section": article.section or None,
        "tags": list(article.tags or []),
        "authors": list(article.authors or []),
        "published_at": article.published_at or None,
        "modified_at": article.modified_at or None,
        "images": [[img.url, img.caption, img.alt, img.position] for img in article.images or []],
    }


def content_hash(article: Article) -> str:
    """The version hash: SHA-256 over every field in ``VERSIONED_FIELDS``."""
    payload = json.dumps(versioned_values(article), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
