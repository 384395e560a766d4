"""The open real-page set: real article pages with the truth their public source gives.

One folder per source under ``realpages/`` (``<id>.html.gz`` + ``truth.json``, see
``SOURCES.md``). Each page carries its ``split``: tune the extractor on ``tune`` pages only and
report ``check`` apart, so a gain that only holds on the pages it was tuned on shows up.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

REALPAGES = Path(__file__).resolve().parent / "realpages"
SPLITS = ("tune", "check")


@dataclass(frozen=True)
class RealPage:
    """One page and its truth; a field the source does not give is None or empty."""

    source: str
    page_id: str
    split: str
    url: str | None
    html: bytes
    text: str | None = None
    must_have: tuple[str, ...] = field(default_factory=tuple)
    must_not_have: tuple[str, ...] = field(default_factory=tuple)
    title: str | None = None
    date: str | None = None


def sources(root: Path = REALPAGES) -> list[str]:
    """Names of the sources present (folders holding a truth.json), sorted."""
    return sorted(p.parent.name for p in root.glob("*/truth.json"))


def truth(source: str, root: Path = REALPAGES) -> dict:
    """The source's truth.json: ``{"source", "commit", "licence", "pages": {id: {...}}}``."""
    return json.loads((root / source / "truth.json").read_text(encoding="utf-8"))


def load(source: str | None = None, split: str | None = None, root: Path = REALPAGES) -> list[RealPage]:
    """Pages of one source (or all), optionally of one split, in a stable order (source, id)."""
    pages: list[RealPage] = []
    for name in [source] if source else sources(root):
        for page_id, rec in sorted(truth(name, root)["pages"].items()):
            if split and rec["split"] != split:
                continue
            html = gzip.decompress((root / name / f"{page_id}.html.gz").read_bytes())
            pages.append(
                RealPage(
                    source=name,
                    page_id=page_id,
                    split=rec["split"],
                    url=rec.get("url"),
                    html=html,
                    text=rec.get("text"),
                    must_have=tuple(rec.get("must_have") or ()),
                    must_not_have=tuple(rec.get("must_not_have") or ()),
                    title=rec.get("title"),
                    date=rec.get("date"),
                )
            )
    return pages
