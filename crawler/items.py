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

    ``published_at`` and ``modified_at`` are ISO 8601 strings saying exactly what the
    page says, never more:

    - ``2025-03-04``: the page gives a date without a time (no invented midnight or zone);
    - ``2025-03-04T18:05:00+02:00``: a time with the page's own UTC offset (kept, not
      converted, so the string shows the page's own calendar day), or a naive time printed on
      an outlet's own pages read in the outlet's declared zone;
    - ``2025-03-04T18:05:00``: a naive time on a page whose zone nobody declared.

    These strings do not sort as instants across offsets; ordering by time needs the instant
    (``crawler.extraction.dates.to_utc_iso``), which storage keeps beside them.
    ``encoding`` is the charset the page's bytes were decoded with (``utf-8``, ``cp1253``...;
    ``unicode`` when text was given). ``provenance`` maps a field name to where its value came
    from (``outlet``, ``json-ld``, ``meta``, ``trafilatura``, ``visible``, ``url``...), so a
    wrong value can be traced.
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
