"""The records the whole pipeline passes around.

One dataclass for an article and one for an image reference, so the spider,
``newscrawl fetch``, re-extraction and the archive all speak the same shape;
``newscrawl extract`` prints exactly these fields as JSON keys.
"""

from __future__ import annotations

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

    Datetimes are UTC ISO 8601 strings (``2026-01-05T12:30:00+00:00``) so they
    sort and compare as text in SQLite. ``provenance`` maps a field name to
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
